"""Messages and sentiment: what the customer writes, what the agent answers, how it feels.

Rules (issue 5; session indicators and sentiment [DOC-OC] §7):
- customers write on chat, sms and email contacts while open or active and connected; writing
  to a persistent chat that waits for them (waiting, or left) brings them back first;
- a customer message raises its session's unread count when the session is not focused
  (focusing clears it, focus.py), and starts the wait for a response unless one runs already;
- the agent answers active contacts of those channels; an answer ends the wait; the slug
  `{ReconnectUrl{ReconnectID}}` in it becomes the chat's reconnect link;
- the wait timer turns once the customer has waited longer than `waitThresholdSeconds` (at the
  threshold exactly it has not turned yet); the engine wakes up at the threshold so that pages
  see the turn when it happens;
- sentiment is one of seven levels, neutral at first; the customer's message may carry one;
  an active contact at or below `sentimentThreshold` (default slightly negative) raises the
  sentiment alert on its session, tooltip "<title>. Urgent attention is needed in your
  conversation."
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from cifbridge.engine.base.context import CallContext
from cifbridge.engine.base.conversation_state import Conversation
from cifbridge.engine.base.errors import INVALID, AgentActionRefused
from cifbridge.engine.base.state import Workspace
from cifbridge.engine.config.channels import SENTIMENTS
from cifbridge.engine.omnichannel import persistent_chat, reconnection
from cifbridge.engine.omnichannel.conversations import ACTIVE, OPEN, find, require

MESSAGING_CHANNELS = ("chat", "sms", "email")


def customer_message(
    ctx: CallContext, *, conversation_id: str, text: str, sentiment: str | None = None
) -> dict[str, Any]:
    """Customer action: write a message (optionally with the sentiment it carries)."""
    conversation = find(ctx, conversation_id)
    _check_channel(conversation)
    level = _level(conversation.sentiment if sentiment is None else sentiment)
    away = persistent_chat.left_by(ctx, conversation.channel, conversation.customer)
    if away is conversation:
        persistent_chat.resume(ctx, conversation)
    require(conversation, (OPEN, ACTIVE), "take messages")
    if not conversation.connected:
        raise AgentActionRefused(f"The customer of conversation {conversation.id} is away")
    now = ctx.clock()
    conversation.messages.append({"from": "customer", "text": text, "at": now, "sentiment": level})
    conversation.sentiment = level
    if conversation.awaiting_since is None:
        threshold = ctx.config.omnichannel.wait_threshold_seconds
        conversation.awaiting_since, conversation.wait_due = now, now + threshold
    session = ctx.workspace.session(conversation.session_id or "")
    if session is not None and ctx.workspace.focused != session.id:
        session.unread += 1
    ctx.changed()
    return _status(conversation, session.unread if session else 0)


def agent_reply(ctx: CallContext, *, conversation_id: str, text: str) -> dict[str, Any]:
    """Agent action: answer the customer from the communication panel."""
    conversation = find(ctx, conversation_id)
    _check_channel(conversation)
    require(conversation, (ACTIVE,), "be answered")
    if reconnection.LINK_SLUG in text:
        text = text.replace(reconnection.LINK_SLUG, reconnection.link(ctx, conversation) or "")
    conversation.messages.append({"from": "agent", "text": text, "at": ctx.clock()})
    conversation.awaiting_since, conversation.wait_due = None, None
    ctx.changed()
    return {"conversationId": conversation.id, "text": text}


def set_sentiment(ctx: CallContext, *, conversation_id: str, sentiment: str) -> dict[str, Any]:
    """Customer side: the sentiment analysis reads a new level in the conversation."""
    conversation = find(ctx, conversation_id)
    require(conversation, (OPEN, ACTIVE), "change its sentiment")
    conversation.sentiment = _level(sentiment)
    ctx.changed()
    return {"conversationId": conversation.id, "sentiment": conversation.sentiment}


def sentiment_alert(ctx: CallContext, conversation: Conversation) -> bool:
    """Tell whether an active contact's sentiment is at or below the configured threshold."""
    threshold = SENTIMENTS.index(ctx.config.omnichannel.sentiment_threshold)
    return conversation.state == ACTIVE and SENTIMENTS.index(conversation.sentiment) <= threshold


def waited(conversation: Conversation, now: float) -> float | None:
    """Return how long the customer has waited for a response, or None when nobody waits."""
    if conversation.awaiting_since is None or conversation.state not in (OPEN, ACTIVE):
        return None
    return max(0.0, now - conversation.awaiting_since)


def _check_channel(conversation: Conversation) -> None:
    if conversation.channel not in MESSAGING_CHANNELS:
        raise AgentActionRefused(
            f"A {conversation.channel} contact carries no messages (only chat, sms and email)"
        )


def _level(value: str) -> str:
    if value not in SENTIMENTS:
        raise AgentActionRefused(f"sentiment is one of: {', '.join(SENTIMENTS)}", INVALID)
    return value


def _status(conversation: Conversation, unread: int) -> dict[str, Any]:
    return {
        "conversationId": conversation.id,
        "sessionId": conversation.session_id,
        "unread": unread,
        "sentiment": conversation.sentiment,
    }


class WaitTimer:
    """Wakes the engine when a customer's wait reaches its threshold (the view's timer turns)."""

    def next_due(self, workspace: Workspace) -> float | None:
        """Return when the next unanswered wait reaches its threshold."""
        due = [c.wait_due for c in _running(workspace) if c.wait_due is not None]
        return min(due, default=None)

    def fire_due(self, ctx: CallContext, now: float) -> None:
        """Mark the waits that reached their threshold, so pages get the new state."""
        for conversation in _running(ctx.workspace):
            if conversation.wait_due is not None and conversation.wait_due <= now:
                conversation.wait_due = None
                ctx.changed()


def _running(workspace: Workspace) -> list[Conversation]:
    return [
        c
        for c in workspace.omnichannel.conversations.values()
        if c.wait_due is not None and c.state in (OPEN, ACTIVE)
    ]


AGENT_ACTIONS: dict[str, Callable[..., Any]] = {
    "customerMessage": customer_message,
    "agentReply": agent_reply,
    "setSentiment": set_sentiment,
}
TIMER = WaitTimer()
