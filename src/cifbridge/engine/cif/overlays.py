"""What widgets lay over the workspace, as plain data: the part of the state that dialogs.py,
messagebars.py, progress.py and notes.py share, and the argument form they all accept.

Rules:
- everything lives under `Workspace.overlays`, one key per kind (named in cif/queries.py, which
  the views read too): DIALOGS (a queue, oldest first), BARS (message bars, oldest first),
  PROGRESS (the one progress indicator or None), NOTES (the one notes flap or None); counters
  name what they number;
- real widgets pass the library's option objects either as objects or as their JSON text
  (reference §2.11 [DTS] types them `string` or `any`): `options` accepts both and refuses
  anything else with a clear host error, so bad input changes nothing.
"""

from __future__ import annotations

import json
from typing import Any

from cifbridge.engine.base.context import CallContext
from cifbridge.engine.base.errors import HostError
from cifbridge.engine.base.state import JSON, Workspace


def queue(workspace: Workspace, key: str) -> list[dict[str, JSON]]:
    """Return the list kept under `key` (DIALOGS, BARS), created empty on first use."""
    found: list[dict[str, JSON]] = workspace.overlays.setdefault(key, [])
    return found


def next_number(ctx: CallContext, counter: str) -> int:
    """Return the next number of a counter kept with the overlays (1, 2, ...)."""
    number = int(ctx.workspace.overlays.get(counter, 0)) + 1
    ctx.workspace.overlays[counter] = number
    return number


def options(value: Any, name: str) -> dict[str, Any]:
    """Return an options argument given as an object or as its JSON text (None: empty)."""
    if value is None:
        return {}
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except ValueError:
            raise HostError(f"The {name} parameter is not valid JSON text.") from None
    if not isinstance(value, dict):
        raise HostError(f"The {name} parameter must be an object or its JSON text.")
    return value
