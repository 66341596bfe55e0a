"""Session indicators: the new-activity badge and the KPI-breach alert on a session's icon.

Rules (reference §2.8, §7, §8.9):
- both act only on the caller's own sessions (never Home); any other id does not exist;
- notifyNewActivity(sessionId, count, shouldReset) shows `count` on a session that is not
  focused (0 shows a blue dot, [DTS]); a later call replaces the count; shouldReset removes the
  indicator; focusing the session removes it too. On the focused session it does nothing, as
  the indicator is only for sessions the agent is not looking at;
- notifyKpiBreach(sessionId, shouldReset, details) shows the breach alert with its details
  until a call with shouldReset true removes it. The docs say to reset with shouldReset set
  to false (§8.9); that contradicts the flag's meaning and the typings ("A flag to reset the
  KPI breach indication"), so true resets and false (the default) raises the alert.
"""

from __future__ import annotations

from typing import Any

from cifbridge.engine.base.context import CallContext
from cifbridge.engine.base.feature import Feature
from cifbridge.engine.cif.sessions import own_session


def notify_new_activity(ctx: CallContext, args: dict[str, Any]) -> None:
    """Show (or with shouldReset, clear) the new-activity count of an unfocused session."""
    session = own_session(ctx, args["sessionId"], allow_home=False)
    if args.get("shouldReset"):
        session.unread, session.new_activity = 0, False
    elif ctx.workspace.focused != session.id:
        session.unread, session.new_activity = int(args["count"]), True
    else:
        return
    ctx.changed()


def notify_kpi_breach(ctx: CallContext, args: dict[str, Any]) -> None:
    """Raise (or with shouldReset, clear) the KPI-breach alert on a session."""
    session = own_session(ctx, args["sessionId"], allow_home=False)
    if args.get("shouldReset"):
        session.kpi_breach, session.kpi_details = False, None
    else:
        session.kpi_breach, session.kpi_details = True, args.get("details")
    ctx.changed()


FEATURE = Feature(
    name="indicators",
    handlers={
        "notifyNewActivity": notify_new_activity,
        "notifyKpiBreach": notify_kpi_breach,
    },
)
