"""Deadline timers: the one way a feature tells the engine when it is next due, and acts then.

Rules:
- a timer is built from one function that finds the next thing due in a workspace: its time
  and what to do then; `next_due` answers that time, `fire_due(ctx, now)` does what is due at
  or before `now`, one at a time, earliest first, each at the time it fell due, and looks again
  after each (what one does may change what comes next);
- what a timer does must settle what made it due (clear the deadline, close the item), or the
  same thing would come up again;
- `over(items, deadline, fire)` builds the common case: items of the workspace that each carry
  one deadline (or None); at equal times the first listed goes first;
- `catch_up(ctx)` applies what fell due by now, for calls that must see time as it is before
  they act (the engine's clock moves only when the transport calls back in).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TypeVar

from cifbridge.engine.base.context import CallContext
from cifbridge.engine.base.state import Workspace

Item = TypeVar("Item")
Action = Callable[[CallContext, float], None]  # called with the time the deadline fell due
Due = tuple[float, Action]


class DeadlineTimer:
    """A timer for the engine's table, from the function that finds what is due next."""

    def __init__(self, next_event: Callable[[Workspace], Due | None]) -> None:
        self.next_event = next_event

    @classmethod
    def over(
        cls,
        items: Callable[[Workspace], Iterable[Item]],
        deadline: Callable[[Item], float | None],
        fire: Callable[[CallContext, Item], None],
    ) -> DeadlineTimer:
        """Build a timer over items that each carry one deadline."""

        def next_event(workspace: Workspace) -> Due | None:
            pending = [
                (at, item) for item in items(workspace) if (at := deadline(item)) is not None
            ]
            if not pending:
                return None
            at, item = min(pending, key=lambda p: p[0])
            return at, lambda ctx, _at: fire(ctx, item)

        return cls(next_event)

    def next_due(self, workspace: Workspace) -> float | None:
        """Return when the next deadline falls due, or None."""
        event = self.next_event(workspace)
        return None if event is None else event[0]

    def fire_due(self, ctx: CallContext, now: float) -> None:
        """Apply, in the order they fell due, every deadline at or before `now`."""
        while (event := self.next_event(ctx.workspace)) is not None and event[0] <= now:
            at, action = event
            action(ctx, at)

    def catch_up(self, ctx: CallContext) -> None:
        """Apply every deadline that fell due by the call's clock."""
        self.fire_due(ctx, ctx.clock())
