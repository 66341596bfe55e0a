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
The wait and the alert are read by queries.py (`waited`, `sentiment_alert`), for the views.
"""

from __future__ import annotations

from typing import Any

from cifbridge.engine.base.context import CallContext
from cifbridge.engine.base.conversation_state import ACTIVE, OPEN, Conversation
from cifbridge.engine.base.deadlines import DeadlineTimer
from cifbridge.engine.base.errors import INVALID, AgentActionRefused
from cifbridge.engine.base.feature import Feature
from cifbridge.engine.base.state import Workspace
from cifbridge.engine.config.channels import SENTIMENTS
from cifbridge.engine.omnichannel import persistent_chat, reconnection
from cifbridge.engine.omnichannel.conversations import find, require
from cifbridge.engine.omnichannel.queries import link

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
        text = text.replace(reconnection.LINK_SLUG, link(ctx.config, conversation) or "")
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


def _running(workspace: Workspace) -> list[Conversation]:
    return [c for c in workspace.omnichannel.conversations.values() if c.state in (OPEN, ACTIVE)]


def _turn(ctx: CallContext, conversation: Conversation) -> None:
    # Nothing else changes: the change itself makes the pages get the new state.
    conversation.wait_due = None
    ctx.changed()


# Wakes the engine when a customer's wait reaches its threshold (the view's timer turns).
WAIT_THRESHOLDS = DeadlineTimer.over(_running, lambda c: c.wait_due, _turn)

FEATURE = Feature(
    name="messaging",
    agent_actions={
        "customerMessage": customer_message,
        "agentReply": agent_reply,
        "setSentiment": set_sentiment,
    },
    timers=(WAIT_THRESHOLDS,),
)
