"""What widgets lay over the workspace, as the agent page and the control API show it."""

from __future__ import annotations

from typing import Any

from cifbridge.engine.base.state import Workspace
from cifbridge.engine.cif.queries import BARS, DIALOGS, NOTES, PROGRESS, listed

LEVELS = {1: "success", 2: "error", 3: "warning", 4: "information"}


def overlays_view(workspace: Workspace, now: float) -> dict[str, Any]:
    """Return the dialogs (the shown one first), message bars, progress and notes flap."""
    return {
        "dialogs": [_dialog(d) for d in listed(workspace, DIALOGS)],
        "messageBars": [_bar(b, now) for b in listed(workspace, BARS)],
        "progress": workspace.overlays.get(PROGRESS),
        "notes": workspace.overlays.get(NOTES),
    }


def _dialog(dialog: dict[str, Any]) -> dict[str, Any]:
    # The request id is the widget's business, not the page's.
    return {k: v for k, v in dialog.items() if k != "requestId"}


def _bar(bar: dict[str, Any], now: float) -> dict[str, Any]:
    expires = bar.get("expiresAt")
    return {
        **bar,
        "levelName": LEVELS.get(bar["level"], "information"),
        "secondsLeft": None if expires is None else max(0.0, expires - now),
    }
