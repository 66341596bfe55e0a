"""GET /api/openapi.json describes exactly the control API the app serves, with its schemas."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from typing import Any

import pytest
from openapi_spec_validator import validate

from cifbridge import __version__
from cifbridge.api.control_routes import ANSWERS, ROUTES
from cifbridge.api.openapi import build_openapi, openapi_json
from cifbridge.api.openapi_answers import ANSWER_SCHEMAS
from cifbridge.api.validation import SchemaSet
from cifbridge.engine import Engine
from cifbridge.engine.dataverse.odata import LIST_OPTIONS, RETRIEVE_OPTIONS
from cifbridge.engine.views.workspace import workspace_view
from cifbridge.files.config import load_config
from cifbridge.files.resources import data_dir
from cifbridge.settings import Settings
from cifbridge.web.app import create_app
from tests.web.conftest import AgentFactory, ServerFactory

METHODS = {"get", "post", "put", "patch", "delete"}


@pytest.fixture(scope="module")
def document() -> dict[str, Any]:
    return build_openapi(__version__)


def operations(document: dict[str, Any]) -> Iterator[tuple[str, str, dict[str, Any]]]:
    for path, item in document["paths"].items():
        for method, operation in item.items():
            if method in METHODS:
                yield method.upper(), path, operation


def test_the_document_is_valid_openapi_3_1(document: dict[str, Any]) -> None:
    validate(document)
    assert document["openapi"] == "3.1.0" and document["info"]["version"] == __version__


def test_every_route_the_app_serves_is_documented_and_nothing_else() -> None:
    app = create_app(Settings(store="memory"))
    served = {
        (r.method, r.resource.canonical)
        for r in app.router.routes()
        if r.resource is not None and r.resource.canonical.startswith("/api") and r.method != "HEAD"
    }
    documented = {(method, path) for method, path, _ in operations(build_openapi(__version__))}
    assert served == documented


def test_each_operation_is_its_route(document: dict[str, Any]) -> None:
    by_name = {r.name: r for r in ROUTES}
    seen = {op["operationId"]: (method, path, op) for method, path, op in operations(document)}
    assert sorted(seen) == sorted(by_name)
    for name, (method, path, op) in seen.items():
        route = by_name[name]
        assert (method, path) == (route.method, route.path)
        in_path = [p["name"] for p in op.get("parameters", []) if p["in"] == "path"]
        assert in_path == list(route.placeholders), name
        in_query = [p["name"] for p in op.get("parameters", []) if p["in"] == "query"]
        assert in_query == [q[0] for q in route.query], name
        assert ("requestBody" in op) == (route.body is not None), name


def test_request_bodies_are_the_schemas_the_edge_checks(
    document: dict[str, Any], schemas: SchemaSet
) -> None:
    components = document["components"]["schemas"]
    for route in ROUTES:
        if route.schema_id is None:
            continue
        op = document["paths"][route.path][route.method.lower()]
        target = op["requestBody"]["content"]["application/json"]["schema"]["$ref"]
        documented = components[target.rsplit("/", 1)[1]]
        edge = schemas.schemas[route.schema_id]
        assert {k: v for k, v in documented.items() if k != "$ref"} == {
            k: v for k, v in edge.items() if k[0] != "$"
        }, route.name
        if "$ref" in edge:  # another schema, brought in as a component of its own
            referred = components[documented["$ref"].rsplit("/", 1)[1]]
            assert referred["title"] == schemas.schemas[edge["$ref"]]["title"], route.name


def test_the_document_is_self_contained(document: dict[str, Any]) -> None:
    def refs(value: Any) -> Iterator[str]:
        if isinstance(value, dict):
            if "$ref" in value:
                yield value["$ref"]
            for item in value.values():
                yield from refs(item)
        elif isinstance(value, list):
            for item in value:
                yield from refs(item)

    found = list(refs(document))
    assert found
    for pointer in found:
        assert pointer.startswith("#/"), pointer
        node: Any = document
        for part in pointer[2:].split("/"):
            node = node[part]
        assert isinstance(node, dict), pointer


def test_every_answer_kind_and_refusal_is_described(document: dict[str, Any]) -> None:
    assert set(ANSWER_SCHEMAS) == set(ANSWERS)
    for method, _, op in operations(document):
        success = "201" if op["operationId"] in ("createRecord", "setFault") else "200"
        assert success in op["responses"], op["operationId"]
        assert {"401", "403"} <= set(op["responses"]), op["operationId"]
        if method != "GET":
            assert {"400", "413", "415"} <= set(op["responses"]), op["operationId"]
    error = document["components"]["schemas"]["Error"]
    assert error["required"] == ["error"]
    assert error["properties"]["error"]["required"] == ["message"]
    scheme = document["components"]["securitySchemes"]["bearerToken"]
    assert scheme == {**scheme, "type": "http", "scheme": "bearer"}
    assert "--token" in scheme["description"]


def test_the_query_options_are_the_ones_the_engine_takes(document: dict[str, Any]) -> None:
    def query(path: str) -> list[str]:
        params = document["paths"][path]["get"]["parameters"]
        return [p["name"] for p in params if p["in"] == "query"]

    assert query("/api/records/{entity_name}") == list(LIST_OPTIONS)
    assert query("/api/records/{entity_name}/{record_id}") == list(RETRIEVE_OPTIONS)
    assert query("/api/journal") == ["since", "api", "kind", "format"]


async def test_the_bridge_serves_the_document(
    serve: ServerFactory, agent_for: AgentFactory
) -> None:
    agent = agent_for(await serve())
    async with agent.session.get(agent.server.make_url("/api/openapi.json")) as response:
        assert response.status == 200
        assert response.content_type == "application/json"
        text = await response.text()
    assert text == openapi_json(__version__)
    assert json.loads(text) == build_openapi(__version__)


def test_the_module_prints_the_same_stable_text() -> None:
    printed = subprocess.run(
        [sys.executable, "-m", "cifbridge.api.openapi"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert printed == openapi_json(__version__)
    assert printed == json.dumps(json.loads(printed), sort_keys=True, indent=2) + "\n"


def test_the_workspace_schema_names_every_key_of_the_workspace_view(
    document: dict[str, Any],
) -> None:
    # Objects stay open, so a key the view gained would still validate: name it here instead.
    engine = Engine(load_config(SchemaSet(data_dir("schemas"))), clock=lambda: 0.0)
    schemas = document["components"]["schemas"]
    view = workspace_view(engine)
    assert sorted(view) == sorted(schemas["Workspace"]["properties"])
    assert sorted(view["overlays"]) == sorted(schemas["Overlays"]["properties"])
