"""Compact JSON text for what the bridge writes on every call, made by orjson.

Each call serializes several texts: the acknowledgement and event frames, the payload of each
event, its journal entries, and with a file or Redis the workspace it saves. The standard
library's encoder took a tenth of a mutating call's time; orjson makes the same JSON in about
a tenth of that (bench/ratios.py, bench/agents.py).

Rules:
- the text is what `json.dumps(value, separators=(",", ":"), ensure_ascii=False)` gives for
  the values the bridge holds (dicts, lists, strings, numbers, booleans, None; dataclasses
  through `default`, as with the standard library), non-ASCII text unescaped as
  JSON.stringify writes it; only a float with a small exponent may be written another valid
  way for the same value (`1.5e-7`, `-0.00003` where the standard library writes `1.5e-07`,
  `-3e-05`);
- what orjson refuses (an integer beyond 64 bits, nesting deeper than it goes) is made by the
  standard library instead, so nothing that serialized before fails now; what `default`
  raises for a value neither knows still reaches the caller.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import orjson

# Non-string keys become strings as the standard library writes them; dataclasses go through
# `default` (as json.dumps sends them there), not orjson's own field walk.
_OPTIONS = orjson.OPT_NON_STR_KEYS | orjson.OPT_PASSTHROUGH_DATACLASS


def compact(value: Any, default: Callable[[Any], Any] | None = None) -> str:
    """Return `value` as compact JSON text."""
    try:
        return orjson.dumps(value, default=default, option=_OPTIONS).decode()
    except orjson.JSONEncodeError:
        return json.dumps(value, default=default, separators=(",", ":"), ensure_ascii=False)
