"""Events between the page and the widgets: handlers, raiseEvent, click-to-act, navigation, KB.

Rules (reference §2.3, §2.4, §3, §8.11):
- addHandler and removeHandler register nothing here: the widget keeps its functions and the
  shim runs them; the host only acknowledges (removeHandler answers true, the shim says
  whether its handler was registered);
- raiseEvent(eventName, eventInputParameters) resolves true and delivers the parameters to the
  handlers of that name in every widget (the caller's too) and to the workspace page; a JSON
  string is delivered as the JSON it holds, so handlers get the text they would parse, like
  every other event. A built-in event name reaches only the page: widgets hear built-in
  events from the host alone;
- the agent side (control API) raises a custom event to one provider's widgets or to all;
- click-to-act is per provider: the configured `clickToAct` until setClickToAct changes it
  (no value means false, as in the library); when the agent clicks a phone number,
  onclicktoact goes to the active provider (or the one named) only while it is enabled;
- onpagenavigate {"value": url} and onsendkbarticle {"title", "link"} go to the active
  provider (or the one named), as the host sends them.
"""

from __future__ import annotations

import json
from typing import Any

from cifbridge.engine.base import diagnostics
from cifbridge.engine.base.context import ANY_PROVIDER, WORKSPACE_PAGE, CallContext
from cifbridge.engine.base.errors import INVALID, NOT_FOUND, AgentActionRefused
from cifbridge.engine.base.feature import Feature
from cifbridge.engine.cif.queries import active_provider, click_to_act_enabled

CLICK_TO_ACT = "onclicktoact"
PAGE_NAVIGATE = "onpagenavigate"
SEND_KB_ARTICLE = "onsendkbarticle"
BUILT_IN_EVENTS = frozenset(
    {
        CLICK_TO_ACT,
        "onmodechanged",
        "onsizechanged",
        PAGE_NAVIGATE,
        SEND_KB_ARTICLE,
        "onSessionSwitched",
        "onSessionClosed",
        "onPresenceChange",
    }
)


def add_handler(ctx: CallContext, args: dict[str, Any]) -> None:
    """Accept a handler registration; the widget keeps the function itself."""
    ctx.warn(diagnostics.unknown_event(args["eventName"], BUILT_IN_EVENTS))


def remove_handler(ctx: CallContext, args: dict[str, Any]) -> bool:
    """Accept a handler removal; the shim answers whether its handler was registered."""
    return True


def raise_event(ctx: CallContext, args: dict[str, Any]) -> bool:
    """Deliver a custom event to every widget's handlers and to the workspace page."""
    name, payload = args["eventName"], _event_data(args.get("eventInputParameters"))
    if name not in BUILT_IN_EVENTS:
        ctx.emit(ANY_PROVIDER, name, payload)
    ctx.emit(WORKSPACE_PAGE, name, payload)
    return True


def _event_data(value: Any) -> Any:
    # The docs type it as a JSON string, widgets pass objects too; handlers get JSON text.
    if isinstance(value, str):
        try:
            return json.loads(value)
        except ValueError:
            return value
    return value


def set_click_to_act(ctx: CallContext, args: dict[str, Any]) -> None:
    """Turn the caller's click-to-act (outbound communication) on or off."""
    ctx.workspace.click_to_act[ctx.provider or ""] = bool(args.get("value", False))
    ctx.changed()


def get_click_to_act(ctx: CallContext, args: dict[str, Any]) -> bool:
    """Tell whether click-to-act is on for the caller."""
    return click_to_act_enabled(ctx.workspace, ctx.config, ctx.provider or "")


def agent_clicks_to_act(
    ctx: CallContext,
    *,
    value: str,
    name: str,
    entity_logical_name: str,
    format: str = "phone",
    entity_id: str | None = None,
    record_title: str | None = None,
    provider: str | None = None,
) -> dict[str, Any]:
    """Agent action: click a click-to-act field (a phone number) on a form."""
    target = _target(ctx, provider)
    payload = {"value": value, "name": name, "format": format}
    payload["entityLogicalName"] = entity_logical_name
    if entity_id is not None:
        payload["entityId"] = entity_id
    if record_title is not None:
        payload["recordTitle"] = record_title
    delivered = target is not None and click_to_act_enabled(ctx.workspace, ctx.config, target)
    if delivered:
        ctx.emit(target, CLICK_TO_ACT, payload)
    return {"provider": target, "delivered": delivered}


def agent_navigates(ctx: CallContext, *, url: str, provider: str | None = None) -> dict[str, Any]:
    """Agent action: navigate the main page (the widget hears it before it happens)."""
    target = _target(ctx, provider)
    ctx.emit(target, PAGE_NAVIGATE, {"value": url})
    return {"provider": target, "delivered": target is not None}


def agent_sends_kb_article(
    ctx: CallContext, *, title: str, link: str, provider: str | None = None
) -> dict[str, Any]:
    """Agent action: press Send on a knowledge article in the KB control."""
    target = _target(ctx, provider)
    ctx.emit(target, SEND_KB_ARTICLE, {"title": title, "link": link})
    return {"provider": target, "delivered": target is not None}


def agent_raises_event(
    ctx: CallContext, *, event_name: str, data: Any = None, provider: str | None = None
) -> dict[str, Any]:
    """Agent action: the page raises a custom event to one provider's widgets, or to all."""
    if event_name in BUILT_IN_EVENTS:
        message = f"{event_name} is a built-in event; use its own agent action"
        raise AgentActionRefused(message, INVALID)
    target = ANY_PROVIDER if provider is None else _target(ctx, provider)
    ctx.emit(target, event_name, data)
    return {"provider": provider, "delivered": True}


def _target(ctx: CallContext, provider: str | None) -> str | None:
    if provider is None:
        return active_provider(ctx.workspace, ctx.config)
    if ctx.config.provider(provider) is None:
        raise AgentActionRefused(f"No channel provider is configured as {provider!r}", NOT_FOUND)
    return provider


FEATURE = Feature(
    name="events",
    handlers={
        "addHandler": add_handler,
        "removeHandler": remove_handler,
        "raiseEvent": raise_event,
        "setClickToAct": set_click_to_act,
        "getClickToAct": get_click_to_act,
    },
    agent_actions={
        "clickToAct": agent_clicks_to_act,
        "navigate": agent_navigates,
        "sendKbArticle": agent_sends_kb_article,
        "raiseEvent": agent_raises_event,
    },
)
