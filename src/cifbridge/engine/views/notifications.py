"""The notification toast and its queue as the agent page and the control API show them."""

from __future__ import annotations

from cifbridge.engine.base.state import JSON, Notification, Workspace
from cifbridge.engine.cif.queries import displayed, queued
from cifbridge.engine.config.workspace import NotificationTemplate, WorkspaceConfig


def view(workspace: Workspace, config: WorkspaceConfig, now: float) -> dict[str, JSON]:
    """Describe the displayed notification and the queue for the agent page and control API."""
    shown = displayed(workspace)
    waiting = queued(workspace)
    return {
        "displayed": None if shown is None else _displayed_view(shown, config, now),
        "queued": [
            {
                "id": n.id,
                "providerId": n.provider,
                "template": n.template,
                "title": n.title,
                "queuedAt": n.queued_at,
                "host": n.host,  # "conversation": raised for an incoming conversation
                "subject": n.subject,  # then the conversation's id
                "expiresAt": n.queue_deadline,
            }
            for n in waiting
        ],
        "queueLength": len(waiting),
        "maxQueued": config.max_queued_notifications,
    }


def _displayed_view(n: Notification, config: WorkspaceConfig, now: float) -> dict[str, JSON]:
    template = config.notification_templates.get(n.template) or NotificationTemplate(
        n.template, n.template, n.title
    )
    deadline = n.display_deadline if n.display_deadline is not None else now
    return {
        "id": n.id,
        "providerId": n.provider,
        "template": n.template,
        "title": n.title,
        "icon": n.icon,
        "fields": n.fields,
        "host": n.host,
        "subject": n.subject,
        "acceptButtonText": template.accept_button_text,
        "showRejectButton": template.show_reject_button,
        "rejectButtonText": template.reject_button_text,
        "showTimeout": template.show_timeout,
        "theme": template.theme,
        "desktopNotificationMode": template.desktop_notification_mode,
        "timeout": n.timeout,
        "shownAt": n.shown_at,
        "deadline": deadline,
        "secondsLeft": max(0.0, deadline - now),
    }
