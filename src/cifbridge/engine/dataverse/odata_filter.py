"""$filter: parsed by odata-query into its AST, evaluated here over one record at a time.

Rules (Dataverse Web API conventions):
- comparison: eq ne gt ge lt le, and `in (...)`; logic: and or not, parentheses;
- functions: contains, startswith and endswith, on an attribute and a string;
- literals: null, numbers, booleans, 'strings' ('' escapes a quote), GUIDs, dates, date-times;
- a property is an attribute's Web API name (`fullname`, `_parentcustomerid_value`) or a lookup
  followed through its navigation property (`parentcustomerid_account/name`);
- strings compare without regard to case, as Dataverse's default collation does;
- null matches only `eq null` (and `ne null` matches the rest): any other comparison with null
  is false, as in SQL;
- operands of different types, unknown properties and unknown functions are refused with the
  message Dataverse gives, before any record is looked at.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping
from datetime import UTC, date, datetime
from typing import Any

from odata_query import ast
from odata_query.exceptions import ODataException, ParsingException, TokenizingException
from odata_query.grammar import ODataLexer, ODataParser
from odata_query.visitor import NodeVisitor

from cifbridge.engine.base import texts as messages
from cifbridge.engine.base.context import CallContext
from cifbridge.engine.base.errors import RecordError
from cifbridge.engine.config.entities import Entity
from cifbridge.engine.dataverse import records
from cifbridge.engine.dataverse.odata_values import check_types, comparable, compare

TEXT_FUNCTIONS: dict[str, Callable[[str, str], bool]] = {
    "contains": lambda haystack, needle: needle in haystack,
    "startswith": str.startswith,
    "endswith": str.endswith,
}


def parse_filter(ctx: CallContext, meta: Entity, text: str) -> ast._Node:
    """Parse a $filter expression and check every property and function it names."""
    tree = _tree(text)
    matches(ctx, meta, tree, {})  # a record with nothing set still checks every name
    return tree


@functools.lru_cache(maxsize=512)
def _tree(text: str) -> ast._Node:
    # Parsing is most of a filtered query's cost once the store's index finds the rows, and
    # widgets repeat their queries; the tree is immutable (frozen dataclasses), so it is shared.
    try:
        tree: ast._Node = ODataParser().parse(ODataLexer().tokenize(text))
    except TokenizingException as error:
        raise RecordError(messages.odata_syntax_error(error.token.index, text)) from error
    except ParsingException as error:
        at = len(text) if error.eof or error.token is None else error.token.index
        raise RecordError(messages.odata_syntax_error(at, text)) from error
    except ODataException as error:
        raise RecordError(f"$filter: {error}") from error
    return tree


def matches(ctx: CallContext, meta: Entity, tree: ast._Node, attrs: Mapping[str, Any]) -> bool:
    """Tell whether a record's attributes satisfy a parsed $filter."""
    return bool(_Evaluate(ctx, meta, attrs).visit(tree))


class _Evaluate(NodeVisitor):
    """Computes the value of each node for one record."""

    def __init__(self, ctx: CallContext, meta: Entity, attrs: Mapping[str, Any]) -> None:
        self.ctx = ctx
        self.meta = meta
        self.attrs = attrs

    def generic_visit(self, node: ast._Node) -> Any:
        raise RecordError(f"$filter: {type(node).__name__} is not supported")

    def visit_Identifier(self, node: ast.Identifier) -> Any:
        attribute = None if node.namespace else self.meta.by_value_key(node.name)
        if attribute is None:
            name = _full_name(node)
            raise RecordError(messages.property_not_found(self.meta.logical_name, name))
        return comparable(attribute, self.attrs.get(attribute.logical_name))

    def visit_Attribute(self, node: ast.Attribute) -> Any:
        owner = node.owner
        nav = owner.name if isinstance(owner, ast.Identifier) else str(owner)
        found = self.meta.by_navigation(nav)
        if found is None:
            raise RecordError(messages.property_not_found(self.meta.logical_name, nav))
        attribute, target = found
        target_meta = records.entity(self.ctx, target)
        reference = self.attrs.get(attribute.logical_name)
        attrs: Mapping[str, Any] = {}
        if isinstance(reference, Mapping) and reference.get("entityType") == target:
            row = records.find(self.ctx, target_meta, reference["id"])
            attrs = row["attrs"] if row is not None else {}
        return _Evaluate(self.ctx, target_meta, attrs).visit(ast.Identifier(node.attr))

    def visit_Null(self, node: ast.Null) -> None:
        return None

    def visit_Integer(self, node: ast.Integer) -> int:
        return node.py_val

    def visit_Float(self, node: ast.Float) -> float:
        return node.py_val

    def visit_Boolean(self, node: ast.Boolean) -> bool:
        return node.py_val

    def visit_String(self, node: ast.String) -> str:
        return node.val.casefold()

    def visit_GUID(self, node: ast.GUID) -> str:
        return node.val.lower()

    def visit_DateTime(self, node: ast.DateTime) -> datetime:
        moment = datetime.fromisoformat(node.val)
        return moment if moment.tzinfo else moment.replace(tzinfo=UTC)

    def visit_Date(self, node: ast.Date) -> datetime:
        day = date.fromisoformat(node.val)
        return datetime(day.year, day.month, day.day, tzinfo=UTC)

    def visit_List(self, node: ast.List) -> list[Any]:
        return [self.visit(item) for item in node.val]

    def visit_BoolOp(self, node: ast.BoolOp) -> bool:
        # Both sides always run, so a misspelt property fails even where the other decides.
        left, right = bool(self.visit(node.left)), bool(self.visit(node.right))
        return left and right if isinstance(node.op, ast.And) else left or right

    def visit_UnaryOp(self, node: ast.UnaryOp) -> Any:
        value = self.visit(node.operand)
        if isinstance(node.op, ast.Not):
            return not value
        return None if value is None else -value

    def visit_Compare(self, node: ast.Compare) -> bool:
        kind = type(node.comparator).__name__
        left, right = self.visit(node.left), self.visit(node.right)
        if kind == "In":
            options = right if isinstance(right, list) else [right]
            return any(compare("Eq", left, option) for option in options)
        return compare(kind, left, right)

    def visit_Call(self, node: ast.Call) -> bool:
        name = _full_name(node.func)
        function = TEXT_FUNCTIONS.get(name)
        if function is None or len(node.args) != 2:
            supported = ", ".join(TEXT_FUNCTIONS)
            raise RecordError(
                f"$filter: the function '{name}' is not supported (cifbridge knows {supported})"
            )
        haystack, needle = (self.visit(arg) for arg in node.args)
        if haystack is None or needle is None:
            return False
        check_types(name, haystack, needle, want=str)
        return bool(function(haystack, needle))


def _full_name(node: ast.Identifier) -> str:
    return ".".join((*node.namespace, node.name))
