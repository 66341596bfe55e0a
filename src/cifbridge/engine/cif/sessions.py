"""The session half of CIF 2.0: create, inspect, title and flag sessions.

Rules (reference §1.4, §2.7):
- a provider sees only the sessions it created, plus the Home session where the API allows it;
- at most `max_sessions` sessions besides Home; then canCreateSession is false and
  createSession rejects;
- createSession takes Generic templates only, opens the session focused with its anchor tab
  first and the additional tabs after it;
- templateParameters keys naming an application tab template hold that tab's own parameters;
  every other key is global and lands in the session's parameter bag;
- requestFocusSession raises an attention indicator; it never moves focus.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from cifbridge.engine.base import diagnostics, slugs
from cifbridge.engine.base.context import CallContext
from cifbridge.engine.base.errors import (
    NotAllowedForProvider,
    SessionLimitReached,
    SessionNotFound,
    TemplateNotFound,
)
from cifbridge.engine.base.feature import Feature
from cifbridge.engine.base.state import Session
from cifbridge.engine.base.texts import (
    GENERIC_ONLY,
    MAX_SESSIONS,
    NOT_PROVIDER_SESSION,
    session_does_not_exist,
    template_not_found,
)
from cifbridge.engine.cif import focus
from cifbridge.engine.cif.tab_templates import anchor_bag, open_tab
from cifbridge.engine.config.workspace import SessionTemplate
from cifbridge.engine.dataverse import odata

PANEL_MODES = {"minimized": 0, "docked": 1, "hidden": 2}


def open_session_count(ctx: CallContext) -> int:
    """Count the sessions that count against the limit (all but Home)."""
    return sum(1 for s in ctx.workspace.sessions.values() if not s.is_home)


def own_session(ctx: CallContext, session_id: str, *, allow_home: bool) -> Session:
    """Return the caller's session, or reject as if it did not exist."""
    session = ctx.workspace.session(session_id)
    visible = session is not None and (
        session.provider == ctx.provider or (allow_home and session.is_home)
    )
    if session is None or not visible:
        raise SessionNotFound(session_does_not_exist(session_id))
    return session


def can_create_session(ctx: CallContext, args: dict[str, Any]) -> bool:
    """Tell whether the workspace has room for another session."""
    return open_session_count(ctx) < ctx.config.max_sessions


def create_session(ctx: CallContext, args: dict[str, Any]) -> str:
    """Create a focused session from a Generic session template and return its id."""
    request = args["input"]
    if not can_create_session(ctx, args):
        raise SessionLimitReached(MAX_SESSIONS)
    template = _find_template(ctx, request)
    if template.type != "generic":
        raise TemplateNotFound(GENERIC_ONLY.format(name=template.unique_name, type=template.type))
    session = _new_session(ctx, template, request)
    if template.anchor_tab:
        open_tab(ctx, session, template.anchor_tab, {}, anchor=True, focus=True)
        # The anchor's record is known now, so {anchor.<attribute>} resolves in the title.
        session.title = session_title(ctx, template, session, [session.parameters])
        if template.apply_title_to_anchor_tab:
            session.tabs[0].title = session.title
    for name in template.additional_tabs:
        open_tab(ctx, session, name, {})
    warn_unfilled_title(ctx, "createSession", template, session, [session.parameters])
    for name, given in session.tab_parameters.items():
        tab = ctx.config.tab_templates[name]
        configured = {n: (p.is_runtime, p.value) for n, p in tab.parameters.items()}
        ctx.warn(*diagnostics.ignored_runtime_parameters(name, configured, given))
    ctx.workspace.panel.mode = PANEL_MODES.get(template.panel_mode, ctx.workspace.panel.mode)
    focus.focus(ctx, session.id)
    return session.id


def _find_template(ctx: CallContext, request: dict[str, Any]) -> SessionTemplate:
    templates = ctx.config.session_templates
    name = request.get("templateName")
    if name is not None:
        if name in templates:
            return templates[name]
        ctx.warn(diagnostics.unknown_template("createSession", "session template", name, templates))
        raise TemplateNotFound(template_not_found(name))
    tag = request.get("templateTag", "")
    found = next((t for t in templates.values() if tag in t.tags), None)
    if found is None:
        raise TemplateNotFound(template_not_found(tag))
    return found


