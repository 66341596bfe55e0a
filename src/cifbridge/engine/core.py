"""The engine: one synchronous entry point per actor, no I/O, atomic on the event loop.

Widgets call `call(provider, api, args, request_id)` with arguments already normalized and
validated; agents act through `agent(action, **params)` with keyword parameters already checked
against the action's JSON Schema (a refusal is a domain one); time moves through `advance()`, which
fires every deadline due on the injected clock (the transport asks `next_deadline()` and
schedules the wake-up). Each returns a `Result`: the value (or DEFERRED for an answer that comes
later as a Settlement), the events to deliver, the late answers, and whether the workspace
changed (the transport then persists before it acknowledges).

Feature modules register themselves in the three tables below: CIF functions, agent actions,
and timers. Keeping the tables here, filled from each module's own table, lets a feature live
in one module without touching the others.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol

from cifbridge.engine.base.context import CallContext, Delivery, Settlement
from cifbridge.engine.base.errors import NOT_FOUND, AgentActionRefused
from cifbridge.engine.base.state import JSON, Workspace, dumps, from_json, new_workspace, to_json
from cifbridge.engine.cif import (
    analytics,
    focus,
    indicators,
    notifications,
    panel,
    presence,
    sessions,
)
from cifbridge.engine.cif import context as context_api
from cifbridge.engine.cif import events as custom_events
from cifbridge.engine.cif import library as misc
from cifbridge.engine.cif import record_forms as record_agent
from cifbridge.engine.cif import records as record_api
from cifbridge.engine.cif import tabs as tab_api
from cifbridge.engine.config.workspace import WorkspaceConfig
from cifbridge.engine.omnichannel import (
    arrivals,
    completion,
    conversations,
    elevation,
    messaging,
    persistent_chat,
    reconnection,
)

Handler = Callable[[CallContext, dict[str, Any]], Any]
AgentAction = Callable[..., Any]


class Timer(Protocol):
    """A source of deadlines: when it is next due, and what happens when it is."""

    def next_due(self, workspace: Workspace) -> float | None:
        """Return the earliest time something is due, or None."""

    def fire_due(self, ctx: CallContext, now: float) -> None:
        """Apply everything due at or before `now`."""


HANDLERS: dict[str, Handler] = {
    **sessions.HANDLERS,
    **tab_api.HANDLERS,
    **notifications.HANDLERS,
    **presence.HANDLERS,
    **panel.HANDLERS,
    **context_api.HANDLERS,
    **indicators.HANDLERS,
    **analytics.HANDLERS,
    **custom_events.HANDLERS,
    **misc.HANDLERS,
    **record_api.HANDLERS,
}
AGENT_ACTIONS: dict[str, AgentAction] = {
    **focus.AGENT_ACTIONS,
    **tab_api.AGENT_ACTIONS,
    **notifications.AGENT_ACTIONS,
    **presence.AGENT_ACTIONS,
    **panel.AGENT_ACTIONS,
    **context_api.AGENT_ACTIONS,
    **custom_events.AGENT_ACTIONS,
    **record_agent.AGENT_ACTIONS,
    **arrivals.AGENT_ACTIONS,
    **messaging.AGENT_ACTIONS,
    **elevation.AGENT_ACTIONS,
    **reconnection.AGENT_ACTIONS,
    **completion.AGENT_ACTIONS,
}
TIMERS: list[Timer] = [
    notifications.TIMER,
    reconnection.TIMER,
    persistent_chat.TIMER,
    messaging.TIMER,
]
# Host features that hook into others: conversations answer their own notifications and
# settle their contacts when a session closes.
notifications.HOST_LISTENERS.update(conversations.HOST_LISTENERS)
focus.CLOSED_HOOKS.extend(completion.CLOSED_HOOKS)
focus.CLOSED_HOOKS.append(record_agent.abandon_session_forms)
tab_api.TAB_CLOSED_HOOKS.append(record_agent.abandon_form)
RESET_HOOKS: list[Callable[[CallContext], None]] = [notifications.abandon_all]


@dataclass(frozen=True)
class Result:
    """What one engine call produced."""

    value: JSON
    deliveries: tuple[Delivery, ...] = ()
    mutated: bool = False
    settlements: tuple[Settlement, ...] = ()


class Engine:
    """Holds one workspace and applies CIF calls, agent actions and time to it."""

    def __init__(
        self,
        config: WorkspaceConfig,
        *,
        clock: Callable[[], float],
        workspace: Workspace | None = None,
    ) -> None:
        self.config = config
        self.clock = clock
        self.workspace = workspace if workspace is not None else new_workspace(clock())

    def implements(self, api: str) -> bool:
        """Tell whether the engine has semantics for this API."""
        return api in HANDLERS

    def call(self, provider: str, api: str, args: dict[str, Any], request_id: str = "") -> Result:
        """Apply one widget call; raises CifError when the call fails."""
        ctx = self._context(provider, request_id)
        value = HANDLERS[api](ctx, args)
        return self._result(ctx, value)

    def agent(self, action: str, **params: Any) -> Result:
        """Apply one agent action by name; raises AgentActionRefused when it can't be done."""
        handler = AGENT_ACTIONS.get(action)
        if handler is None:
            raise AgentActionRefused(f"Unknown agent action {action}", NOT_FOUND)
        ctx = self._context(None)
        value = handler(ctx, **params)
        return self._result(ctx, value)

    def focus_session(self, session_id: str) -> Result:
        """Switch the focused session as the agent does by clicking it."""
        return self.agent("focusSession", session_id=session_id)

    def close_session(self, session_id: str) -> Result:
        """Close a session as the agent does with its X button."""
        return self.agent("closeSession", session_id=session_id)

    def next_deadline(self) -> float | None:
        """Return when `advance` next has something to do, or None."""
        due = [d for t in TIMERS if (d := t.next_due(self.workspace)) is not None]
        return min(due, default=None)

    def advance(self) -> Result:
        """Fire every deadline due now on the injected clock."""
        ctx = self._context(None)
        now = self.clock()
        for timer in TIMERS:
            timer.fire_due(ctx, now)
        return self._result(ctx, None)

    def reset(self) -> Result:
        """Start over with only the Home session (ids start again from 1).

        Calls still waiting for an answer (notifyEvent) are answered with an error first.
        """
        ctx = self._context(None)
        for hook in RESET_HOOKS:
            hook(ctx)
        self.workspace = new_workspace(self.clock())
        ctx.changed()
        return self._result(ctx, None)

    def snapshot(self) -> dict[str, JSON]:
        """Return the workspace as JSON-ready data for a store."""
        return to_json(self.workspace)

    def snapshot_text(self) -> str:
        """Return the workspace as JSON text, the fast way stores save it."""
        return dumps(self.workspace)

    def restore(self, data: dict[str, JSON]) -> None:
        """Replace the workspace with one a store saved."""
        self.workspace = from_json(data)

    def _context(self, provider: str | None, request_id: str = "") -> CallContext:
        return CallContext(self.config, self.workspace, provider, self.clock, request_id)

    @staticmethod
    def _result(ctx: CallContext, value: Any) -> Result:
        return Result(value, tuple(ctx.deliveries), ctx.mutated, tuple(ctx.settlements))
