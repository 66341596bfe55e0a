"""Conversations as the workspace page and the control API show them (workspace.py merges these).

Per session: `sentimentAlert` and `sentimentTooltip` (the icon's exclamation mark and its
text), and `omnichannel` with the session's status, its customer, the contact the navigator
shows, and its contacts grouped by channel. Per workspace: `omnichannel` with capacity, every
conversation (open ones waiting for the agent included) and the thresholds. Each contact
lists in `elevateTo` the channels the elevation table lets it become now (the page offers
exactly these). Times are the bridge clock's seconds (GET /api/clock); durations are computed
at the view's `now`.
"""

from __future__ import annotations

from typing import Any

from cifbridge.engine.base.conversation_state import ACTIVE, Conversation
from cifbridge.engine.base.state import Session
from cifbridge.engine.base.texts import SENTIMENT_ALERT_TOOLTIP
from cifbridge.engine.config.channels import CHANNELS, SENTIMENTS
from cifbridge.engine.config.workspace import WorkspaceConfig
from cifbridge.engine.omnichannel.queries import (
    capacity_used,
    channel_of,
    contacts,
    elevation_targets,
    holds_capacity,
    is_complete,
    link,
    reconnectable,
    sentiment_alert,
    session_status,
    waited,
)
from cifbridge.engine.views import EngineState


def omnichannel_view(engine: EngineState) -> dict[str, Any]:
    """Return the workspace's conversations, capacity and thresholds."""
    config, now = engine.config, engine.clock()
    settings = config.omnichannel
    found = list(engine.workspace.omnichannel.conversations.values())
    used = capacity_used(engine.workspace, config)
    return {
        "now": now,
        "capacity": {
            "total": settings.capacity,
            "used": used,
            "available": max(0, settings.capacity - used),
            "heldBy": [c.id for c in found if holds_capacity(config, c)],
        },
        "sentimentThreshold": settings.sentiment_threshold,
        "sentimentLevels": list(SENTIMENTS),
        "waitThresholdSeconds": settings.wait_threshold_seconds,
        "channels": [{"name": c.name, "label": c.label} for c in settings.channels.values()],
        "conversations": [conversation_view(config, c, now) for c in found],
    }


def session_extras(engine: EngineState, session: Session) -> dict[str, Any]:
    """Return what a session shows of its conversations (nothing much for other sessions)."""
    config, now = engine.config, engine.clock()
    held = contacts(engine.workspace, session.id)
    alert = any(sentiment_alert(config, c) for c in held)
    extras: dict[str, Any] = {
        "sentimentAlert": alert,
        "sentimentTooltip": SENTIMENT_ALERT_TOOLTIP.format(title=session.title) if alert else None,
        "omnichannel": None,
    }
    if held:
        extras["omnichannel"] = {
            "status": session_status(engine.workspace, session.id),
            "customer": held[0].customer,
            "activeContactId": _navigated(held).id,
            "contactCount": len(held),
            "contacts": _by_channel([conversation_view(config, c, now) for c in held]),
        }
    return extras


def conversation_view(
    config: WorkspaceConfig, conversation: Conversation, now: float
) -> dict[str, Any]:
    """Return one conversation (contact) with its timers, sentiment and reconnect link."""
    wait = waited(conversation, now)
    threshold = config.omnichannel.wait_threshold_seconds
    started = conversation.accepted_at
    until = conversation.ended_at if conversation.ended_at is not None else now
    return {
        "conversationId": conversation.id,
        "channel": conversation.channel,
        "channelLabel": channel_of(config, conversation).label,
        "providerId": conversation.provider,
        "state": conversation.state,
        "customer": conversation.customer,
        "sessionId": conversation.session_id,
        "offer": conversation.offer,
        "notificationId": conversation.notification_id,
        "createdAt": conversation.created_at,
        "acceptedAt": started,
        "endedAt": conversation.ended_at,
        "endedBy": conversation.ended_by,
        "closedAt": conversation.closed_at,
        "totalSeconds": None if started is None else max(0.0, until - started),
        "waitSeconds": wait,
        "waitState": None if wait is None else ("exceeded" if wait > threshold else "normal"),
        "sentiment": conversation.sentiment,
        "sentimentAlert": sentiment_alert(config, conversation),
        "messages": conversation.messages,
        "elevatedFrom": conversation.elevated_from,
        # What the elevation table lets this contact become now: the page offers exactly these.
        "elevateTo": elevation_targets(config, conversation),
        "disposition": conversation.disposition,
        "completed": is_complete(conversation),
        "customerConnected": conversation.connected,
        "windowClosed": conversation.window_closed,
        "disconnectedAt": conversation.disconnected_at,
        "reconnectUrl": link(config, conversation),
        "reconnectDeadline": conversation.reconnect_deadline,
        "reconnectSecondsLeft": _left(conversation.reconnect_deadline, now),
        "canReconnect": reconnectable(conversation, now),
        "waitingUntil": conversation.waiting_until,
    }


def _navigated(held: list[Conversation]) -> Conversation:
    # The navigator shows the newest active contact, or else the newest one.
    active = [c for c in held if c.state == ACTIVE]
    return (active or held)[-1]


def _by_channel(views: list[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    grouped: dict[str, list[dict[str, Any]]] = {}
    order = {name: index for index, name in enumerate(CHANNELS)}
    for view in sorted(views, key=lambda v: order.get(v["channel"], len(order))):
        grouped.setdefault(view["channel"], []).append(view)
    return grouped


def _left(deadline: float | None, now: float) -> float | None:
    return None if deadline is None else max(0.0, deadline - now)
