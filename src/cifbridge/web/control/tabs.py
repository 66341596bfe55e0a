"""Control API for application tabs: what the agent does with a session's tab strip.

    POST   /api/sessions/{id}/tabs               {"templateName": "...", "templateParameters": {}}
                                                 open a tab from an application tab template (the
                                                 "+" menu); it takes focus within its session
    POST   /api/sessions/{id}/tabs/{tab}/focus   focus a tab (the session's focus does not change)
    DELETE /api/sessions/{id}/tabs/{tab}         close a tab; the anchor tab and tabs whose template
                                                 has canClose false are refused with 409

Each answers the workspace view (`GET /api/workspace`). Unknown sessions, tabs and templates
are 404, a malformed body 400; errors are `{"error": {"message": ...}}`. `tabTemplates` in the
view lists the templates the "+" menu offers.
"""

from __future__ import annotations

from aiohttp import web

from cifbridge.web.control.workspace import error_response, json_body
from cifbridge.web.keys import HUB


async def open_tab(request: web.Request) -> web.Response:
    """Open a tab from a template in a session, as the agent's "+" menu does."""
    session_id = request.match_info["session_id"]
    body = await json_body(request)
    template = body.get("templateName")
    parameters = body.get("templateParameters") or {}
    if not isinstance(template, str) or not template:
        return error_response("templateName must be the unique name of a tab template", 400)
    if not isinstance(parameters, dict):
        return error_response("templateParameters must be an object", 400)
    hub = request.app[HUB]
    await hub.agent(
        lambda engine: engine.agent(
            "openTab",
            session_id=session_id,
            template_name=template,
            template_parameters=parameters,
        )
    )
    return web.json_response(await hub.view())


async def focus_tab(request: web.Request) -> web.Response:
    """Focus a tab of a session, as the agent does by clicking it."""
    session_id, tab_id = request.match_info["session_id"], request.match_info["tab_id"]
    hub = request.app[HUB]
    await hub.agent(lambda engine: engine.agent("focusTab", session_id=session_id, tab_id=tab_id))
    return web.json_response(await hub.view())


async def close_tab(request: web.Request) -> web.Response:
    """Close a tab of a session, as the agent does with its X."""
    session_id, tab_id = request.match_info["session_id"], request.match_info["tab_id"]
    hub = request.app[HUB]
    await hub.agent(lambda engine: engine.agent("closeTab", session_id=session_id, tab_id=tab_id))
    return web.json_response(await hub.view())


def setup_tabs_routes(app: web.Application) -> None:
    """Register the tab routes of the control API."""
    app.router.add_post("/api/sessions/{session_id}/tabs", open_tab)
    app.router.add_post("/api/sessions/{session_id}/tabs/{tab_id}/focus", focus_tab)
    app.router.add_delete("/api/sessions/{session_id}/tabs/{tab_id}", close_tab)
