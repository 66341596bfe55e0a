"""The control API of routing across agents (ORG_ROUTES: the bridge's own, never per agent).

Routes (api/control_routes.py; the rule in docs/agents.md, "Routing across agents"):

    routeConversation       {"channel", "customer"?, "case"?, "details"?, "provider"?, "agent"?}:
                            what arriveConversation takes, plus the agent it is for. Answers the
                            routed conversation: offered to an agent (`agent`, and its id in that
                            agent's workspace, `conversationId`) or queued. 404 for an unknown
                            channel, provider or record, 400 for a malformed body or agent name
    getRouting              {"cursor", "queue", "offers", "finished"}
    getRoutedConversation   one routed conversation, by its `routingId` (404 when unknown)

The agent chosen answers the notification in its own workspace, with its own routes
(acceptConversation, rejectConversation under /agents/<agent>/); a reject or a timeout
moves the conversation on to the next agent, and its `conversationId` changes with it.
"""

from __future__ import annotations

from aiohttp import web

from cifbridge.api.control_routes import Route
from cifbridge.engine.base.context import BadAgentName
from cifbridge.web.agents import TooManyAgents
from cifbridge.web.control.edge import checked_body
from cifbridge.web.errors import MalformedRequest, Unavailable
from cifbridge.web.keys import ROUTER


async def handle(request: web.Request, route: Route) -> web.Response:
    """Serve one routing route."""
    router = request.app[ROUTER]
    if route.action == "getRouting":
        return web.json_response(await router.view())
    if route.action == "getRoutedConversation":
        return web.json_response(await router.conversation(request.match_info["routing_id"]))
    body = await checked_body(request, route)
    arrival = {k: v for k, v in body.items() if k != "agent" and v is not None}
    try:
        routed = await router.route(arrival, body.get("agent"))
    except BadAgentName as problem:
        raise MalformedRequest(str(problem)) from None
    except TooManyAgents as problem:
        raise Unavailable(str(problem)) from None
    return web.json_response(routed)
