"""FetchXML: parsed with defusedxml into a checked query (fetchxml_run.py evaluates it).

Rules (Dataverse FetchXML conventions):
- the text is parsed by defusedxml, which refuses DTDs, entity declarations and external
  references, so an XML bomb or an external entity is an error, never expanded; nothing here
  reads XML with regular expressions;
- `<fetch>` holds one `<entity name=...>`, whose name must be the entity the request names;
  `top`, or `count` with `page` (from 1), bound the rows; `distinct` drops repeated rows;
- `<attribute name=...>` picks columns (the primary id always comes), `<all-attributes/>` or no
  attribute element gives every column; `<order attribute=... descending=...>` sorts;
- `<filter type="and|or">` nests; `<condition attribute operator value>` compares, `<value>`
  children give the list of in / not-in; `entityname` points a condition at a link's alias;
- `<link-entity name from to link-type alias>` joins one level (nested links are refused):
  `from` is the linked entity's attribute, `to` the parent's, inner (default) keeps only rows
  with a match, outer keeps the others too; its columns come back as `alias.attribute`;
- names are logical names; an unknown entity or attribute fails with the record store's text.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from xml.etree.ElementTree import Element, ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring

from cifbridge.engine.base import texts as messages
from cifbridge.engine.base.context import CallContext
from cifbridge.engine.base.errors import RecordError
from cifbridge.engine.config.entities import Attribute, Entity
from cifbridge.engine.dataverse import records

COMPARISON_OPERATORS = ("eq", "ne", "neq", "gt", "ge", "lt", "le", "in", "not-in")
TEXT_OPERATORS = ("like", "not-like", "begins-with", "not-begin-with", "ends-with")
OPERATORS = frozenset((*COMPARISON_OPERATORS, *TEXT_OPERATORS, "not-end-with", "null", "not-null"))
NO_VALUE = frozenset({"null", "not-null"})
MAX_FILTER_DEPTH = 32  # filters nest; deeper is refused before the parser recurses further
LISTS = frozenset({"in", "not-in"})


@dataclass(frozen=True)
class Condition:
    """One `<condition>`: an attribute of the row or of a link (`alias`), operator, values."""

    attribute: Attribute
    operator: str
    values: tuple[str, ...]
    alias: str | None = None


@dataclass(frozen=True)
class Filter:
    """One `<filter>`: its conditions and nested filters, all ("and") or any ("or")."""

    any_of: bool
    items: tuple[Condition | Filter, ...]


@dataclass(frozen=True)
class Link:
    """One `<link-entity>`: the joined entity, the join columns and what it returns."""

    target: Entity
    from_attribute: Attribute  # on the linked entity
    to_attribute: Attribute  # on the parent entity
    alias: str
    outer: bool
    columns: tuple[Attribute, ...]
    filter: Filter | None


@dataclass(frozen=True)
class Fetch:
    """A parsed `<fetch>`: the entity, columns, filter, order, links and row bounds."""

    entity: Entity
    columns: list[Attribute] | None  # None: every column
    filter: Filter | None
    order: tuple[tuple[Attribute, bool], ...]
    links: tuple[Link, ...]
    top: int | None
    count: int | None
    page: int
    distinct: bool


def parse_xml(text: str) -> Element:
    """Parse FetchXML text safely, refusing DTDs, entities and external references."""
    try:
        root: Element = fromstring(text, forbid_dtd=True)
    except DefusedXmlException as error:
        raise RecordError(
            "Invalid FetchXML: DTDs, entity declarations and external references are refused "
            f"({type(error).__name__})"
        ) from error
    except ParseError as error:
        raise RecordError(f"Invalid FetchXML: {error}") from error
    return root


def parse(ctx: CallContext, meta: Entity, text: str) -> Fetch:
    """Parse FetchXML for a request on `meta` and check every name against the metadata."""
    root = parse_xml(text)
    if root.tag != "fetch":
        raise RecordError(f"Invalid FetchXML: the root element is <{root.tag}>, not <fetch>")
    if root.get("aggregate", "false").lower() == "true":
        raise RecordError("cifbridge does not emulate FetchXML aggregates (aggregate='true')")
    entities = root.findall("entity")
    if len(entities) != 1:
        raise RecordError("Invalid FetchXML: <fetch> must hold exactly one <entity>")
    element = entities[0]
    if element.get("name") != meta.logical_name:
        named = records.entity(ctx, element.get("name") or "")
        raise RecordError(
            f"The FetchXML queries {named.logical_name}, but the request is on "
            f"{meta.entity_set_name}: use {named.entity_set_name}"
        )
    links = tuple(_link(ctx, meta, e) for e in element.findall("link-entity"))
    aliases = {link.alias: link.target for link in links}
    top, count = _number(root, "top"), _number(root, "count")
    if top is not None and count is not None:
        raise RecordError("The top attribute can't be specified with paging attribute count.")
    return Fetch(
        entity=meta,
        columns=_columns(meta, element),
        filter=_only_filter(meta, element, aliases),
        order=tuple(_order(meta, e) for e in element.findall("order")),
        links=links,
        top=top,
        count=count,
        page=_number(root, "page") or 1,
        distinct=root.get("distinct", "false").lower() == "true",
    )


def attribute(meta: Entity, name: str | None) -> Attribute:
    """Return an attribute by logical name, or fail with the store's text."""
    found = meta.attribute(name or "")
    if found is None:
        raise RecordError(messages.property_not_found(meta.logical_name, name or ""))
    return found


