"""Notifications: the toasts notifyEvent raises and the agent answers (reference §2.5, §4.3, §5).

Rules:
- notifyEvent names a notification template; its title, icon and field values resolve slugs
  from `templateParameters`; the agent sees the title and at most 4 fields, by `order`, leaving
  out fields that resolve empty;
- a missing templateName rejects RejectAfterClientError, an unknown one
  NotificationTemplateNotFoundError, both with msdyn_name "NotifyEvent" as the docs spell it;
- an autoAccept template resolves Accept/AutoAccept at once, without showing anything;
- one notification is displayed at a time; the others queue, at most
  `max_queued_notifications` (10); one more resolves Reject/NotificationQueueLimitExceeded;
- a queued one that waits `notification_queue_seconds` (30 s) resolves
  Reject/NotificationQueueTimeLimitExceeded;
- the next queued one is displayed 2 s after the displayed one closes [SRC];
- a displayed one left unanswered for its template's timeout resolves Timeout/DisplayTimeout
  (the docs; the 2020 source answered Reject, §8.21);
- the agent's accept resolves Accept/Accept, reject Reject/DeclinedByAgent; the agent answers
  only the displayed notification, and rejects only where the template shows a Reject button;
- cancelEvent(token) resolves the token and closes the caller's notifications raised with it,
  whose notifyEvent resolves Cancel/Cancelled; with nothing to cancel it rejects
  RejectAfterClientError (msdyn_name "CancelEvent");
- the host raises notifications of its own (an incoming conversation, `raise_for_host`): they
  queue, show and time out like the others, but no widget waits for them: their answer goes to
  the feature named by `Notification.host` (its `notification_hosts` hook), which may refuse
  the agent's answer beforehand (accepting needs room for a session);
- time moves only on the injected clock: the timer fires deadlines in the order they fell due, and
  notifyEvent first applies what fell due before it (cancelEvent and the agent act on the
  state as of the last deadline fired, so that a refusal never loses an answer already due).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from cifbridge.engine.base import slugs
from cifbridge.engine.base.context import DEFERRED, CallContext
from cifbridge.engine.base.deadlines import DeadlineTimer, Due
from cifbridge.engine.base.errors import (
    NOT_FOUND,
    AgentActionRefused,
    CancelEventFailed,
    HostError,
    NotifyEventFailed,
)
from cifbridge.engine.base.feature import Feature, NotificationAnswer
from cifbridge.engine.base.state import JSON, Notification, Workspace
from cifbridge.engine.base.texts import (
    BRIDGE_STOPPED,
    NOTIFICATION_TEMPLATE_NOT_FOUND,
    REJECT_AFTER_CLIENT_ERROR,
    WORKSPACE_RESET,
)
from cifbridge.engine.cif.queries import displayed, queued
from cifbridge.engine.config.workspace import NotificationTemplate

NOTIFY_EVENT = "notifyEvent"
MAX_FIELDS = 4
DISPLAY_GAP_SECONDS = 2.0

# (actionName, responseReason) pairs the widget's notifyEvent promise resolves with.
Response = NotificationAnswer
ACCEPTED: Response = ("Accept", "Accept")
AUTO_ACCEPTED: Response = ("Accept", "AutoAccept")
DECLINED: Response = ("Reject", "DeclinedByAgent")
QUEUE_FULL: Response = ("Reject", "NotificationQueueLimitExceeded")
QUEUE_EXPIRED: Response = ("Reject", "NotificationQueueTimeLimitExceeded")
DISPLAY_TIMEOUT: Response = ("Timeout", "DisplayTimeout")
# Not in the CIF docs' table: the older page lists responseReason "Cancelled", the platform's
# notification SDK answers NotificationAction "Cancel" with it.
CANCELLED: Response = ("Cancel", "Cancelled")


def response(answer: Response) -> dict[str, str]:
    """Return the object the notifyEvent promise carries (the shim makes it a JSON string)."""
    action, reason = answer
    return {"actionName": action, "responseReason": reason}


def notify_event(ctx: CallContext, args: dict[str, Any]) -> Any:
    """Raise a notification for the agent; the answer comes when it closes."""
    request = args.get("input") or {}
    name = request.get("templateName")
    if name is None:
        raise NotifyEventFailed(REJECT_AFTER_CLIENT_ERROR)
    template = ctx.config.notification_templates.get(name)
    if template is None:
        raise NotifyEventFailed(NOTIFICATION_TEMPLATE_NOT_FOUND)
    # Only now, past every refusal: a raise would lose the answers that catching up settles.
    DEADLINES.catch_up(ctx)
    if template.auto_accept:
        return _answer_now(ctx, AUTO_ACCEPTED)
    provider = ctx.provider or ""
    pending = ctx.workspace.notifications
    if any(n.provider == provider and n.request_id == ctx.request_id for n in pending):
        return DEFERRED  # a retry of a call still pending: it must not queue twice
    now = ctx.clock()
    if not _can_show(ctx.workspace, now) and (
        len(queued(ctx.workspace)) >= ctx.config.max_queued_notifications
    ):
        return _answer_now(ctx, QUEUE_FULL)
    _raise(ctx, template, request, args.get("cancellationToken"), provider)
    return DEFERRED


def _answer_now(ctx: CallContext, answer: Response) -> dict[str, str]:
    # Marked as a change so the dispatcher remembers the answer for a retried request.
    ctx.changed()
    return response(answer)


def _raise(
    ctx: CallContext,
    template: NotificationTemplate,
    request: Mapping[str, Any],
    token: str | None,
    provider: str,
) -> None:
    workspace = ctx.workspace
    now = ctx.clock()
    bags = [request.get("templateParameters") or {}]
    workspace.notifications.append(
        Notification(
            id=f"notification-id-{workspace.next_notification}",
            provider=provider,
            request_id=ctx.request_id,
            template=template.unique_name,
            title=slugs.resolve(template.title, bags),
            icon=slugs.resolve(template.icon, bags),
            fields=displayed_fields(template, bags),
            cancellation_token=token or None,
            timeout=float(template.timeout),
            queued_at=now,
            queue_deadline=now + ctx.config.notification_queue_seconds,
        )
    )
    workspace.next_notification += 1
    ctx.changed()
    if _can_show(workspace, now):
        _show(ctx, workspace.notifications[-1], now)


def raise_for_host(
    ctx: CallContext,
    template_name: str,
    parameters: Mapping[str, Any],
    *,
    host: str,
    subject: str,
    provider: str,
) -> Notification | None:
    """Raise a notification the host answers itself; None when the queue is full."""
    template = ctx.config.notification_templates[template_name]
    DEADLINES.catch_up(ctx)
    workspace = ctx.workspace
    if not _can_show(workspace, ctx.clock()) and (
        len(queued(workspace)) >= ctx.config.max_queued_notifications
    ):
        return None
    _raise(ctx, template, {"templateParameters": dict(parameters)}, None, provider)
    notification = workspace.notifications[-1]
    notification.host, notification.subject = host, subject
    notification.request_id = f"{host}:{subject}"
    if template.auto_accept:
        close(ctx, notification, AUTO_ACCEPTED, ctx.clock())
    return notification


def displayed_fields(
    template: NotificationTemplate, bags: Sequence[Mapping[str, Any]]
) -> list[dict[str, JSON]]:
    """Resolve the template's fields by order, dropping empty ones, keeping at most 4."""
    shown: list[dict[str, JSON]] = []
    for field in sorted(template.fields, key=lambda f: f.order):
        value = slugs.resolve(field.value, bags)
        if value.strip():
            shown.append({"name": field.name, "title": field.title, "value": value})
    return shown[:MAX_FIELDS]


