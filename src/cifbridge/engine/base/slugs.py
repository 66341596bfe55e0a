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

import functools
import json
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
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
    return _render(_compiled(text), bags, odata)


@dataclass(frozen=True)
class _Slug:
    name: str  # a slug whose name is known without resolving anything: looked up as it is


@dataclass(frozen=True)
class _Braces:
    parts: tuple[_Part, ...]  # holds slugs: what it is depends on what they resolve to
    closed: bool


_Part = str | _Slug | _Braces


@functools.lru_cache(maxsize=1024)
def _compiled(text: str) -> tuple[_Part, ...]:
    # Templates resolve the same few texts over and over: each is read into parts once.
    parts, _ = _parts_from(text, 0, closing=False)
    return parts


def _parts_from(text: str, pos: int, *, closing: bool) -> tuple[tuple[_Part, ...], int]:
    # Jumps from brace to brace: the text between them is kept as it is. With `closing`, the
    # parts end at the "}" closing this group (-1 as the position: it never closed).
    parts: list[_Part] = []
    while (brace := _BRACE.search(text, pos)) is not None:
        at = brace.start()
        if at > pos:
            parts.append(text[pos:at])
        if text[at] == "{":
            inner, pos = _parts_from(text, at + 1, closing=True)
            parts.append(_group(inner, closed=pos >= 0))
            pos = pos if pos >= 0 else len(text)
            continue
        if closing:
            return tuple(parts), at + 1
        parts.append("}")
        pos = at + 1
    if pos < len(text):
        parts.append(text[pos:])
    return tuple(parts), (-1 if closing else len(text))


def _group(inner: tuple[_Part, ...], *, closed: bool) -> _Part:
    # Braces around plain text are known now: a slug name, or literal text.
    if not all(isinstance(part, str) for part in inner):
        return _Braces(inner, closed)
    content = "".join(inner)  # type: ignore[arg-type]
    if not closed:  # an unbalanced "{" is literal text, as in the real host
        return "{" + content
    return _Slug(content) if is_slug_name(content) else "{" + content + "}"


def _render(parts: tuple[_Part, ...], bags: Bags, odata: ODataResolver | None) -> str:
    out: list[str] = []
    for part in parts:
        if isinstance(part, str):
            out.append(part)
        elif isinstance(part, _Slug):
            out.append(lookup(part.name, bags, odata))
        else:  # inner slugs first: what they give decides what the braces hold
            content = _render(part.parts, bags, odata)
            if not part.closed:
                out.append("{" + content)
            elif is_slug_name(content):
                out.append(lookup(content, bags, odata))
            else:
                out.append("{" + content + "}")
    return "".join(out)


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
            text = resolve(value, bags, odata)
            if not text or text.isspace():  # a slug left empty: no value, and no exception
                return None
            try:
                return json.loads(text)
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
