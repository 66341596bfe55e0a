"""Feature records: what one feature module gives the engine, declared in one place.

Rules:
- each feature module declares one `FEATURE = Feature(name=<its module's name>, ...)`;
  engine/features.py lists them all, and engine/core.py builds its tables from that list only;
- `handlers` are CIF functions (the name the catalog gives them, whose `section` is the
  feature's name), `agent_actions` what the agent (or the customer) does through the control
  API, `timers` the deadlines the feature keeps;
- hooks let a feature act when another's moment comes, without either importing the other:
  `on_session_closed` when the agent closes a session, `on_tab_closed` before a tab goes,
  `on_reset` before the workspace starts over, `on_stop` before the bridge stops (a feature
  answers the calls still waiting on it, so no widget waits for a bridge that is gone), and
  `notification_hosts` answer the
  notifications a feature raised for itself (keyed by `Notification.host`);
- the hooks of every feature reach the code that fires them through `CallContext.hooks`, at
  call time: no module fills another module's tables.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any, Protocol

from cifbridge.engine.base.context import CallContext
from cifbridge.engine.base.state import Notification, Session, Tab, Workspace

Handler = Callable[[CallContext, dict[str, Any]], Any]
AgentAction = Callable[..., Any]
SessionHook = Callable[[CallContext, Session], None]
TabHook = Callable[[CallContext, Tab], None]
ResetHook = Callable[[CallContext], None]
# (actionName, responseReason): what a notification's answer is.
NotificationAnswer = tuple[str, str]


class Timer(Protocol):
    """A source of deadlines: when it is next due, and what happens when it is."""

    def next_due(self, workspace: Workspace) -> float | None:
        """Return the earliest time something is due, or None."""

    def fire_due(self, ctx: CallContext, now: float) -> None:
        """Apply everything due at or before `now`."""


class NotificationHost(Protocol):
    """A feature that raises notifications of its own and acts on their answers."""

    def refusal(
        self, ctx: CallContext, notification: Notification, answer: NotificationAnswer
    ) -> str | None:
        """Say why the agent can't give this answer now, or None."""

    def answered(
        self, ctx: CallContext, notification: Notification, answer: NotificationAnswer
    ) -> None:
        """Act on the answer; the notification is already gone."""


def _empty() -> Mapping[str, Any]:
    return MappingProxyType({})


@dataclass(frozen=True)
class Hooks:
    """Every feature's hooks, in the order of the feature list."""

    on_session_closed: tuple[SessionHook, ...] = ()
    on_tab_closed: tuple[TabHook, ...] = ()
    on_reset: tuple[ResetHook, ...] = ()
    on_stop: tuple[ResetHook, ...] = ()
    notification_hosts: Mapping[str, NotificationHost] = field(default_factory=_empty)


@dataclass(frozen=True)
class Feature:
    """One feature: its CIF functions, agent actions, timers and hooks."""

    name: str
    handlers: Mapping[str, Handler] = field(default_factory=_empty)
    agent_actions: Mapping[str, AgentAction] = field(default_factory=_empty)
    timers: tuple[Timer, ...] = ()
    on_session_closed: tuple[SessionHook, ...] = ()
    on_tab_closed: tuple[TabHook, ...] = ()
    on_reset: tuple[ResetHook, ...] = ()
    on_stop: tuple[ResetHook, ...] = ()
    notification_hosts: Mapping[str, NotificationHost] = field(default_factory=_empty)


def collect_hooks(features: Iterable[Feature]) -> Hooks:
    """Gather the hooks of these features, keeping their order."""
    listed = tuple(features)
    return Hooks(
        on_session_closed=tuple(h for f in listed for h in f.on_session_closed),
        on_tab_closed=tuple(h for f in listed for h in f.on_tab_closed),
        on_reset=tuple(h for f in listed for h in f.on_reset),
        on_stop=tuple(h for f in listed for h in f.on_stop),
        notification_hosts=MappingProxyType(
            {name: host for f in listed for name, host in f.notification_hosts.items()}
        ),
    )