def _can_show(workspace: Workspace, now: float) -> bool:
    return displayed(workspace) is None and now >= workspace.notifications_resume_at


def _show(ctx: CallContext, notification: Notification, at: float) -> None:
    notification.shown_at = at
    notification.display_deadline = at + notification.timeout
    ctx.changed()


def close(ctx: CallContext, notification: Notification, answer: Response, at: float) -> None:
    """Take a notification away and answer its notifyEvent."""
    workspace = ctx.workspace
    workspace.notifications.remove(notification)
    if notification.shown_at is not None:
        workspace.notifications_resume_at = at + DISPLAY_GAP_SECONDS
    if notification.host is not None:
        ctx.hooks.notification_hosts[notification.host].answered(ctx, notification, answer)
        ctx.changed()
        return
    ctx.settle(notification.provider, notification.request_id, NOTIFY_EVENT, response(answer))


def cancel_event(ctx: CallContext, args: dict[str, Any]) -> str:
    """Close the caller's notifications raised with this token and resolve the token."""
    token = args.get("cancellationToken")
    matching = [
        n
        for n in ctx.workspace.notifications
        if token and n.provider == ctx.provider and n.cancellation_token == token
    ]
    if not matching:
        raise CancelEventFailed(REJECT_AFTER_CLIENT_ERROR)
    now = ctx.clock()
    for notification in matching:
        close(ctx, notification, CANCELLED, now)
    return str(token)


