"""The control API around the workspace itself: its view, session focus and close, reset, time.

Routes (paths, methods and summaries in api/control_routes.py; listRoutes serves them):

    getWorkspace        the workspace view
    focusSession        switch to a session (fires onSessionSwitched)
    closeSession        close a session (fires onSessionClosed; the Home session: 409)
    reset               start over with only the Home session and an empty journal
    getJournal          ?since=N&api=X: the CIF calls recorded after entry N, optionally of one
                        API; since must be a whole number (400)
    getClock            {"now": <the bridge's time, seconds since the epoch>}
    advanceClock        {"seconds": N} (a number, zero or more): fast-forward, firing what
                        falls due; answers {"now"}
    listRoutes          {"routes": [{name, method, path, body, summary, answer}]}
    getOpenApi          the OpenAPI 3.1 document of every route (api/openapi.py)

The session and reset routes answer the workspace view. Errors are `{"error": {"message"}}`
(web/errors.py): 400 for a malformed body (`advanceClock: $.seconds: ...`), 404 for an unknown
session, 409 when the action is not allowed.
"""

from __future__ import annotations

from aiohttp import web

from cifbridge import __version__
from cifbridge.api.control_routes import Route, table_json
from cifbridge.api.openapi import openapi_json
from cifbridge.web.control.edge import act, checked_body
from cifbridge.web.errors import MalformedRequest
from cifbridge.web.keys import HUB


async def handle(request: web.Request, route: Route) -> web.Response:
    """Serve one workspace route."""
    hub = request.app[HUB]
    if route.action == "journal":
        return _journal(request)
    if route.action == "clock":
        return web.json_response({"now": hub.clock()})
    if route.action == "advanceClock":
        body = await checked_body(request, route)
        return web.json_response({"now": await hub.advance_clock(float(body["seconds"]))})
    if route.action == "routes":
        return web.json_response({"routes": table_json()})
    if route.action == "openapi":
        return web.Response(text=openapi_json(__version__), content_type="application/json")
    if route.action == "reset":
        await hub.reset()
    elif route.action != "view":
        await act(request, route)
    return web.json_response(await hub.view())


def _journal(request: web.Request) -> web.Response:
    try:
        since = int(request.query.get("since", "0"))
    except ValueError:
        raise MalformedRequest("since must be a whole number") from None
    entries = request.app[HUB].journal.since(since, request.query.get("api"))
    return web.json_response({"entries": entries})
