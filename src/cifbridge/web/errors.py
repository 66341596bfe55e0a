"""Every HTTP error body the bridge sends is built here; the engine's refusals map to statuses.

Rules:
- the control API answers `{"error": {"message": ...}}` for every refusal: 400 for a malformed
  request (the message names the route and the JSON path) or an invalid one, 404 for
  something unknown, 409 for a state that does not allow the action, 503 when the store
  failed (the action was not applied);
- the engine says why it refused (AgentActionRefused.kind); STATUS is the one map to HTTP;
- a path under the control API that no route has is a JSON 404, a method its path does not
  take a JSON 405 with the `Allow` header, so clients read one shape for every refusal;
- pages and files that do not exist answer a plain-text 404, as static servers do.
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable

from aiohttp import web

from cifbridge.api.control_routes import CONTROL_PATH_PREFIX
from cifbridge.engine import AgentActionRefused
from cifbridge.engine.base.errors import RefusalKind
from cifbridge.store import StoreFailed

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]

AGENT_PATH = re.compile(r"^/agents/[^/]+/")
STATUS: dict[RefusalKind, int] = {"invalid": 400, "not_found": 404, "conflict": 409}


class MalformedRequest(Exception):
    """A request the control API cannot even hand to the engine (answered with a 400)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class Unavailable(Exception):
    """A request the bridge cannot serve now (answered with a 503)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def error_response(message: str, status: int, **headers: str) -> web.Response:
    """Return the one error shape of the control API."""
    return web.json_response({"error": {"message": message}}, status=status, headers=headers)


def refusal_response(refused: AgentActionRefused) -> web.Response:
    """Return an engine refusal with the status its kind maps to."""
    return error_response(refused.message, STATUS[refused.kind])


def not_found_page(text: str) -> web.HTTPNotFound:
    """Return the plain-text 404 of a page or file that does not exist."""
    return web.HTTPNotFound(text=text)


@web.middleware
async def control_errors(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Map malformed requests, refused agent actions and unrouted API paths to the error shape."""
    try:
        return await handler(request)
    except MalformedRequest as malformed:
        return error_response(malformed.message, 400)
    except Unavailable as unavailable:
        return error_response(unavailable.message, 503)
    except AgentActionRefused as refused:
        return refusal_response(refused)
    except StoreFailed as failure:  # nothing was applied: the agent may try again
        return error_response(f"cifbridge: {failure}", 503)
    except web.HTTPMethodNotAllowed as wrong:
        if not _unrouted_api_call(request):
            raise
        allowed = ", ".join(sorted(wrong.allowed_methods))
        message = f"{request.method} is not allowed on {request.path}; it takes {allowed}"
        return error_response(message, 405, Allow=allowed)
    except web.HTTPNotFound:
        if not _unrouted_api_call(request):
            raise
        listing = CONTROL_PATH_PREFIX + "routes"
        asked = f"{request.method} {request.path}"
        return error_response(f"no control route answers {asked} (GET {listing} lists them)", 404)


def _unrouted_api_call(request: web.Request) -> bool:
    # Only the router's own refusals (no route matched), and only under the control API:
    # a page that does not exist keeps its plain-text 404.
    unrouted = request.match_info.http_exception is not None
    path = AGENT_PATH.sub("/", request.path, count=1)  # an agent's control API is the API too
    return unrouted and (path.startswith(CONTROL_PATH_PREFIX) or path == CONTROL_PATH_PREFIX[:-1])
