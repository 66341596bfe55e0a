"""The `/widget` Socket.IO namespace: partner widgets' CIF calls in, CIF events out.

A handler here never raises: an exception would mean no acknowledgement, and the widget's
promise would hang until its 10 s timeout. Every failure becomes an error acknowledgement.
"""

from __future__ import annotations

import logging
from typing import Any

import socketio
from socketio.exceptions import ConnectionRefusedError as Refused

from cifbridge.api import envelope
from cifbridge.api.dispatcher import Caller
from cifbridge.engine import WorkspaceConfig
from cifbridge.engine.config.workspace import Provider
from cifbridge.web.fault_effects import NO_ANSWER, apply_call_fault
from cifbridge.web.hub import WIDGET_NAMESPACE, Hub, provider_room
from cifbridge.web.origins import hostname_of, is_trusted, match_provider, trusted_domains

log = logging.getLogger("cifbridge")


class WidgetNamespace(socketio.AsyncNamespace):  # type: ignore[misc]
    """Knows which provider each connection speaks for and relays its calls to the hub."""

    def __init__(self, hub: Hub, config: WorkspaceConfig) -> None:
        super().__init__(WIDGET_NAMESPACE)
        self.hub = hub
        self.config = config
        self.callers: dict[str, Caller] = {}
        self.origins: dict[str, str] = {}

    async def on_connect(self, sid: str, environ: dict[str, Any], auth: Any = None) -> None:
        """Identify the provider (explicit, by landing URL, or the first) and check the origin."""
        auth = auth if isinstance(auth, dict) else {}
        href = auth.get("href") if isinstance(auth.get("href"), str) else ""
        origin = environ.get("HTTP_ORIGIN") or href or "(no origin)"
        provider, how = self._attribute(auth.get("provider"), href, origin)
        bridge_host = hostname_of(f"http://{environ.get('HTTP_HOST', '')}")
        domains = trusted_domains(provider, bridge_host)
        caller = Caller(provider.unique_name, trusted=is_trusted(hostname_of(origin), domains))
        if caller.trusted:
            log.info("widget connected from %s as %s (%s), trusted", origin, caller.provider, how)
        else:
            log.warning(
                "widget connected from %s as %s (%s) is not trusted by %s: every call will be"
                " refused; trusted domains: %s",
                origin, caller.provider, how, caller.provider, ", ".join(domains),
            )  # fmt: skip
        self.callers[sid] = caller
        self.origins[sid] = origin
        await self.enter_room(sid, provider_room(provider.unique_name))

    def _attribute(self, wanted: Any, href: str, origin: str) -> tuple[Provider, str]:
        if isinstance(wanted, str) and wanted:
            provider = self.config.provider(wanted)
            if provider is None:
                log.warning(
                    "widget from %s refused: no provider is configured as %r", origin, wanted
                )
                raise Refused(f"cifbridge: no channel provider is configured as {wanted!r}")
            return provider, "data-provider"
        matched = match_provider(href, self.config.providers)
        if matched is not None:
            return matched, "its page is under the landing URL"
        return self.config.providers[
            0
        ], "the first provider: no data-provider, no landing URL match"

    async def on_disconnect(self, sid: str, reason: Any = None) -> None:
        """Forget the connection."""
        caller = self.callers.pop(sid, None)
        origin = self.origins.pop(sid, "(unknown origin)")
        if caller is not None:
            log.info("widget disconnected from %s as %s (%s)", origin, caller.provider, reason)

    async def on_cif(self, sid: str, data: Any = None, *extra: Any) -> Any:
        """Run one CIF call and return its acknowledgement (frames of any arity are answered)."""
        api = data.get("api") if isinstance(data, dict) else None
        try:
            problem = _malformed(data)
            if problem:
                return envelope.malformed(problem)
            caller = self.callers[sid]
            args = data.get("args") or []
            fault = await self.hub.faults.take_call(caller.provider, data["api"], args)
            if fault is not None:
                answer = await apply_call_fault(self.hub, fault, sid, caller, data)
                # python-socketio sends no acknowledgement at all for its "not handled" marker
                return self.server.not_handled if answer is NO_ANSWER else answer
            return await self.hub.widget_call(caller, data["api"], args, data.get("requestId"))
        except Exception as error:  # a handler must always acknowledge
            log.exception("CIF call %s failed inside cifbridge", api)
            return envelope.internal_error(api, error)

    async def trigger_event(self, event: str, *args: Any) -> Any:
        """Route an event; one this namespace does not know is answered with an error."""
        if hasattr(self, f"on_{event}"):
            return await super().trigger_event(event, *args)
        message = f"cifbridge: the widget namespace has no event {event!r}; CIF calls are 'cif'"
        return {"ok": False, "error": {"message": message}, "origin": "client"}

    async def on_cifbridge_malformed(self, sid: str, reason: Any = None, *extra: Any) -> Any:
        """Answer a frame the server could not read (see `cifbridge.web.frames`)."""
        log.warning("unreadable frame from widget %s: %s", sid, reason)
        message = f"cifbridge: {reason}" if isinstance(reason, str) else "cifbridge: bad frame"
        return {"ok": False, "error": {"message": message}, "origin": "client"}


def _malformed(data: Any) -> str | None:
    if not isinstance(data, dict):
        return "cifbridge: a call must be an object {api, args, requestId, correlationId}"
    if not isinstance(data.get("api"), str):
        return "cifbridge: the call has no api name"
    if not isinstance(data.get("args", []), list):
        return "cifbridge: args must be the array of positional arguments"
    request_id = data.get("requestId")
    if request_id is not None and not isinstance(request_id, str):
        return "cifbridge: requestId must be a string"
    return None
