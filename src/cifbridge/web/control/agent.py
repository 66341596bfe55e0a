"""The control API for what the agent does around the sessions: presence, panel, clicks, events.

Routes (paths, methods and summaries in api/control_routes.py) and their bodies (the JSON
Schemas in schemas/control/):

    getPresence         {"presence": presenceInfo, "presences": [...]}
    setPresence         {"presenceText": "Busy"} or {"presenceId": "<guid>"}: pick a presence
                        (every widget hears onPresenceChange); answers {"presence": presenceInfo}
    getPanel            {"mode", "width", "activeProvider"}
    setPanel            {"mode": 0|1|2} and/or {"width": 300 or more}: toggle or drag the
                        communication panel; the active provider hears onmodechanged /
                        onsizechanged; answers {"mode", "width"}
    clickToAct          {"value", "name", "entityLogicalName", "format"?, "entityId"?,
                        "recordTitle"?, "provider"?}: click a phone number; onclicktoact reaches
                        the active provider (or the one named) only while its click-to-act is on
    navigate            {"url", "provider"?}: onpagenavigate {"value": url}
    sendKbArticle       {"title", "link", "provider"?}: onsendkbarticle
    raiseEvent          {"data"?, "provider"?}: the page raises the custom event the path names
                        to one provider's widgets, or to all
    linkConversation    {"conversationId": "<guid>"}: give the session the path names its
                        conversation (updateConversation then accepts the id)

The event routes answer {"provider": <who was addressed>, "delivered": <bool>}. A malformed
body is 400 naming the field (`setPanel: $.width: 'wide' is not of type 'integer'`), a mode or
width out of range or a built-in event name 400, an unknown presence, provider or session 404;
errors are `{"error": {"message": ...}}`. Widgets' custom events (raiseEvent) reach workspace
pages as `workspace:event` {name, data} on the /workspace Socket.IO namespace.
"""

from __future__ import annotations

from aiohttp import web

from cifbridge.api.control_routes import Route
from cifbridge.web.control.edge import act, hub_of


async def handle(request: web.Request, route: Route) -> web.Response:
    """Serve one of the agent's routes."""
    if route.action == "view":
        view = await (await hub_of(request)).view()
        if route.answer == "presences":
            return web.json_response({"presence": view["presence"], "presences": view["presences"]})
        return web.json_response({**view["panel"], "activeProvider": view["activeProvider"]})
    value = (await act(request, route)).value
    if route.answer == "presence":
        return web.json_response({"presence": value})
    return web.json_response(value)
