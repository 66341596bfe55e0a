"""Functions of the library that the public docs leave out (reference §2.11), where cheap.

Rules:
- isConsoleApp resolves true: cifbridge is a multisession (console) app;
- openKBSearchControl(value) focuses the knowledge search tab of the focused session and
  resolves true, or false when that session has none (the 2020 host resolves whether it found
  the control; the search text itself was not used yet). Like setMode, only the active
  provider may call it;
- refreshForm(save) reloads the record form of the focused session's focused tab (the page
  counts it as a refresh, so a widget's updateRecord shows up); `save` is accepted, as the
  workspace's forms save through the agent. Like the tab calls it acts only when the focused
  session is the caller's or Home (§1.4). It resolves null, which the library's JSON encoding
  turns into the string "null" (the host's Xrm refresh resolves nothing);
- isFeatureEnabled(featureName) answers the configured flag (`features.enabled`), false for a
  name not configured; getFcsValue(featureNameSpace, featureUniqueName) answers the configured
  setting (`features.fcs`), null for one not configured, which is what the library resolves
  when the host's answer carries no value (§1.2). Names match exactly, case included.
"""

from __future__ import annotations

from typing import Any

from cifbridge.engine.base.context import CallContext
from cifbridge.engine.base.feature import Feature
from cifbridge.engine.cif.panel import require_active_provider
from cifbridge.engine.cif.tabs import acting_session

KB_SEARCH_PAGE = "msdyn_kbsearchpagehost.html"


def is_console_app(ctx: CallContext, args: dict[str, Any]) -> bool:
    """Tell the widget it runs in a multisession app."""
    return True


def open_kb_search_control(ctx: CallContext, args: dict[str, Any]) -> bool:
    """Focus the focused session's knowledge search tab; false when it has none."""
    require_active_provider(ctx)
    session = ctx.workspace.sessions[ctx.workspace.focused]
    tab = next(
        (t for t in session.tabs if t.parameters.get("webresourceName") == KB_SEARCH_PAGE), None
    )
    if tab is None:
        return False
    if session.focused_tab != tab.id:
        session.focused_tab = tab.id
        ctx.changed()
    return True


def refresh_form(ctx: CallContext, args: dict[str, Any]) -> None:
    """Reload the focused record form, if the focused tab shows one."""
    session = acting_session(ctx)
    tab = next((t for t in session.tabs if t.id == session.focused_tab), None)
    if tab is not None and tab.page_type == "entityrecord":
        tab.refresh_count += 1
        ctx.changed()


def is_feature_enabled(ctx: CallContext, args: dict[str, Any]) -> bool:
    """Tell whether a feature is switched on in the configuration."""
    return ctx.config.features.is_enabled(args["featureName"])


def get_fcs_value(ctx: CallContext, args: dict[str, Any]) -> Any:
    """Answer a feature control setting of a namespace; None when it is not configured."""
    return ctx.config.features.fcs_value(args["featureNameSpace"], args["featureUniqueName"])


FEATURE = Feature(
    name="library",
    handlers={
        "isConsoleApp": is_console_app,
        "refreshForm": refresh_form,
        "openKBSearchControl": open_kb_search_control,
        "isFeatureEnabled": is_feature_enabled,
        "getFcsValue": get_fcs_value,
    },
)
