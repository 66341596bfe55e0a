"""The omnichannel settings, as configured: `channels` (one entry per channel) and `conversations`.

A channel names the notification templates an incoming conversation raises (authenticated or
not), the session template its session starts from, the presence the agent goes to on accept
and the capacity it takes; a chat channel also carries its chat widget's reconnection and
persistent-chat settings. `conversations` holds what is the agent's: capacity, the sentiment
threshold of the alert, the response-wait threshold. Every field has a default, so a
configuration gives only what it changes; the defaults here are the ones
`defaults/workspace.yaml` spells out.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

CHANNELS = ("chat", "sms", "voice", "email", "workitem", "voicemail")
# The seven levels of the Omnichannel sentiment scale, most negative first.
SENTIMENTS = (
    "very negative",
    "negative",
    "slightly negative",
    "neutral",
    "slightly positive",
    "positive",
    "very positive",
)
DEFAULT_SENTIMENT_THRESHOLD = "slightly negative"
DEFAULT_RECONNECT_SECONDS = 180.0  # "By default, this duration is three minutes" [DOC-OC]
DEFAULT_WAITING_DAYS = 28.0
DEFAULT_WAIT_THRESHOLD_SECONDS = 60.0
DEFAULT_CAPACITY = 10


@dataclass(frozen=True)
class Reconnection:
    """A chat widget's reconnection settings (reconnect to the same agent after a disconnect)."""

    enabled: bool = False
    time_limit_seconds: float = DEFAULT_RECONNECT_SECONDS
    portal_url: str = ""
    redirect_url: str | None = None


@dataclass(frozen=True)
class PersistentChat:
    """A chat widget's persistent-chat settings."""

    enabled: bool = False
    waiting_days: float = DEFAULT_WAITING_DAYS


@dataclass(frozen=True)
class Channel:
    """One channel: its templates, presence on accept, capacity units, chat widget settings."""

    name: str
    label: str
    authenticated_notification: str
    unauthenticated_notification: str
    session_template: str
    provider: str | None = None  # None: the first configured provider
    presence_on_accept: str | None = None
    capacity_units: int = 1
    queue: str = ""
    reconnection: Reconnection = field(default_factory=Reconnection)
    persistent_chat: PersistentChat = field(default_factory=PersistentChat)


@dataclass(frozen=True)
class ConversationSettings:
    """What the agent's conversations share: channels, capacity, alert thresholds."""

    channels: Mapping[str, Channel] = field(default_factory=dict)
    capacity: int = DEFAULT_CAPACITY
    sentiment_threshold: str = DEFAULT_SENTIMENT_THRESHOLD
    wait_threshold_seconds: float = DEFAULT_WAIT_THRESHOLD_SECONDS
    block_capacity_in_wrap_up: bool = True
    presence_when_idle: str | None = None


def settings_from_dict(
    conversations: Mapping[str, Any], channels: Mapping[str, Mapping[str, Any]]
) -> ConversationSettings:
    """Build the settings from the validated `conversations` and `channels` sections."""
    return ConversationSettings(
        channels={name: _channel(name, spec) for name, spec in channels.items()},
        capacity=int(conversations.get("capacity", DEFAULT_CAPACITY)),
        sentiment_threshold=conversations.get("sentimentThreshold", DEFAULT_SENTIMENT_THRESHOLD),
        wait_threshold_seconds=float(
            conversations.get("waitThresholdSeconds", DEFAULT_WAIT_THRESHOLD_SECONDS)
        ),
        block_capacity_in_wrap_up=bool(conversations.get("blockCapacityInWrapUp", True)),
        presence_when_idle=conversations.get("presenceWhenIdle"),
    )


def _channel(name: str, spec: Mapping[str, Any]) -> Channel:
    notifications = spec.get("notificationTemplates", {})
    reconnection = spec.get("reconnection", {})
    persistent = spec.get("persistentChat", {})
    return Channel(
        name=name,
        label=spec.get("label", name),
        authenticated_notification=notifications.get("authenticated", ""),
        unauthenticated_notification=notifications.get("unauthenticated", ""),
        session_template=spec.get("sessionTemplate", ""),
        provider=spec.get("provider"),
        presence_on_accept=spec.get("presenceOnAccept"),
        capacity_units=int(spec.get("capacityUnits", 1)),
        queue=spec.get("queue", ""),
        reconnection=Reconnection(
            enabled=bool(reconnection.get("enabled", False)),
            time_limit_seconds=float(
                reconnection.get("timeLimitSeconds", DEFAULT_RECONNECT_SECONDS)
            ),
            portal_url=reconnection.get("portalUrl", ""),
            redirect_url=reconnection.get("redirectUrl"),
        ),
        persistent_chat=PersistentChat(
            enabled=bool(persistent.get("enabled", False)),
            waiting_days=float(persistent.get("waitingDays", DEFAULT_WAITING_DAYS)),
        ),
    )


def merge_channel_config(base: Mapping[str, Any], override: Mapping[str, Any]) -> dict[str, Any]:
    """Merge a user's `channels` and `conversations` into the defaults, key by key.

    A channel's own keys replace the bundled ones; its reconnection and persistent-chat
    settings and notification templates merge one level deeper, so `reconnection:
    {enabled: true}` keeps the bundled time limit and URLs.
    """
    channels = {name: dict(spec) for name, spec in base.get("channels", {}).items()}
    for name, spec in override.get("channels", {}).items():
        merged = {**channels.get(name, {}), **spec}
        for key in ("reconnection", "persistentChat", "notificationTemplates"):
            if key in spec:
                merged[key] = {**channels.get(name, {}).get(key, {}), **spec[key]}
        channels[name] = merged
    conversations = {**base.get("conversations", {}), **override.get("conversations", {})}
    return {"channels": channels, "conversations": conversations}


def channel_config_problems(data: Mapping[str, Any]) -> list[str]:
    """Name the templates and providers a channel names that are not configured.

    Presences are not checked: a user's presence list replaces the bundled one, and a presence
    the list does not hold is simply not switched to.
    """
    known = {
        "notification template": {t["uniqueName"] for t in data.get("notificationTemplates", [])},
        "session template": {t["uniqueName"] for t in data.get("sessionTemplates", [])},
        "provider": {p["uniqueName"] for p in data.get("providers", [])},
    }
    problems: list[str] = []
    for name, spec in data.get("channels", {}).items():
        wanted = [
            *(("notification template", t) for t in spec.get("notificationTemplates", {}).values()),
            ("session template", spec.get("sessionTemplate")),
            ("provider", spec.get("provider")),
        ]
        problems.extend(
            f"channel {name} names {kind} {value}, which is not configured"
            for kind, value in wanted
            if value is not None and value not in known[kind]
        )
    return problems
