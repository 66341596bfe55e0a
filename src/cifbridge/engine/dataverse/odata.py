"""OData query options over the record store, as Xrm.WebApi passes them to Dataverse.

Rules (reference §2.2, §2.3, §4.4; Dataverse Web API conventions):
- options come as one string, `?$select=a,b&$filter=...&$top=3`, the `?` optional; `&` inside
  quotes or parentheses does not split, values may be percent-encoded;
- $select names Web API properties (`fullname`, `_parentcustomerid_value`); the primary id and
  @odata.etag always come back; without $select every column does;
- $filter: see odata_filter.py; $orderby: properties with asc (default) or desc, several keys,
  null first when ascending; $top: at most that many rows;
- $expand follows a lookup's navigation property, `parentcustomerid_account($select=name)`,
  giving the referenced record (or null) under the navigation property's name;
- $search (searchAndOpenRecords) keeps records whose primary name or any text attribute
  contains the text, case ignored (`*` wildcards are dropped);
- without $orderby records come in store order (configured first, then created); never more
  than the configured maximum (5000, where Dataverse pages);
- a retrieve takes only $select and $expand; anything else is refused with a message naming it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import partial
from itertools import islice
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote

from cifbridge.engine.base import texts as messages
from cifbridge.engine.base.context import CallContext
from cifbridge.engine.base.errors import RecordError
from cifbridge.engine.base.slugs import as_text
from cifbridge.engine.config.entities import Attribute, Entity
from cifbridge.engine.dataverse import records
from cifbridge.engine.dataverse.odata_values import comparable

if TYPE_CHECKING:
    from odata_query import ast

LIST_OPTIONS = ("$select", "$filter", "$orderby", "$top", "$expand", "$search")
RETRIEVE_OPTIONS = ("$select", "$expand")


@dataclass(frozen=True)
class Expand:
    """One followed lookup: navigation property, its attribute, the target and its columns."""

    nav: str
    attribute: Attribute
    target: Entity
    columns: list[Attribute] | None


@dataclass(frozen=True)
class Query:
    """Parsed and checked query options."""

    columns: list[Attribute] | None = None
    filter: ast._Node | None = None
    order: tuple[tuple[Attribute, bool], ...] = ()
    top: int | None = None
    expand: tuple[Expand, ...] = ()
    search: str | None = None


def split(text: str, separator: str) -> list[str]:
    """Split on `separator` outside single quotes and parentheses."""
    parts: list[str] = []
    current: list[str] = []
    depth, quoted = 0, False
    for char in text:
        if char == "'":
            quoted = not quoted
        elif not quoted and char in "()":
            depth += 1 if char == "(" else -1
        if char == separator and depth == 0 and not quoted:
            parts.append("".join(current))
            current = []
        else:
            current.append(char)
    parts.append("".join(current))
    return [p.strip() for p in parts if p.strip()]


def options(text: str, allowed: tuple[str, ...], separator: str = "&") -> dict[str, str]:
    """Read `name=value` query options, refusing unknown and repeated ones."""
    found: dict[str, str] = {}
    for part in split(text.strip().removeprefix("?"), separator):
        name, _, value = part.partition("=")
        name = unquote(name).strip()
        if name not in allowed:
            raise RecordError(messages.unsupported_query_option(name))
        if name in found:
            raise RecordError(
                f"Query option '{name}' was specified more than once, "
                "but it must be specified at most once."
            )
        found[name] = unquote(value).strip()
    return found


def parse(ctx: CallContext, meta: Entity, text: str, allowed: tuple[str, ...]) -> Query:
    """Parse and check a query string against the entity's metadata."""
    given = options(text, allowed)
    filter_text = given.get("$filter")
    return Query(
        columns=_columns(meta, given["$select"]) if "$select" in given else None,
        filter=_parse_filter(ctx, meta, filter_text) if filter_text else None,
        order=_order(meta, given.get("$orderby", "")),
        top=_top(given["$top"]) if "$top" in given else None,
        expand=tuple(_expand(ctx, meta, e) for e in split(given.get("$expand", ""), ",")),
        search=given.get("$search"),
    )


def _parse_filter(ctx: CallContext, meta: Entity, text: str) -> ast._Node:
    # odata_query builds its parser tables when imported (a noticeable part of a cold start);
    # a bridge that is never asked for a $filter never pays for them.
    from cifbridge.engine.dataverse import odata_filter

    return odata_filter.parse_filter(ctx, meta, text)


def _filter_of(
    ctx: CallContext, meta: Entity, tree: ast._Node | None
) -> Callable[[dict[str, Any]], bool] | None:
    # Looked up once per query, not per row: the parse that made `tree` loaded the module.
    if tree is None:
        return None
    from cifbridge.engine.dataverse import odata_filter

    return partial(odata_filter.matches, ctx, meta, tree)


def _property(meta: Entity, name: str) -> Attribute:
    attribute = meta.by_value_key(name)
    if attribute is None:
        raise RecordError(messages.property_not_found(meta.logical_name, name))
    return attribute


def _columns(meta: Entity, text: str) -> list[Attribute]:
    chosen = [_property(meta, name) for name in split(text, ",")]
    primary = meta.attribute(meta.primary_id)
    return list({a.logical_name: a for a in [*([primary] if primary else []), *chosen]}.values())


