"""The control API for notifications: what the agent sees of notifyEvent and how it answers.

    GET  /api/notifications                   the displayed notification and the queue
    POST /api/notifications/accept            press Accept on the displayed notification
    POST /api/notifications/reject            press Reject on it (when its template has one)
    POST /api/notifications/{id}/accept       the same, naming the notification
    POST /api/notifications/{id}/reject       (refused with 409 when it is only queued)

The view is `{"displayed": {id, providerId, template, title, icon, fields: [{name, title,
value}], acceptButtonText, showRejectButton, rejectButtonText, showTimeout, theme,
desktopNotificationMode, timeout, shownAt, deadline, secondsLeft} | null, "queued": [{id,
providerId, template, title, queuedAt, expiresAt}], "queueLength", "maxQueued"}`; times are
the bridge clock's seconds (see GET /api/clock). Accept and reject answer the same view plus
`"answered": <id>`, after the widget's notifyEvent promise has been settled. Errors are
`{"error": {"message": ...}}`: 404 for an id that is not pending, 409 when nothing is
displayed, the notification is queued, or its template has no Reject button.
"""

from __future__ import annotations

from typing import Any

from aiohttp import web

from cifbridge.web.keys import HUB


async def list_notifications(request: web.Request) -> web.Response:
    """Return the displayed notification and the queue."""
    view = await request.app[HUB].view()
    return web.json_response(view["notifications"])


async def accept_notification(request: web.Request) -> web.Response:
    """Accept the displayed notification, as the agent does with its Accept button."""
    return await _answer(request, "acceptNotification")


async def reject_notification(request: web.Request) -> web.Response:
    """Reject the displayed notification, as the agent does with its Reject button."""
    return await _answer(request, "rejectNotification")


async def _answer(request: web.Request, action: str) -> web.Response:
    notification_id = request.match_info.get("notification_id")
    hub = request.app[HUB]
    result = await hub.agent(lambda engine: engine.agent(action, notification_id=notification_id))
    view: dict[str, Any] = (await hub.view())["notifications"]
    return web.json_response({"answered": result.value, **view})


def setup_notifications_routes(app: web.Application) -> None:
    """Register the notification routes of the control API."""
    app.router.add_get("/api/notifications", list_notifications)
    app.router.add_post("/api/notifications/accept", accept_notification)
    app.router.add_post("/api/notifications/reject", reject_notification)
    app.router.add_post("/api/notifications/{notification_id}/accept", accept_notification)
    app.router.add_post("/api/notifications/{notification_id}/reject", reject_notification)
