"""What stands between the network and the bridge: host names, origins, the token, body bounds.

    every route        the Host header names this bridge (no DNS rebinding), else 403
    control API        only the bridge's own pages (and configured origins) from browsers:
                       a foreign Origin, or no Origin on a cross-site fetch, is 403; a body
                       must be JSON (415) within the input limits (400, naming the JSON path)
                       and within the size cap (413); CORS answers only configured origins
    control API, /     (and an agent's, under /agents/<agent>/) with a
                       token configured: `Authorization: Bearer`, or the cookie that
                       opening `/?token=...` sets, else 401
    widgets            the shim, the samples and the /widget namespace need neither origin
                       nor token: the trusted-domain check of each provider decides (§6.3)

Rules:
- One `setup_security(app, settings)` installs everything, ahead of every other middleware.
- Every refusal is the control API's error shape `{"error": {"message": ...}}`, saying why
  and what to change.
"""

from __future__ import annotations

import ipaddress
import json
from collections.abc import Awaitable, Callable

from aiohttp import hdrs, web

from cifbridge.api.control_routes import CONTROL_PATH_PREFIX
from cifbridge.api.limits import input_problem, loads_bounded
from cifbridge.settings import Settings
from cifbridge.web.access import TOKEN_COOKIE, AccessPolicy, parse_origin, presented_tokens
from cifbridge.web.errors import AGENT_PATH, error_response
from cifbridge.web.keys import ACCESS, AGENTS

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]
MUTATING = frozenset({"POST", "PUT", "PATCH", "DELETE"})
CROSS_SITE = frozenset({"cross-site", "same-site"})  # same-site: another port of localhost
WORKSPACE_PAGE = "/"


def setup_security(app: web.Application, settings: Settings) -> AccessPolicy:
    """Install the guards in front of every route and return the policy they enforce."""
    policy = AccessPolicy.from_settings(settings)
    app[ACCESS] = policy
    for guard in reversed((host_guard, api_guard, page_guard)):
        app.middlewares.insert(0, guard)
    return policy


def refusal(status: int, message: str, **headers: str) -> web.Response:
    """Return the control API's error shape (built by web/errors.py, as every error body)."""
    return error_response(message, status, **headers)


