"""Slug resolution for template titles and parameters (reference §4.4).

Rules, from the 2020 host source:
- every `{name}` is looked up, case-sensitively, in each bag in order; the first hit wins;
- slugs nest (`{$odata.incident.title.?$filter=incidentid eq '{caseId}'}`): inner ones first;
- a `ChannelProvider.` prefix is stripped before lookup;
- only a name-like group (`customerName`, `anchor._customerid_value@OData...`) or a `$odata.`
  query is a slug; any other braces are literal text, so JSON values such as
  `{"subject": "Task from {anchor.ticketnumber}"}` keep their braces and resolve inside;
- an unresolved slug becomes the empty string, never the literal text;
- substituted values are not scanned again, so a value containing braces stays as it is.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping, Sequence
from typing import Any

Bags = Sequence[Mapping[str, Any]]
ODataResolver = Callable[[str], str]

_STRIPPED_PREFIXES = ("ChannelProvider.",)
_NAME = re.compile(r"[A-Za-z_$][\w.@$-]*")
_BRACE = re.compile(r"[{}]")


def resolve(text: str, bags: Bags, odata: ODataResolver | None = None) -> str:
    """Replace every slug in `text` with its value from the first bag that has it."""
    if "{" not in text:  # most titles and values: nothing to look up (a lone "}" is text)
        return text
    out, _ = _resolve_from(text, 0, bags, odata, closing=False)
    return out


def _resolve_from(
    text: str, pos: int, bags: Bags, odata: ODataResolver | None, *, closing: bool
) -> tuple[str, int]:
    # Jumps from brace to brace: the text between them is copied as it is.
    parts: list[str] = []
    while (brace := _BRACE.search(text, pos)) is not None:
        at = brace.start()
        parts.append(text[pos:at])
        if text[at] == "{":
            inner, pos = _resolve_from(text, at + 1, bags, odata, closing=True)
            parts.append(inner)
            continue
        pos = at + 1
        if closing:
            content = "".join(parts)
            if is_slug_name(content):
                return lookup(content, bags, odata), pos
            return "{" + content + "}", pos
        parts.append("}")
    parts.append(text[pos:])
    if closing:  # an unbalanced "{" is literal text, as in the real host
        return "{" + "".join(parts), len(text)
    return "".join(parts), len(text)


def is_slug_name(content: str) -> bool:
    """Tell whether the text between braces names a slug rather than being literal."""
    return content.startswith("$odata.") or _NAME.fullmatch(content) is not None


def lookup(name: str, bags: Bags, odata: ODataResolver | None = None) -> str:
    """Return the text of one slug, or "" when no bag knows it."""
    if name.startswith("$odata."):
        return odata(name) if odata else ""
    for prefix in _STRIPPED_PREFIXES:
        if name.startswith(prefix):
            name = name[len(prefix) :]
    for bag in bags:
        if name in bag and bag[name] is not None:
            return as_text(bag[name])
    return ""


def as_text(value: Any) -> str:
    """Render a parameter value the way it appears inside a string."""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return str(value)
    return json.dumps(value, separators=(",", ":"))


def convert(value: Any, kind: str, bags: Bags, odata: ODataResolver | None = None) -> Any:
    """Convert a configured or runtime parameter value by its declared type."""
    if kind == "number":
        return _to_number(value)
    if kind == "boolean":
        if isinstance(value, bool):
            return value
        return as_text(value).strip().lower() not in ("", "0", "no", "false")
    if kind == "json":
        if isinstance(value, str):
            try:
                return json.loads(resolve(value, bags, odata))
            except ValueError:
                return None
        return value
    return resolve(value, bags, odata) if isinstance(value, str) else value


def _to_number(value: Any) -> Any:
    if isinstance(value, int | float) and not isinstance(value, bool):
        return value
    try:
        number = float(as_text(value))
    except ValueError:
        return None
    return int(number) if number.is_integer() else number
