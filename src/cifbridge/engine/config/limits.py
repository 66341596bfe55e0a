"""How large a free-form value a caller may send (`limits` in the workspace configuration).

CIF arguments such as createSession's `context`, template parameters, analytics payloads,
record data and custom event data are free-form JSON. These bounds keep any one call from
costing the bridge more than a call should: how deep objects and arrays nest, how many
members and elements they hold in all, and how long their JSON text is.

Rules:
- Every bound has a default, so a configuration may name only the ones it changes.
- The deepest bound a configuration may set stays well below the depth the transports cut
  frames at (`cifbridge.api.limits.FRAME_MAX_DEPTH`), so a cut value is always refused.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

DEFAULT_MAX_INPUT_DEPTH = 32
DEFAULT_MAX_INPUT_ITEMS = 10_000
DEFAULT_MAX_INPUT_BYTES = 512 * 1024


@dataclass(frozen=True)
class InputLimits:
    """Bounds on the arguments of one call (or one control-API body)."""

    max_depth: int = DEFAULT_MAX_INPUT_DEPTH
    max_items: int = DEFAULT_MAX_INPUT_ITEMS
    max_bytes: int = DEFAULT_MAX_INPUT_BYTES


def input_limits_from_dict(limits: Mapping[str, Any]) -> InputLimits:
    """Read the input bounds out of the configuration's `limits` mapping."""
    return InputLimits(
        max_depth=int(limits.get("maxInputDepth", DEFAULT_MAX_INPUT_DEPTH)),
        max_items=int(limits.get("maxInputItems", DEFAULT_MAX_INPUT_ITEMS)),
        max_bytes=int(limits.get("maxInputBytes", DEFAULT_MAX_INPUT_BYTES)),
    )
