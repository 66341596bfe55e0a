"""What every control route does at the edge: read and check the body, then call the engine.

Rules:
- only a route with a body schema reads its body, and checks it against the schema before
  anything else happens (api/control_bodies.py): a malformed body changes nothing;
- the path's placeholders and the body's fields become the engine action's keywords;
- the hub applies the action under persistence and publishes its effects (web/hub.py).
"""

from __future__ import annotations

from typing import Any

from aiohttp import web

from cifbridge.api.control_bodies import action_keywords, body_problem, not_json
from cifbridge.api.control_routes import Route
from cifbridge.engine import Result
from cifbridge.engine.base.context import DEFAULT_AGENT, BadAgentName
from cifbridge.web.agents import TooManyAgents
from cifbridge.web.errors import MalformedRequest, Unavailable
from cifbridge.web.hub import Hub
from cifbridge.web.keys import AGENTS, SCHEMAS


async def hub_of(request: web.Request) -> Hub:
    """Return the hub of the agent the path names (under /agents/<agent>), else the default.

    A name that cannot be an agent's answers 400; a bridge at its agent bound answers 503.
    """
    agent = request.match_info.get("agent", DEFAULT_AGENT)
    try:
        return await request.app[AGENTS].get(agent)
    except BadAgentName as problem:
        raise MalformedRequest(str(problem)) from None
    except TooManyAgents as problem:
        raise Unavailable(str(problem)) from None


async def checked_body(request: web.Request, route: Route) -> Any:
    """Return the route's JSON body once its schema accepts it (None: the route reads none)."""
    if route.schema_id is None:
        return None
    try:
        body = await request.json() if request.body_exists else {}
    except ValueError:
        raise MalformedRequest(not_json(route)) from None
    problem = body_problem(request.app[SCHEMAS], route, body)
    if problem is not None:
        raise MalformedRequest(problem)
    return body


async def act(request: web.Request, route: Route, **extra: Any) -> Result:
    """Apply the route's engine action with the path's values and the checked body."""
    body = await checked_body(request, route)
    # The agent in the path names whose workspace (hub_of), not a parameter of the action.
    path = {name: value for name, value in request.match_info.items() if name != "agent"}
    params = {**action_keywords(route, path, body), **extra}
    return await (await hub_of(request)).agent(route.action, params)
