"""The control API for notifications: what the agent sees of notifyEvent and how it answers.

Routes (paths, methods and summaries in api/control_routes.py); none takes a body:

    listNotifications       the displayed notification and the queue
    acceptNotification      press Accept on the displayed notification
    rejectNotification      press Reject on it (when its template has one)
    acceptNotificationById  the same, naming the notification
    rejectNotificationById  (refused with 409 when it is only queued)

The view is `{"displayed": {id, providerId, template, title, icon, fields: [{name, title,
value}], acceptButtonText, showRejectButton, rejectButtonText, showTimeout, theme,
desktopNotificationMode, timeout, shownAt, deadline, secondsLeft} | null, "queued": [{id,
providerId, template, title, queuedAt, expiresAt}], "queueLength", "maxQueued"}`; times are
the bridge clock's seconds (see getClock). Accept and reject answer the same view plus
`"answered": <id>`, after the widget's notifyEvent promise has been settled. Errors are
`{"error": {"message": ...}}`: 404 for an id that is not pending, 409 when nothing is
displayed, the notification is queued, or its template has no Reject button.
"""

from __future__ import annotations

from typing import Any

from aiohttp import web

from cifbridge.api.control_routes import Route
from cifbridge.web.control.edge import act, hub_of


async def handle(request: web.Request, route: Route) -> web.Response:
    """Serve one notification route: the view, or an answer and the view after it."""
    answered: dict[str, Any] = {}
    if route.action != "view":
        answered = {"answered": (await act(request, route)).value}
    view: dict[str, Any] = (await (await hub_of(request)).view())["notifications"]
    return web.json_response({**answered, **view})
