"""Arrivals: a customer starts a conversation (or resumes a persistent chat); the agent answers.

Rules (issue 5):
- arriving names a configured channel, the customer (customers.py: a contact or account of the
  record store, a known name, or nobody for an unauthenticated visitor), optionally a case,
  details (extra slug values such as phoneNumber, visitorLanguage, subject) and the provider
  whose widget owns the session (default: the channel's, else the first provider);
- an authenticated customer with a waiting persistent chat on that channel resumes it;
  everyone else starts a new conversation, offered or queued for capacity (conversations.py);
- every refusal (unknown channel, provider or record) comes before anything changes, a
  visitor's number included (malformed parameters never reach the engine: the action's JSON
  Schema refuses them first);
- the agent accepts or rejects a conversation through its notification, which must be the
  displayed one (as notifications.py answers any notification), and may offer an open
  conversation nobody is offered again;
- routing across agents (web/routing.py) takes back an open conversation nobody accepted to
  offer it to another agent: it closes here (ended by routing), its notification, if still
  pending, cancelled.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from cifbridge.engine.base.context import CallContext
from cifbridge.engine.base.conversation_state import OFFERED, OPEN, QUEUED, Conversation
from cifbridge.engine.base.errors import CONFLICT, NOT_FOUND, AgentActionRefused
from cifbridge.engine.base.feature import Feature
from cifbridge.engine.cif import notifications
from cifbridge.engine.config.channels import Channel
from cifbridge.engine.omnichannel import persistent_chat
from cifbridge.engine.omnichannel.conversations import (
    find,
    move,
    offer,
    open_conversation,
    require,
)
from cifbridge.engine.omnichannel.customers import resolve_customer


def arrive(
    ctx: CallContext,
    *,
    channel: str,
    customer: Mapping[str, Any] | None = None,
    case: str | None = None,
    details: Mapping[str, Any] | None = None,
    provider: str | None = None,
) -> dict[str, Any]:
    """Customer action: start a conversation on a channel (or resume a persistent chat)."""
    configured = configured_channel(ctx, channel)
    owner = _provider(ctx, configured, provider)
    persistent_chat.WAITING_PERIODS.catch_up(ctx)  # a waiting period that ended by now is over
    found = resolve_customer(ctx, customer, case)
    conversation, resumed = start(ctx, configured, found, dict(details or {}), owner)
    return {**summary(conversation), "resumed": resumed}


def start(
    ctx: CallContext,
    channel: Channel,
    customer: dict[str, Any],
    details: dict[str, Any],
    provider: str,
) -> tuple[Conversation, bool]:
    """Resume the customer's waiting persistent chat, or open a new conversation."""
    waiting = persistent_chat.left_by(ctx, channel.name, customer)
    if waiting is not None:
        persistent_chat.resume(ctx, waiting)
        return waiting, True
    return open_conversation(ctx, channel, customer, dict(details), provider), False


def summary(conversation: Conversation) -> dict[str, Any]:
    """Describe what became of an arrival."""
    return {
        "conversationId": conversation.id,
        "channel": conversation.channel,
        "customerName": conversation.customer["name"],
        "state": conversation.state,
        "offer": conversation.offer,
        "notificationId": conversation.notification_id,
        "sessionId": conversation.session_id,
    }


def configured_channel(ctx: CallContext, name: str) -> Channel:
    """Return a configured channel, or refuse: not found."""
    channel = ctx.config.omnichannel.channels.get(name)
    if channel is None:
        known = ", ".join(ctx.config.omnichannel.channels) or "none"
        message = f"Channel {name} is not configured (channels: {known})"
        raise AgentActionRefused(message, NOT_FOUND)
    return channel


def _provider(ctx: CallContext, channel: Channel, asked: str | None) -> str:
    wanted = asked or channel.provider
    if wanted is None:
        if not ctx.config.providers:
            raise AgentActionRefused("No channel provider is configured", CONFLICT)
        return ctx.config.providers[0].unique_name
    if ctx.config.provider(wanted) is None:
        raise AgentActionRefused(f"Provider {wanted} is not configured", NOT_FOUND)
    return wanted


def _offered(ctx: CallContext, conversation_id: str) -> Conversation:
    conversation = find(ctx, conversation_id)
    require(conversation, (OPEN,), "be answered")
    if conversation.offer != OFFERED or conversation.notification_id is None:
        raise AgentActionRefused(
            f"Conversation {conversation.id} is not offered (offer: {conversation.offer})"
        )
    return conversation


def accept_conversation(ctx: CallContext, *, conversation_id: str) -> dict[str, Any]:
    """Agent action: accept the conversation's notification (it must be the displayed one)."""
    conversation = _offered(ctx, conversation_id)
    notifications.accept_notification(ctx, conversation.notification_id)
    return {"conversationId": conversation.id, "sessionId": conversation.session_id}


def reject_conversation(ctx: CallContext, *, conversation_id: str) -> dict[str, Any]:
    """Agent action: reject the conversation's notification."""
    conversation = _offered(ctx, conversation_id)
    notifications.reject_notification(ctx, conversation.notification_id)
    return {"conversationId": conversation.id, "offer": conversation.offer}


def offer_conversation(ctx: CallContext, *, conversation_id: str) -> dict[str, Any]:
    """Agent action: route an open conversation nobody is offered again (after a reject)."""
    conversation = find(ctx, conversation_id)
    require(conversation, (OPEN,), "be offered")
    if conversation.offer in (OFFERED, QUEUED):
        raise AgentActionRefused(f"Conversation {conversation.id} is already {conversation.offer}")
    offer(ctx, conversation)
    return {"conversationId": conversation.id, "offer": conversation.offer}


def withdraw_conversation(ctx: CallContext, *, conversation_id: str) -> dict[str, Any]:
    """Routing action: take back an open conversation to offer it to another agent."""
    conversation = find(ctx, conversation_id)
    require(conversation, (OPEN,), "be routed elsewhere")
    pending = next(
        (n for n in ctx.workspace.notifications if n.id == conversation.notification_id), None
    )
    conversation.notification_id = None
    conversation.ended_by = "routing"
    move(ctx, conversation, "withdraw")
    if pending is not None:
        notifications.close(ctx, pending, notifications.CANCELLED, ctx.clock())
    return {"conversationId": conversation.id, "state": conversation.state}


FEATURE = Feature(
    name="arrivals",
    agent_actions={
        "arriveConversation": arrive,
        "acceptConversation": accept_conversation,
        "rejectConversation": reject_conversation,
        "offerConversation": offer_conversation,
        "withdrawConversation": withdraw_conversation,
    },
)
