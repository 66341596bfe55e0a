"""Check control-API request bodies against their JSON Schemas; turn them into action keywords.

Pure and synchronous, so the web edge and the contract runner's engine path check bodies the
same way before the engine sees them.

Rules:
- a route with a body schema (control_routes) has its body checked before anything else
  happens; no body at all counts as the empty object;
- a malformed body is refused with one text, `<route>: <JSON path>: <what is wrong>`, naming
  the field: a missing one, an unexpected one, a value of the wrong type or out of range;
- a checked body's fields become the engine action's keyword arguments, camelCase on the wire
  and snake_case in Python (`conversationId` is `conversation_id`); a body named in
  WHOLE_BODIES is passed whole as one keyword; the path's placeholders are keywords already.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from cifbridge.api.control_routes import WHOLE_BODIES, Route
from cifbridge.api.validation import SchemaSet

if TYPE_CHECKING:
    from jsonschema.exceptions import ValidationError

_UPPER = re.compile(r"(?<!^)(?=[A-Z])")
_IDENTIFIER = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


def keyword(name: str) -> str:
    """Return the Python keyword of a wire field name (camelCase to snake_case)."""
    return _UPPER.sub("_", name).lower()


def keywords(fields: Mapping[str, Any]) -> dict[str, Any]:
    """Return a body's fields as keyword arguments (only the top level is renamed)."""
    return {keyword(name): value for name, value in fields.items()}


def action_keywords(route: Route, path_params: Mapping[str, str], body: Any) -> dict[str, Any]:
    """Return the keyword arguments of the route's action: path values, then the body.

    Only the route's own placeholders: the agent an `/agents/<agent>/` path names picks the
    hub, and is no keyword of the action.
    """
    params: dict[str, Any] = {p: path_params[p] for p in route.placeholders if p in path_params}
    if route.body in WHOLE_BODIES:
        params[WHOLE_BODIES[route.body]] = body
    elif isinstance(body, Mapping):
        params.update(keywords(body))
    return params


def not_json(route: Route) -> str:
    """Return the refusal of a body that is not JSON at all."""
    return f"{route.name}: $: the body is not JSON"


def body_problem(schemas: SchemaSet, route: Route, body: Any) -> str | None:
    """Return why the body is malformed for this route, or None when it is fine."""
    if route.schema_id is None:
        return None
    error = schemas.best_error(route.schema_id, body)
    return None if error is None else f"{route.name}: {describe(error)}"


def describe(error: ValidationError) -> str:
    """Render one failure as `<JSON path>: <what is wrong>`, naming the field concerned."""
    schema = error.schema if isinstance(error.schema, Mapping) else {}
    instance = error.instance if isinstance(error.instance, Mapping) else {}
    known = ", ".join(schema.get("properties", {})) or "no fields"
    if error.validator == "required":
        required = error.validator_value if isinstance(error.validator_value, list) else []
        missing = [n for n in required if n not in instance]
        return f"{_child(error.json_path, missing[0])}: is required"
    if error.validator == "additionalProperties":
        extra = [n for n in instance if n not in schema.get("properties", {})]
        return f"{_child(error.json_path, extra[0])}: is not expected (this takes {known})"
    if error.validator == "minProperties":
        return f"{error.json_path}: give at least {error.validator_value} of: {known}"
    if error.validator == "maxProperties":
        return f"{error.json_path}: give at most {error.validator_value} of: {known}"
    return f"{error.json_path}: {error.message}"


def _child(path: str, name: str) -> str:
    # The same notation as jsonschema's json_path: `.name`, or `['odd name']`.
    return f"{path}.{name}" if _IDENTIFIER.match(name) else f"{path}[{name!r}]"