def _number(element: Element, name: str) -> int | None:
    text = element.get(name)
    if text is None:
        return None
    if not text.strip().isdigit() or int(text) < 1:
        raise RecordError(f"Invalid FetchXML: {name}='{text}' must be a positive whole number")
    return int(text)


def _columns(meta: Entity, element: Element) -> list[Attribute] | None:
    if element.find("all-attributes") is not None:
        return None
    chosen = [attribute(meta, e.get("name")) for e in element.findall("attribute")]
    if not chosen:
        return None
    primary = attribute(meta, meta.primary_id)
    return list({a.logical_name: a for a in [primary, *chosen]}.values())


def _order(meta: Entity, element: Element) -> tuple[Attribute, bool]:
    descending = element.get("descending", "false").lower() == "true"
    return attribute(meta, element.get("attribute")), descending


def _only_filter(meta: Entity, element: Element, aliases: dict[str, Entity]) -> Filter | None:
    filters = [_filter(meta, f, aliases) for f in element.findall("filter")]
    if not filters:
        return None
    return filters[0] if len(filters) == 1 else Filter(False, tuple(filters))


def _filter(meta: Entity, element: Element, aliases: dict[str, Entity], depth: int = 1) -> Filter:
    if depth > MAX_FILTER_DEPTH:
        raise RecordError(f"Invalid FetchXML: filters nest more than {MAX_FILTER_DEPTH} deep")
    kind = element.get("type", "and").lower()
    if kind not in ("and", "or"):
        raise RecordError(f"Invalid FetchXML: filter type '{kind}' must be and or or")
    items: list[Condition | Filter] = []
    for child in element:
        if child.tag == "condition":
            items.append(_condition(meta, child, aliases))
        elif child.tag == "filter":
            items.append(_filter(meta, child, aliases, depth + 1))
        else:
            raise RecordError(f"Invalid FetchXML: <{child.tag}> is not allowed inside <filter>")
    return Filter(kind == "or", tuple(items))


def _condition(meta: Entity, element: Element, aliases: dict[str, Entity]) -> Condition:
    alias = element.get("entityname")
    if alias is not None and alias not in aliases:
        raise RecordError(f"Invalid FetchXML: no link-entity has the alias '{alias}'")
    owner = aliases[alias] if alias is not None else meta
    operator = (element.get("operator") or "").lower()
    if operator not in OPERATORS:
        known = ", ".join(sorted(OPERATORS))
        raise RecordError(f"The condition operator '{operator}' is not valid (known: {known})")
    listed = tuple(v.text or "" for v in element.findall("value"))
    given = element.get("value")
    values = listed if operator in LISTS else ((given,) if given is not None else listed[:1])
    if operator not in NO_VALUE and not values:
        raise RecordError(f"Invalid FetchXML: the condition operator '{operator}' needs a value")
    return Condition(attribute(owner, element.get("attribute")), operator, values, alias)


def _link(ctx: CallContext, parent: Entity, element: Element) -> Link:
    if element.find("link-entity") is not None:
        raise RecordError("cifbridge emulates link-entity one level deep, not nested ones")
    target = records.entity(ctx, element.get("name") or "")
    kind = element.get("link-type", "inner").lower()
    if kind not in ("inner", "outer"):
        raise RecordError(f"Invalid FetchXML: link-type '{kind}' must be inner or outer")
    alias = element.get("alias") or f"{target.logical_name}1"  # Dataverse's own naming
    columns = [attribute(target, e.get("name")) for e in element.findall("attribute")]
    if element.find("all-attributes") is not None:
        columns = target.columns({})
    link_filter = _only_filter(target, element, {})
    return Link(
        target=target,
        from_attribute=attribute(target, element.get("from")),
        to_attribute=attribute(parent, element.get("to")),
        alias=alias,
        outer=kind == "outer",
        columns=tuple(columns),
        filter=link_filter,
    )


def value_of(meta: Entity, attr: Attribute, attrs: dict[str, Any]) -> Any:
    """Return what a row holds for an attribute, a lookup as its id (for joins)."""
    value = attrs.get(attr.logical_name)
    if isinstance(value, dict):
        return str(value.get("id", "")).lower()
    if attr.logical_name == meta.primary_id and isinstance(value, str):
        return value.lower()
    return value
