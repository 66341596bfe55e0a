"""The control API for conversations: play the customer and the agent of omnichannel work.

Routes (paths, methods and summaries in api/control_routes.py) and their bodies (the JSON
Schemas in schemas/control/). The customer's side:

    arriveConversation      {"channel": "chat", "customer"?: {"contact": <id or fullname>} |
                            {"account": <id or name>} | {"name": "Ana"} (none: a visitor),
                            "case"?: <incident id or title>, "details"?: {slug: value, e.g.
                            phoneNumber}, "provider"?}: a conversation arrives (or a persistent
                            chat resumes); its notification shows, or it waits for capacity
    customerMessage         {"text", "sentiment"?}: the customer writes
    setSentiment            {"sentiment": "negative"}: one of the seven levels, very negative
                            ... very positive
    disconnectCustomer      the chat customer's connection drops
    closeWindow             the customer closes the chat window (a voice caller hangs up)
    reconnectCustomer       {"choice"?: "continue" | "new"}: an authenticated customer answers
                            the prompt
    followReconnectLink     {"link": <reconnect link>} or {"reconnectId"}: a customer follows
                            the reconnect link

The agent's side:

    listConversations       capacity, thresholds and every conversation
    getConversation         one conversation
    acceptConversation      accept its notification (the displayed one)
    rejectConversation      reject it; it stays open, unassigned
    offerConversation       route an open conversation to the agent again
    agentReply              {"text"}: answer; {ReconnectUrl{ReconnectID}} becomes the chat's
                            reconnect link
    elevateConversation     {"channel": "voice" | "phone" | "email"}
    endConversation         End: the contact moves to wrap-up
    wrapUpConversation      {"disposition"}: post-contact work done, closed
    closeConversationSession  close the session holding it (as its X does; closeSession does
                            the same)

The routes whose path names the conversation take no other fields than these (an empty body
where none are listed). Every action answers `{"result": <what the action says>,
"conversation": <the view of the conversation it concerns (the new one when a reconnect link
started afresh)>}`; the views are the ones of getWorkspace (`omnichannel.conversations`, and
per session `omnichannel`, `sentimentAlert`, `sentimentTooltip`). Errors are `{"error":
{"message"}}`: 400 for a malformed body, naming the field (`customerMessage: $.text: is
required`) or a value against the rules (an unknown sentiment level), 404 for an unknown
conversation, channel, provider, record or reconnect id, 409 when the conversation's state does
not allow the action.
"""

from __future__ import annotations

from typing import Any

from aiohttp import web

from cifbridge.api.control_routes import Route
from cifbridge.web.control.edge import act, hub_of
from cifbridge.web.errors import error_response


async def handle(request: web.Request, route: Route) -> web.Response:
    """Serve one conversation route: a view, or an action and the view of what it concerns."""
    hub = await hub_of(request)
    wanted = request.match_info.get("conversation_id")
    if route.action == "view":
        omnichannel = (await hub.view())["omnichannel"]
        if route.answer == "conversations":
            return web.json_response(omnichannel)
        found = _find(omnichannel, wanted)
        if found is None:
            return error_response(f"Conversation {wanted} does not exist", 404)
        return web.json_response(found)
    result = await act(request, route)
    value = result.value if isinstance(result.value, dict) else {}
    concerned = value.get("conversationId") or wanted
    view = await hub.view()
    return web.json_response(
        {"result": result.value, "conversation": _find(view["omnichannel"], concerned)}
    )


def _find(omnichannel: dict[str, Any], conversation_id: Any) -> dict[str, Any] | None:
    found: dict[str, Any] | None = next(
        (c for c in omnichannel["conversations"] if c["conversationId"] == conversation_id),
        None,
    )
    return found
