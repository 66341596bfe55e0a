"""Play the customer and the agent of omnichannel conversations against a running bridge.

    CustomerClient      arrive, write, change sentiment, disconnect, reconnect, close the window
    ConversationAgent   accept, reject, reply, elevate, end, wrap up, close the session

Both wrap a `BridgeClient` (the control API) and answer what the routes answer:
`{"result": ..., "conversation": <view>}`; a refusal raises `BridgeError` with the status.

    bridge = BridgeClient("http://127.0.0.1:8765")
    customer, agent = CustomerClient(bridge), ConversationAgent(bridge)
    chat = customer.arrive("chat", {"contact": "Maria Campbell"})["conversation"]
    agent.accept(chat["conversationId"])
    customer.message(chat["conversationId"], "My order never came", sentiment="negative")
"""

from __future__ import annotations

from typing import Any

from cifbridge.clients.bridge import BridgeClient

Answer = dict[str, Any]


def _bridge(bridge: BridgeClient | str) -> BridgeClient:
    return BridgeClient(bridge) if isinstance(bridge, str) else bridge


class CustomerClient:
    """The customers' side: what arrives, what they write and how they come and go."""

    def __init__(self, bridge: BridgeClient | str) -> None:
        self.bridge = _bridge(bridge)

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
        return self._post("/api/conversations", body)

    def message(self, conversation_id: str, text: str, sentiment: str | None = None) -> Answer:
        """Write a message, optionally carrying a sentiment level."""
        body = {"text": text, **({"sentiment": sentiment} if sentiment else {})}
        return self._on(conversation_id, "messages", body)

    def set_sentiment(self, conversation_id: str, sentiment: str) -> Answer:
        """Change how the conversation feels (one of the seven levels)."""
        return self._on(conversation_id, "sentiment", {"sentiment": sentiment})

    def disconnect(self, conversation_id: str) -> Answer:
        """Lose the chat connection."""
        return self._on(conversation_id, "disconnect")

    def close_window(self, conversation_id: str) -> Answer:
        """Close the chat window (or hang up a call)."""
        return self._on(conversation_id, "close-window")

    def reconnect_by_link(self, link: str) -> Answer:
        """Follow a reconnect link."""
        return self._post("/api/reconnect", {"link": link})

    def reconnect_at_prompt(self, conversation_id: str, choice: str = "continue") -> Answer:
        """Answer the continue-or-new prompt (authenticated customers)."""
        return self._on(conversation_id, "reconnect", {"choice": choice})

    def _on(self, conversation_id: str, verb: str, body: dict[str, Any] | None = None) -> Answer:
        return self._post(f"/api/conversations/{conversation_id}/{verb}", body or {})

    def _post(self, path: str, body: dict[str, Any]) -> Answer:
        answer: Answer = self.bridge.request("POST", path, body)
        return answer


class ConversationAgent:
    """The agent's side of conversations."""

    def __init__(self, bridge: BridgeClient | str) -> None:
        self.bridge = _bridge(bridge)

    def conversations(self) -> Answer:
        """Return capacity, thresholds and every conversation."""
        view: Answer = self.bridge.request("GET", "/api/conversations")
        return view

    def conversation(self, conversation_id: str) -> Answer:
        """Return one conversation."""
        view: Answer = self.bridge.request("GET", f"/api/conversations/{conversation_id}")
        return view

    def accept(self, conversation_id: str) -> Answer:
        """Accept the conversation's (displayed) notification."""
        return self._on(conversation_id, "accept")

    def reject(self, conversation_id: str) -> Answer:
        """Reject the conversation's notification."""
        return self._on(conversation_id, "reject")

    def offer(self, conversation_id: str) -> Answer:
        """Have an open conversation offered again."""
        return self._on(conversation_id, "offer")

    def reply(self, conversation_id: str, text: str) -> Answer:
        """Answer the customer."""
        return self._on(conversation_id, "replies", {"text": text})

    def elevate(self, conversation_id: str, channel: str) -> Answer:
        """Continue the contact on another channel in the same session."""
        return self._on(conversation_id, "elevate", {"channel": channel})

    def end(self, conversation_id: str) -> Answer:
        """End the contact; it moves to wrap-up."""
        return self._on(conversation_id, "end")

    def wrap_up(self, conversation_id: str, disposition: str) -> Answer:
        """Finish the post-contact work with a disposition."""
        return self._on(conversation_id, "wrap-up", {"disposition": disposition})

    def close_session(self, conversation_id: str) -> Answer:
        """Close the session holding the contact."""
        return self._on(conversation_id, "close-session")

    def _on(self, conversation_id: str, verb: str, body: dict[str, Any] | None = None) -> Answer:
        path = f"/api/conversations/{conversation_id}/{verb}"
        answer: Answer = self.bridge.request("POST", path, body or {})
        return answer
