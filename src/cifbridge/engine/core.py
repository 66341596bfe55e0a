"""The engine: one synchronous entry point per actor, no I/O, atomic on the event loop.

Widgets call `call(provider, api, args)` with arguments already normalized and validated;
agents act through `focus_session` and `close_session`. Each returns a `Result` holding the
value, the events to deliver and whether the workspace changed (the transport then persists
before it acknowledges).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from . import focus, sessions
from .config import WorkspaceConfig
from .context import CallContext, Delivery
from .errors import AgentActionRefused
from .state import JSON, Workspace, from_json, new_workspace, to_json

Handler = Callable[[CallContext, dict[str, Any]], Any]

HANDLERS: dict[str, Handler] = {
    "canCreateSession": sessions.can_create_session,
    "createSession": sessions.create_session,
    "getSession": sessions.get_session,
    "getFocusedSession": sessions.get_focused_session,
    "getAllSessions": sessions.get_all_sessions,
    "setSessionTitle": sessions.set_session_title,
    "requestFocusSession": sessions.request_focus_session,
    "addHandler": sessions.add_handler,
    "removeHandler": sessions.remove_handler,
}


@dataclass(frozen=True)
class Result:
    """What one engine call produced."""

    value: JSON
    deliveries: tuple[Delivery, ...]
    mutated: bool


class Engine:
    """Holds one workspace and applies CIF calls and agent actions to it."""

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

    def call(self, provider: str, api: str, args: dict[str, Any]) -> Result:
        """Apply one widget call; raises CifError when the call fails."""
        ctx = self._context(provider)
        value = HANDLERS[api](ctx, args)
        return Result(value, tuple(ctx.deliveries), ctx.mutated)

    def focus_session(self, session_id: str) -> Result:
        """Switch the focused session as the agent does by clicking it."""
        if session_id not in self.workspace.sessions:
            raise AgentActionRefused(f"Session {session_id} is not open", status=404)
        ctx = self._context(None)
        focus.focus(ctx, session_id)
        return Result(None, tuple(ctx.deliveries), ctx.mutated)

    def close_session(self, session_id: str) -> Result:
        """Close a session as the agent does with its X button."""
        ctx = self._context(None)
        focus.close(ctx, session_id)
        return Result(None, tuple(ctx.deliveries), ctx.mutated)

    def reset(self) -> Result:
        """Start over with only the Home session (ids start again from 1)."""
        self.workspace = new_workspace(self.clock())
        return Result(None, (), True)

    def snapshot(self) -> dict[str, JSON]:
        """Return the workspace as JSON-ready data for a store."""
        return to_json(self.workspace)

    def restore(self, data: dict[str, JSON]) -> None:
        """Replace the workspace with one a store saved."""
        self.workspace = from_json(data)

    def _context(self, provider: str | None) -> CallContext:
        return CallContext(self.config, self.workspace, provider, self.clock)