def _order(meta: Entity, text: str) -> tuple[tuple[Attribute, bool], ...]:
    keys = []
    for item in split(text, ","):
        name, _, direction = item.partition(" ")
        direction = direction.strip().lower() or "asc"
        if direction not in ("asc", "desc"):
            raise RecordError(f"$orderby: '{item}' must end in asc or desc")
        keys.append((_property(meta, name), direction == "desc"))
    return tuple(keys)


def _top(text: str) -> int:
    if not text.isdigit():
        raise RecordError(
            f"Invalid value '{text}' for $top query option found. "
            "The $top query option requires a non-negative integer value."
        )
    return int(text)


def _expand(ctx: CallContext, meta: Entity, item: str) -> Expand:
    nav, _, rest = item.partition("(")
    nav = nav.strip()
    found = meta.by_navigation(nav)
    if found is None:
        raise RecordError(messages.property_not_found(meta.logical_name, nav))
    attribute, target = found
    target_meta = records.entity(ctx, target)
    nested = options(rest.removesuffix(")"), ("$select",), ";") if rest else {}
    columns = _columns(target_meta, nested["$select"]) if "$select" in nested else None
    return Expand(nav, attribute, target_meta, columns)


def run(ctx: CallContext, meta: Entity, query: Query) -> list[dict[str, Any]]:
    """Return the records a query selects, in the Web API form."""
    holds = _filter_of(ctx, meta, query.filter)
    chosen: Iterable[records.Row] = (
        row
        for row in candidates(ctx, meta, query.filter)
        if (holds is None or holds(row["attrs"]))
        and (query.search is None or _found(meta, row["attrs"], query.search))
    )
    limit = ctx.config.max_search_records
    top = limit if query.top is None else min(query.top, limit)
    if query.order or query.filter is not None:
        # Every candidate is evaluated, so a filter fails on a bad operand however few
        # rows are wanted; only an unfiltered, unsorted query stops at `top`.
        listed = list(chosen)
        for attribute, descending in reversed(query.order):
            listed.sort(key=partial(sort_key, attribute), reverse=descending)
        chosen = listed
    return [show(ctx, meta, row, query) for row in islice(chosen, top)]


def candidates(ctx: CallContext, meta: Entity, tree: ast._Node | None) -> Iterator[records.Row]:
    """Yield, in store order, the rows a filter may match (odata_select.py), else every row."""
    if tree is None:
        wanted = None
    else:
        from cifbridge.engine.dataverse import odata_select  # needs the parser's AST classes

        wanted = odata_select.selection(meta, tree)
    found = None if wanted is None else ctx.records.select(meta.logical_name, wanted)
    for _, row in ctx.records.rows(meta.logical_name) if found is None else found:
        yield row


def sort_key(attribute: Attribute, row: records.Row) -> tuple[bool, Any]:
    """Return what a row sorts by on one attribute: nulls first when ascending."""
    value = comparable(attribute, row["attrs"].get(attribute.logical_name))
    return (value is not None, value if value is not None else 0)


def _found(meta: Entity, attrs: dict[str, Any], text: str) -> bool:
    wanted = text.replace("*", "").strip().casefold()
    names = [
        meta.primary_name,
        *(a for a, m in meta.attributes.items() if m.type in ("string", "memo")),
    ]
    return any(wanted in str(attrs.get(name) or "").casefold() for name in names)


def show(ctx: CallContext, meta: Entity, row: records.Row, query: Query) -> dict[str, Any]:
    """Return one record with the query's columns and expanded lookups."""
    shown = records.view(ctx, meta, row, query.columns)
    for expand in query.expand:
        reference = row["attrs"].get(expand.attribute.logical_name)
        target_row = None
        if (
            isinstance(reference, dict)
            and reference.get("entityType") == expand.target.logical_name
        ):
            target_row = records.find(ctx, expand.target, reference["id"])
        shown[expand.nav] = (
            None
            if target_row is None
            else records.view(ctx, expand.target, target_row, expand.columns)
        )
    return shown


def retrieve(ctx: CallContext, meta: Entity, record_id: str, text: str) -> dict[str, Any]:
    """Return one record as Xrm.WebApi.retrieveRecord does, with $select and $expand."""
    query = parse(ctx, meta, text, RETRIEVE_OPTIONS)
    return show(ctx, meta, records.get(ctx, meta, record_id), query)


def first_value(ctx: CallContext, slug: str) -> str:
    """Resolve `$odata.<entity>.<attribute>.?<options>` to the first row's value, else ""."""
    head, _, query_text = slug.removeprefix("$odata.").partition(".?")
    entity_name, _, attribute = head.partition(".")
    try:
        meta = records.entity(ctx, entity_name)
        rows = run(ctx, meta, parse(ctx, meta, query_text, LIST_OPTIONS))
    except RecordError:
        return ""  # unresolved slugs become empty strings (reference §4.4)
    value = rows[0].get(attribute) if rows else None
    if value is None:
        return ""
    return as_text(value)


def slug_resolver(ctx: CallContext | None) -> Callable[[str], str] | None:
    """Return what resolves `{$odata...}` slugs against the store (None: no store at hand)."""
    if ctx is None:
        return None
    return lambda slug: first_value(ctx, slug)
