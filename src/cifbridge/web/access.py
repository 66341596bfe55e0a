"""Who may control the bridge: the host names it answers for, the origins of its own pages,
and the optional access token. Plain functions of header values, shared by the HTTP
middlewares (`web/security.py`) and the `/workspace` Socket.IO namespace.

Rules:
- A request names a host the bridge answers for (the bound address, a loopback name, the
  address the connection arrived on, or a configured name), or it is refused: a DNS-rebinding
  page reaches 127.0.0.1 under its own host name, which is never one of those.
- A browser request carrying an `Origin` is the bridge's own page only when scheme, host and
  port are the bridge's (loopback names are equivalent), or the origin is configured.
  Requests without `Origin` come from programs (curl, python), which the same-origin policy
  does not concern.
- Secrets are compared in constant time.
"""

from __future__ import annotations

import hmac
import ipaddress
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from http.cookies import CookieError, SimpleCookie
from urllib.parse import urlsplit

from cifbridge.settings import Settings
from cifbridge.web.origins import is_trusted

LOOPBACK_NAMES = frozenset({"localhost", "127.0.0.1", "::1"})
WILDCARD_HOSTS = frozenset({"", "0.0.0.0", "::"})
TOKEN_COOKIE = "cifbridge_token"
_DEFAULT_PORTS = {"http": 80, "https": 443, "ws": 80, "wss": 443}


@dataclass(frozen=True)
class Place:
    """A scheme, lower-case host name (no brackets) and port."""

    scheme: str
    host: str
    port: int

    def same_as(self, other: Place) -> bool:
        """Tell whether both name the same server, loopback names being equivalent."""
        hosts_match = self.host == other.host or {self.host, other.host} <= LOOPBACK_NAMES
        return self.scheme == other.scheme and self.port == other.port and hosts_match


def parse_origin(origin: str) -> Place | None:
    """Return the place an `Origin` (or any absolute URL) names, or None if it names none."""
    try:
        parts = urlsplit(origin.strip())
        port = parts.port
    except ValueError:
        return None
    scheme = parts.scheme.lower()
    if not parts.hostname or scheme not in _DEFAULT_PORTS:
        return None
    return Place(scheme, parts.hostname.lower(), port or _DEFAULT_PORTS[scheme])


def parse_host(host: str, scheme: str) -> Place | None:
    """Return the place a `Host` header names on a connection of this scheme, or None."""
    return parse_origin(f"{scheme}://{host}") if host and "/" not in host else None


@dataclass(frozen=True)
class AccessPolicy:
    """The host names, extra origins and token one bridge enforces."""

    hosts: tuple[str, ...]
    origins: tuple[Place, ...]
    token: str | None = None

    @classmethod
    def from_settings(cls, settings: Settings) -> AccessPolicy:
        """Build the policy from the bridge's settings."""
        bound = settings.host.strip("[]").lower()
        hosts = {*LOOPBACK_NAMES, *(h.strip().lower() for h in settings.allowed_hosts)}
        if bound not in WILDCARD_HOSTS:
            hosts.add(bound)
        origins = [parse_origin(o) for o in settings.allowed_origins]
        extra = tuple(o for o in origins if o is not None)
        return cls(tuple(sorted(hosts)), extra, settings.token or None)

    def host_allowed(self, host: str, local_address: str | None = None) -> bool:
        """Tell whether a request for `host` is one this bridge answers."""
        place = parse_host(host, "http")
        if place is None:
            return False
        names = [*self.hosts, *([local_address.lower()] if local_address else [])]
        return is_trusted(place.host, names)

    def origin_allowed(self, origin: str, host: str, scheme: str) -> bool:
        """Tell whether a page on `origin` may control the bridge reached as `host`."""
        page = parse_origin(origin)
        if page is None:
            return False  # "null" (sandboxed frames, file: pages) and garbage
        if self.is_extra(page):
            return True
        served = parse_host(host, scheme)
        return served is not None and page.same_as(served)

    def is_extra(self, page: Place) -> bool:
        """Tell whether an origin was configured as allowed (not the bridge's own)."""
        return any(page.same_as(allowed) for allowed in self.origins)

    def token_ok(self, candidates: Iterable[str | None]) -> bool:
        """Tell whether the token is not required or one of the candidates is it."""
        if self.token is None:
            return True
        wanted = self.token.encode("utf-8")
        return any(
            hmac.compare_digest(c.encode("utf-8"), wanted) for c in candidates if c is not None
        )


def presented_tokens(headers: Mapping[str, str], auth: object = None) -> list[str | None]:
    """Return the tokens a request presents: bearer header, cookie, Socket.IO auth."""
    tokens: list[str | None] = []
    authorization = headers.get("Authorization", "")
    scheme, _, value = authorization.partition(" ")
    if scheme.lower() == "bearer":
        tokens.append(value.strip())
    tokens.append(cookie_value(headers.get("Cookie", ""), TOKEN_COOKIE))
    if isinstance(auth, dict) and isinstance(auth.get("token"), str):
        tokens.append(auth["token"])
    return tokens


def cookie_value(header: str, name: str) -> str | None:
    """Return one cookie's value from a `Cookie` header, or None."""
    cookies: SimpleCookie = SimpleCookie()
    try:
        cookies.load(header)
    except CookieError:
        return None
    morsel = cookies.get(name)
    return morsel.value if morsel is not None else None


def is_loopback(host: str) -> bool:
    """Tell whether binding to `host` keeps the bridge on this machine."""
    name = host.strip("[]").lower()
    if name == "localhost":
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False


def binding_problem(settings: Settings) -> str | None:
    """Say why the bridge must not bind where the settings ask, or None."""
    if is_loopback(settings.host) or settings.allow_remote:
        return None
    return (
        f"cifbridge: --host {settings.host} would let other machines reach the bridge and"
        " control the workspace; pass --allow-remote (CIFBRIDGE_ALLOW_REMOTE=1) to mean it,"
        " ideally with --token (see docs/security.md)"
    )


def binding_warning(settings: Settings) -> str | None:
    """Return the warning to print when the bridge is reachable from other machines."""
    if is_loopback(settings.host):
        return None
    guard = "the access token" if settings.token else "nothing: no --token is set"
    return (
        f"cifbridge: WARNING: serving on {settings.host}, reachable from other machines;"
        f" the control API and the workspace are protected by {guard}. Browsers must use a"
        " host name given with --allowed-host (or an IP address of this machine)."
    )
