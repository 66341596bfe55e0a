"""Arrivals: a customer starts a conversation (or resumes a persistent chat); the agent answers.

Rules (issue 5):
- arriving names a configured channel, the customer (customers.py: a contact or account of the
  record store, a known name, or nobody for an unauthenticated visitor), optionally a case,
  details (extra slug values such as phoneNumber, visitorLanguage, subject) and the provider
  whose widget owns the session (default: the channel's, else the first provider);
- an authenticated customer with a waiting persistent chat on that channel resumes it;
  everyone else starts a new conversation, offered or queued for capacity (conversations.py);
- every refusal (unknown channel, provider or record, malformed parameters) comes before
  anything changes, a visitor's number included;
- the agent accepts or rejects a conversation through its notification, which must be the
  displayed one (as notifications.py answers any notification), and may offer an open
  conversation nobody is offered again.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from cifbridge.engine.base.context import CallContext
from cifbridge.engine.base.conversation_state import OFFERED, OPEN, QUEUED, Conversation
from cifbridge.engine.base.errors import AgentActionRefused
from cifbridge.engine.base.feature import Feature
from cifbridge.engine.cif import notifications
from cifbridge.engine.config.channels import Channel
from cifbridge.engine.omnichannel import persistent_chat
from cifbridge.engine.omnichannel.conversations import (
    find,
    offer,
    open_conversation,
    require,
    take,
)
from cifbridge.engine.omnichannel.customers import resolve_customer


def arrive(ctx: CallContext, **params: Any) -> dict[str, Any]:
    """Customer action: start a conversation on a channel (or resume a persistent chat)."""
    take(params, ("channel",), ("customer", "case", "details", "provider"))
    channel = configured_channel(ctx, params["channel"])
    provider = _provider(ctx, channel, params.get("provider"))
    details = _mapping(params.get("details"), "details")
    spec = _mapping(params.get("customer"), "customer")
    case = params.get("case")
    if case is not None and not isinstance(case, str):
        raise AgentActionRefused("case is an incident's id or title", status=400)
    persistent_chat.WAITING_PERIODS.catch_up(ctx)  # a waiting period that ended by now is over
    customer = resolve_customer(ctx, spec, case)
    conversation, resumed = start(ctx, channel, customer, details, provider)
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


def configured_channel(ctx: CallContext, name: Any) -> Channel:
    """Return a configured channel, or refuse with 404."""
    channel = ctx.config.omnichannel.channels.get(str(name))
    if channel is None:
        known = ", ".join(ctx.config.omnichannel.channels) or "none"
        raise AgentActionRefused(f"Channel {name} is not configured (channels: {known})", 404)
    return channel


def _provider(ctx: CallContext, channel: Channel, asked: Any) -> str:
    wanted = asked or channel.provider
    if wanted is None:
        if not ctx.config.providers:
            raise AgentActionRefused("No channel provider is configured", status=409)
        return ctx.config.providers[0].unique_name
    if ctx.config.provider(str(wanted)) is None:
        raise AgentActionRefused(f"Provider {wanted} is not configured", status=404)
    return str(wanted)


def _mapping(value: Any, name: str) -> dict[str, Any]:
    if value is None:
        return {}
    if not isinstance(value, Mapping):
        raise AgentActionRefused(f"{name} must be an object", status=400)
    return dict(value)


def _offered(ctx: CallContext, params: dict[str, Any]) -> Conversation:
    conversation = find(ctx, take(params, ("conversationId",))["conversationId"])
    require(conversation, (OPEN,), "be answered")
    if conversation.offer != OFFERED or conversation.notification_id is None:
        raise AgentActionRefused(
            f"Conversation {conversation.id} is not offered (offer: {conversation.offer})"
        )
    return conversation


def accept_conversation(ctx: CallContext, **params: Any) -> dict[str, Any]:
    """Agent action: accept the conversation's notification (it must be the displayed one)."""
    conversation = _offered(ctx, params)
    notifications.accept_notification(ctx, conversation.notification_id)
    return {"conversationId": conversation.id, "sessionId": conversation.session_id}


def reject_conversation(ctx: CallContext, **params: Any) -> dict[str, Any]:
    """Agent action: reject the conversation's notification."""
    conversation = _offered(ctx, params)
    notifications.reject_notification(ctx, conversation.notification_id)
    return {"conversationId": conversation.id, "offer": conversation.offer}


def offer_conversation(ctx: CallContext, **params: Any) -> dict[str, Any]:
    """Agent action: route an open conversation nobody is offered again (after a reject)."""
    conversation = find(ctx, take(params, ("conversationId",))["conversationId"])
    require(conversation, (OPEN,), "be offered")
    if conversation.offer in (OFFERED, QUEUED):
        raise AgentActionRefused(f"Conversation {conversation.id} is already {conversation.offer}")
    offer(ctx, conversation)
    return {"conversationId": conversation.id, "offer": conversation.offer}


FEATURE = Feature(
    name="arrivals",
    agent_actions={
        "arriveConversation": arrive,
        "acceptConversation": accept_conversation,
        "rejectConversation": reject_conversation,
        "offerConversation": offer_conversation,
    },
)
