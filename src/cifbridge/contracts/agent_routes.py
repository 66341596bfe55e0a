"""Agent actions that take parameters: the engine action of the same name, or its control route.

A case writes `agent: {action: setPresence, params: {presenceText: Busy}}`. The engine path
calls `engine.agent("setPresence", **params)`; the served paths POST the params as the JSON
body of the control route below, with `{name}` parts of the path taken out of the params.
"""

from __future__ import annotations

import re
from typing import Any

ROUTES = {
    "setPresence": "/api/presence",
    "setPanel": "/api/panel",
    "clickToAct": "/api/click-to-act",
    "navigate": "/api/navigate",
    "sendKbArticle": "/api/kb-articles/send",
    "raiseEvent": "/api/events/{eventName}",
    "linkConversation": "/api/sessions/{sessionId}/conversation",
    "arriveConversation": "/api/conversations",
}
_PLACEHOLDER = re.compile(r"\{(\w+)\}")


def control_request(action: str, params: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    """Return the control route's path and JSON body for an agent action with parameters."""
    body = dict(params)
    path = _PLACEHOLDER.sub(lambda m: str(body.pop(m.group(1), "")), ROUTES[action])
    return path, body
