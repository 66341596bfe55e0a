"""Elevation: a contact continues on another channel inside the same omnichannel session.

Rules (issue 5; omnichannel sessions [DOC-OC]):
- ELEVATIONS (in queries.py, as the page's offers read it too) is the whole table, exactly:
  chat to email or phone; email to phone; phone to email; work item to email or phone;
  voicemail to email or phone. Any other pair (an SMS
  contact, a contact to its own channel, an unknown channel) is refused, saying what the
  contact can become; "phone" and "voice" name the same channel;
- only an active contact in an open session can be elevated; the new contact is the same
  customer's, starts active in the same session (no notification: the agent reaches out),
  remembers where it came from, takes its channel's capacity units and moves the presence to
  its channel's `presenceOnAccept`;
- the source contact stays as it is: it ends, and is wrapped up, on its own.
"""

from __future__ import annotations

import copy
from typing import Any

from cifbridge.engine.base.context import CallContext
from cifbridge.engine.base.conversation_state import ACTIVE, Conversation
from cifbridge.engine.base.errors import NOT_FOUND, AgentActionRefused
from cifbridge.engine.base.feature import Feature
from cifbridge.engine.base.texts import elevation_refused
from cifbridge.engine.config.entities import derived_guid
from cifbridge.engine.omnichannel.conversations import change_presence, find, require
from cifbridge.engine.omnichannel.queries import ELEVATIONS

ALIASES = {"phone": "voice"}
SPOKEN = {"voice": "phone", "workitem": "work item", "sms": "SMS"}


def spoken(channel: str) -> str:
    """Return a channel's name as the elevation table says it."""
    return SPOKEN.get(channel, channel)


def allowed(source: str, target: str) -> bool:
    """Tell whether the table lets a contact of `source` continue on `target`."""
    return ALIASES.get(target, target) in ELEVATIONS.get(source, ())


def elevate(ctx: CallContext, *, conversation_id: str, channel: str) -> dict[str, Any]:
    """Agent action: continue an active contact on another channel in its session."""
    source = find(ctx, conversation_id)
    target = ALIASES.get(channel, channel)
    if not allowed(source.channel, target):
        options = tuple(spoken(c) for c in ELEVATIONS.get(source.channel, ()))
        raise AgentActionRefused(
            elevation_refused(spoken(source.channel), spoken(channel), options)
        )
    configured = ctx.config.omnichannel.channels.get(target)
    if configured is None:
        raise AgentActionRefused(f"Channel {target} is not configured", NOT_FOUND)
    require(source, (ACTIVE,), "be elevated")
    if ctx.workspace.session(source.session_id or "") is None:
        raise AgentActionRefused(f"Conversation {source.id} has no open session")
    contact = _contact(ctx, source, target)
    change_presence(ctx, configured.presence_on_accept)
    return {"conversationId": contact.id, "sessionId": contact.session_id, "channel": target}


def _contact(ctx: CallContext, source: Conversation, channel: str) -> Conversation:
    omnichannel = ctx.workspace.omnichannel
    now = ctx.clock()
    contact = Conversation(
        id=derived_guid("conversation", omnichannel.next_conversation),
        channel=channel,
        provider=source.provider,
        customer=copy.deepcopy(source.customer),
        state=ACTIVE,
        created_at=now,
        details=dict(source.details),
        session_id=source.session_id,
        accepted_at=now,
        elevated_from=source.id,
        sentiment=source.sentiment,
    )
    omnichannel.next_conversation += 1
    omnichannel.conversations[contact.id] = contact
    ctx.changed()
    return contact


FEATURE = Feature(name="elevation", agent_actions={"elevateConversation": elevate})
