"""The control API for application tabs: what the agent does with a session's tab strip.

Routes (paths, methods and summaries in api/control_routes.py):

    openTab     {"templateName": "...", "templateParameters"?: {} or null}: open a tab from an
                application tab template in the session the path names (the "+" menu); it
                takes focus within its session
    focusTab    focus a tab (the session's focus does not change)
    closeTab    close a tab; the anchor tab and tabs whose template has canClose false are
                refused with 409

Each answers the workspace view (getWorkspace). Unknown sessions, tabs and templates are 404, a
malformed body 400 naming the field (`openTab: $.templateName: is required`); errors are
`{"error": {"message": ...}}`. `tabTemplates` in the view lists the templates the "+" menu
offers.
"""

from __future__ import annotations

from aiohttp import web

from cifbridge.api.control_routes import Route
from cifbridge.web.control.edge import act, hub_of


async def handle(request: web.Request, route: Route) -> web.Response:
    """Apply one tab action and answer the workspace view."""
    await act(request, route)
    return web.json_response(await (await hub_of(request)).view())
