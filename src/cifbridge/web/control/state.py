"""The control API for carrying the bridge's state: export it whole, import an exported one.

Routes (paths, methods and summaries in api/control_routes.py):

    exportState     {} or no body: answers the state as a file holds it (files/state_file.py:
                    format, formatVersion, clock, workspace, journal)
    importState     such a document: replaces the workspace, the clock and the journal, and
                    answers the workspace view; calls still waiting are answered with an error,
                    as on reset

A document that does not fit schemas/state/export.json is 400 naming the JSON path
(`importState: $.formatVersion: 1 was expected`) and changes nothing; errors are
`{"error": {"message": ...}}`. The command line does the same with files: `cifbridge state
export FILE --url URL`, `cifbridge state import FILE --url URL`.
"""

from __future__ import annotations

from aiohttp import web

from cifbridge.api.control_routes import Route
from cifbridge.files.state_file import StateFileError
from cifbridge.web.control.edge import checked_body, hub_of
from cifbridge.web.errors import MalformedRequest
from cifbridge.web.keys import SCHEMAS
from cifbridge.web.state_transfer import export_state, import_state


async def handle(request: web.Request, route: Route) -> web.Response:
    """Serve one state route."""
    hub = await hub_of(request)
    document = await checked_body(request, route)
    if route.action == "exportState":
        return web.json_response(await export_state(hub))
    try:
        await import_state(hub, request.app[SCHEMAS], document)
    except StateFileError as unfit:
        raise MalformedRequest(f"{route.name}: {unfit}") from None
    return web.json_response(await hub.view())
