"""Assertions of `expect` steps: dotted paths into a view, and the matchers they compare with.

A path walks mappings by key and lists by index (`sessions.1.title`); `length` counts a list,
a mapping or a text. A matcher is a plain value (equality) or one of:
`{equals: v}`, `{not: v}`, `{sameAs: name}` (a value kept by an earlier `remember`),
`{contains: v}` (an item of a list, a key of a mapping, a part of a text), `{atLeast: n}`,
`{atMost: n}`, `{present: true|false}` (whether the path leads anywhere non-null).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

MISSING = object()


def at_path(value: Any, path: str) -> Any:
    """Return what a dotted path leads to, or MISSING."""
    for part in path.split("."):
        if part == "length" and isinstance(value, list | dict | str):
            value = len(value)
        elif isinstance(value, Mapping) and part in value:
            value = value[part]
        elif (
            isinstance(value, list)
            and part.lstrip("-").isdigit()
            and -len(value) <= int(part) < len(value)
        ):
            value = value[int(part)]
        else:
            return MISSING
    return value


def check(target: Any, assertions: Mapping[str, Any], remembered: Mapping[str, Any]) -> list[str]:
    """Return what does not hold, one line per failed assertion."""
    problems = []
    for path, matcher in assertions.items():
        actual = at_path(target, path)
        problem = _judge(actual, matcher, remembered)
        if problem is not None:
            problems.append(f"{path}: {problem}")
    return problems


def _judge(actual: Any, matcher: Any, remembered: Mapping[str, Any]) -> str | None:
    shown = "nothing" if actual is MISSING else repr(actual)
    if not isinstance(matcher, Mapping):
        return None if _same(actual, matcher) else f"expected {matcher!r}, got {shown}"
    ((kind, wanted),) = matcher.items()
    if kind == "present":
        present = actual is not MISSING and actual is not None
        return None if present == wanted else f"expected present={wanted}, got {shown}"
    if kind == "sameAs":
        if wanted not in remembered:
            return f"nothing was remembered as {wanted!r}"
        wanted, kind = remembered[wanted], "equals"
    if kind == "equals":
        return None if _same(actual, wanted) else f"expected {wanted!r}, got {shown}"
    if kind == "not":
        return None if not _same(actual, wanted) else f"expected anything but {wanted!r}"
    if kind == "contains":
        found = isinstance(actual, list | dict | str) and _contains(actual, wanted)
        return None if found else f"expected something containing {wanted!r}, got {shown}"
    number = actual if isinstance(actual, int | float) and not isinstance(actual, bool) else None
    if kind == "atLeast":
        ok = number is not None and number >= wanted
        return None if ok else f"expected at least {wanted!r}, got {shown}"
    ok = number is not None and number <= wanted
    return None if ok else f"expected at most {wanted!r}, got {shown}"


def _same(actual: Any, wanted: Any) -> bool:
    # YAML gives 1 where the view has 1.0: numbers compare by value, booleans stay booleans.
    if isinstance(actual, bool) or isinstance(wanted, bool):
        return actual is wanted
    return bool(actual == wanted)


def _contains(container: list[Any] | dict[str, Any] | str, wanted: Any) -> bool:
    if isinstance(container, str):
        return isinstance(wanted, str) and wanted in container
    return wanted in container