def _new_session(ctx: CallContext, template: SessionTemplate, request: dict[str, Any]) -> Session:
    parameters = dict(request.get("templateParameters") or {})
    tab_parameters = {
        key: parameters.pop(key)
        for key in list(parameters)
        if key in ctx.config.tab_templates and isinstance(parameters[key], dict)
    }
    customer = request.get("customerName", parameters.get("customerName"))
    if customer is not None:
        parameters["customerName"] = customer
    workspace = ctx.workspace
    session = Session(
        id=f"session-id-{workspace.next_session}",
        provider=ctx.provider,
        template=template.unique_name,
        title="",
        context=request.get("context"),
        parameters=parameters,
        tab_parameters=tab_parameters,
        created_at=ctx.clock(),
    )
    session.title = session_title(ctx, template, session, [parameters])
    workspace.next_session += 1
    workspace.sessions[session.id] = session
    ctx.changed()
    return session


def warn_unfilled_title(
    ctx: CallContext,
    api: str,
    template: SessionTemplate,
    session: Session,
    bags: list[dict[str, Any]],
) -> None:
    """Warn of slugs in the session's title that nothing filled (the title lost text)."""
    where = f"{api}: the title of session template {template.unique_name}"
    found = diagnostics.unfilled_slugs(where, template.title, [*bags, anchor_bag(session, ctx)])
    ctx.warn(*found)


def session_title(
    ctx: CallContext, template: SessionTemplate, session: Session, bags: list[dict[str, Any]]
) -> str:
    """Resolve a session template's title: the bags, then the anchor tab and its record."""
    every: list[Mapping[str, Any]] = [*bags, anchor_bag(session, ctx)]
    return slugs.resolve(template.title, every, odata.slug_resolver(ctx)) or template.name


def get_session(ctx: CallContext, args: dict[str, Any]) -> dict[str, Any]:
    """Describe one of the caller's sessions (the shim turns this into a Map)."""
    session = own_session(ctx, args["sessionId"], allow_home=True)
    return {
        "sessionId": session.id,
        "focused": ctx.workspace.focused == session.id,
        "context": session.context,
        "conversationId": session.conversation_id,
    }


def get_focused_session(ctx: CallContext, args: dict[str, Any]) -> str | None:
    """Return the focused session id if it is Home or the caller's, else null."""
    focused = ctx.workspace.sessions[ctx.workspace.focused]
    if focused.is_home or focused.provider == ctx.provider:
        return focused.id
    return None


def get_all_sessions(ctx: CallContext, args: dict[str, Any]) -> list[str]:
    """List the caller's open sessions in creation order."""
    return [s.id for s in ctx.workspace.sessions.values() if s.provider == ctx.provider]


def set_session_title(ctx: CallContext, args: dict[str, Any]) -> str:
    """Re-resolve the session template's title with the given slug values."""
    request = dict(args["input"])
    session_id = request.pop("sessionId", None)
    if session_id is None:
        # §1.4: allowed when the focused session is the caller's or the Home session.
        session = ctx.workspace.sessions[ctx.workspace.focused]
        if session.provider != ctx.provider and not session.is_home:
            raise NotAllowedForProvider(NOT_PROVIDER_SESSION)
    else:
        session = own_session(ctx, session_id, allow_home=False)
    template = ctx.config.session_templates.get(session.template or "")
    if template is not None and template.title:
        bags = [request, session.parameters]
        title = session_title(ctx, template, session, bags)
        warn_unfilled_title(ctx, "setSessionTitle", template, session, bags)
    else:
        title = slugs.as_text(request.get("title", session.title))
    session.title = title
    if template is not None and template.apply_title_to_anchor_tab and session.tabs:
        session.tabs[0].title = title
    ctx.changed()
    return title


def request_focus_session(ctx: CallContext, args: dict[str, Any]) -> None:
    """Draw the agent's attention to a session without switching to it."""
    session = own_session(ctx, args["sessionId"], allow_home=False)
    if ctx.workspace.focused == session.id:
        return
    session.attention = True
    session.attention_count = args.get("messagesCount")
    ctx.changed()


FEATURE = Feature(
    name="sessions",
    handlers={
        "canCreateSession": can_create_session,
        "createSession": create_session,
        "getSession": get_session,
        "getFocusedSession": get_focused_session,
        "getAllSessions": get_all_sessions,
        "setSessionTitle": set_session_title,
        "requestFocusSession": request_focus_session,
    },
)
