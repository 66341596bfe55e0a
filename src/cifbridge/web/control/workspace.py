"""The control API around the workspace itself: its view, session focus and close, reset, time.

Routes (paths, methods and summaries in api/control_routes.py; listRoutes serves them):

    getWorkspace        the workspace view
    focusSession        switch to a session (fires onSessionSwitched)
    closeSession        close a session (fires onSessionClosed; the Home session: 409)
    reset               start over with only the Home session, an empty journal, no faults
                        and the real time; ?records=true|false: the org's records and
                        routing across agents (web/routing.py) start over too (default
                        true at the bridge root, false under an agent)
    getJournal          ?since=N&api=X&kind=K&format=jsonl: the entries recorded after entry N
                        (since: a whole number, else 400); kind: call and answer when left
                        out, else a comma-separated list of call, answer, event, fault, or
                        all; api: only that function's. JSON {"entries", "dropped", "size"}
                        or, with format=jsonl, one entry per line (application/x-ndjson) with
                        the dropped count in the X-Cifbridge-Journal-Dropped header
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

import json

from aiohttp import web

from cifbridge import __version__
from cifbridge.api.control_routes import Route, table_json
from cifbridge.api.openapi import openapi_json
from cifbridge.web.control.edge import act, checked_body, hub_of
from cifbridge.web.errors import MalformedRequest
from cifbridge.web.journal import parse_kinds
from cifbridge.web.keys import ROUTER

JSON_LINES = "application/x-ndjson"
DROPPED_HEADER = "X-Cifbridge-Journal-Dropped"


async def handle(request: web.Request, route: Route) -> web.Response:
    """Serve one workspace route."""
    hub = await hub_of(request)
    if route.action == "journal":
        return await _journal(request)
    if route.action == "clock":
        return web.json_response({"now": await hub.now()})
    if route.action == "advanceClock":
        body = await checked_body(request, route)
        return web.json_response({"now": await hub.advance_clock(float(body["seconds"]))})
    if route.action == "routes":
        return web.json_response({"routes": table_json()})
    if route.action == "openapi":
        return web.Response(text=openapi_json(__version__), content_type="application/json")
    if route.action == "reset":
        records = _reset_records(request)
        if records:  # the org starts over: routing too (before the hub, which it may route to)
            await request.app[ROUTER].reset()
        await hub.reset(records=records)
    elif route.action != "view":
        await act(request, route)
    return web.json_response(await hub.view())


def _reset_records(request: web.Request) -> bool:
    asked = request.query.get("records")
    if asked is None:  # today's URL keeps its meaning: the whole bridge starts over
        return "agent" not in request.match_info
    if asked not in ("true", "false"):
        raise MalformedRequest(f"records must be true or false, not {asked!r}")
    return asked == "true"


async def _journal(request: web.Request) -> web.Response:
    try:
        since = int(request.query.get("since", "0"))
    except ValueError:
        raise MalformedRequest("since must be a whole number") from None
    try:
        kinds = parse_kinds(request.query.get("kind"))
    except ValueError as problem:
        raise MalformedRequest(str(problem)) from None
    form = request.query.get("format", "json")
    if form not in ("json", "jsonl"):
        raise MalformedRequest(f"format must be json or jsonl, not {form!r}")
    hub = await hub_of(request)
    await hub.published()  # the events of every call already answered are in
    journal = hub.journal
    found = await journal.page(since, request.query.get("api"), kinds)
    if form == "json":
        return web.json_response(
            {"entries": found.entries, "dropped": found.dropped, "size": journal.size}
        )
    # One body, not a prepared stream: the security layer still adds its headers afterwards
    # (the journal is bounded, so the body is too).
    lines = b"".join(
        json.dumps(entry, separators=(",", ":")).encode("utf-8") + b"\n" for entry in found.entries
    )
    headers = {DROPPED_HEADER: str(found.dropped)}
    return web.Response(body=lines, content_type=JSON_LINES, headers=headers)
