"""Control API for what the agent does around the sessions: presence, panel, clicks, events.

    GET  /api/presence                      {"presence": presenceInfo, "presences": [...]}
    POST /api/presence                      {"presenceText": "Busy"} or {"presenceId": "<guid>"}
                                            pick a presence (every widget hears onPresenceChange);
                                            answers {"presence": presenceInfo}
    GET  /api/panel                         {"mode", "width", "activeProvider"}
    POST /api/panel                         {"mode": 0|1|2} and/or {"width": 300 or more}: toggle
                                            or drag the communication panel; the active provider
                                            hears onmodechanged / onsizechanged
    POST /api/click-to-act                  {"value", "name", "entityLogicalName", "format"?,
                                            "entityId"?, "recordTitle"?, "provider"?}: click a
                                            phone number; onclicktoact reaches the active provider
                                            (or the one named) only while its click-to-act is on
    POST /api/navigate                      {"url", "provider"?}: onpagenavigate {"value": url}
    POST /api/kb-articles/send              {"title", "link", "provider"?}: onsendkbarticle
    POST /api/events/{name}                 {"data"?, "provider"?}: the page raises a custom event
                                            to one provider's widgets, or to all
    POST /api/sessions/{id}/conversation    {"conversationId": "<guid>"}: give a session its
                                            conversation (updateConversation then accepts the id)

The event routes answer {"provider": <who was addressed>, "delivered": <bool>}. A malformed
body is 400, an unknown presence, provider or session 404; errors are
`{"error": {"message": ...}}`. Widgets' custom events (raiseEvent) reach workspace pages as
`workspace:event` {name, data} on the /workspace Socket.IO namespace.
"""

from __future__ import annotations

from typing import Any

from aiohttp import web

from cifbridge.web.control.workspace import json_body
from cifbridge.web.keys import HUB


async def _act(request: web.Request, action: str, **extra: Any) -> web.Response:
    """Run an engine agent action with the JSON body as its parameters; answer its value."""
    return web.json_response(await _value(request, action, **extra))


async def _value(request: web.Request, action: str, **extra: Any) -> Any:
    params = {**(await json_body(request)), **extra}
    result = await request.app[HUB].agent(lambda engine: engine.agent(action, **params))
    return result.value


async def get_presence(request: web.Request) -> web.Response:
    """Return the presence in effect and the presences to choose from."""
    view = await request.app[HUB].view()
    return web.json_response({"presence": view["presence"], "presences": view["presences"]})


async def set_presence(request: web.Request) -> web.Response:
    """Pick a presence, as the agent does in the presence menu."""
    return web.json_response({"presence": await _value(request, "setPresence")})


async def get_panel(request: web.Request) -> web.Response:
    """Return the panel's mode and width and whose widget it shows."""
    view = await request.app[HUB].view()
    return web.json_response({**view["panel"], "activeProvider": view["activeProvider"]})


async def set_panel(request: web.Request) -> web.Response:
    """Toggle or resize the communication panel."""
    return await _act(request, "setPanel")


async def click_to_act(request: web.Request) -> web.Response:
    """Click a click-to-act field on a form."""
    return await _act(request, "clickToAct")


async def navigate(request: web.Request) -> web.Response:
    """Navigate the main page."""
    return await _act(request, "navigate")


async def send_kb_article(request: web.Request) -> web.Response:
    """Send a knowledge article from the KB control."""
    return await _act(request, "sendKbArticle")


async def raise_event(request: web.Request) -> web.Response:
    """Raise a custom event from the page to the widgets."""
    return await _act(request, "raiseEvent", eventName=request.match_info["name"])


async def link_conversation(request: web.Request) -> web.Response:
    """Give a session its conversation."""
    return await _act(request, "linkConversation", sessionId=request.match_info["session_id"])


def setup_agent_routes(app: web.Application) -> None:
    """Register the presence, panel, click-to-act, navigation and custom event routes."""
    app.router.add_get("/api/presence", get_presence)
    app.router.add_post("/api/presence", set_presence)
    app.router.add_get("/api/panel", get_panel)
    app.router.add_post("/api/panel", set_panel)
    app.router.add_post("/api/click-to-act", click_to_act)
    app.router.add_post("/api/navigate", navigate)
    app.router.add_post("/api/kb-articles/send", send_kb_article)
    app.router.add_post("/api/events/{name}", raise_event)
    app.router.add_post("/api/sessions/{session_id}/conversation", link_conversation)
