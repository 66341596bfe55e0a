"""Pure reads of the conversations: what both the omnichannel features and the views ask.

Rules:
- every function reads plain data (the workspace, the configuration, a conversation, a time)
  and changes nothing; none takes a CallContext, so read models call them as they are;
- this module imports only engine.base and engine.config (views/__init__.py says why);
- the elevation table lives here, as the rules of elevation.py and the page's offers both
  read it.
"""

from __future__ import annotations

from cifbridge.engine.base.conversation_state import (
    ACTIVE,
    CLOSED,
    OFFERED,
    OPEN,
    WRAPUP,
    Conversation,
)
from cifbridge.engine.base.state import Workspace
from cifbridge.engine.config.channels import SENTIMENTS, Channel
from cifbridge.engine.config.workspace import WorkspaceConfig

COMPLETED, IN_WRAP_UP, IN_PROGRESS = "completed", "wrapup", "active"  # a session's status
LINK_PARAMETER = "oc.reconnectid"
# Source channel -> the channels a contact of it can continue on (elevation.py's rules).
ELEVATIONS: dict[str, tuple[str, ...]] = {
    "chat": ("email", "voice"),
    "email": ("voice",),
    "voice": ("email",),
    "workitem": ("email", "voice"),
    "voicemail": ("email", "voice"),
}


def channel_of(config: WorkspaceConfig, conversation: Conversation) -> Channel:
    """Return the configured channel of a conversation."""
    channels = config.omnichannel.channels
    return channels.get(conversation.channel) or Channel(conversation.channel, "", "", "", "")


def contacts(workspace: Workspace, session_id: str) -> list[Conversation]:
    """Return the conversations a session holds, oldest first."""
    found = workspace.omnichannel.conversations.values()
    return [c for c in found if c.session_id == session_id]


def holds_capacity(config: WorkspaceConfig, conversation: Conversation) -> bool:
    """Tell whether a conversation takes the agent's capacity now."""
    if conversation.state == ACTIVE:
        return True
    if conversation.state == WRAPUP:
        return config.omnichannel.block_capacity_in_wrap_up
    return conversation.state == OPEN and conversation.offer == OFFERED


def capacity_used(workspace: Workspace, config: WorkspaceConfig) -> int:
    """Return the capacity units the agent's conversations take."""
    found = workspace.omnichannel.conversations.values()
    return sum(channel_of(config, c).capacity_units for c in found if holds_capacity(config, c))


def is_complete(conversation: Conversation) -> bool:
    """Tell whether a contact is done: closed, with its disposition."""
    return conversation.state == CLOSED and conversation.disposition is not None


def session_status(workspace: Workspace, session_id: str) -> str | None:
    """Return completed, wrapup or active for a session with contacts; None without any."""
    held = contacts(workspace, session_id)
    if not held:
        return None
    if all(is_complete(c) for c in held):
        return COMPLETED
    if any(c.state == ACTIVE for c in held):
        return IN_PROGRESS
    return IN_WRAP_UP


def sentiment_alert(config: WorkspaceConfig, conversation: Conversation) -> bool:
    """Tell whether an active contact's sentiment is at or below the configured threshold."""
    threshold = SENTIMENTS.index(config.omnichannel.sentiment_threshold)
    return conversation.state == ACTIVE and SENTIMENTS.index(conversation.sentiment) <= threshold


def waited(conversation: Conversation, now: float) -> float | None:
    """Return how long the customer has waited for a response, or None when nobody waits."""
    if conversation.awaiting_since is None or conversation.state not in (OPEN, ACTIVE):
        return None
    return max(0.0, now - conversation.awaiting_since)


def link(config: WorkspaceConfig, conversation: Conversation) -> str | None:
    """Return a chat's reconnect link, when its channel has reconnection enabled."""
    settings = channel_of(config, conversation).reconnection
    if conversation.reconnect_id is None or not settings.enabled:
        return None
    separator = "&" if "?" in settings.portal_url else "?"
    return f"{settings.portal_url}{separator}{LINK_PARAMETER}={conversation.reconnect_id}"


def reconnectable(conversation: Conversation, now: float) -> bool:
    """Tell whether the customer can come back to this conversation now."""
    deadline = conversation.reconnect_deadline
    return (
        conversation.state == ACTIVE
        and not conversation.connected
        and not conversation.window_closed
        and deadline is not None
        and now < deadline
    )


def elevation_targets(config: WorkspaceConfig, conversation: Conversation) -> list[str]:
    """Return the configured channels an active contact in a session can be elevated to now."""
    if conversation.state != ACTIVE or conversation.session_id is None:
        return []
    configured = config.omnichannel.channels
    return [c for c in ELEVATIONS.get(conversation.channel, ()) if c in configured]
