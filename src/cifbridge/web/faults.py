"""Faults on demand: make calls fail, answer late or never, drop connections, delay events.

A transport concern (the engine never knows): the widget namespace asks `take_call` before a
call is dispatched (web/fault_effects.py applies what it gets), the hub's event sender asks
`take_event` before an event is emitted (web/events_out.py). Rules:
- a fault acts on the next `times` matching calls or events (every one when `times` is None),
  oldest fault first, then it is spent and leaves the list;
- the widget sees only what the real library can show: the host's `{message, msdyn_name}`
  error, the library's JSON-text argument error, its timeout Map (at once, or for real after
  10 s when the call is never answered); a function the library never times out (notifyEvent,
  openForm, insertNotes) cannot get the timeout form;
- every fault is journaled when set, each time it fires, and when cleared (reset clears all
  without journaling: the journal is emptied too);
- faults belong to the process that was asked to set them (with Redis, ask the process the
  widget is connected to).
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any

from cifbridge.api.catalog import APIS
from cifbridge.api.signatures import normalize
from cifbridge.engine.base.texts import TIMEOUT
from cifbridge.web.journal import Journal

EFFECTS = {
    "call": ("reject", "delay", "hang", "disconnect"),
    "event": ("drop", "delay"),
    "connection": ("disconnect",),
}
ANY = "*"


class FaultRefused(ValueError):
    """A fault that cannot be set as asked; the message names the field (`setFault: $.x: ...`)."""


@dataclass(frozen=True)
class Fault:
    """One standing fault; `remaining` None means it acts until cleared."""

    id: str
    target: str
    effect: str
    name: str  # the function (call target) or event name; "*" for any
    provider: str | None
    connection: str | None
    match: Mapping[str, Any] | None
    remaining: int | None
    error: Mapping[str, Any] | None
    delay_ms: int
    fired: int = 0

    def to_json(self) -> dict[str, Any]:
        """Return the fault as the control API lists it."""
        body: dict[str, Any] = {"id": self.id, "target": self.target, "effect": self.effect}
        body["event" if self.target == "event" else "api"] = self.name
        optional = {
            "provider": self.provider,
            "connection": self.connection,
            "match": self.match,
            "error": self.error,
            "delayMs": self.delay_ms if self.effect == "delay" else None,
        }
        body.update({k: v for k, v in optional.items() if v is not None})
        return {**body, "remaining": self.remaining, "fired": self.fired}

    def error_for(self, api: str) -> tuple[dict[str, Any], str]:
        """Return the rejection body and its envelope origin for a call of `api`."""
        error = dict(self.error or {})
        form = error.pop("form", "host")
        if form == "timeout":
            return {"message": TIMEOUT}, "timeout"
        if form == "client":
            return {"message": error.get("message", "")}, "client"
        spec = APIS.get(api)
        error.setdefault("msdyn_name", spec.message_type if spec else api)
        return error, "host"


def fault_from_body(fault_id: str, body: Mapping[str, Any]) -> Fault:
    """Build a fault from a schema-checked setFault body; raise FaultRefused when it is unfit."""
    target = body.get("target", "call")
    effect = body["effect"]
    if effect not in EFFECTS[target]:
        allowed = ", ".join(EFFECTS[target])
        raise FaultRefused(f"setFault: $.effect: a {target} fault takes {allowed}, not {effect}")
    name = str(body.get("event" if target == "event" else "api", ANY))
    if target == "call" and name != ANY and name not in APIS:
        raise FaultRefused(f"setFault: $.api: Microsoft.CIFramework has no function {name}")
    _check_fields(target, effect, name, body)
    return Fault(
        id=fault_id,
        target=target,
        effect=effect,
        name=name if target != "connection" else ANY,
        provider=body.get("provider"),
        connection=body.get("connection"),
        match=body.get("match"),
        remaining=body.get("times"),
        error=body.get("error"),
        delay_ms=int(body.get("delayMs", 0)),
    )


def _check_fields(target: str, effect: str, name: str, body: Mapping[str, Any]) -> None:
    needs = {"reject": "error", "delay": "delayMs"}.get(effect)
    if needs and needs not in body:
        raise FaultRefused(f"setFault: $.{needs}: is required for the {effect} effect")
    for field, only in (("match", "call"), ("api", "call"), ("event", "event")):
        if field in body and target != only:
            raise FaultRefused(f"setFault: $.{field}: only a {only} fault takes it")
    if "connection" in body and target != "connection":
        raise FaultRefused("setFault: $.connection: only a connection fault takes it")
    if target == "connection" and "times" in body:
        raise FaultRefused("setFault: $.times: a connection fault acts once, at once")
    error = body.get("error") or {}
    if effect != "reject" and error:
        raise FaultRefused(f"setFault: $.error: the {effect} effect answers no error")
    if error.get("form") in ("host", "client") and "message" not in error:
        raise FaultRefused("setFault: $.error.message: is required for the host and client forms")
    spec = APIS.get(name)
    if error.get("form") == "timeout" and spec is not None and not spec.timeout:
        raise FaultRefused(
            f"setFault: $.error.form: the library never times out {name} (reference §1.1)"
        )


def matches(pattern: Any, value: Any) -> bool:
    """Say whether `value` contains `pattern`: objects key by key, anything else equal."""
    if isinstance(pattern, Mapping):
        return isinstance(value, Mapping) and all(
            key in value and matches(part, value[key]) for key, part in pattern.items()
        )
    return bool(pattern == value)


class Faults:
    """The standing faults of this process, in the order they were set."""

    def __init__(self, journal: Journal) -> None:
        self.journal = journal
        self._faults: list[Fault] = []
        self._ids = itertools.count(1)

    def listed(self) -> list[dict[str, Any]]:
        """Return the standing faults as the control API lists them."""
        return [f.to_json() for f in self._faults]

    async def add(self, body: Mapping[str, Any]) -> Fault:
        """Set a fault from a checked body (raises FaultRefused) and journal it."""
        fault = fault_from_body(f"fault-{next(self._ids)}", body)
        if fault.target != "connection":  # a connection drop acts at once; nothing stands
            self._faults.append(fault)
        await self.journal.record("fault", change="set", fault=fault.to_json())
        return fault

    async def remove(self, fault_id: str) -> bool:
        """Clear one fault; say whether it was standing."""
        found = next((f for f in self._faults if f.id == fault_id), None)
        if found is None:
            return False
        self._faults.remove(found)
        await self.journal.record("fault", change="cleared", fault=found.to_json())
        return True

    async def remove_all(self) -> list[str]:
        """Clear every fault, journaling each; return their ids."""
        ids = [f.id for f in self._faults]
        for fault_id in ids:
            await self.remove(fault_id)
        return ids

    def forget(self) -> None:
        """Drop every fault without journaling (a reset empties the journal as well); ids
        start again at fault-1, so each test that resets first sees the same ids."""
        self._faults.clear()
        self._ids = itertools.count(1)

    async def take_call(self, provider: str, api: str, args: list[Any]) -> Fault | None:
        """Return the fault that acts on this call (counted and journaled), or None."""
        for fault in self._faults:
            if fault.target == "call" and self._concerns(fault, provider, api, args):
                return await self._fire(fault, provider=provider, api=api)
        return None

    async def take_event(self, provider: str, name: str) -> Fault | None:
        """Return the fault that acts on this event (counted and journaled), or None."""
        for fault in self._faults:
            wanted = fault.target == "event" and fault.name in (ANY, name)
            if wanted and fault.provider in (None, provider):
                return await self._fire(fault, provider=provider, event=name)
        return None

    async def fired_connection(self, fault: Fault, connections: list[str]) -> None:
        """Journal that a connection fault dropped these connections."""
        done = replace(fault, fired=1, remaining=0)
        await self.journal.record(
            "fault", change="fired", fault=done.to_json(), on={"connections": connections}
        )

    def _concerns(self, fault: Fault, provider: str, api: str, args: list[Any]) -> bool:
        if fault.name not in (ANY, api) or fault.provider not in (None, provider):
            return False
        spec = APIS.get(api)
        if spec is None:  # not a CIF function: the library would throw before any call
            return False
        if (fault.error or {}).get("form") == "timeout" and not spec.timeout:
            return False
        return fault.match is None or matches(fault.match, normalize(api, args))

    async def _fire(self, fault: Fault, **on: Any) -> Fault:
        remaining = None if fault.remaining is None else fault.remaining - 1
        fired = replace(fault, remaining=remaining, fired=fault.fired + 1)
        index = self._faults.index(fault)
        if remaining == 0:
            del self._faults[index]
        else:
            self._faults[index] = fired
        await self.journal.record("fault", change="fired", fault=fired.to_json(), on=on)
        return fired
