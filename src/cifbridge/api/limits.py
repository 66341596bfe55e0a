"""Bound free-form input before anything else looks at it: depth, member count, text length.

Both transports read JSON text with `loads_bounded`, which never recurses past
`FRAME_MAX_DEPTH` (Python's own parser raises RecursionError near 1,000 levels, and a frame
that cannot be parsed cannot be answered); then `input_problem` checks the parsed value
against the configured `InputLimits` and names the JSON path of the first value past a bound.

Rules:
- Pure and iterative: no recursion, so no input can exhaust the stack; each check stops at
  the first value past a bound, so its cost is bounded by the limits, not by the input.
- Only JSON values pass: a non-finite number (NaN, Infinity), a number of 1e99 or more, or
  binary data would make the saved state or a later answer unreadable (browsers, engine.io's
  100-digit integer limit) or unsaveable, so it is refused like an oversized value.
"""

from __future__ import annotations

import json
import math
import re
from typing import Any

from cifbridge.engine.config.limits import InputLimits

# Deeper than any configurable limit (schemas/workspace-config.json caps maxInputDepth at 64)
# plus the levels a Socket.IO frame wraps around the arguments, far below the recursion limit.
FRAME_MAX_DEPTH = 128
MAX_INTEGER_DIGITS = 100  # as engine.io's own parser: a longer integer is refused, not parsed
MAX_NUMBER = 1e99  # no number the bridge passes on may print as more than 100 digits
_TOO_LARGE = f"is a number of {MAX_NUMBER:.0e} or more, larger than any CIF value"
_LONG_DIGITS = re.compile(rf"\d{{{MAX_INTEGER_DIGITS + 1}}}")

_TOKEN = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"|[\[\]{}]')
_OPENERS = frozenset("[{")
_CONTAINERS = (dict, list)
_NUMBERS = (int, float)
_JSON_START = re.compile(r"\s*[\[{]")
_SCALAR_SIZE = {True: 4, False: 5, None: 4}


def loads_bounded(text: str, max_depth: int = FRAME_MAX_DEPTH, *, refuse: bool = False) -> Any:
    """Parse JSON text, replacing whatever nests deeper than `max_depth` by null (or, with
    `refuse`, raising ValueError for it).

    Raises ValueError for text that is not JSON, as `json.loads` does.
    """
    if refuse:
        return _parsed_within(text, max_depth)
    if text.count("[") + text.count("{") > max_depth:
        text = _cut_below(text, max_depth, refuse)
    return _DECODER.decode(text)


_CONTAINERS = (dict, list)  # json.loads builds exactly these


def _parsed_within(text: str, max_depth: int) -> Any:
    # Refusing needs no cut: the C parser reads the text (a document deeper than the
    # interpreter's recursion limit makes it give up), then the values are measured. Scanning
    # the text token by token first took ten times the parse on a 10 MB configuration.
    try:
        data = _DECODER.decode(text)
    except RecursionError as error:
        raise ValueError(f"nested deeper than {max_depth} levels") from error
    level = [data] if type(data) in _CONTAINERS else []
    depth = 0
    while level:  # the containers `depth + 1` levels down
        depth += 1
        if depth > max_depth:
            raise ValueError(f"nested deeper than {max_depth} levels")
        below = []
        for value in level:
            for child in value.values() if type(value) is dict else value:
                if type(child) in _CONTAINERS:
                    below.append(child)
        level = below
    return data


def _bounded_int(digits: str) -> int:
    if len(digits.lstrip("-")) > MAX_INTEGER_DIGITS:
        raise ValueError(f"an integer of {len(digits)} digits is too long")
    return int(digits)


# One decoder for every frame: json.loads with parse_int builds a decoder per call.
_DECODER = json.JSONDecoder(parse_int=_bounded_int)


def _cut_below(text: str, max_depth: int, refuse: bool) -> str:
    # Only brackets outside strings count; a subtree starting below the limit becomes null.
    pieces: list[str] = []
    depth = 0
    kept_until = 0
    cut_from: int | None = None
    for match in _TOKEN.finditer(text):
        token = match.group()
        if token in _OPENERS:
            depth += 1
            if depth == max_depth + 1 and cut_from is None:
                if refuse:
                    raise ValueError(f"nested deeper than {max_depth} levels")
                cut_from = match.start()
        elif token in ("]", "}"):
            if depth == max_depth + 1 and cut_from is not None:
                pieces += [text[kept_until:cut_from], "null"]
                kept_until, cut_from = match.end(), None
            depth -= 1
    if cut_from is not None:  # never closed: not JSON, and too deep to let the parser find out
        raise ValueError(f"unbalanced brackets nested deeper than {max_depth} levels")
    return "".join(pieces) + text[kept_until:]