@web.middleware
async def host_guard(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Refuse requests for host names this bridge does not answer for (DNS rebinding)."""
    policy = request.app[ACCESS]
    host = request.headers.get(hdrs.HOST, "")
    if policy.host_allowed(host, _local_address(request)):
        return await handler(request)
    name = host.rsplit(":", 1)[0] if host.count(":") == 1 else host
    return refusal(
        403,
        f"cifbridge answers only for {', '.join(policy.hosts)}; a request for host {host!r}"
        " is refused, as a DNS-rebinding page would send it. To serve that name, start"
        f" cifbridge with --allowed-host {name or 'NAME'}.",
    )


@web.middleware
async def api_guard(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Let only the bridge's own pages (or configured origins) and programs use the control API."""
    if not _as_default_agent(request.path).startswith(CONTROL_PATH_PREFIX):
        return await handler(request)
    policy = request.app[ACCESS]
    origin = request.headers.get(hdrs.ORIGIN)
    refused = _origin_refusal(request, policy, origin)
    if refused is not None:
        return refused
    cors = _cors_headers(policy, origin)
    if request.method == "OPTIONS":
        return web.Response(status=204, headers=cors)
    refused = _token_refusal(policy, request) or await _body_refusal(request)
    if refused is not None:
        refused.headers.update(cors)
        return refused
    try:
        response = await handler(request)
    except web.HTTPException as error:
        error.headers.update(cors)
        raise
    response.headers.update(cors)
    return response


@web.middleware
async def page_guard(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Ask for the token before serving a workspace page; `?token=` sets the cookie."""
    if _as_default_agent(request.path) != WORKSPACE_PAGE:
        return await handler(request)
    policy = request.app[ACCESS]
    given = request.query.get("token")
    if policy.token is not None and given is not None and policy.token_ok([given]):
        # Redirected, so the token leaves the address bar (and the history) at once.
        redirect = web.Response(status=303, headers={hdrs.LOCATION: request.path})
        redirect.set_cookie(TOKEN_COOKIE, given, httponly=True, samesite="Strict", path="/")
        return redirect
    if not policy.token_ok(presented_tokens(request.headers)):
        text = (
            "cifbridge: this workspace needs its access token. Open /?token=<token> once"
            " (cifbridge printed the address when it started; the token is --token or"
            " CIFBRIDGE_TOKEN)."
        )
        return web.Response(status=401, text=text)
    response = await handler(request)
    ancestors = " ".join(["'self'", *(f"{o.scheme}://{o.host}:{o.port}" for o in policy.origins)])
    response.headers["Content-Security-Policy"] = f"frame-ancestors {ancestors}"
    return response


def _as_default_agent(path: str) -> str:
    """Return the path without its /agents/<agent> prefix: an agent's API and page are guarded
    as the default agent's are."""
    return AGENT_PATH.sub("/", path, count=1)


def _origin_refusal(
    request: web.Request, policy: AccessPolicy, origin: str | None
) -> web.Response | None:
    if origin is not None:
        if policy.origin_allowed(origin, request.headers.get(hdrs.HOST, ""), request.scheme):
            return None
        return refusal(
            403,
            f"cifbridge: the control API answers only the bridge's own pages; a request from"
            f" the page at {origin} is refused (start cifbridge with --allowed-origin"
            f" {origin} to trust it).",
        )
    if request.headers.get("Sec-Fetch-Site") in CROSS_SITE:
        return refusal(
            403, "cifbridge: the control API refuses requests another site's page makes."
        )
    return None


def _cors_headers(policy: AccessPolicy, origin: str | None) -> dict[str, str]:
    # Only configured extra origins read answers across origins; the bridge's own pages
    # need no CORS, and a foreign origin never gets Access-Control-Allow-Origin.
    page = parse_origin(origin) if origin else None
    if page is None or not policy.is_extra(page):
        return {}
    return {
        "Access-Control-Allow-Origin": origin or "",
        "Access-Control-Allow-Methods": "GET, POST, PUT, PATCH, DELETE",
        "Access-Control-Allow-Headers": "Content-Type, Authorization",
        "Vary": "Origin",
    }


def _token_refusal(policy: AccessPolicy, request: web.Request) -> web.Response | None:
    if policy.token_ok(presented_tokens(request.headers)):
        return None
    return refusal(
        401,
        "cifbridge: this bridge needs its access token: send `Authorization: Bearer <token>`"
        " (BridgeClient(url, token=...) or CIFBRIDGE_TOKEN), or open the workspace page"
        " with ?token=<token> once.",
        **{"WWW-Authenticate": 'Bearer realm="cifbridge"'},
    )


async def _body_refusal(request: web.Request) -> web.Response | None:
    if request.method not in MUTATING or not request.body_exists:
        return None
    kind = request.content_type
    if kind != "application/json" and not kind.endswith("+json"):
        return refusal(
            415, f"cifbridge: the control API takes JSON bodies (application/json), not {kind}."
        )
    try:
        raw = await request.read()
        body = loads_bounded(raw.decode("utf-8")) if raw else None
    except web.HTTPRequestEntityTooLarge:
        limit = request.client_max_size
        return refusal(413, f"cifbridge: the body is larger than {limit} bytes.")
    except json.JSONDecodeError:
        return None  # plain bad JSON: the route's own edge answers it, naming the route
    except (UnicodeDecodeError, ValueError):
        return refusal(400, "the body must be JSON")
    problem = input_problem(body, request.app[AGENTS].config.input_limits)
    return refusal(400, f"cifbridge: {problem}") if problem else None


def _local_address(request: web.Request) -> str | None:
    # The address the connection arrived on is a name a browser can only use deliberately.
    transport = request.transport
    sockname = transport.get_extra_info("sockname") if transport is not None else None
    if not isinstance(sockname, tuple) or not sockname:
        return None
    try:
        return str(ipaddress.ip_address(str(sockname[0]).split("%")[0]))
    except ValueError:
        return None
