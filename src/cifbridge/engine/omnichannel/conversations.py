"""Conversations: their states, the capacity they take, and how incoming work reaches the agent.

Rules (issue 5; Omnichannel conversation states and work distribution [DOC-OC]):
- a conversation is one contact with one customer on one channel (chat, sms, voice, email,
  workitem, voicemail); its state moves only along TRANSITIONS (open, active, waiting, wrapup,
  closed) and any other move is refused, naming the state;
- the agent has `capacity` units; a conversation takes its channel's `capacityUnits` while it
  is offered, active, or in wrap-up (unless `blockCapacityInWrapUp` is false);
- an arriving conversation is offered when its units are free: the host raises the channel's
  authenticated or unauthenticated notification (not a widget's notifyEvent; no widget waits
  for it). Otherwise it waits in the queue (offer "queued") and is offered, oldest first, as
  soon as capacity frees up;
- accepting needs room for one more session; it starts a session from the channel's session
  template, owned by the channel's provider, focused (its widget hears onSessionSwitched),
  titled with the customer's name, its anchor tab showing the active conversation and a
  knowledge search beside it; getSession gives the conversationId, and the session's context
  holds the conversation's slug values (conversationId, channel, customerName, ...);
- when a contact becomes active the presence changes to its channel's `presenceOnAccept`; when
  no conversation takes capacity any more, to `presenceWhenIdle` (each when configured);
- rejecting, a display timeout or a full notification queue leave the conversation open and
  unassigned, the answer kept in `offer`, until the agent offers it again;
- the contacts of a session are the conversations it holds (one customer; several after
  elevation), oldest first.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from cifbridge.engine.base.context import CallContext
from cifbridge.engine.base.conversation_state import (
    ACTIVE,
    CLOSED,
    OFFERED,
    OPEN,
    QUEUED,
    WAITING,
    WRAPUP,
    Conversation,
)
from cifbridge.engine.base.errors import NOT_FOUND, AgentActionRefused
from cifbridge.engine.base.feature import Feature
from cifbridge.engine.base.state import Notification, Session
from cifbridge.engine.base.texts import MAX_SESSIONS, conversation_state_refused
from cifbridge.engine.cif import notifications, presence, sessions
from cifbridge.engine.cif.notifications import Response
from cifbridge.engine.cif.queries import presence_list
from cifbridge.engine.config.channels import Channel
from cifbridge.engine.config.entities import derived_guid
from cifbridge.engine.omnichannel.queries import capacity_used, channel_of, holds_capacity

HOST = "conversation"  # Notification.host of the notifications raised for conversations

# (state, event) -> new state. Events: what the agent, the customer or time did.
TRANSITIONS: dict[tuple[str, str], str] = {
    (OPEN, "accept"): ACTIVE,  # the agent accepted the notification
    (OPEN, "abandon"): CLOSED,  # the customer left before anyone accepted
    (OPEN, "withdraw"): CLOSED,  # routing took it back to offer it to another agent
    (ACTIVE, "end"): WRAPUP,  # the agent ended it, the customer left, reconnection lapsed
    (ACTIVE, "park"): WAITING,  # persistent chat: the session closed without ending it
    (ACTIVE, "drop"): CLOSED,  # the session closed without ending it
    (WAITING, "return"): OPEN,  # persistent chat: the customer is back
    (WAITING, "lapse"): CLOSED,  # persistent chat: the waiting period is over
    (WRAPUP, "complete"): CLOSED,  # post-contact work done, or the session closed
}
DOING = {
    "accept": "be accepted",
    "abandon": "be abandoned",
    "withdraw": "be routed elsewhere",
    "end": "be ended",
    "park": "wait for its customer",
    "drop": "be dropped",
    "return": "be resumed",
    "lapse": "lapse",
    "complete": "be wrapped up",
}


def find(ctx: CallContext, conversation_id: str) -> Conversation:
    """Return a conversation by id, or refuse: not found."""
    found = ctx.workspace.omnichannel.conversations.get(conversation_id)
    if found is None:
        raise AgentActionRefused(f"Conversation {conversation_id} does not exist", NOT_FOUND)
    return found


def require(conversation: Conversation, states: tuple[str, ...], doing: str) -> None:
    """Refuse unless the conversation is in one of `states`."""
    if conversation.state not in states:
        message = conversation_state_refused(conversation.id, conversation.state, doing)
        raise AgentActionRefused(message)


def can_move(conversation: Conversation, event: str) -> bool:
    """Tell whether TRANSITIONS allow this event in the conversation's state."""
    return (conversation.state, event) in TRANSITIONS


def move(ctx: CallContext, conversation: Conversation, event: str) -> None:
    """Apply one transition of the state table (refused when the table has none)."""
    target = TRANSITIONS.get((conversation.state, event))
    if target is None:
        doing = DOING.get(event, event)
        raise AgentActionRefused(
            conversation_state_refused(conversation.id, conversation.state, doing)
        )
    held = holds_capacity(ctx.config, conversation)
    conversation.state = target
    now = ctx.clock()
    if target in (WRAPUP, CLOSED) and conversation.ended_at is None:
        conversation.ended_at = now
    if target == CLOSED:
        conversation.closed_at = now
    ctx.changed()
    if held and not holds_capacity(ctx.config, conversation):
        capacity_freed(ctx)


def note(ctx: CallContext, conversation: Conversation, text: str) -> None:
    """Record an automated message in the conversation's transcript."""
    conversation.messages.append({"from": "system", "text": text, "at": ctx.clock()})
    ctx.changed()


