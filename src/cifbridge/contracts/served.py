"""Playing a case against a served bridge, whatever kind of widget makes the calls.

The Socket.IO and browser paths differ only in their widget; the steps are the same:
reset the bridge, open the caller's widget (other providers' widgets when a setup step needs
them), run the setup, drop the events it caused, then make the call or take the agent action
and collect what the caller's widget received.

Events are collected without any waiting: the bridge emits a call's events before its
acknowledgement, and an agent action's before its HTTP response, so once a later call by the
same widget is acknowledged (`take_events` makes one) every earlier event has arrived.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from typing import Any, Protocol

from .bridge import AgentRefused, Bridges, ServedBridge
from .cases import AgentAction, Call, Case
from .configs import CaseConfigError, CaseConfigs
from .outcome import Outcome, acted, failed

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

    try:
        main = await widget(caller)
        for number, step in enumerate(case.setup):
            if isinstance(step, AgentAction):
                await bridge.agent(step)
                continue
            outcome = await (await widget(step.provider or caller)).call(step)
            if "resolves" not in outcome:
                raise SetupStepFailed(
                    f"setup[{number}]: {step.api} rejected: {outcome.get('rejects')}"
                )
        await main.take_events()
        return await _subject(case, bridge, main)
    except (AgentRefused, SetupStepFailed, WidgetError) as error:
        return failed(str(error))
    finally:
        for opened in widgets.values():
            await opened.close()


async def _subject(case: Case, bridge: ServedBridge, main: Widget) -> Outcome:
    if isinstance(case.subject, AgentAction):
        await bridge.agent(case.subject)
        return acted(await main.take_events())
    outcome = await main.call(case.subject)
    return {**outcome, "events": await main.take_events()}
