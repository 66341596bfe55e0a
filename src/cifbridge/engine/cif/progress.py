"""The progress indicator a widget lays over the workspace (Xrm.Utility's, reference §2.11).

Rules:
- showProgressIndicator(message) shows the indicator with the message, or changes the message
  of the one shown, as Xrm.Utility.showProgressIndicator does; closeProgressIndicator() takes it
  away (nothing shown: nothing to do); both resolve null, as Xrm's functions return nothing
  ([DTS] types the promise as a string; the host has no string to give);
- the indicator covers the sessions, not the communication panel, so the widget that opened it
  can close it; the agent has no button for it (Xrm's blocks the app until closed).
"""

from __future__ import annotations

from typing import Any

from cifbridge.engine.base.context import CallContext
from cifbridge.engine.base.feature import Feature
from cifbridge.engine.cif.queries import PROGRESS


def show_progress_indicator(ctx: CallContext, args: dict[str, Any]) -> None:
    """Show the progress indicator with this message."""
    ctx.workspace.overlays[PROGRESS] = {
        "message": args["message"],
        "provider": ctx.provider,
        "shownAt": ctx.clock(),
    }
    ctx.changed()


def close_progress_indicator(ctx: CallContext, args: dict[str, Any]) -> None:
    """Take the progress indicator away."""
    if ctx.workspace.overlays.get(PROGRESS) is not None:
        ctx.workspace.overlays[PROGRESS] = None
        ctx.changed()


FEATURE = Feature(
    name="progress",
    handlers={
        "showProgressIndicator": show_progress_indicator,
        "closeProgressIndicator": close_progress_indicator,
    },
)
