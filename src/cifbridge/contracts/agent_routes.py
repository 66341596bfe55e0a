"""Agent actions that take parameters: the engine action of the same name, or its control route.

A case writes `agent: {action: setPresence, params: {presenceText: Busy}}`. Both paths take the
control route of the route table (api/control_routes.py) named after the action: the params
that fill its path's placeholders (`eventName` for `{event_name}`) go into the path, the rest
is the JSON body. The engine path checks that body against the route's schema, as the bridge
does, and calls `engine.agent` with the keywords; the served paths send the request.
"""

from __future__ import annotations

from typing import Any

from cifbridge.api.control_bodies import keyword
from cifbridge.api.control_routes import Route, route

ACTIONS = (
    "setPresence",
    "setPanel",
    "clickToAct",
    "navigate",
    "sendKbArticle",
    "raiseEvent",
    "linkConversation",
    "arriveConversation",
    "answerDialog",
    "closeMessageBar",
    "clickMessageBarAction",
    "saveNotes",
    "cancelNotes",
)
ROUTES: dict[str, Route] = {action: route(action) for action in ACTIONS}


def split_params(action: str, params: dict[str, Any]) -> tuple[dict[str, str], dict[str, Any]]:
    """Return a case's params as the route's path values (keywords) and its JSON body."""
    placeholders = ROUTES[action].placeholders
    path = {keyword(k): str(v) for k, v in params.items() if keyword(k) in placeholders}
    body = {k: v for k, v in params.items() if keyword(k) not in placeholders}
    return path, body


def control_request(action: str, params: dict[str, Any]) -> tuple[str, str, dict[str, Any]]:
    """Return the control route's method, path and JSON body for an agent action's params."""
    path, body = split_params(action, params)
    found = ROUTES[action]
    return found.method, found.url({p: path.get(p, "") for p in found.placeholders}), body
