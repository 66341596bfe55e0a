"""The workspace as the agent page and the control API show it."""

from __future__ import annotations

from typing import Any

from .engine import Engine
from .engine.state import Session


def workspace_view(engine: Engine) -> dict[str, Any]:
    """Return everything the agent sees, as JSON-ready data."""
    workspace = engine.workspace
    open_sessions = len(workspace.sessions) - 1
    return {
        "focusedSessionId": workspace.focused,
        "maxSessions": engine.config.max_sessions,
        "canCreateSession": open_sessions < engine.config.max_sessions,
        "panel": {"mode": workspace.panel.mode, "width": workspace.panel.width},
        "sessions": [session_view(s, workspace.focused) for s in workspace.sessions.values()],
        "providers": [
            {"uniqueName": p.unique_name, "label": p.label, "landingUrl": p.landing_url}
            for p in engine.config.providers
        ],
        "tabTemplates": [
            {"uniqueName": t.unique_name, "name": t.name, "pageType": t.page_type}
            for t in engine.config.tab_templates.values()
        ],
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
