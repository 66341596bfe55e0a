"""The communication panel: its mode and width, who may change them, who hears of changes.

Rules (reference §1.4, §2.1, §3):
- modes are 0 minimized, 1 docked, 2 hidden (the library refuses anything else); widths are
  pixels, and a width below 300 is ignored (the call still resolves the number it was given,
  as the library does);
- the active provider is the provider of the focused session; on the Home session it is the
  default provider (the first one by order), as the library's `_activeProvider ||
  _defaultProvider`. Only the active provider may set the mode or width ("This operation can
  be performed from the active provider");
- getMode and getWidth answer every provider;
- onmodechanged and onsizechanged ({"value": n}) fire when the agent changes the panel, never
  for a widget's own setMode/setWidth, and go to the active provider, whose widget the panel
  shows.
"""

from __future__ import annotations

from typing import Any

from cifbridge.engine.base.context import CallContext
from cifbridge.engine.base.errors import INVALID, AgentActionRefused, NotAllowedForProvider
from cifbridge.engine.base.feature import Feature
from cifbridge.engine.base.texts import NOT_ACTIVE_PROVIDER
from cifbridge.engine.cif.queries import active_provider

MIN_WIDTH = 300
MODES = (0, 1, 2)
MODE_CHANGED = "onmodechanged"
SIZE_CHANGED = "onsizechanged"


def require_active_provider(ctx: CallContext) -> None:
    """Refuse the call unless the caller is the active provider."""
    if ctx.provider != active_provider(ctx.workspace, ctx.config):
        raise NotAllowedForProvider(NOT_ACTIVE_PROVIDER)


def set_mode(ctx: CallContext, args: dict[str, Any]) -> int:
    """Set the panel mode and resolve the mode applied."""
    require_active_provider(ctx)
    mode = int(args["value"])
    if ctx.workspace.panel.mode != mode:
        ctx.workspace.panel.mode = mode
        ctx.changed()
    return mode


def get_mode(ctx: CallContext, args: dict[str, Any]) -> int:
    """Return the panel mode as a number."""
    return ctx.workspace.panel.mode


def set_width(ctx: CallContext, args: dict[str, Any]) -> float:
    """Set the panel width (ignored below 300) and resolve the width asked for."""
    require_active_provider(ctx)
    width: float = args["value"]
    if width >= MIN_WIDTH and ctx.workspace.panel.width != width:
        ctx.workspace.panel.width = int(width)
        ctx.changed()
    return width


def get_width(ctx: CallContext, args: dict[str, Any]) -> int:
    """Return the panel width in pixels."""
    return ctx.workspace.panel.width


def agent_sets_panel(
    ctx: CallContext, *, mode: int | None = None, width: int | None = None
) -> dict[str, int]:
    """Agent action: toggle the mode and/or drag the width, as in the workspace."""
    if mode is not None and mode not in MODES:
        raise AgentActionRefused("mode must be 0 (minimized), 1 (docked) or 2 (hidden)", INVALID)
    if width is not None and width < MIN_WIDTH:
        raise AgentActionRefused(f"width must be a whole number of at least {MIN_WIDTH}", INVALID)
    panel, active = ctx.workspace.panel, active_provider(ctx.workspace, ctx.config)
    if mode is not None and mode != panel.mode:
        panel.mode = mode
        ctx.emit(active, MODE_CHANGED, {"value": mode})
    if width is not None and width != panel.width:
        panel.width = width
        ctx.emit(active, SIZE_CHANGED, {"value": width})
    ctx.changed()
    return {"mode": panel.mode, "width": panel.width}


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


FEATURE = Feature(
    name="panel",
    handlers={
        "setMode": set_mode,
        "getMode": get_mode,
        "setWidth": set_width,
        "getWidth": get_width,
    },
    agent_actions={"setPanel": agent_sets_panel},
)
