"""The workspace configuration as typed, immutable data, built from an already validated dict.

The keys follow the Dataverse entities (`msdyn_sessiontemplate`, `msdyn_applicationtabtemplate`,
channel provider) in camelCase without the `msdyn_` prefix, so an admin's settings map one to one.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from cifbridge.engine.config.agent import (
    DEFAULT_INITIAL_PRESENCE,
    Organization,
    Presence,
    organization_from_dict,
    presences_from_list,
)
from cifbridge.engine.config.channels import ConversationSettings, settings_from_dict
from cifbridge.engine.config.entities import Entity, entities_from_config, seed_records
from cifbridge.engine.config.features import FeatureFlags, feature_flags_from_dict
from cifbridge.engine.config.limits import InputLimits, input_limits_from_dict
from cifbridge.engine.config.names import domain_host

HOME_SESSION_ID = "session-id-0"
DEFAULT_MAX_SESSIONS = 10
DEFAULT_WIDGET_WIDTH = 378
DEFAULT_MAX_QUEUED_NOTIFICATIONS = 10
DEFAULT_NOTIFICATION_QUEUE_SECONDS = 30.0
DEFAULT_NOTIFICATION_ICON = "/webresources/msdyn_chat_icon_zfp.svg"
DEFAULT_NOTIFICATION_TIMEOUT = 120
DEFAULT_MAX_SEARCH_RECORDS = 5000


@dataclass(frozen=True)
class TemplateParameter:
    """One configured parameter of an application tab template."""

    value: Any
    is_runtime: bool = False
    type: str = "string"


@dataclass(frozen=True)
class TabTemplate:
    """An application tab template (`msdyn_applicationtabtemplate`)."""

    unique_name: str
    name: str
    page_type: str
    title: str = ""
    can_close: bool = True
    tags: tuple[str, ...] = ()
    parameters: Mapping[str, TemplateParameter] = field(default_factory=dict)


@dataclass(frozen=True)
class SessionTemplate:
    """A session template (`msdyn_sessiontemplate`)."""

    unique_name: str
    name: str
    type: str = "generic"
    title: str = ""
    panel_mode: str = "docked"
    anchor_tab: str | None = None
    additional_tabs: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    apply_title_to_anchor_tab: bool = False


@dataclass(frozen=True)
class NotificationField:
    """One field of a notification template (`msdyn_notificationfield`)."""

    name: str
    title: str
    value: str
    order: int = 0


@dataclass(frozen=True)
class NotificationTemplate:
    """A notification template (`msdyn_notificationtemplate`), named by notifyEvent."""

    unique_name: str
    name: str
    title: str
    icon: str = DEFAULT_NOTIFICATION_ICON
    show_timeout: bool = True
    timeout: int = DEFAULT_NOTIFICATION_TIMEOUT
    auto_accept: bool = False
    accept_button_text: str = "Accept"
    show_reject_button: bool = True
    reject_button_text: str = "Reject"
    desktop_notification_mode: str = "never"
    theme: str = "dark"
    fields: tuple[NotificationField, ...] = ()


@dataclass(frozen=True)
class Provider:
    """A channel provider: the widget the workspace loads and the origins it trusts."""

    unique_name: str
    label: str
    landing_url: str
    trusted_domains: tuple[str, ...] = ()
    custom_params: str = ""
    click_to_act: bool = True
    order: int = 0
    api_version: str = "2.0"


@dataclass(frozen=True)
class WorkspaceConfig:
    """Everything an admin configures: templates, providers and limits."""

    providers: tuple[Provider, ...]
    session_templates: Mapping[str, SessionTemplate]
    tab_templates: Mapping[str, TabTemplate]
    max_sessions: int = DEFAULT_MAX_SESSIONS
    notification_templates: Mapping[str, NotificationTemplate] = field(default_factory=dict)
    max_queued_notifications: int = DEFAULT_MAX_QUEUED_NOTIFICATIONS
    notification_queue_seconds: float = DEFAULT_NOTIFICATION_QUEUE_SECONDS
    organization: Organization = field(default_factory=Organization)
    presences: tuple[Presence, ...] = ()
    initial_presence: str = DEFAULT_INITIAL_PRESENCE
    entities: Mapping[str, Entity] = field(default_factory=dict)
    records: Mapping[str, Mapping[str, dict[str, Any]]] = field(default_factory=dict)
    max_search_records: int = DEFAULT_MAX_SEARCH_RECORDS
    omnichannel: ConversationSettings = field(default_factory=ConversationSettings)
    input_limits: InputLimits = field(default_factory=InputLimits)
    features: FeatureFlags = field(default_factory=FeatureFlags)
    # A digest of the configuration text `records` was built from (files/config.py), so a
    # store that seeded them before can tell without building them; "" when built from data.
    source_digest: str = ""

    def provider(self, unique_name: str) -> Provider | None:
        """Return the provider with this unique name, if configured."""
        return next((p for p in self.providers if p.unique_name == unique_name), None)


def config_from_dict(data: Mapping[str, Any]) -> WorkspaceConfig:
    """Build the typed configuration from a dict that passed the config schema."""
    providers = tuple(
        sorted((_provider(p) for p in data.get("providers", [])), key=lambda p: p.order)
    )
    tabs = {t["uniqueName"]: _tab_template(t) for t in data.get("applicationTabTemplates", [])}
    sessions = {s["uniqueName"]: _session_template(s) for s in data.get("sessionTemplates", [])}
    notifications = {
        n["uniqueName"]: _notification_template(n) for n in data.get("notificationTemplates", [])
    }
    limits = data.get("limits", {})
    return WorkspaceConfig(
        providers=providers,
        session_templates=sessions,
        tab_templates=tabs,
        max_sessions=int(limits.get("maxSessions", DEFAULT_MAX_SESSIONS)),
        notification_templates=notifications,
        max_queued_notifications=int(
            limits.get("maxQueuedNotifications", DEFAULT_MAX_QUEUED_NOTIFICATIONS)
        ),
        notification_queue_seconds=float(
            limits.get("notificationQueueSeconds", DEFAULT_NOTIFICATION_QUEUE_SECONDS)
        ),
        organization=organization_from_dict(data.get("organization", {}), data.get("agent", {})),
        presences=presences_from_list(data.get("presences", [])),
        initial_presence=data.get("agent", {}).get("presence", DEFAULT_INITIAL_PRESENCE),
        entities=(entities := entities_from_config(data.get("entities", []))),
        records=seed_records(data.get("records", {}), entities),
        max_search_records=int(limits.get("maxSearchRecords", DEFAULT_MAX_SEARCH_RECORDS)),
        omnichannel=settings_from_dict(data.get("conversations", {}), data.get("channels", {})),
        input_limits=input_limits_from_dict(limits),
        features=feature_flags_from_dict(data.get("features", {})),
    )


def _provider(p: Mapping[str, Any]) -> Provider:
    return Provider(
        unique_name=p["uniqueName"],
        label=p.get("label", p["uniqueName"]),
        landing_url=p["landingUrl"],
        # A URL written where a host name goes is read as its host (names.py; a load warning).
        trusted_domains=tuple(domain_host(d) for d in p.get("trustedDomains", ())),
        custom_params=p.get("customParams", ""),
        click_to_act=bool(p.get("clickToAct", True)),
        order=int(p.get("order", 0)),
        api_version=p.get("apiVersion", "2.0"),
    )


def _tab_template(t: Mapping[str, Any]) -> TabTemplate:
    params = {
        name: TemplateParameter(
            value=spec.get("value", ""),
            is_runtime=bool(spec.get("isRuntime", False)),
            type=spec.get("type", "string"),
        )
        for name, spec in t.get("parameters", {}).items()
    }
    return TabTemplate(
        unique_name=t["uniqueName"],
        name=t.get("name", t["uniqueName"]),
        page_type=t["pageType"],
        title=t.get("title", ""),
        can_close=bool(t.get("canClose", True)),
        tags=tuple(t.get("tags", ())),
        parameters=params,
    )


def _session_template(s: Mapping[str, Any]) -> SessionTemplate:
    return SessionTemplate(
        unique_name=s["uniqueName"],
        name=s.get("name", s["uniqueName"]),
        type=s.get("type", "generic"),
        title=s.get("title", ""),
        panel_mode=s.get("panelMode", "docked"),
        anchor_tab=s.get("anchorTab"),
        additional_tabs=tuple(s.get("additionalTabs", ())),
        tags=tuple(s.get("tags", ())),
        apply_title_to_anchor_tab=bool(s.get("applyTitleToAnchorTab", False)),
    )


def _notification_template(n: Mapping[str, Any]) -> NotificationTemplate:
    fields = tuple(
        NotificationField(
            name=f["name"], title=f["title"], value=f["value"], order=int(f.get("order", 0))
        )
        for f in n.get("fields", ())
    )
    return NotificationTemplate(
        unique_name=n["uniqueName"],
        name=n.get("name", n["uniqueName"]),
        title=n["title"],
        icon=n.get("icon", DEFAULT_NOTIFICATION_ICON),
        show_timeout=bool(n.get("showTimeout", True)),
        timeout=int(n.get("timeout", DEFAULT_NOTIFICATION_TIMEOUT)),
        auto_accept=bool(n.get("autoAccept", False)),
        accept_button_text=n.get("acceptButtonText", "Accept"),
        show_reject_button=bool(n.get("showRejectButton", True)),
        reject_button_text=n.get("rejectButtonText", "Reject"),
        desktop_notification_mode=n.get("desktopNotificationMode", "never"),
        theme=n.get("theme", "dark"),
        fields=fields,
    )
