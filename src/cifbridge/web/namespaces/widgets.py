"""The `/widget` Socket.IO namespace: partner widgets' CIF calls in, CIF events out.

Each connection works in one agent's workspace: the one the shim names in its `auth.agent`
(docs/agents.md has the rule: the script tag's data-agent, else the /agents/<agent>/ of the
library URL, data-crmurl or ucilib), else the default agent.

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
from cifbridge.engine.base.context import DEFAULT_AGENT, BadAgentName
from cifbridge.engine.base.texts import ORIGIN_NOT_TRUSTED
from cifbridge.web.agents import Agents, TooManyAgents
from cifbridge.web.event_sender import agent_room
from cifbridge.web.fault_effects import NO_ANSWER, apply_call_fault
from cifbridge.web.hub import WIDGET_NAMESPACE, Hub, provider_room
from cifbridge.web.origins import (
    Attribution,
    UnknownProvider,
    attribute,
    hostname_of,
    is_trusted,
    trusted_domains,
    untrusted_advice,
)

log = logging.getLogger("cifbridge")


class WidgetNamespace(socketio.AsyncNamespace):  # type: ignore[misc]
    """Knows which provider each connection speaks for and relays its calls to the hub."""

    def __init__(self, agents: Agents, config: WorkspaceConfig, *, strict: bool = False) -> None:
        super().__init__(WIDGET_NAMESPACE)
        self.agents = agents
        self.config = config
        self.strict = strict  # --strict: a guessed provider refuses the connection
        self.callers: dict[str, Caller] = {}
        self.origins: dict[str, str] = {}
        self.hubs: dict[str, Hub] = {}  # each connection's agent

    async def on_connect(self, sid: str, environ: dict[str, Any], auth: Any = None) -> None:
        """Attribute the page to a provider (origins.attribute) and check its origin."""
        auth = auth if isinstance(auth, dict) else {}
        href = auth.get("href") if isinstance(auth.get("href"), str) else ""
        origin = environ.get("HTTP_ORIGIN") or href or "(no origin)"
        bridge_netloc = str(environ.get("HTTP_HOST", ""))
        wanted = auth.get("provider") if isinstance(auth.get("provider"), str) else None
        agent = auth.get("agent") if isinstance(auth.get("agent"), str) else DEFAULT_AGENT
        try:
            hub = await self.agents.get(agent or DEFAULT_AGENT)
        except (BadAgentName, TooManyAgents) as problem:
            log.warning("widget from %s refused: %s", origin, problem)
            raise Refused(f"cifbridge: {problem}") from None
        try:
            found = attribute(
                wanted,
                href,
                self.config.providers,
                bridge_netloc,
                from_workspace=auth.get("providerFrom") == "workspace",
            )
        except UnknownProvider as error:
            log.warning("widget from %s refused: no provider is configured as %r", origin, wanted)
            raise Refused(str(error)) from None
        if found.advice and self.strict:
            log.warning("widget from %s refused (--strict): %s", origin, found.advice)
            raise Refused(f"cifbridge --strict refused the connection: {found.advice}")
        caller = await self._admit(hub, sid, found, origin, href, bridge_netloc)
        self.callers[sid] = caller
        self.origins[sid] = origin
        self.hubs[sid] = hub
        await self.enter_room(sid, provider_room(hub.agent_id, caller.provider))
        await self.enter_room(sid, agent_room(hub.agent_id))

    async def _admit(
        self, hub: Hub, sid: str, found: Attribution, origin: str, href: str, bridge_netloc: str
    ) -> Caller:
        provider = found.provider
        domains = trusted_domains(provider, hostname_of(f"http://{bridge_netloc}"))
        host = hostname_of(origin)
        caller = Caller(provider.unique_name, trusted=is_trusted(host, domains))
        warnings = []
        # Another agent's widget says whose it is; the default agent's lines read as before.
        who = caller.provider if hub.agent_id == DEFAULT_AGENT else (
            f"{caller.provider} for agent {hub.agent_id}"
        )  # fmt: skip
        if found.advice:
            log.warning("widget connected from %s as %s (%s): %s", origin, who,
                        found.reason, found.advice)  # fmt: skip
            warnings.append({"code": "provider-guessed", "message": found.advice})
        if caller.trusted:
            log.info("widget connected from %s as %s (%s), trusted", origin, who,
                     found.reason)  # fmt: skip
        else:
            advice = untrusted_advice(host, provider.unique_name, domains)
            log.warning(
                "widget connected from %s as %s (%s) is not trusted by %s: every call will be"
                " refused; trusted domains: %s; %s",
                origin, who, found.reason, caller.provider, ", ".join(domains), advice,
            )  # fmt: skip
            warnings.append({"code": "origin-not-trusted", "message": advice})
        if warnings:  # a connection is journaled only when there is something to fix
            await hub.note(
                caller.provider,
                "widget:connect",
                ok=caller.trusted,
                value={"origin": origin, "href": href, "rule": found.rule, "reason": found.reason},
                warnings=warnings,
            )
        for warning in warnings:
            await self.emit("cif:warning", warning, to=sid)
        return caller

    async def on_cif_diagnostic(self, sid: str, data: Any = None, *extra: Any) -> Any:
        """Journal what the shim noticed in the widget itself (a handler without a promise)."""
        caller, hub = self.callers.get(sid), self.hubs.get(sid)
        body = data if isinstance(data, dict) else {}
        warnings, event = body.get("warnings"), body.get("event")
        # An untrusted page gets nothing in: its calls are refused, its reports are not kept.
        if caller is None or hub is None or not caller.trusted:
            return {"ok": False, "error": {"message": ORIGIN_NOT_TRUSTED}}
        if not isinstance(event, str) or not _are_warnings(warnings):
            message = "cifbridge: a diagnostic needs an event name and warnings [{code, message}]"
            return {"ok": False, "error": {"message": message}}
        # Under --strict the widget's console shows it as an error, and the journal as a failure.
        kept = list(warnings or [])[:10]
        await hub.note(caller.provider, f"handler:{event[:100]}", ok=not self.strict, warnings=kept)
        return {"ok": True}

    async def on_disconnect(self, sid: str, reason: Any = None) -> None:
        """Forget the connection."""
        caller = self.callers.pop(sid, None)
        origin = self.origins.pop(sid, "(unknown origin)")
        hub = self.hubs.pop(sid, None)
        if caller is not None and hub is not None:
            log.info("widget disconnected from %s as %s for agent %s (%s)", origin,
                     caller.provider, hub.agent_id, reason)  # fmt: skip

    async def on_cif(self, sid: str, data: Any = None, *extra: Any) -> Any:
        """Run one CIF call and return its acknowledgement (frames of any arity are answered)."""
        api = data.get("api") if isinstance(data, dict) else None
        try:
            problem = _malformed(data)
            if problem:
                return envelope.malformed(problem)
            caller, hub = self.callers[sid], self.hubs[sid]
            args = data.get("args") or []
            fault = await hub.faults.take_call(caller.provider, data["api"], args)
            if fault is not None:
                answer = await apply_call_fault(hub, fault, sid, caller, data)
                # python-socketio sends no acknowledgement at all for its "not handled" marker
                return self.server.not_handled if answer is NO_ANSWER else answer
            return await hub.widget_call(caller, data["api"], args, data.get("requestId"))
        except Exception as error:  # a handler must always acknowledge
            log.exception("CIF call %s failed inside cifbridge", api)
            return envelope.internal_error(api, error)

    async def trigger_event(self, event: str, *args: Any) -> Any:
        """Route an event; one this namespace does not know is answered with an error."""
        if event == "cif":  # nearly every frame: straight to it, not through the lookup
            return await self.on_cif(*args)
        if hasattr(self, f"on_{event}"):
            return await super().trigger_event(event, *args)
        message = f"cifbridge: the widget namespace has no event {event!r}; CIF calls are 'cif'"
        return {"ok": False, "error": {"message": message}, "origin": "client"}

    async def on_cifbridge_malformed(self, sid: str, reason: Any = None, *extra: Any) -> Any:
        """Answer a frame the server could not read (see `cifbridge.web.frames`)."""
        log.warning("unreadable frame from widget %s: %s", sid, reason)
        message = f"cifbridge: {reason}" if isinstance(reason, str) else "cifbridge: bad frame"
        return {"ok": False, "error": {"message": message}, "origin": "client"}


def _are_warnings(value: Any) -> bool:
    return isinstance(value, list) and all(
        isinstance(w, dict)
        and isinstance(w.get("code"), str)
        and len(w["code"]) <= 100
        and isinstance(w.get("message"), str)
        and len(w["message"]) <= 2000
        for w in value
    )


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
