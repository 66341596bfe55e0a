"""Run a parsed FetchXML query (fetchxml.py) over the record store, as the Web API answers it.

Rules (Dataverse FetchXML conventions):
- condition values are read as the attribute's type (a bad one fails as OData says); text
  compares without regard to case; a comparison with a null column is false, except `null`
  (and `ne`, `not-in`, `not-like`... exclude nulls as SQL does);
- `like` takes `%` (any run) and `_` (one character); begins-with / ends-with take plain text;
- a link-entity joins rows whose `from` equals the parent's `to` (a lookup by its id); several
  matches give several rows; an outer link keeps a parent without a match, with no linked
  columns; a filter inside the link-entity is part of the join;
- rows come in the Web API form without null columns (FetchXML leaves them out), linked columns
  as `alias.attribute` with their formatted-value annotations; sorted, then paged (`count`,
  `page`) or cut (`top`), never more than the configured maximum (5000).
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from datetime import UTC, datetime
from functools import partial
from itertools import product
from typing import Any

from cifbridge.engine.base import texts as messages
from cifbridge.engine.base.context import CallContext
from cifbridge.engine.base.errors import RecordError
from cifbridge.engine.config.entities import EDM_TYPES, Attribute, Entity
from cifbridge.engine.dataverse import odata, odata_values, records
from cifbridge.engine.dataverse.fetchxml import Condition, Fetch, Filter, Link, value_of

Joined = dict[str, Mapping[str, Any] | None]  # alias -> linked row's attributes (None: no match)
COMPARISONS = {"eq": "Eq", "ne": "NotEq", "neq": "NotEq", "gt": "Gt", "ge": "GtE"}
COMPARISONS |= {"lt": "Lt", "le": "LtE"}
INTEGERS = ("integer", "bigint", "picklist", "state", "status")
DECIMALS = ("decimal", "double", "money")


def run(ctx: CallContext, fetch: Fetch) -> list[dict[str, Any]]:
    """Return the rows a FetchXML query selects, in the Web API form."""
    linked = [(link, list(records.rows(ctx, link.target).values())) for link in fetch.links]
    chosen: list[tuple[records.Row, Joined]] = []
    for row in records.rows(ctx, fetch.entity).values():
        for joined in _joins(fetch.entity, row["attrs"], linked):
            if fetch.filter is None or _holds(fetch.filter, row["attrs"], joined):
                chosen.append((row, joined))
    for attribute, descending in reversed(fetch.order):
        chosen.sort(key=partial(_sort_key, attribute), reverse=descending)
    shown = [_show(ctx, fetch, row, joined) for row, joined in chosen]
    if fetch.distinct:
        shown = list({json.dumps(r, sort_keys=True): r for r in shown}.values())
    if fetch.count is not None:
        start = (fetch.page - 1) * fetch.count
        shown = shown[start : start + fetch.count]
    elif fetch.top is not None:
        shown = shown[: fetch.top]
    return shown[: ctx.config.max_search_records]


def _joins(
    meta: Entity, attrs: Mapping[str, Any], linked: list[tuple[Link, list[records.Row]]]
) -> list[Joined]:
    options: list[list[tuple[str, Mapping[str, Any] | None]]] = []
    for link, rows in linked:
        key = value_of(meta, link.to_attribute, dict(attrs))
        found = [
            r["attrs"]
            for r in rows
            if key is not None
            and value_of(link.target, link.from_attribute, r["attrs"]) == key
            and (link.filter is None or _holds(link.filter, r["attrs"], {}))
        ]
        if not found and not link.outer:
            return []
        options.append([(link.alias, f) for f in found] or [(link.alias, None)])
    return [dict(combination) for combination in product(*options)]


def _holds(where: Filter, attrs: Mapping[str, Any], joined: Joined) -> bool:
    # Every item is evaluated, so a bad value fails the same way whatever the data.
    results = [
        _holds(item, attrs, joined) if isinstance(item, Filter) else _test(item, attrs, joined)
        for item in where.items
    ]
    return any(results) if where.any_of else all(results)


def _test(condition: Condition, attrs: Mapping[str, Any], joined: Joined) -> bool:
    source = attrs if condition.alias is None else (joined.get(condition.alias) or {})
    attribute = condition.attribute
    value = odata_values.comparable(attribute, source.get(attribute.logical_name))
    operator = condition.operator
    if operator in ("null", "not-null"):
        return (value is None) == (operator == "null")
    if operator not in COMPARISONS and operator not in ("in", "not-in"):
        # Text operators: the pattern is text whatever the column, which must be text.
        return value is not None and _text_test(operator, attribute, value, condition.values[0])
    wanted = [_typed(attribute, v) for v in condition.values]
    if operator in COMPARISONS:
        return odata_values.compare(COMPARISONS[operator], value, wanted[0])
    inside = value is not None and any(odata_values.compare("Eq", value, w) for w in wanted)
    return value is not None and inside == (operator == "in")


def _text_test(operator: str, attribute: Attribute, value: Any, wanted: str) -> bool:
    if not isinstance(value, str):
        raise RecordError(
            f"The condition operator '{operator}' works on text; "
            f"'{attribute.logical_name}' is not a text attribute"
        )
    negated, wanted = operator.startswith("not-"), wanted.casefold()
    if operator.endswith("like"):
        pattern = "".join(".*" if c == "%" else "." if c == "_" else re.escape(c) for c in wanted)
        hit = re.fullmatch(pattern, value, re.DOTALL) is not None
    elif operator.endswith(("begins-with", "begin-with")):
        hit = value.startswith(wanted)
    else:
        hit = value.endswith(wanted)
    return hit != negated


def _typed(attribute: Attribute, text: str) -> Any:
    """Read a condition value as the attribute's type (text folded to compare without case)."""
    kind = attribute.type
    try:
        if attribute.is_lookup or kind == "uniqueidentifier":
            return records.record_id(text)
        if kind in INTEGERS:
            return int(text)
        if kind in DECIMALS:
            return float(text)
        if kind == "boolean":
            return {"1": True, "true": True, "0": False, "false": False}[text.strip().lower()]
        if kind == "datetime":
            moment = datetime.fromisoformat(text.strip())
            return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    except (ValueError, KeyError, RecordError) as error:
        edm = EDM_TYPES.get(kind, "Guid" if attribute.is_lookup else "String")
        raise RecordError(messages.not_convertible(text, edm)) from error
    return text.casefold()


def _sort_key(attribute: Attribute, chosen: tuple[records.Row, Joined]) -> tuple[bool, Any]:
    return odata.sort_key(attribute, chosen[0])  # by the row's own columns, as odata sorts


def _show(ctx: CallContext, fetch: Fetch, row: records.Row, joined: Joined) -> dict[str, Any]:
    shown = _present(records.view(ctx, fetch.entity, row, fetch.columns))
    for link in fetch.links:
        attrs = joined.get(link.alias)
        if attrs is None:
            continue
        linked_row: records.Row = {"attrs": attrs, "version": 0}
        for attribute in link.columns:
            view = _present(records.view(ctx, link.target, linked_row, [attribute]))
            view.pop("@odata.etag", None)
            prefix = f"{link.alias}.{attribute.logical_name}"
            shown.update({prefix + k[len(attribute.value_key) :]: v for k, v in view.items()})
    return shown


def _present(view: dict[str, Any]) -> dict[str, Any]:
    # FetchXML results leave null columns out (their annotations go with them).
    return {k: v for k, v in view.items() if v is not None}
