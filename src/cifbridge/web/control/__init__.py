"""The control API: what the agent (and the customer) does over plain HTTP.

Every route comes from the one table, api/control_routes.py; each module here serves the
routes of one resource with one handler, `handle(request, route)`, and documents their bodies.
Bodies are checked at the edge (edge.py) and errors built in one place (web/errors.py).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from aiohttp import web

from cifbridge.api.control_routes import AGENT_PREFIX, ORG_ROUTES, ROUTES, Route
from cifbridge.web.control import (
    agent,
    agents,
    conversations,
    faults,
    notifications,
    overlays,
    records,
    routing,
    state,
    tabs,
    workspace,
)

ResourceHandler = Callable[[web.Request, Route], Awaitable[web.Response]]
Handler = Callable[[web.Request], Awaitable[web.Response]]

RESOURCES: dict[str, ResourceHandler] = {
    "workspace": workspace.handle,
    "agent": agent.handle,
    "agents": agents.handle,
    "notifications": notifications.handle,
    "overlays": overlays.handle,
    "records": records.handle,
    "tabs": tabs.handle,
    "conversations": conversations.handle,
    "faults": faults.handle,
    "state": state.handle,
    "routing": routing.handle,
}


def setup_control_routes(app: web.Application) -> None:
    """Register every route of the table with the handler of its resource.

    Each route but the org's is served twice: at its path (the default agent) and under
    /agents/{agent} (that agent).
    """
    for route in ROUTES:
        handler = _serving(RESOURCES[route.resource], route)
        paths = (
            [route.path] if route.name in ORG_ROUTES else [route.path, AGENT_PREFIX + route.path]
        )
        for path in paths:
            if route.method == "GET":
                app.router.add_get(path, handler)  # answers HEAD too, as it always has
            else:
                app.router.add_route(route.method, path, handler)


def _serving(handle: ResourceHandler, route: Route) -> Handler:
    async def serve(request: web.Request) -> web.Response:
        return await handle(request, route)

    serve.__name__ = serve.__qualname__ = route.name  # what aiohttp's route listings show
    return serve