# ---------------------------------------------------------------------------------------------
# Time
# ---------------------------------------------------------------------------------------------

_TIMED_OUT, _EXPIRED, _SHOWN = 0, 1, 2  # at equal times, in this order


def _next_event(workspace: Workspace) -> Due | None:
    events: list[tuple[float, int, Notification]] = []
    shown = displayed(workspace)
    if shown is not None and shown.display_deadline is not None:
        events.append((shown.display_deadline, _TIMED_OUT, shown))
    waiting = queued(workspace)
    events.extend((n.queue_deadline, _EXPIRED, n) for n in waiting)
    if shown is None and waiting:
        # Never before it was raised, even when a deadline is applied late.
        at = max(workspace.notifications_resume_at, waiting[0].queued_at)
        events.append((at, _SHOWN, waiting[0]))
    event = min(events, key=lambda e: (e[0], e[1]), default=None)
    if event is None:
        return None
    at, kind, notification = event
    if kind == _SHOWN:
        return at, lambda ctx, when: _show(ctx, notification, when)
    answer = DISPLAY_TIMEOUT if kind == _TIMED_OUT else QUEUE_EXPIRED
    return at, lambda ctx, when: close(ctx, notification, answer, when)


# Display timeouts, queue expiry, and the next notification after the gap.
DEADLINES = DeadlineTimer(_next_event)


# ---------------------------------------------------------------------------------------------
# The agent's side
# ---------------------------------------------------------------------------------------------


def _answerable(ctx: CallContext, notification_id: str | None) -> Notification:
    shown = displayed(ctx.workspace)
    if notification_id is None:
        if shown is None:
            raise AgentActionRefused("No notification is displayed")
        return shown
    found = next((n for n in ctx.workspace.notifications if n.id == notification_id), None)
    if found is None:
        raise AgentActionRefused(f"Notification {notification_id} is not pending", NOT_FOUND)
    if found is not shown:
        raise AgentActionRefused(
            f"Notification {notification_id} is queued; only the displayed one can be answered"
        )
    return found


def accept_notification(ctx: CallContext, notification_id: str | None = None) -> str:
    """Agent action: press Accept on the displayed notification (by id, or whichever it is)."""
    notification = _answerable(ctx, notification_id)
    _refuse_for_host(ctx, notification, ACCEPTED)
    close(ctx, notification, ACCEPTED, ctx.clock())
    return notification.id


def reject_notification(ctx: CallContext, notification_id: str | None = None) -> str:
    """Agent action: press Reject on the displayed notification (by id, or whichever it is)."""
    notification = _answerable(ctx, notification_id)
    template = ctx.config.notification_templates.get(notification.template)
    if template is not None and not template.show_reject_button:
        raise AgentActionRefused(f"Notification {notification.id} has no Reject button")
    _refuse_for_host(ctx, notification, DECLINED)
    close(ctx, notification, DECLINED, ctx.clock())
    return notification.id


def _refuse_for_host(ctx: CallContext, notification: Notification, answer: Response) -> None:
    if notification.host is not None:
        reason = ctx.hooks.notification_hosts[notification.host].refusal(ctx, notification, answer)
        if reason is not None:
            raise AgentActionRefused(reason)


def abandon_all(ctx: CallContext, reason: str = WORKSPACE_RESET) -> None:
    """Answer every pending notifyEvent with an error before the workspace is reset.

    Otherwise a widget's promise would wait forever for an agent who no longer sees it.
    """
    for notification in list(ctx.workspace.notifications):
        ctx.workspace.notifications.remove(notification)
        if notification.host is not None:
            continue  # the host's own: nobody waits for an answer
        error = HostError(reason)
        ctx.settle_error(notification.provider, notification.request_id, NOTIFY_EVENT, error)


def abandon_on_stop(ctx: CallContext) -> None:
    """Withdraw every notification before the bridge stops, answering its notifyEvent."""
    abandon_all(ctx, BRIDGE_STOPPED)


FEATURE = Feature(
    name="notifications",
    handlers={"notifyEvent": notify_event, "cancelEvent": cancel_event},
    agent_actions={
        "acceptNotification": accept_notification,
        "rejectNotification": reject_notification,
    },
    timers=(DEADLINES,),
    on_reset=(abandon_all,),
    on_stop=(abandon_on_stop,),
)
