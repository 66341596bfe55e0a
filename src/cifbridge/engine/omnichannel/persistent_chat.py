"""Persistent chat: a chat the agent closes without ending it waits for its customer.

Rules (issue 5; persistent chat [DOC-OC]):
- it applies to chats of a channel whose chat widget has persistent chat enabled, with an
  authenticated customer (a visitor's chat is never persistent);
- closing the session of an active persistent chat without ending the conversation moves it to
  waiting for `waitingDays` (default 28): its capacity is freed, its messages are kept;
- the customer coming back (arriving again on that channel, or writing) resumes it: it is open
  again and offered, and once accepted it is active in a new session with its whole history;
- a waiting conversation whose waiting period is over closes; at the very end counts as over,
  as for every deadline;
- ending a persistent chat (End, then wrap-up) closes it for good: the next visit starts a
  fresh conversation;
- the customer leaving (a disconnect, the window closed) does not end a persistent chat: it
  stays with the agent, without its customer, until the session closes.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from cifbridge.engine.base.context import CallContext
from cifbridge.engine.base.conversation_state import ACTIVE, WAITING, Conversation
from cifbridge.engine.base.deadlines import DeadlineTimer
from cifbridge.engine.base.feature import Feature
from cifbridge.engine.base.state import Workspace
from cifbridge.engine.omnichannel.conversations import move, note, offer
from cifbridge.engine.omnichannel.customers import customer_key
from cifbridge.engine.omnichannel.queries import channel_of

DAY_SECONDS = 86_400.0


def applies(ctx: CallContext, conversation: Conversation) -> bool:
    """Tell whether a conversation is a persistent chat."""
    settings = channel_of(ctx.config, conversation).persistent_chat
    return (
        conversation.channel == "chat"
        and settings.enabled
        and bool(conversation.customer.get("authenticated"))
    )


def park(ctx: CallContext, conversation: Conversation) -> None:
    """Leave an active persistent chat waiting for its customer (its session closed)."""
    days = channel_of(ctx.config, conversation).persistent_chat.waiting_days
    move(ctx, conversation, "park")
    conversation.waiting_until = ctx.clock() + days * DAY_SECONDS
    conversation.reconnect_deadline = None


def left_by(ctx: CallContext, channel: str, customer: Mapping[str, Any]) -> Conversation | None:
    """Return the customer's persistent chat on this channel that waits for them, if any.

    That is a waiting one, or an active one whose customer left (disconnected, window closed).
    """
    key = customer_key(customer)
    if key is None:
        return None
    return next(
        (
            c
            for c in ctx.workspace.omnichannel.conversations.values()
            if c.channel == channel
            and customer_key(c.customer) == key
            and (c.state == WAITING or (c.state == ACTIVE and not c.connected))
            and applies(ctx, c)
        ),
        None,
    )


def resume(ctx: CallContext, conversation: Conversation) -> None:
    """Bring the customer back: a waiting chat opens again and is offered, history kept."""
    conversation.connected, conversation.window_closed = True, False
    conversation.disconnected_at = None
    note(ctx, conversation, "The customer returned")
    if conversation.state == WAITING:
        move(ctx, conversation, "return")
        conversation.waiting_until = None
        offer(ctx, conversation)


def _waiting(workspace: Workspace) -> list[Conversation]:
    return [c for c in workspace.omnichannel.conversations.values() if c.state == WAITING]


def _lapse(ctx: CallContext, conversation: Conversation) -> None:
    conversation.waiting_until = None
    conversation.ended_by = "timeout"
    move(ctx, conversation, "lapse")


# The ends of the waiting periods: past one, the waiting conversation closes.
WAITING_PERIODS = DeadlineTimer.over(_waiting, lambda c: c.waiting_until, _lapse)

FEATURE = Feature(name="persistent_chat", timers=(WAITING_PERIODS,))
