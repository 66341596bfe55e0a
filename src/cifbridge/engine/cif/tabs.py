"""Application tabs as widgets and the agent drive them (reference §2.6, §1.4, §4.2).

Rules:
- every tab call acts on the focused session, and only when it is the caller's own or the Home
  session; otherwise it rejects with the host's text (createTabInHomeSession always acts on Home);
- a tab id that is not open in that session is refused;
- createTab opens a tab from an application tab template (`templateName`, or the older
  `templateTag`) and answers its id; it takes focus only with `isFocused: true` (default false)
  or when the session has no focused tab yet; it never switches sessions;
- `templateParameters`: a key naming the template holds that template's own values, the other
  keys are global; the older `appContext` (a Map, sent by the shim as an object) adds slug values
  beneath both; the values are kept on the tab as slug values for setTabTitle;
- getTabs lists the focused session's tabs opened from the named template, else from templates
  carrying the tag; null when there are none;
- getFocusedTab answers null, never rejects, when the focused session is another provider's;
- setTabTitle re-resolves the template title with `input` as slug values (then the tab's own
  values); a template without a title takes `input.title`;
- refreshTab counts reloads, so the workspace page reloads the tab;
- the anchor tab and tabs whose template has canClose false cannot be closed (by widget or
  agent); closing the focused tab focuses its right-hand neighbour, else its left-hand one.

errorCode on every host error of these calls (the docs give the field, not the numbers; these
are cifbridge's and stable):
    1  the focused session is neither the Home session nor the caller's
    2  no application tab template has that name or tag
    3  the tab is not open in the focused session
    4  the tab cannot be closed
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from cifbridge.engine.base import diagnostics, slugs
from cifbridge.engine.base.context import CallContext
from cifbridge.engine.base.errors import (
    CONFLICT,
    NOT_FOUND,
    AgentActionRefused,
    NotAllowedForProvider,
    TabNotClosable,
    TabNotFound,
    TemplateNotFound,
)
from cifbridge.engine.base.feature import Feature
from cifbridge.engine.base.state import Session, Tab
from cifbridge.engine.base.texts import (
    ANCHOR_TAB_NOT_CLOSABLE,
    NOT_PROVIDER_SESSION,
    tab_not_closable,
    tab_not_in_focused_session,
    tab_template_not_found,
)
from cifbridge.engine.cif.tab_templates import open_tab, tab_bags, tab_title
from cifbridge.engine.config.workspace import HOME_SESSION_ID, TabTemplate

NOT_PROVIDER_SESSION_CODE = 1
TEMPLATE_NOT_FOUND_CODE = 2
TAB_NOT_FOUND_CODE = 3
TAB_NOT_CLOSABLE_CODE = 4


def acting_session(ctx: CallContext) -> Session:
    """Return the focused session if the caller may act on it (§1.4), else reject."""
    session = ctx.workspace.sessions[ctx.workspace.focused]
    if session.is_home or session.provider == ctx.provider:
        return session
    raise NotAllowedForProvider(NOT_PROVIDER_SESSION, error_code=NOT_PROVIDER_SESSION_CODE)


def find_tab(session: Session, tab_id: str) -> Tab | None:
    """Return the session's tab with this id, if open."""
    return next((t for t in session.tabs if t.id == tab_id), None)


def focused_tab(ctx: CallContext, tab_id: str) -> tuple[Session, Tab]:
    """Return the acting session and its tab `tab_id`, or reject."""
    session = acting_session(ctx)
    tab = find_tab(session, tab_id)
    if tab is None:
        raise TabNotFound(tab_not_in_focused_session(tab_id), error_code=TAB_NOT_FOUND_CODE)
    return session, tab


def find_template(ctx: CallContext, request: Mapping[str, Any]) -> TabTemplate:
    """Pick the application tab template by unique name, else by tag, or reject."""
    templates = ctx.config.tab_templates
    name = request.get("templateName")
    if name is not None:
        found = templates.get(name)
        key, value = "name", name
    else:
        value = request.get("templateTag", "")
        found = next((t for t in templates.values() if value in t.tags), None)
        key = "tag"
    if found is None:
        if key == "name":
            kind = "application tab template"
            ctx.warn(diagnostics.unknown_template("createTab", kind, value, templates))
        raise TemplateNotFound(
            tab_template_not_found(key, value), error_code=TEMPLATE_NOT_FOUND_CODE
        )
    return found


