"""What a parsed $filter asks of the record store, as pure data (record_store.Selection).

Rules:
- only a filter the store can narrow without changing any answer gets a Selection: every
  comparison in it (anywhere, under and/or/not) sets a declared attribute of a plain type
  (text, number, boolean, lookup; not date-times, whose text forms differ) against a literal
  of that type or null, and every function is a text function on a text attribute; an open
  entity, a navigation (`x/name`), a date or an operand of another type gets None, so the
  query scans and fails, or not, exactly as before;
- the top-level AND's `eq` and `in` comparisons become `Equals` (values in the evaluator's
  form: text case-folded, GUIDs lower case); without one there is nothing to narrow (None);
- the store returns a superset (odata.py still evaluates each candidate), so `ne`, ranges,
  functions and OR need no translation here.
"""

from __future__ import annotations

from typing import Any

from odata_query import ast

from cifbridge.engine.base.record_store import Equals, Selection
from cifbridge.engine.config.entities import LOOKUP_TYPES, Attribute, Entity

KIND_OF_TYPE = {
    **dict.fromkeys(("string", "memo", "uniqueidentifier"), "text"),
    **dict.fromkeys(
        ("integer", "bigint", "picklist", "state", "status", "decimal", "double", "money"),
        "number",
    ),
    "boolean": "boolean",
    **dict.fromkeys(LOOKUP_TYPES, "lookup"),
}
# The literals each kind compares with, as the evaluator reads them (odata_filter._Evaluate).
LITERALS: dict[str, tuple[type, ...]] = {
    "text": (ast.String, ast.GUID),
    "lookup": (ast.String, ast.GUID),
    "number": (ast.Integer, ast.Float),
    "boolean": (ast.Boolean,),
}
TEXT_FUNCTIONS = ("contains", "startswith", "endswith")


def selection(meta: Entity, tree: ast._Node) -> Selection | None:
    """Return what the store may narrow a $filter to, or None: scan every row."""
    if meta.is_open:
        return None
    typed: dict[str, str] = {}
    if not _typed(meta, tree, typed):
        return None
    equals = tuple(_equals(meta, tree))
    return Selection(equals, tuple(typed.items())) if equals else None


def _typed(meta: Entity, node: ast._Node, typed: dict[str, str]) -> bool:
    # True when every comparison and function is a typed attribute against a fitting literal.
    if isinstance(node, ast.BoolOp):
        return _typed(meta, node.left, typed) and _typed(meta, node.right, typed)
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
        return _typed(meta, node.operand, typed)
    if isinstance(node, ast.Compare):
        found = _operands(meta, node)
        if found is None:
            return False
        attribute, kind, _ = found
        typed[attribute.logical_name] = kind
        return True
    if isinstance(node, ast.Call):
        name = node.func.name if not node.func.namespace else ""
        if name not in TEXT_FUNCTIONS or len(node.args) != 2:
            return False
        subject, needle = node.args
        searched = _attribute(meta, subject)
        if searched is None or KIND_OF_TYPE.get(searched.type) != "text":
            return False
        if not isinstance(needle, ast.String | ast.Null):
            return False
        typed[searched.logical_name] = "text"
        return True
    return False


def _operands(meta: Entity, node: ast.Compare) -> tuple[Attribute, str, list[Any]] | None:
    # (attribute, kind, literal values) when one side is a typed attribute, the other literals.
    for subject, other in ((node.left, node.right), (node.right, node.left)):
        attribute = _attribute(meta, subject)
        if attribute is None:
            continue
        kind = KIND_OF_TYPE.get(attribute.type)
        if kind is None:
            return None
        items = other.val if isinstance(other, ast.List) else [other]
        if isinstance(other, ast.List) and not isinstance(node.comparator, ast.In):
            return None
        values = [_literal(kind, item) for item in items]
        if any(value is _UNFIT for value in values):
            return None
        return attribute, kind, values
    return None


_UNFIT = object()


def _literal(kind: str, node: ast._Node) -> Any:
    # The literal as the evaluator compares it, or _UNFIT when it is not of the kind.
    if isinstance(node, ast.Null):
        return None
    if not isinstance(node, LITERALS[kind]):
        return _UNFIT
    if isinstance(node, ast.String):
        return node.val.casefold()
    if isinstance(node, ast.GUID):
        return node.val.lower()
    if isinstance(node, ast.Integer | ast.Float | ast.Boolean):
        return node.py_val
    return _UNFIT


def _attribute(meta: Entity, node: ast._Node) -> Attribute | None:
    if not isinstance(node, ast.Identifier) or node.namespace:
        return None
    return meta.by_value_key(node.name)


def _equals(meta: Entity, node: ast._Node) -> list[Equals]:
    # The `eq` and `in` comparisons every match must satisfy: the top-level AND's.
    if isinstance(node, ast.BoolOp) and isinstance(node.op, ast.And):
        return [*_equals(meta, node.left), *_equals(meta, node.right)]
    if isinstance(node, ast.Compare) and isinstance(node.comparator, ast.Eq | ast.In):
        found = _operands(meta, node)
        if found is not None:
            attribute, kind, values = found
            return [Equals(attribute.logical_name, kind, tuple(values))]
    return []
