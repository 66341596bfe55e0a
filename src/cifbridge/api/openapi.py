"""The OpenAPI 3.1 description of the control API, built from the route table and its schemas.

    python -m cifbridge.api.openapi      prints it (what GET /api/openapi.json serves)

Rules:
- every route of api/control_routes.py is one operation, its operationId the route's name,
  its path parameters the path's placeholders and its query parameters the route's `query`;
- a request body is the JSON Schema that checks it at the edge (schemas/control/<body>.json);
  the schemas it refers to (`urn:cifbridge:...`) come along as components, every `$ref` is
  rewritten to point inside the document, so it is self-contained;
- the success response is the schema of the route's answer kind (api/openapi_answers.py); the
  refusals are the one error body of web/errors.py, with the statuses the route can answer;
- the document is the same for the same version: `openapi_json` writes it with sorted keys.
"""

from __future__ import annotations

import copy
import functools
import json
from collections.abc import Iterator
from typing import Any

from cifbridge import __version__
from cifbridge.api.control_routes import AGENT_PREFIX, ORG_ROUTES, ROUTES, Route
from cifbridge.api.openapi_answers import ANSWER_SCHEMAS, SHARED_SCHEMAS, Schema, ref
from cifbridge.api.validation import load_registry
from cifbridge.engine.core import AGENT_ACTIONS
from cifbridge.files.resources import data_dir

URN_PREFIX = "urn:cifbridge:"
JSON_MEDIA = "application/json"
JSON_LINES_MEDIA = "application/x-ndjson"
JSON_LINES_ROUTES = frozenset({"getJournal"})  # ?format=jsonl: one entry per line
CREATED_ANSWERS = frozenset({"created", "fault"})  # answered 201 Created
MUTATING = frozenset({"POST", "PUT", "PATCH", "DELETE"})
# Web-layer actions that apply an agent action for the caller, with that action's refusals:
# routing makes the conversation arrive at the agent it chooses (arriveConversation).
ACTS_THROUGH_AGENTS = frozenset({"routeConversation"})
# Each refusal the control API answers, as a reusable response: (status, component, when).
REFUSALS = {
    400: ("BadRequest", "A malformed body or query (naming the JSON path), or an invalid action."),
    401: ("Unauthorized", "The bridge runs with --token and the request did not carry it."),
    403: ("Forbidden", "A host name or page origin the bridge does not answer for."),
    404: ("NotFound", "Something the path or body names does not exist."),
    409: ("Conflict", "The workspace's state does not allow the action now."),
    413: ("PayloadTooLarge", "The body is larger than the bridge accepts."),
    415: ("UnsupportedMediaType", "The body is not JSON (application/json)."),
    503: (
        "NotApplied",
        "The store could not save the change: nothing was applied; try again.",
    ),
}
SECURITY_SCHEME = "bearerToken"


BRIDGE_ROOT: dict[str, Any] = {"url": "/", "description": "The default agent's workspace"}
AGENT_SERVER: dict[str, Any] = {
    "url": AGENT_PREFIX,
    "description": "One agent's workspace (docs/agents.md); the agent appears on first use",
    "variables": {"agent": {"default": "default", "description": "The agent's name"}},
}


def build_openapi(version: str) -> dict[str, Any]:
    """Return the OpenAPI document of the control API as JSON-ready data."""
    from jsonschema import Draft202012Validator  # only once the document is asked for

    registry, schemas = load_registry(data_dir("schemas"))
    components: dict[str, Schema] = dict(SHARED_SCHEMAS)
    needed: dict[str, bool] = {}  # by body schema: whether no body (the empty object) fails
    for body_id in sorted({r.schema_id for r in ROUTES if r.schema_id is not None}):
        _add_schema(body_id, schemas, components)
        validator = Draft202012Validator(schemas[body_id], registry=registry)
        needed[body_id] = not validator.is_valid({})
    components.update({_answer_name(kind): s for kind, s in ANSWER_SCHEMAS.items()})
    paths: dict[str, dict[str, Any]] = {}
    for route in ROUTES:
        paths.setdefault(route.path, {})[route.method.lower()] = _operation(route, needed)
        if route.name in ORG_ROUTES:
            paths[route.path]["servers"] = [BRIDGE_ROOT]  # about every agent: never per agent
    return {
        "openapi": "3.1.0",
        "jsonSchemaDialect": "https://json-schema.org/draft/2020-12/schema",
        "info": {
            "title": "cifbridge control API",
            "version": version,
            "description": "Act as the agent and the customer of a cifbridge workspace:"
            " sessions, tabs, notifications, presence, records, conversations, the clock and"
            ' the journal of CIF calls. Every refusal is {"error": {"message"}}.',
        },
        # Every path but the org's is served for one agent under /agents/{agent} too.
        "servers": [BRIDGE_ROOT, AGENT_SERVER],
        "security": [{}, {SECURITY_SCHEME: []}],
        "tags": [{"name": name} for name in dict.fromkeys(r.resource for r in ROUTES)],
        "paths": paths,
        "components": {
            "schemas": dict(sorted(components.items())),
            "responses": {name: _error(text) for name, text in REFUSALS.values()},
            "securitySchemes": {
                SECURITY_SCHEME: {
                    "type": "http",
                    "scheme": "bearer",
                    "description": "Needed only when the bridge runs with --token"
                    " (CIFBRIDGE_TOKEN); the workspace page sends the cookie that opening"
                    " /?token=<token> sets instead (docs/security.md).",
                }
            },
        },
    }


