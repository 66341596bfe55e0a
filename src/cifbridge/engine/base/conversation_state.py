"""Conversations as plain data: what the omnichannel modules keep in the workspace.

The rules live in conversations.py (states and their transitions), messaging.py,
elevation.py, reconnection.py and persistent_chat.py; this module only holds the data, which
round-trips through JSON with the rest of the workspace, and the names of its states.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from typing import Any

JSON = Any
# Conversation.state
OPEN, ACTIVE, WAITING, WRAPUP, CLOSED = "open", "active", "waiting", "wrapup", "closed"
STATES = (OPEN, ACTIVE, WAITING, WRAPUP, CLOSED)
# Conversation.offer, besides the responseReason of the last answer
QUEUED, OFFERED = "queued", "offered"


@dataclass
class Conversation:
    """One contact with a customer on one channel (a live work item, msdyn_ocliveworkitem)."""

    id: str
    channel: str
    provider: str  # the channel provider whose widget the conversation's session belongs to
    customer: dict[str, JSON]  # name, authenticated, entityName, recordId, caseId, caseTitle
    state: str  # open, active, waiting, wrapup, closed
    created_at: float
    details: dict[str, JSON] = field(default_factory=dict)  # arrival slugs: queueName, ...
    session_id: str | None = None
    offer: str | None = None  # queued, offered, or the responseReason of the last answer
    notification_id: str | None = None
    accepted_at: float | None = None
    ended_at: float | None = None
    ended_by: str | None = None  # agent, customer, timeout, session, routing
    closed_at: float | None = None
    disposition: str | None = None
    elevated_from: str | None = None
    messages: list[dict[str, JSON]] = field(default_factory=list)
    sentiment: str = "neutral"
    awaiting_since: float | None = None  # the customer's oldest message the agent hasn't answered
    wait_due: float | None = None  # when the wait reaches its threshold (the engine wakes then)
    connected: bool = True
    window_closed: bool = False
    disconnected_at: float | None = None
    reconnect_id: str | None = None
    reconnect_deadline: float | None = None
    waiting_until: float | None = None  # persistent chat: closed (lapsed) at this time


@dataclass
class Omnichannel:
    """Every conversation of the workspace, oldest first, and the counters that name them."""

    conversations: dict[str, Conversation] = field(default_factory=dict)
    next_conversation: int = 1
    next_visitor: int = 1

    @classmethod
    def from_json(cls, data: dict[str, JSON] | None) -> Omnichannel:
        """Rebuild what `state.dumps` wrote (or start empty)."""
        data = data or {}
        known = {f.name for f in fields(Conversation)}
        conversations = {
            key: Conversation(**{k: v for k, v in raw.items() if k in known})
            for key, raw in data.get("conversations", {}).items()
        }
        return cls(
            conversations=conversations,
            next_conversation=int(data.get("next_conversation", 1)),
            next_visitor=int(data.get("next_visitor", 1)),
        )
