"""Playing a case against a served bridge, whatever kind of widget makes the calls.

The Socket.IO and browser paths differ only in their widget; the steps are the same:
reset the bridge, open the caller's widget (other providers' widgets when a setup step needs
them), run the setup, drop the events it caused, then make the call or take the agent action
and collect what the caller's widget received.

Events are collected without any waiting: the bridge emits a call's events before its
acknowledgement, and an agent action's before its HTTP response, so once a later call by the
same widget is acknowledged (`take_events` makes one) every earlier event has arrived. The same
holds for the late answer of a deferred call (notifyEvent): a case with `after` steps starts
its call, takes the steps (agent actions, clock advances, other calls), then reads the outcome.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from typing import Any, Protocol

from cifbridge.api.catalog import APIS
from cifbridge.contracts.bridge import AgentRefused, Bridges, ServedBridge
from cifbridge.contracts.cases import AdvanceClock, AgentAction, Call, Case, Step
from cifbridge.contracts.configs import CaseConfigError, CaseConfigs
from cifbridge.contracts.outcome import Outcome, acted, failed

# A harmless call whose acknowledgement follows every event sent before it.
BARRIER = Call("canCreateSession", ())


class WidgetError(RuntimeError):
    """A widget could not connect, or a call got no answer."""


class SetupStepFailed(RuntimeError):
    """A setup call was rejected."""


class Widget(Protocol):
    """One provider's widget connected to a bridge."""

    async def call(self, call: Call) -> Outcome:
        """Make a CIF call; return its outcome (events not included)."""

    async def start(self, call: Call) -> Any:
        """Make a call that may be answered later; return a handle once the bridge has it."""

    async def outcome_of(self, handle: Any) -> Outcome:
        """Return a started call's outcome so far, `pending` when it has no answer yet."""

    async def take_events(self) -> list[dict[str, Any]]:
        """Return the events received since the last time, after a barrier call."""

    async def close(self) -> None:
        """Disconnect and release everything."""


WidgetOpener = Callable[[ServedBridge, str, Case], Awaitable[Widget]]


def decode_event(name: Any, data: Any) -> dict[str, Any]:
    """Decode an event as a handler would; anything but a JSON string is flagged."""
    if not isinstance(data, str):
        return {"name": name, "data": {"$notJsonString": data}}
    try:
        return {"name": name, "data": json.loads(data)}
    except ValueError:
        return {"name": name, "data": {"$notJsonString": data}}


async def play_served(
    case: Case, configs: CaseConfigs, bridges: Bridges, open_widget: WidgetOpener
) -> Outcome:
    """Play one case on a fresh bridge through widgets made by `open_widget`."""
    try:
        caller = configs.caller(case)
    except CaseConfigError as error:
        return failed(str(error))
    bridge = await bridges.fresh(case)
    widgets: dict[str, Widget] = {}

    async def widget(provider: str) -> Widget:
        if provider not in widgets:
            widgets[provider] = await open_widget(bridge, provider, case)
        return widgets[provider]

    async def take(where: str, step: Step) -> None:
        if isinstance(step, AdvanceClock):
            await bridge.advance_clock(step.seconds)
        elif isinstance(step, AgentAction):
            await bridge.agent(step)
        else:
            await _setup_call(await widget(step.provider or caller), where, step)

    try:
        main = await widget(caller)
        for number, step in enumerate(case.setup):
            await take(f"setup[{number}]", step)
        await main.take_events()
        return await _subject(case, bridge, main, take)
    except (AgentRefused, SetupStepFailed, WidgetError) as error:
        return failed(str(error))
    finally:
        for opened in widgets.values():
            await opened.close()


async def _subject(
    case: Case, bridge: ServedBridge, main: Widget, take: Callable[[str, Step], Awaitable[None]]
) -> Outcome:
    if isinstance(case.subject, AgentAction):
        await bridge.agent(case.subject)
        return acted(await main.take_events())
    if isinstance(case.subject, AdvanceClock):  # the case format has no such subject
        return failed("the subject of a case is a call or an agent action")
    if not (case.after or answered_later(case.subject)):
        outcome = await main.call(case.subject)
        return {**outcome, "events": await main.take_events()}
    handle = await main.start(case.subject)
    for number, step in enumerate(case.after):
        await take(f"after[{number}]", step)
    outcome = await main.outcome_of(handle)
    return {**outcome, "events": await main.take_events()}


def answered_later(call: Call) -> bool:
    """Tell whether the API may wait for the agent (no client timeout: notifyEvent, openForm)."""
    return not APIS[call.api].timeout


async def _setup_call(widget: Widget, where: str, call: Call) -> None:
    # A call that waits for the agent is started, not awaited: its promise stays pending.
    if answered_later(call):
        outcome = await widget.outcome_of(await widget.start(call))
    else:
        outcome = await widget.call(call)
    if "rejects" in outcome:
        raise SetupStepFailed(f"{where}: {call.api} rejected: {outcome.get('rejects')}")
