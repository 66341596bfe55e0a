"""The workspace as the agent page and the control API show it."""

from __future__ import annotations

from typing import Any

from cifbridge.engine.base.state import Session
from cifbridge.engine.cif.queries import (
    active_provider,
    click_to_act_enabled,
    current_presence,
    presence_list,
)
from cifbridge.engine.views import EngineState
from cifbridge.engine.views.conversations import omnichannel_view, session_extras
from cifbridge.engine.views.notifications import view as notification_view
from cifbridge.engine.views.overlays import overlays_view


def workspace_view(engine: EngineState) -> dict[str, Any]:
    """Return everything the agent sees, as JSON-ready data."""
    workspace = engine.workspace
    open_sessions = len(workspace.sessions) - 1
    return {
        "focusedSessionId": workspace.focused,
        "maxSessions": engine.config.max_sessions,
        "canCreateSession": open_sessions < engine.config.max_sessions,
        "panel": {"mode": workspace.panel.mode, "width": workspace.panel.width},
        "sessions": [
            {**session_view(s, workspace.focused), **session_extras(engine, s)}
            for s in workspace.sessions.values()
        ],
        "providers": [
            {
                "uniqueName": p.unique_name,
                "label": p.label,
                "landingUrl": p.landing_url,
                "clickToAct": click_to_act_enabled(workspace, engine.config, p.unique_name),
            }
            for p in engine.config.providers
        ],
        **agent_view(engine),
        "tabTemplates": [
            {"uniqueName": t.unique_name, "name": t.name, "pageType": t.page_type}
            for t in engine.config.tab_templates.values()
        ],
        # The displayed toast (title, fields, labels, countdown deadline) and the queue.
        "notifications": notification_view(workspace, engine.config, engine.clock()),
        # Conversations, capacity and thresholds (per session: sentimentAlert, omnichannel).
        "omnichannel": omnichannel_view(engine),
        # Dialogs, message bars, the progress indicator and the notes flap widgets opened.
        "overlays": overlays_view(workspace, engine.clock()),
    }


def agent_view(engine: EngineState) -> dict[str, Any]:
    """Return the agent's presence, the active provider, conversations and analytics events."""
    workspace, config = engine.workspace, engine.config
    return {
        "presence": current_presence(workspace, config),
        "presences": presence_list(workspace, config),
        "activeProvider": active_provider(workspace, config),
        "conversations": workspace.conversations,
        "analytics": workspace.analytics,
        # Bumped by every record write: open forms refresh the fields the agent left alone.
        # The org's records: another agent's write refreshes this page's forms too.
        "recordsVersion": engine.records.version,
    }


def session_view(session: Session, focused_id: str) -> dict[str, Any]:
    """Return one session as the session panel shows it."""
    return {
        "id": session.id,
        "title": session.title,
        "providerId": session.provider,
        "template": session.template,
        "focused": session.id == focused_id,
        "unread": session.unread,
        "attention": session.attention,
        "attentionCount": session.attention_count,
        "kpiBreach": session.kpi_breach,
        "kpiBreachDetails": session.kpi_details,
        # notifyNewActivity's badge: `unread` as the count, a blue dot when it is 0.
        "newActivity": session.new_activity,
        "context": session.context,
        "conversationId": session.conversation_id,
        "focusedTabId": session.focused_tab,
        "tabs": [
            {
                "id": t.id,
                "title": t.title,
                "template": t.template,
                "pageType": t.page_type,
                "anchor": t.anchor,
                "closable": t.closable,
                "parameters": t.parameters,
                "refreshCount": t.refresh_count,
            }
            for t in session.tabs
        ],
    }
