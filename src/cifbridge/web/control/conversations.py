"""Control API for conversations: play the customer and the agent of omnichannel work.

The customer's side:

    POST /api/conversations                      {"channel": "chat", "customer"?: {"contact":
                                                 <id or fullname>} | {"account": <id or name>}
                                                 | {"name": "Ana"} (none: a visitor), "case"?:
                                                 <incident id or title>, "details"?: {slug:
                                                 value, e.g. phoneNumber}, "provider"?}: a
                                                 conversation arrives (or a persistent chat
                                                 resumes); its notification shows, or it waits
                                                 for capacity
    POST /api/conversations/{id}/messages        {"text", "sentiment"?}: the customer writes
    POST /api/conversations/{id}/sentiment       {"sentiment": "negative"}: one of the seven
                                                 levels, very negative ... very positive
    POST /api/conversations/{id}/disconnect      the chat customer's connection drops
    POST /api/conversations/{id}/close-window    the customer closes the chat window (a voice
                                                 caller hangs up)
    POST /api/conversations/{id}/reconnect       {"choice"?: "continue" | "new"}: an
                                                 authenticated customer answers the prompt
    POST /api/reconnect                          {"link": <reconnect link>} or {"reconnectId"}:
                                                 a customer follows the reconnect link

The agent's side:

    GET  /api/conversations                      capacity, thresholds and every conversation
    GET  /api/conversations/{id}                 one conversation
    POST /api/conversations/{id}/accept          accept its notification (the displayed one)
    POST /api/conversations/{id}/reject          reject it; it stays open, unassigned
    POST /api/conversations/{id}/offer           route an open conversation to the agent again
    POST /api/conversations/{id}/replies         {"text"}: answer; {ReconnectUrl{ReconnectID}}
                                                 becomes the chat's reconnect link
    POST /api/conversations/{id}/elevate         {"channel": "voice" | "phone" | "email"}
    POST /api/conversations/{id}/end             End: the contact moves to wrap-up
    POST /api/conversations/{id}/wrap-up         {"disposition"}: post-contact work done, closed
    POST /api/conversations/{id}/close-session   close the session holding it (as its X does;
                                                 DELETE /api/sessions/{id} does the same)

Every action answers `{"result": <what the action says>, "conversation": <the view of the
conversation it concerns (the new one when a reconnect link started afresh)>}`; the views are
the ones of GET /api/workspace (`omnichannel.conversations`, and per session `omnichannel`,
`sentimentAlert`, `sentimentTooltip`). Errors are `{"error": {"message"}}`: 400 for malformed
parameters, 404 for an unknown conversation, channel, provider, record or reconnect id, 409
when the conversation's state does not allow the action.
"""

from __future__ import annotations

from typing import Any

from aiohttp import web

from cifbridge.web.control.workspace import error_response, json_body
from cifbridge.web.keys import HUB

ROUTES = {
    "messages": "customerMessage",
    "sentiment": "setSentiment",
    "disconnect": "disconnectCustomer",
    "close-window": "closeWindow",
    "reconnect": "reconnectCustomer",
    "accept": "acceptConversation",
    "reject": "rejectConversation",
    "offer": "offerConversation",
    "replies": "agentReply",
    "elevate": "elevateConversation",
    "end": "endConversation",
    "wrap-up": "wrapUpConversation",
    "close-session": "closeConversationSession",
}


async def arrive(request: web.Request) -> web.Response:
    """A conversation arrives."""
    return await _act(request, "arriveConversation", await json_body(request))


async def follow_link(request: web.Request) -> web.Response:
    """A customer follows a reconnect link."""
    return await _act(request, "reconnectCustomer", await json_body(request))


async def conversation_action(request: web.Request) -> web.Response:
    """Apply the action the path names to one conversation."""
    action = ROUTES[request.match_info["verb"]]
    params = {**(await json_body(request)), "conversationId": request.match_info["id"]}
    return await _act(request, action, params)


async def list_conversations(request: web.Request) -> web.Response:
    """Return capacity, thresholds and every conversation."""
    view = await request.app[HUB].view()
    return web.json_response(view["omnichannel"])


async def get_conversation(request: web.Request) -> web.Response:
    """Return one conversation."""
    wanted = request.match_info["id"]
    found = _find((await request.app[HUB].view())["omnichannel"], wanted)
    if found is None:
        return error_response(f"Conversation {wanted} does not exist", 404)
    return web.json_response(found)


async def _act(request: web.Request, action: str, params: dict[str, Any]) -> web.Response:
    hub = request.app[HUB]
    result = await hub.agent(lambda engine: engine.agent(action, **params))
    value = result.value if isinstance(result.value, dict) else {}
    concerned = value.get("conversationId") or params.get("conversationId")
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


def setup_conversations_routes(app: web.Application) -> None:
    """Register the conversation routes of the control API."""
    app.router.add_post("/api/conversations", arrive)
    app.router.add_get("/api/conversations", list_conversations)
    app.router.add_post("/api/reconnect", follow_link)
    app.router.add_get("/api/conversations/{id}", get_conversation)
    verbs = "|".join(ROUTES)
    app.router.add_post(f"/api/conversations/{{id}}/{{verb:{verbs}}}", conversation_action)
