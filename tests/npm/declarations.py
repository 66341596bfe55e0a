"""Read the npm package's TypeScript declarations well enough to compare them with the catalog.

Not a TypeScript parser: it understands the subset npm/types/*.d.ts is written in (functions,
interfaces and type aliases in `declare namespace Microsoft.CIFramework`), which is what the
tests need to check that nothing drifts from src/cifbridge/api/catalog.py.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

NPM_DIR = Path(__file__).resolve().parents[2] / "npm"
TYPES_DIR = NPM_DIR / "types"

_COMMENT = re.compile(r"/\*.*?\*/|//[^\n]*", re.DOTALL)
_FUNCTION = re.compile(r"\bfunction\s+(\w+)\s*\(")
_NAMED_TYPE = re.compile(r"^\s*(?:interface|type)\s+(\w+)", re.MULTILINE)
_PARAMETER = re.compile(r"^\s*(?:\.\.\.)?(\w+)\??\s*:")
_OPENING = {"(": ")", "[": "]", "{": "}", "<": ">"}


@dataclass(frozen=True)
class Signature:
    """One declared overload: parameter names in order and the return type's text."""

    params: tuple[str, ...]
    returns: str


def source(path: Path) -> str:
    """Return a declaration file without its comments."""
    return _COMMENT.sub("", path.read_text(encoding="utf-8"))


def declaration_sources() -> str:
    """Return every file of npm/types, comments removed."""
    return "\n".join(source(p) for p in sorted(TYPES_DIR.glob("*.d.ts")))


def closing(text: str, start: int) -> int:
    """Return the index of the bracket closing the one at `start`."""
    stack: list[str] = []
    for index in range(start, len(text)):
        char = text[index]
        if char in _OPENING:
            stack.append(_OPENING[char])
        elif char == ">" and text[index - 1] == "=":
            continue  # the arrow of a function type, not a closing angle bracket
        elif stack and char == stack[-1]:
            stack.pop()
            if not stack:
                return index
    raise ValueError(f"unbalanced bracket at {start}")


def split_top_level(text: str) -> list[str]:
    """Split a parameter list at the commas that are not nested in brackets."""
    parts, depth, current = [], 0, ""
    for index, char in enumerate(text):
        if char in _OPENING:
            depth += 1
        elif char in ")]}" or (char == ">" and text[index - 1] != "="):
            depth -= 1
        if char == "," and depth == 0:
            parts.append(current)
            current = ""
        else:
            current += char
    return [p for p in (*parts, current) if p.strip()]


def parameter_name(parameter: str) -> str:
    """Return the name of one declared parameter such as `messagesCount?: number`."""
    match = _PARAMETER.match(parameter)
    if match is None:
        raise ValueError(f"cannot read parameter {parameter!r}")
    return match.group(1)


def functions(text: str) -> dict[str, list[Signature]]:
    """Return every declared function with its overloads, in declaration order."""
    found: dict[str, list[Signature]] = {}
    for match in _FUNCTION.finditer(text):
        opening = match.end() - 1
        end = closing(text, opening)
        params = tuple(parameter_name(p) for p in split_top_level(text[opening + 1 : end]))
        returns = text[end + 1 : text.index(";", end)].strip().removeprefix(":").strip()
        found.setdefault(match.group(1), []).append(Signature(params, returns))
    return found


def named_types(text: str) -> list[str]:
    """Return the names of the interfaces and type aliases declared in `text`."""
    return _NAMED_TYPE.findall(text)


def string_union(text: str, alias: str) -> set[str]:
    """Return the string literals of `type <alias> = "a" | "b" ...;`."""
    match = re.search(rf"\btype\s+{alias}\s*=([^;]*);", text)
    if match is None:
        raise ValueError(f"no type {alias}")
    return set(re.findall(r'"([^"]*)"', match.group(1)))


def interface_keys(text: str, name: str) -> set[str]:
    """Return the property names of `interface <name> { ... }` (one per line, as written)."""
    match = re.search(rf"\binterface\s+{name}\s*\{{", text)
    if match is None:
        raise ValueError(f"no interface {name}")
    body = text[match.end() : closing(text, match.end() - 1)]
    return set(re.findall(r"^\s*(\w+)\??\s*:", body, re.MULTILINE))
