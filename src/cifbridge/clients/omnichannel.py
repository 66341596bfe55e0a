"""Play the customer and the agent of omnichannel conversations against a running bridge.

    CustomerClient      arrive (at one agent, or routed across agents), write, change sentiment,
                        disconnect, reconnect, close the window
    ConversationAgent   accept, reject, reply, elevate, end, wrap up, close the session

Both wrap a `BridgeClient` (the control API), build each request from the route table
(`cifbridge.api.control_routes`) by route name, and answer what the routes answer:
`{"result": ..., "conversation": <view>}`; a refusal raises `BridgeError` with the status.
They act on the agent of the client (or of the URL, `<bridge>/agents/<agent>`) they are given.

    bridge = BridgeClient("http://127.0.0.1:8765")
    customer, agent = CustomerClient(bridge), ConversationAgent(bridge)
    chat = customer.arrive("chat", {"contact": "Maria Campbell"})["conversation"]
    agent.accept(chat["conversationId"])
    customer.message(chat["conversationId"], "My order never came", sentiment="negative")
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from cifbridge.clients.bridge import BridgeClient

Answer = dict[str, Any]


def _bridge(bridge: BridgeClient | str) -> BridgeClient:
    return BridgeClient(bridge) if isinstance(bridge, str) else bridge


def _on(conversation_id: str) -> dict[str, str]:
    return {"conversation_id": conversation_id}


class _Side:
    """One side of conversations, speaking through a BridgeClient."""

    def __init__(self, bridge: BridgeClient | str) -> None:
        self.bridge = _bridge(bridge)

    def _request(
        self, route_name: str, path_params: Mapping[str, str] | None = None, body: Any = None
    ) -> Answer:
        """Send the request of the control route called `route_name`."""
        answer: Answer = self.bridge._request(route_name, path_params, body)
        return answer


class CustomerClient(_Side):
    """The customers' side: what arrives, what they write and how they come and go."""

    def arrive(
        self,
        channel: str,
        customer: dict[str, Any] | None = None,
        *,
        case: str | None = None,
        details: dict[str, Any] | None = None,
        provider: str | None = None,
    ) -> Answer:
        """Start a conversation (no customer: an unauthenticated visitor)."""
        body: dict[str, Any] = {"channel": channel}
        extras = {"customer": customer, "case": case, "details": details, "provider": provider}
        body.update({k: v for k, v in extras.items() if v is not None})
        return self._request("arriveConversation", body=body)

    def route(
        self,
        channel: str,
        customer: dict[str, Any] | None = None,
        *,
        agent: str | None = None,
        case: str | None = None,
        details: dict[str, Any] | None = None,
        provider: str | None = None,
    ) -> Answer:
        """Arrive through routing across agents: offered to `agent` only when named, else to an
        available agent with free capacity, round robin; queued when nobody can take it.

        Answers the routed conversation (`state`, `agent`, `conversationId` in that agent's
        workspace: the id its other methods take, with a client of that agent's URL).
        """
        body: dict[str, Any] = {"channel": channel}
        extras = {
            "customer": customer,
            "agent": agent,
            "case": case,
            "details": details,
            "provider": provider,
        }
        body.update({k: v for k, v in extras.items() if v is not None})
        return self._request("routeConversation", body=body)

    def message(self, conversation_id: str, text: str, sentiment: str | None = None) -> Answer:
        """Write a message, optionally carrying a sentiment level."""
        body = {"text": text, **({"sentiment": sentiment} if sentiment else {})}
        return self._request("customerMessage", _on(conversation_id), body)

    def set_sentiment(self, conversation_id: str, sentiment: str) -> Answer:
        """Change how the conversation feels (one of the seven levels)."""
        return self._request("setSentiment", _on(conversation_id), {"sentiment": sentiment})

    def disconnect(self, conversation_id: str) -> Answer:
        """Lose the chat connection."""
        return self._request("disconnectCustomer", _on(conversation_id), {})

    def close_window(self, conversation_id: str) -> Answer:
        """Close the chat window (or hang up a call)."""
        return self._request("closeWindow", _on(conversation_id), {})

    def reconnect_by_link(self, link: str) -> Answer:
        """Follow a reconnect link."""
        return self._request("followReconnectLink", body={"link": link})

    def reconnect_at_prompt(self, conversation_id: str, choice: str = "continue") -> Answer:
        """Answer the continue-or-new prompt (authenticated customers)."""
        return self._request("reconnectCustomer", _on(conversation_id), {"choice": choice})


class ConversationAgent(_Side):
    """The agent's side of conversations."""

    def conversations(self) -> Answer:
        """Return capacity, thresholds and every conversation."""
        return self._request("listConversations")

    def conversation(self, conversation_id: str) -> Answer:
        """Return one conversation."""
        return self._request("getConversation", _on(conversation_id))

    def accept(self, conversation_id: str) -> Answer:
        """Accept the conversation's (displayed) notification."""
        return self._request("acceptConversation", _on(conversation_id), {})

    def reject(self, conversation_id: str) -> Answer:
        """Reject the conversation's notification."""
        return self._request("rejectConversation", _on(conversation_id), {})

    def offer(self, conversation_id: str) -> Answer:
        """Have an open conversation offered again."""
        return self._request("offerConversation", _on(conversation_id), {})

    def reply(self, conversation_id: str, text: str) -> Answer:
        """Answer the customer."""
        return self._request("agentReply", _on(conversation_id), {"text": text})

    def elevate(self, conversation_id: str, channel: str) -> Answer:
        """Continue the contact on another channel in the same session."""
        return self._request("elevateConversation", _on(conversation_id), {"channel": channel})

    def end(self, conversation_id: str) -> Answer:
        """End the contact; it moves to wrap-up."""
        return self._request("endConversation", _on(conversation_id), {})

    def wrap_up(self, conversation_id: str, disposition: str) -> Answer:
        """Finish the post-contact work with a disposition."""
        return self._request(
            "wrapUpConversation", _on(conversation_id), {"disposition": disposition}
        )

    def close_session(self, conversation_id: str) -> Answer:
        """Close the session holding the contact."""
        return self._request("closeConversationSession", _on(conversation_id), {})
