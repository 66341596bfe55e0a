"""Message bars across the top of the workspace (global notifications, reference §2.11).

Rules:
- showGlobalNotification(notificationOptions) shows a bar as Xrm.App.addGlobalNotification
  does and resolves its id, a GUID; the options come as an object or its JSON text, in either
  shape real widgets use: Xrm's `{type, level: 1..4, message, showCloseButton, action:
  {actionLabel, eventHandler}}` or `{message, level: "INFO", actionLabel, actionLink,
  showCloseButton}`; level is 1 success, 2 error, 3 warning, 4 information, or SUCCESS, ERROR,
  WARNING, INFO (any case; INFORMATION too); no level means information (ours), no message
  is refused, and so is an actionLink that is not an http(s) URL;
- clearGlobalNotification(notificationId) takes a bar away and resolves null; an id no bar
  has is refused;
- showTimeoutGlobalNotification() shows the missed-notification bar the host shows after a
  notification timed out (warning, a "Reset presence" action, [DTS] resolves its id); there
  is one such bar: a second call returns its id and starts its time again; it goes away by
  itself TIMEOUT_BAR_SECONDS after it was shown (the engine's deadline, on the injected clock);
- the agent closes a bar only where it has a close button, and clicks an action only where it
  has one; the click is journaled and answers the bar's actionLink for the page to open; it
  delivers nothing to the widget: the library cannot carry an eventHandler function to the
  host, and its widget side has no event for the click.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from cifbridge.engine.base.context import CallContext
from cifbridge.engine.base.deadlines import DeadlineTimer
from cifbridge.engine.base.errors import NOT_FOUND, AgentActionRefused, HostError
from cifbridge.engine.base.feature import Feature
from cifbridge.engine.base.state import JSON, Workspace
from cifbridge.engine.cif.overlays import next_number, options, queue
from cifbridge.engine.cif.queries import BARS, listed
from cifbridge.engine.config.entities import derived_guid

SUCCESS, ERROR, WARNING, INFORMATION = 1, 2, 3, 4
LEVEL_NAMES = {"SUCCESS": 1, "ERROR": 2, "WARNING": 3, "INFO": 4, "INFORMATION": 4}
TIMEOUT_BAR_SECONDS = 60.0  # ours: no source says how long the missed-notification bar stays
MISSED_NOTIFICATION_TEXT = "You missed a notification."
RESET_PRESENCE_LABEL = "Reset presence"


def show_global_notification(ctx: CallContext, args: dict[str, Any]) -> str:
    """Show a message bar and resolve its id."""
    given = options(args["notificationOptions"], "notificationOptions")
    message = given.get("message")
    if not isinstance(message, str) or not message.strip():
        raise HostError("The notificationOptions parameter needs a message to show.")
    given_action = given.get("action")
    action: dict[str, Any] = given_action if isinstance(given_action, dict) else {}
    label = action.get("actionLabel", given.get("actionLabel"))
    link = given.get("actionLink")
    if link is not None and not _web_link(link):
        raise HostError(f"The actionLink must be an http or https URL, not {link!r}.")
    bar = {
        "level": _level(given.get("level")),
        "message": message,
        "showCloseButton": given.get("showCloseButton") is True,
        "actionLabel": label if isinstance(label, str) and label else None,
        "actionLink": link,
        "hasEventHandler": action.get("eventHandler") is True,  # a function, in the widget
    }
    return str(_show(ctx, "global", bar)["id"])


def _level(value: Any) -> int:
    if value is None:
        return INFORMATION
    if isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= 4:
        return value
    if isinstance(value, str) and value.upper() in LEVEL_NAMES:
        return LEVEL_NAMES[value.upper()]
    raise HostError(
        f"The notification level {value!r} is not one of 1, 2, 3, 4 or "
        "SUCCESS, ERROR, WARNING, INFO."
    )


def _web_link(link: Any) -> bool:
    parts = urlsplit(link) if isinstance(link, str) else None
    return parts is not None and parts.scheme in ("http", "https") and bool(parts.netloc)


def _show(ctx: CallContext, kind: str, bar: dict[str, Any]) -> dict[str, JSON]:
    number = next_number(ctx, "nextMessageBar")
    shown = {
        "id": derived_guid("messagebar", number),
        "kind": kind,
        "provider": ctx.provider,
        "shownAt": ctx.clock(),
        "expiresAt": None,
        **bar,
    }
    queue(ctx.workspace, BARS).append(shown)
    ctx.changed()
    return shown


def clear_global_notification(ctx: CallContext, args: dict[str, Any]) -> None:
    """Take a message bar away."""
    _remove(ctx, _find_for_widget(ctx, args["notificationId"]))


def show_timeout_global_notification(ctx: CallContext, args: dict[str, Any]) -> str:
    """Show the missed-notification bar (or restart the one shown) and resolve its id."""
    DEADLINES.catch_up(ctx)
    bar = next((b for b in listed(ctx.workspace, BARS) if b["kind"] == "timeout"), None)
    if bar is None:
        bar = _show(ctx, "timeout", _timeout_bar())
    bar["expiresAt"] = ctx.clock() + TIMEOUT_BAR_SECONDS
    ctx.changed()
    return str(bar["id"])


def _timeout_bar() -> dict[str, Any]:
    return {
        "level": WARNING,
        "message": MISSED_NOTIFICATION_TEXT,
        "showCloseButton": True,
        "actionLabel": RESET_PRESENCE_LABEL,
        "actionLink": None,
        "hasEventHandler": False,
    }


def _find_for_widget(ctx: CallContext, bar_id: str) -> dict[str, JSON]:
    found = _find(ctx.workspace, bar_id)
    if found is None:
        raise HostError(f"No global notification has the id {bar_id}.")
    return found


def _find(workspace: Workspace, bar_id: str) -> dict[str, JSON] | None:
    return next((b for b in listed(workspace, BARS) if b["id"] == bar_id), None)


def _remove(ctx: CallContext, bar: dict[str, JSON]) -> None:
    queue(ctx.workspace, BARS).remove(bar)
    ctx.changed()


# The missed-notification bar goes away by itself.
DEADLINES = DeadlineTimer.over(lambda w: listed(w, BARS), lambda b: b["expiresAt"], _remove)


def list_message_bars(ctx: CallContext) -> list[dict[str, JSON]]:
    """Agent action: the message bars shown, oldest first."""
    return list(listed(ctx.workspace, BARS))


def close_message_bar(ctx: CallContext, bar_id: str) -> str:
    """Agent action: press a bar's close button."""
    bar = _agent_bar(ctx, bar_id)
    if not bar["showCloseButton"]:
        raise AgentActionRefused(f"Message bar {bar_id} has no close button")
    _remove(ctx, bar)
    return bar_id


def click_message_bar_action(ctx: CallContext, bar_id: str) -> dict[str, JSON]:
    """Agent action: click a bar's action; answers the link the page opens, if any."""
    bar = _agent_bar(ctx, bar_id)
    if bar["actionLabel"] is None:
        raise AgentActionRefused(f"Message bar {bar_id} has no action")
    return {"clicked": bar_id, "actionLabel": bar["actionLabel"], "actionLink": bar["actionLink"]}


def _agent_bar(ctx: CallContext, bar_id: str) -> dict[str, JSON]:
    found = _find(ctx.workspace, bar_id)
    if found is None:
        raise AgentActionRefused(f"No message bar has the id {bar_id}", NOT_FOUND)
    return found


FEATURE = Feature(
    name="messagebars",
    handlers={
        "showGlobalNotification": show_global_notification,
        "clearGlobalNotification": clear_global_notification,
        "showTimeoutGlobalNotification": show_timeout_global_notification,
    },
    agent_actions={
        "listMessageBars": list_message_bars,
        "closeMessageBar": close_message_bar,
        "clickMessageBarAction": click_message_bar_action,
    },
    timers=(DEADLINES,),
)
