"""The control API about the bridge's agents (ORG_ROUTES: never served per agent).

Routes (api/control_routes.py):

    listAgents      {"agents": [{"agent", "sessions", "focusedSessionId", "presence"}]}: every
                    agent this process runs and every agent the store keeps, default first
    removeAgent     remove the agent named: its waiting calls are answered with an error,
                    its workspace and journal are forgotten; a later use brings it back fresh.
                    The default agent cannot be removed (409: reset it instead)

An agent is added by using it: a widget, page or control call naming it (docs/agents.md).
"""

from __future__ import annotations

from typing import Any

from aiohttp import web

from cifbridge.api.control_routes import Route
from cifbridge.engine.base.context import DEFAULT_AGENT, BadAgentName, checked_agent
from cifbridge.engine.views.workspace import workspace_view
from cifbridge.web.errors import MalformedRequest, error_response
from cifbridge.web.keys import AGENTS


async def handle(request: web.Request, route: Route) -> web.Response:
    """Serve one agents route."""
    agents = request.app[AGENTS]
    if route.action == "removeAgent":
        name = request.match_info["agent_name"]
        try:
            checked_agent(name)
        except BadAgentName as problem:
            raise MalformedRequest(str(problem)) from None
        if name == DEFAULT_AGENT:
            return error_response(
                "the default agent cannot be removed; the reset route starts it over", 409
            )
        known = set(agents.names()) | set(await agents.saved())
        if name not in known:
            return error_response(f"no agent is called {name!r} (listAgents lists them)", 404)
        await agents.get(name)  # a saved agent another process started is removed here too
        await agents.remove(name)
    return web.json_response({"agents": await _listing(request)})


async def _listing(request: web.Request) -> list[dict[str, Any]]:
    agents = request.app[AGENTS]
    names = agents.names()
    names += [n for n in await agents.saved() if n not in names]
    listed = []
    for name in names:
        hub = await agents.get(name)
        view = workspace_view(hub.engine)
        presence = view.get("presence") or {}
        listed.append(
            {
                "agent": name,
                "sessions": len(view["sessions"]) - 1,  # the Home session is always there
                "focusedSessionId": view["focusedSessionId"],
                "presence": presence.get("presenceText") if isinstance(presence, dict) else None,
            }
        )
    return listed