def runtime_values(template_name: str, request: Mapping[str, Any]) -> dict[str, Any]:
    """Merge appContext, global parameters and the template's own parameters (later wins)."""
    parameters = dict(request.get("templateParameters") or {})
    own = parameters.pop(template_name, None)
    if not isinstance(own, dict):
        own = {}
    app_context = request.get("appContext")
    context = dict(app_context) if isinstance(app_context, dict) else {}
    return {**context, **parameters, **own}


def open_from_request(ctx: CallContext, session: Session, request: Mapping[str, Any]) -> Tab:
    """Open a tab in `session` as createTab's input describes."""
    template = find_template(ctx, request)
    runtime = runtime_values(template.unique_name, request)
    focus = request.get("isFocused") is True
    given = dict(request.get("templateParameters") or {})
    own = given.pop(template.unique_name, None)
    passed = [*given, *(own if isinstance(own, dict) else {})]
    configured = {n: (p.is_runtime, p.value) for n, p in template.parameters.items()}
    ctx.warn(*diagnostics.ignored_runtime_parameters(template.unique_name, configured, passed))
    tab = open_tab(ctx, session, template.unique_name, runtime, focus=focus)
    where = f"createTab: the title of application tab template {template.unique_name}"
    bags = [runtime, *tab_bags({**runtime, **tab.parameters}, session, ctx)]
    ctx.warn(*diagnostics.unfilled_slugs(where, template.title, bags))
    return tab


def create_tab(ctx: CallContext, args: dict[str, Any]) -> str:
    """Open a tab in the focused session and return its id."""
    return open_from_request(ctx, acting_session(ctx), args["input"]).id


def create_tab_in_home_session(ctx: CallContext, args: dict[str, Any]) -> str:
    """Open a tab in the Home session, wherever the focus is, and return its id."""
    home = ctx.workspace.sessions[HOME_SESSION_ID]
    return open_from_request(ctx, home, args["input"]).id


def get_tabs(ctx: CallContext, args: dict[str, Any]) -> list[str] | None:
    """List the focused session's tabs from a template, by name first, else by tag."""
    session = acting_session(ctx)
    found = [t.id for t in session.tabs if t.template == args["name"]]
    tag = args.get("tags")
    if not found and tag:
        tagged = {n for n, t in ctx.config.tab_templates.items() if tag in t.tags}
        found = [t.id for t in session.tabs if t.template in tagged]
    return found or None


def focus_tab(ctx: CallContext, args: dict[str, Any]) -> None:
    """Focus a tab of the focused session."""
    session, tab = focused_tab(ctx, args["tabId"])
    session.focused_tab = tab.id
    ctx.changed()


def get_focused_tab(ctx: CallContext, args: dict[str, Any]) -> str | None:
    """Return the focused session's focused tab, or null if that session is not for the caller."""
    session = ctx.workspace.sessions[ctx.workspace.focused]
    if session.is_home or session.provider == ctx.provider:
        return session.focused_tab
    return None


def refresh_tab(ctx: CallContext, args: dict[str, Any]) -> None:
    """Ask the workspace to reload a tab of the focused session."""
    _, tab = focused_tab(ctx, args["tabId"])
    tab.refresh_count += 1
    ctx.changed()


def set_tab_title(ctx: CallContext, args: dict[str, Any]) -> str:
    """Re-resolve a tab's title with the given slug values and return it."""
    session, tab = focused_tab(ctx, args["tabId"])
    request = args["input"]
    template = ctx.config.tab_templates.get(tab.template)
    if template is not None and template.title:
        own = {**session.tab_parameters.get(tab.template, {}), **tab.runtime, **tab.parameters}
        tab.title = tab_title(template, session, own, first=request, ctx=ctx)
        where = f"setTabTitle: the title of application tab template {template.unique_name}"
        bags = [request, *tab_bags(own, session, ctx)]
        ctx.warn(*diagnostics.unfilled_slugs(where, template.title, bags))
    elif request.get("title") is not None:
        tab.title = slugs.as_text(request["title"])
    ctx.changed()
    return tab.title