# One value met on the walk: (value, depth, the step of its container, its key or index).
_Step = tuple[Any, int, "_Step | None", "str | int | None"]


def input_problem(value: Any, limits: InputLimits) -> str | None:
    """Return what is wrong with `value` (`$.path: reason`), or None if it is within bounds."""
    if not value:  # no arguments at all (most reads), an empty text, 0, false: nothing to walk
        return None
    items = size = 0
    stack: list[_Step] = [(value, 0, None, None)]
    while stack:
        step = stack.pop()
        node, depth = step[0], step[1]
        if isinstance(node, _CONTAINERS):
            if depth > limits.max_depth:
                reason = f"nested deeper than {limits.max_depth} levels (limits.maxInputDepth)"
                return f"{_path(step)}: {reason}"
            items += len(node)
            if items > limits.max_items:
                reason = f"more than {limits.max_items} members and elements in all"
                return f"{_path(step)}: {reason} (limits.maxInputItems)"
            if isinstance(node, dict):
                stack += [(item, depth + 1, step, key) for key, item in node.items()]
                size += 2 + sum(map(len, node)) + 4 * len(node)
            else:
                stack += [(item, depth + 1, step, index) for index, item in enumerate(node)]
                size += 2
        else:
            kind = _scalar_problem(node, limits.max_depth)
            if kind is not None:
                return f"{_path(step)}: {kind}"
            size += _scalar_size(node)
        if size > limits.max_bytes:
            reason = f"longer than {limits.max_bytes} characters of JSON"
            return f"{_path(step)}: {reason} (limits.maxInputBytes)"
    return None


def _path(step: _Step) -> str:
    # Built only for the error message, walking back up to the top.
    parts: list[str] = []
    current: _Step | None = step
    while current is not None and current[2] is not None:
        key = current[3]
        parts.append(f"[{key}]" if isinstance(key, int) else f".{key}")
        current = current[2]
    return "$" + "".join(reversed(parts))


def _scalar_problem(node: Any, max_depth: int) -> str | None:
    if isinstance(node, str):
        return _json_text_problem(node, max_depth)
    if isinstance(node, _NUMBERS) and not isinstance(node, bool):
        # A longer integer (int(1e300) is 301 digits) is refused by JSON readers, engine.io's
        # among them: one widget's call would make every later answer unreadable to the others.
        if not math.isfinite(node) or abs(node) >= MAX_NUMBER:
            return "is not a finite number" if not math.isfinite(node) else _TOO_LARGE
        return None
    if node is None or isinstance(node, bool):
        return None
    return f"is {type(node).__name__} data, which is not a JSON value"


def _json_text_problem(text: str, max_depth: int) -> str | None:
    # Several functions take JSON text (createRecord data, raiseEvent data...) and parse it.
    if not text or (text[0] not in "[{" and not _JSON_START.match(text)):
        return None
    if _json_text_deeper_than(text, max_depth):
        return f"holds JSON text nested deeper than {max_depth} levels (limits.maxInputDepth)"
    if _LONG_DIGITS.search(text):
        return f"holds JSON text with a number of more than {MAX_INTEGER_DIGITS} digits"
    return None


def _json_text_deeper_than(text: str, max_depth: int) -> bool:
    if text.count("[") + text.count("{") <= max_depth:
        return False
    depth = 0
    for match in _TOKEN.finditer(text):
        token = match.group()
        if token in _OPENERS:
            depth += 1
            if depth > max_depth:
                return True
        elif token in ("]", "}"):
            depth -= 1
    return False


def _scalar_size(node: Any) -> int:
    # About the length of the value's JSON text, its separator included.
    if isinstance(node, str):
        return len(node) + 3
    if isinstance(node, bool) or node is None:
        return _SCALAR_SIZE[node]
    return len(repr(node)) + 1