def open_conversation(
    ctx: CallContext,
    channel: Channel,
    customer: dict[str, Any],
    details: dict[str, Any],
    provider: str,
) -> Conversation:
    """Create an arriving conversation and offer it (or queue it for capacity)."""
    omnichannel = ctx.workspace.omnichannel
    conversation = Conversation(
        id=derived_guid("conversation", omnichannel.next_conversation),
        channel=channel.name,
        provider=provider,
        customer=customer,
        state=OPEN,
        created_at=ctx.clock(),
        details=details,
    )
    if channel.name == "chat":
        conversation.reconnect_id = derived_guid("reconnect", conversation.id)
    omnichannel.next_conversation += 1
    omnichannel.conversations[conversation.id] = conversation
    ctx.changed()
    offer(ctx, conversation)
    return conversation


def offer(ctx: CallContext, conversation: Conversation) -> None:
    """Raise the conversation's notification now, or queue it until capacity frees up."""
    channel = channel_of(ctx.config, conversation)
    conversation.offer = QUEUED
    ctx.changed()
    if _free_units(ctx) < channel.capacity_units:
        return
    authenticated = conversation.customer.get("authenticated")
    template = (
        channel.authenticated_notification
        if authenticated
        else channel.unauthenticated_notification
    )
    conversation.offer = OFFERED
    raised = notifications.raise_for_host(
        ctx,
        template,
        slug_values(ctx, conversation),
        host=HOST,
        subject=conversation.id,
        provider=conversation.provider,
    )
    if raised is None:
        conversation.offer = notifications.QUEUE_FULL[1]
    elif conversation.offer == OFFERED:  # not auto-accepted on the way
        conversation.notification_id = raised.id


def capacity_freed(ctx: CallContext) -> None:
    """Offer queued conversations that fit now, oldest first; go idle when nothing is held."""
    waiting = [
        c
        for c in ctx.workspace.omnichannel.conversations.values()
        if c.state == OPEN and c.offer == QUEUED
    ]
    for conversation in waiting:
        units = channel_of(ctx.config, conversation).capacity_units
        if _free_units(ctx) < units:
            break  # first come, first served: nobody overtakes the oldest
        offer(ctx, conversation)
    idle = ctx.config.omnichannel.presence_when_idle
    found = ctx.workspace.omnichannel.conversations.values()
    held = any(holds_capacity(ctx.config, c) for c in found)
    if idle is not None and not held:
        change_presence(ctx, idle)


def _free_units(ctx: CallContext) -> int:
    return ctx.config.omnichannel.capacity - capacity_used(ctx.workspace, ctx.config)


def change_presence(ctx: CallContext, text: str | None) -> None:
    """Switch to the listed presence with this text, when there is one."""
    listed = presence_list(ctx.workspace, ctx.config)
    found = next((p for p in listed if p.get("presenceText") == text), None)
    if found is not None:
        presence.change_presence(ctx, dict(found))


def slug_values(ctx: CallContext, conversation: Conversation) -> dict[str, Any]:
    """Return the values the conversation's notification and session templates resolve."""
    customer, channel = conversation.customer, channel_of(ctx.config, conversation)
    values: dict[str, Any] = {
        **conversation.details,
        "conversationId": conversation.id,
        "channel": conversation.channel,
        "customerName": customer["name"],
        "queueName": conversation.details.get("queueName", channel.queue),
    }
    if customer.get("recordId"):
        values.update(
            customerEntityName=customer["entityName"], customerRecordId=customer["recordId"]
        )
    if customer.get("caseId"):
        values.update(caseId=customer["caseId"], caseTitle=customer["caseTitle"])
    return values


def accept(ctx: CallContext, conversation: Conversation) -> None:
    """Make an offered conversation active in a new session, focused."""
    move(ctx, conversation, "accept")
    conversation.accepted_at = ctx.clock()
    conversation.session_id = start_session(ctx, conversation).id
    change_presence(ctx, channel_of(ctx.config, conversation).presence_on_accept)


def start_session(ctx: CallContext, conversation: Conversation) -> Session:
    """Open the conversation's session from its channel's template, as its provider's."""
    values = slug_values(ctx, conversation)
    request = {
        "templateName": channel_of(ctx.config, conversation).session_template,
        "templateParameters": values,
        "context": values,
    }
    # The session is the provider's, as if its widget had created it: it hears the switch.
    as_provider = replace(ctx, provider=conversation.provider)
    session_id = sessions.create_session(as_provider, {"input": request})
    ctx.changed()
    session = ctx.workspace.sessions[session_id]
    session.conversation_id = conversation.id
    return session


class ConversationNotifications:
    """Hears the agent's answers to the notifications raised for incoming conversations."""

    def refusal(self, ctx: CallContext, notification: Notification, answer: Response) -> str | None:
        """Refuse an accept when the workspace has no room for the session."""
        conversation = ctx.workspace.omnichannel.conversations.get(notification.subject or "")
        if answer[0] != "Accept" or conversation is None or conversation.state != OPEN:
            return None
        return None if sessions.can_create_session(ctx, {}) else MAX_SESSIONS

    def answered(self, ctx: CallContext, notification: Notification, answer: Response) -> None:
        """Accept the conversation, or leave it open and unassigned."""
        conversation = ctx.workspace.omnichannel.conversations.get(notification.subject or "")
        if conversation is None or conversation.state != OPEN or conversation.offer != OFFERED:
            return  # the customer left meanwhile
        conversation.notification_id = None
        if answer[0] == "Accept" and sessions.can_create_session(ctx, {}):
            conversation.offer = answer[1]
            accept(ctx, conversation)
            return
        conversation.offer = answer[1] if answer[0] != "Accept" else MAX_SESSIONS
        ctx.changed()
        capacity_freed(ctx)


FEATURE = Feature(name="conversations", notification_hosts={HOST: ConversationNotifications()})