def close_tab(ctx: CallContext, args: dict[str, Any]) -> None:
    """Close a tab of the focused session, unless its template keeps it open."""
    session, tab = focused_tab(ctx, args["tabId"])
    refusal = closing_refusal(tab)
    if refusal is not None:
        raise TabNotClosable(refusal, error_code=TAB_NOT_CLOSABLE_CODE)
    remove_tab(ctx, session, tab)


def closing_refusal(tab: Tab) -> str | None:
    """Say why the tab cannot be closed, or None when it can."""
    if tab.anchor:
        return ANCHOR_TAB_NOT_CLOSABLE
    if not tab.closable:
        return tab_not_closable(tab.id, tab.template)
    return None


def remove_tab(ctx: CallContext, session: Session, tab: Tab) -> None:
    """Remove a tab; if it had focus, its right-hand neighbour (else left-hand) takes it."""
    # Work a tab holds is settled first (a quick create form's openForm): on_tab_closed hooks.
    for hook in ctx.hooks.on_tab_closed:
        hook(ctx, tab)
    index = session.tabs.index(tab)
    session.tabs.pop(index)
    if session.focused_tab == tab.id:
        neighbours = session.tabs[index : index + 1] or session.tabs[index - 1 : index]
        session.focused_tab = neighbours[0].id if neighbours else None
    ctx.changed()


def agent_session(ctx: CallContext, session_id: str) -> Session:
    """Return an open session for an agent action, or refuse with 404."""
    session = ctx.workspace.session(session_id)
    if session is None:
        raise AgentActionRefused(f"Session {session_id} is not open", NOT_FOUND)
    return session


def agent_tab(ctx: CallContext, session_id: str, tab_id: str) -> tuple[Session, Tab]:
    """Return an open session and one of its tabs for an agent action, or refuse with 404."""
    session = agent_session(ctx, session_id)
    tab = find_tab(session, tab_id)
    if tab is None:
        raise AgentActionRefused(f"Tab {tab_id} is not open in session {session_id}", NOT_FOUND)
    return session, tab


def agent_open_tab(
    ctx: CallContext,
    session_id: str,
    template_name: str,
    template_parameters: Mapping[str, Any] | None = None,
) -> str:
    """Agent action: open a tab from a template with the "+" menu; it takes focus."""
    session = agent_session(ctx, session_id)
    if template_name not in ctx.config.tab_templates:
        message = tab_template_not_found("name", template_name)
        raise AgentActionRefused(message, NOT_FOUND)
    runtime = runtime_values(template_name, {"templateParameters": template_parameters})
    return open_tab(ctx, session, template_name, runtime, focus=True).id


def agent_focus_tab(ctx: CallContext, session_id: str, tab_id: str) -> None:
    """Agent action: click a tab of a session (the session's focus does not change)."""
    session, tab = agent_tab(ctx, session_id, tab_id)
    session.focused_tab = tab.id
    ctx.changed()


def agent_close_tab(ctx: CallContext, session_id: str, tab_id: str) -> None:
    """Agent action: close a tab with its X, under the same rules as closeTab."""
    session, tab = agent_tab(ctx, session_id, tab_id)
    refusal = closing_refusal(tab)
    if refusal is not None:
        raise AgentActionRefused(refusal, CONFLICT)
    remove_tab(ctx, session, tab)


FEATURE = Feature(
    name="tabs",
    handlers={
        "createTab": create_tab,
        "createTabInHomeSession": create_tab_in_home_session,
        "getTabs": get_tabs,
        "focusTab": focus_tab,
        "getFocusedTab": get_focused_tab,
        "refreshTab": refresh_tab,
        "setTabTitle": set_tab_title,
        "closeTab": close_tab,
    },
    agent_actions={
        "openTab": agent_open_tab,
        "focusTab": agent_focus_tab,
        "closeTab": agent_close_tab,
    },
)
