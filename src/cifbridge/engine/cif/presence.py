"""Agent presence: the configured presence list, the current presence, and who hears of changes.

Rules (reference §2.9, §2.11, §3 onPresenceChange):
- the presence list is the configured one (`presences`), unless a widget replaced it with the
  legacy initializeAgentPresenceList;
- setPresence(text) matches a presence's text exactly (case-sensitive); it resolves true when
  the presence is now that one and false when no presence has that text (nothing changes);
- getPresence resolves the current presence's text; before any change it is the configured
  initial presence (`agent.presence`);
- every change, by a widget or by the agent, sends onPresenceChange with both the docs' forms
  in one payload, {"presenceId", "presenceInfo"}, to every provider: presence is the agent's,
  not a provider's; setting the presence already in effect sends nothing;
- setAgentPresence (legacy) sets the presence to the given presenceInfo, listed or not.
"""

from __future__ import annotations

import json
from typing import Any

from cifbridge.engine.base import diagnostics
from cifbridge.engine.base.context import ANY_PROVIDER, CallContext
from cifbridge.engine.base.errors import NOT_FOUND, AgentActionRefused, InvalidInput
from cifbridge.engine.base.feature import Feature
from cifbridge.engine.base.texts import PRESENCE_INFO_INVALID, PRESENCE_LIST_INVALID
from cifbridge.engine.cif.queries import current_presence, presence_list

PRESENCE_CHANGED = "onPresenceChange"
INFO_KEYS = ("basePresenceStatus", "presenceColor", "presenceId", "presenceText")


def change_presence(ctx: CallContext, info: dict[str, Any]) -> None:
    """Make `info` the presence in effect and tell every provider, if it is a change."""
    if current_presence(ctx.workspace, ctx.config) == info:
        return
    ctx.workspace.presence = info
    ctx.changed()
    payload = {"presenceId": info.get("presenceId"), "presenceInfo": info}
    ctx.emit(ANY_PROVIDER, PRESENCE_CHANGED, payload)


def set_presence(ctx: CallContext, args: dict[str, Any]) -> bool:
    """Switch to the listed presence with exactly this text; false when there is none."""
    text = args["presenceText"]
    found = _find(ctx, "presenceText", text)
    if found is None:
        texts = [p.get("presenceText", "") for p in presence_list(ctx.workspace, ctx.config)]
        ctx.warn(diagnostics.presence_case(text, texts))
        return False
    change_presence(ctx, dict(found))
    return True


def get_presence(ctx: CallContext, args: dict[str, Any]) -> str | None:
    """Return the text of the presence in effect."""
    info = current_presence(ctx.workspace, ctx.config)
    return None if info is None else info.get("presenceText")


def set_agent_presence(ctx: CallContext, args: dict[str, Any]) -> bool:
    """Legacy presence control: show this presenceInfo as the agent's presence."""
    info = _decoded(args["presenceInfo"], PRESENCE_INFO_INVALID)
    if not _is_info(info):
        raise InvalidInput(PRESENCE_INFO_INVALID)
    change_presence(ctx, {k: info[k] for k in INFO_KEYS if k in info})
    return True


def initialize_agent_presence_list(ctx: CallContext, args: dict[str, Any]) -> bool:
    """Legacy presence control: replace the presence list the agent chooses from."""
    presences = _decoded(args["presenceList"], PRESENCE_LIST_INVALID)
    if not isinstance(presences, list) or not all(_is_info(p) for p in presences):
        raise InvalidInput(PRESENCE_LIST_INVALID)
    ctx.workspace.presence_list = [{k: p[k] for k in INFO_KEYS if k in p} for p in presences]
    ctx.changed()
    return True


def agent_sets_presence(
    ctx: CallContext, *, presence_text: str | None = None, presence_id: str | None = None
) -> dict[str, Any]:
    """Agent action: pick a presence from the list by its text or else by its id."""
    key, wanted = ("presenceText", presence_text)
    if presence_text is None:
        key, wanted = "presenceId", presence_id
    found = _find(ctx, key, wanted)
    if found is None:
        raise AgentActionRefused(f"No presence has {key} {wanted!r}", NOT_FOUND)
    change_presence(ctx, dict(found))
    return dict(found)


def _find(ctx: CallContext, key: str, value: Any) -> dict[str, Any] | None:
    presences = presence_list(ctx.workspace, ctx.config)
    return next((p for p in presences if p.get(key) == value), None)


def _decoded(value: Any, problem: str) -> Any:
    # The typings say JSON strings; widgets pass objects as often. Accept both.
    if not isinstance(value, str):
        return value
    try:
        return json.loads(value)
    except ValueError:
        raise InvalidInput(problem) from None


def _is_info(value: Any) -> bool:
    return (
        isinstance(value, dict)
        and isinstance(value.get("presenceId"), str)
        and isinstance(value.get("presenceText"), str)
    )


FEATURE = Feature(
    name="presence",
    handlers={
        "setPresence": set_presence,
        "getPresence": get_presence,
        "setAgentPresence": set_agent_presence,
        "initializeAgentPresenceList": initialize_agent_presence_list,
    },
    agent_actions={"setPresence": agent_sets_presence},
)
