"""The control API: what the agent does that CIF cannot, over plain HTTP for tests and pages.

    GET    /api/workspace              the workspace view
    POST   /api/sessions/{id}/focus    switch to a session (fires onSessionSwitched)
    DELETE /api/sessions/{id}          close a session (fires onSessionClosed)
    POST   /api/reset                  start over with only the Home session
    GET    /api/journal?since=N&api=X  CIF calls recorded so far
    GET    /api/clock                  the bridge's current time (seconds since the epoch)
    POST   /api/clock/advance          {"seconds": N}: fast-forward, firing what falls due

Errors are `{"error": {"message": ...}}` with 400, 404 or 409.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from aiohttp import web

from cifbridge.engine import AgentActionRefused
from cifbridge.web.keys import HUB

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


def error_response(message: str, status: int) -> web.Response:
    """Return the one error shape of the control API."""
    return web.json_response({"error": {"message": message}}, status=status)


@web.middleware
async def agent_errors(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Map refused agent actions to the error shape; the one place that does."""
    try:
        return await handler(request)
    except AgentActionRefused as refused:
        return error_response(refused.message, refused.status)


async def get_workspace(request: web.Request) -> web.Response:
    """Return the workspace view."""
    return web.json_response(await request.app[HUB].view())


async def focus_session(request: web.Request) -> web.Response:
    """Switch the focused session as the agent does."""
    session_id = request.match_info["session_id"]
    hub = request.app[HUB]
    await hub.agent(lambda engine: engine.focus_session(session_id))
    return web.json_response(await hub.view())


async def close_session(request: web.Request) -> web.Response:
    """Close a session as the agent does."""
    session_id = request.match_info["session_id"]
    hub = request.app[HUB]
    await hub.agent(lambda engine: engine.close_session(session_id))
    return web.json_response(await hub.view())


async def reset_workspace(request: web.Request) -> web.Response:
    """Start over: only the Home session, ids from 1, an empty journal."""
    hub = request.app[HUB]
    await hub.agent(lambda engine: engine.reset())
    hub.journal.clear()
    return web.json_response(await hub.view())


async def get_journal(request: web.Request) -> web.Response:
    """Return the recorded CIF calls after `since`, optionally of one API."""
    try:
        since = int(request.query.get("since", "0"))
    except ValueError:
        return error_response("since must be a whole number", 400)
    entries = request.app[HUB].journal.since(since, request.query.get("api"))
    return web.json_response({"entries": entries})


async def get_clock(request: web.Request) -> web.Response:
    """Return the bridge's current time."""
    return web.json_response({"now": request.app[HUB].clock()})


async def advance_clock(request: web.Request) -> web.Response:
    """Fast-forward time: notification timeouts and queue expiry fire without waiting."""
    body = await json_body(request)
    seconds = body.get("seconds")
    if isinstance(seconds, bool) or not isinstance(seconds, int | float) or seconds < 0:
        return error_response("seconds must be a number of seconds, zero or more", 400)
    now = await request.app[HUB].advance_clock(float(seconds))
    return web.json_response({"now": now})


async def json_body(request: web.Request) -> dict[str, Any]:
    """Return the request's JSON object body, or refuse the request with a 400."""
    try:
        body = await request.json() if request.body_exists else {}
    except ValueError:
        raise web.HTTPBadRequest(
            text='{"error": {"message": "the body must be JSON"}}', content_type="application/json"
        ) from None
    if not isinstance(body, dict):
        raise web.HTTPBadRequest(
            text='{"error": {"message": "the body must be a JSON object"}}',
            content_type="application/json",
        )
    return body


def setup_control_routes(app: web.Application) -> None:
    """Register the control API."""
    app.router.add_get("/api/workspace", get_workspace)
    app.router.add_post("/api/sessions/{session_id}/focus", focus_session)
    app.router.add_delete("/api/sessions/{session_id}", close_session)
    app.router.add_post("/api/reset", reset_workspace)
    app.router.add_get("/api/journal", get_journal)
    app.router.add_get("/api/clock", get_clock)
    app.router.add_post("/api/clock/advance", advance_clock)