@functools.cache
def openapi_json(version: str = __version__) -> str:
    """Return the document as JSON text with sorted keys (the same bytes every time)."""
    return json.dumps(build_openapi(version), sort_keys=True, indent=2) + "\n"


def _operation(route: Route, needed: dict[str, bool]) -> dict[str, Any]:
    operation: dict[str, Any] = {
        "operationId": route.name,
        "summary": route.summary,
        "tags": [route.resource],
        "responses": _responses(route),
    }
    parameters = [_path_parameter(name) for name in route.placeholders]
    parameters += [_query_parameter(*query) for query in route.query]
    if parameters:
        operation["parameters"] = parameters
    if route.schema_id is not None:
        schema_name = _component_name(route.schema_id)
        operation["requestBody"] = {
            "required": needed[route.schema_id],  # no body counts as the empty object
            "content": {JSON_MEDIA: {"schema": ref(schema_name)}},
        }
    return operation


def _responses(route: Route) -> dict[str, Any]:
    status = "201" if route.answer in CREATED_ANSWERS else "200"
    answer = {"$ref": f"#/components/schemas/{_answer_name(route.answer)}"}
    content: dict[str, Any] = {JSON_MEDIA: {"schema": answer}}
    if route.name in JSON_LINES_ROUTES:
        content[JSON_LINES_MEDIA] = {"schema": {"type": "string"}}
    responses: dict[str, Any] = {status: {"description": route.summary, "content": content}}
    for code in sorted(_refusals(route)):
        responses[str(code)] = {"$ref": f"#/components/responses/{REFUSALS[code][0]}"}
    return responses


def _refusals(route: Route) -> set[int]:
    # Every route sits behind the host, origin and token guards (web/security.py).
    codes = {401, 403}
    acts = route.action in AGENT_ACTIONS or route.action in ACTS_THROUGH_AGENTS
    if route.method in MUTATING:
        codes |= {400, 413, 415}  # any body is bounded and must be JSON
        codes.add(503)  # a change the store could not save is undone (web/hub.py)
    if route.schema_id is not None or route.query or acts:
        codes.add(400)
    if route.placeholders or acts:
        codes.add(404)
    if acts:
        codes.add(409)
    return codes


def _path_parameter(name: str) -> dict[str, Any]:
    return {"name": name, "in": "path", "required": True, "schema": {"type": "string"}}


def _query_parameter(name: str, schema: Schema, description: str) -> dict[str, Any]:
    return {
        "name": name,
        "in": "query",
        "required": False,
        "description": description,
        "schema": dict(schema),
    }


def _error(description: str) -> dict[str, Any]:
    return {"description": description, "content": {JSON_MEDIA: {"schema": ref("Error")}}}


def _add_schema(schema_id: str, schemas: dict[str, Schema], components: dict[str, Schema]) -> None:
    """Put a schema and every schema it refers to into the components, refs rewritten."""
    name = _component_name(schema_id)
    if name in components:
        return
    schema = copy.deepcopy(schemas[schema_id])
    for key in ("$id", "$schema"):
        schema.pop(key, None)
    components[name] = schema
    for holder in _refs(schema):
        target, _, fragment = holder["$ref"].partition("#")
        if not target:  # a reference inside the same schema: now inside its component
            holder["$ref"] = f"#/components/schemas/{name}{fragment}"
            continue
        if target not in schemas:
            raise KeyError(f"{schema_id} refers to {target}, which schemas/ does not hold")
        _add_schema(target, schemas, components)
        holder["$ref"] = f"#/components/schemas/{_component_name(target)}{fragment}"


def _refs(value: Any) -> Iterator[dict[str, Any]]:
    if isinstance(value, dict):
        if isinstance(value.get("$ref"), str):
            yield value
        for item in value.values():
            yield from _refs(item)
    elif isinstance(value, list):
        for item in value:
            yield from _refs(item)


def _component_name(schema_id: str) -> str:
    # urn:cifbridge:control:advanceClock -> AdvanceClockBody; urn:cifbridge:state:export ->
    # StateExport: names a code generator turns into readable types.
    zone, _, name = schema_id.removeprefix(URN_PREFIX).partition(":")
    if zone == "control":
        return _capital(name) + "Body"
    return _capital(zone) + _capital(name or zone)


def _answer_name(kind: str) -> str:
    return _capital(kind) + "Answer"


def _capital(word: str) -> str:
    return word[:1].upper() + word[1:]


if __name__ == "__main__":
    print(openapi_json(), end="")
