"""How $filter and FetchXML compare attribute values: Dataverse's null, case and type rules.

Kept apart from the $filter parser (odata_filter.py) so that FetchXML and $orderby, which
compare values without parsing OData, do not load odata_query's grammar (building its parser
tables is a noticeable part of a cold start).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Any

from cifbridge.engine.base.errors import RecordError
from cifbridge.engine.config.entities import Attribute

OPERATOR_KINDS = {
    "Eq": "Equal",
    "NotEq": "NotEqual",
    "Lt": "LessThan",
    "LtE": "LessThanOrEqual",
    "Gt": "GreaterThan",
    "GtE": "GreaterThanOrEqual",
    "In": "In",
}
ORDERINGS: dict[str, Callable[[Any, Any], bool]] = {
    "Lt": lambda a, b: a < b,
    "LtE": lambda a, b: a <= b,
    "Gt": lambda a, b: a > b,
    "GtE": lambda a, b: a >= b,
}


def comparable(attribute: Attribute, value: Any) -> Any:
    """Return an attribute value in the form filters and sorting compare."""
    if value is None:
        return None
    if attribute.is_lookup:
        return value.get("id") if isinstance(value, Mapping) else None
    if attribute.type == "datetime" and isinstance(value, str):
        return datetime.fromisoformat(value)
    return value.casefold() if isinstance(value, str) else value


def compare(kind: str, left: Any, right: Any) -> bool:
    """Apply one comparison operator with Dataverse's null and case rules."""
    if left is None or right is None:
        if kind == "Eq":
            return left is None and right is None
        return kind == "NotEq" and right is None and left is not None
    check_types(OPERATOR_KINDS[kind], left, right)
    if kind == "Eq":
        return bool(left == right)
    if kind == "NotEq":
        return bool(left != right)
    return bool(ORDERINGS[kind](left, right))


def check_types(operator: str, left: Any, right: Any, want: type | None = None) -> None:
    kinds = (_edm(left), _edm(right))
    numeric = {"Int32", "Double"}
    same = kinds[0] == kinds[1] or set(kinds) <= numeric
    if not same or (want is str and kinds[0] != "String"):
        raise RecordError(
            "A binary operator with incompatible types was detected. Found operand types "
            f"'Edm.{kinds[0]}' and 'Edm.{kinds[1]}' for operator kind '{operator}'."
        )


def _edm(value: Any) -> str:
    if isinstance(value, bool):
        return "Boolean"
    if isinstance(value, int):
        return "Int32"
    if isinstance(value, float):
        return "Double"
    if isinstance(value, datetime):
        return "DateTimeOffset"
    return "String"
