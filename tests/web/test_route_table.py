"""The one route table is the control API: the app, the engine actions and the page agree."""

from __future__ import annotations

import inspect
import re
from pathlib import Path
from typing import Any

import pytest
from aiohttp.test_utils import TestServer

from cifbridge.api.control_bodies import keyword
from cifbridge.api.control_routes import ANSWERS, HANDLER_KINDS, ROUTES, WHOLE_BODIES, Route
from cifbridge.api.validation import SchemaSet
from cifbridge.contracts.agent_routes import ROUTES as CONTRACT_ROUTES
from cifbridge.engine.core import AGENT_ACTIONS
from cifbridge.files.resources import data_dir
from cifbridge.settings import Settings
from cifbridge.web.app import create_app
from cifbridge.web.control import RESOURCES
from cifbridge.web.control.records import QUERY_ACTIONS
from tests.web.conftest import AgentFactory, ServerFactory, WidgetFactory

SRC = Path(__file__).resolve().parents[2] / "src" / "cifbridge"
WORKSPACE_JS = data_dir("static") / "workspace"
CALL = re.compile(r"(?<![\w.])(agent|request|fetch)\(")
NAMED_CALL = re.compile(r"(?<![\w.])(?:agent|request)\(\s*\"(\w+)\"")


def test_every_api_route_comes_from_the_table_and_every_row_is_registered() -> None:
    app = create_app(Settings(store="memory"))
    served = {
        (r.method, r.resource.canonical)
        for r in app.router.routes()
        if r.resource is not None and r.resource.canonical.startswith("/api") and r.method != "HEAD"
    }
    assert served == {(r.method, r.path) for r in ROUTES}


def test_the_table_is_consistent(schemas: SchemaSet) -> None:
    assert len({r.name for r in ROUTES}) == len(ROUTES)
    assert len({(r.method, r.path) for r in ROUTES}) == len(ROUTES)
    assert not HANDLER_KINDS & set(AGENT_ACTIONS)
    for r in ROUTES:
        assert r.action in HANDLER_KINDS or r.action in AGENT_ACTIONS, r.name
        assert r.answer in ANSWERS and r.resource in RESOURCES, r.name
        assert r.schema_id is None or schemas.has(r.schema_id), r.name
    used = {r.body for r in ROUTES}
    files = {p.stem for p in (data_dir("schemas") / "control").glob("*.json")}
    assert files == used - {None}


@pytest.mark.parametrize("r", [r for r in ROUTES if r.action in AGENT_ACTIONS], ids=str)
def test_what_the_edge_passes_is_what_the_action_takes(schemas: SchemaSet, r: Route) -> None:
    signature = inspect.signature(AGENT_ACTIONS[r.action])
    takes = set(list(signature.parameters)[1:])  # after the call context
    needs = {n for n, p in signature.parameters.items() if p.default is p.empty} - {"ctx"}
    schema: dict[str, Any] = schemas.schemas[r.schema_id] if r.schema_id else {}
    given = set(r.placeholders) | ({"query"} if r.action in QUERY_ACTIONS else set())
    if r.body in WHOLE_BODIES:
        given.add(WHOLE_BODIES[r.body])
        required = {WHOLE_BODIES[r.body]}
    else:
        given |= {keyword(f) for f in schema.get("properties", {})}
        required = {keyword(f) for f in schema.get("required", [])}
    assert given <= takes, f"{r.name} passes {given - takes}, which {r.action} does not take"
    missing = needs - set(r.placeholders) - required
    assert not missing, f"{r.name} may leave out {missing}, which {r.action} needs"


def test_no_control_path_or_engine_closure_outside_the_table() -> None:
    for path in sorted((SRC / "web").rglob("*.py")):
        text = path.read_text(encoding="utf-8")
        assert "/api/" not in text, f"{path.name} spells a control path; use the table"
        assert "lambda engine" not in text, path.name


def test_the_contract_runner_takes_its_routes_from_the_table() -> None:
    assert all(ROUTES.count(r) == 1 and r.name == a for a, r in CONTRACT_ROUTES.items())


def test_the_workspace_page_calls_the_api_only_through_api_js_by_route_name() -> None:
    names = {r.name for r in ROUTES}
    used: set[str] = set()
    for path in sorted(WORKSPACE_JS.rglob("*.js")):
        if path.relative_to(WORKSPACE_JS).as_posix() == "modules/api.js":
            continue
        text = path.read_text(encoding="utf-8")
        assert "/api/" not in text, f"{path.name} spells a control path; call api.js by name"
        calls, named = CALL.findall(text), NAMED_CALL.findall(text)
        assert "fetch" not in calls, f"{path.name} fetches by itself"
        assert len(calls) == len(named), f"{path.name} calls a route by something but its name"
        used |= set(named)
    assert used, "the page takes no agent action at all?"
    assert used <= names, f"unknown routes: {used - names}"


async def test_the_page_and_the_api_serve_the_table(
    serve: ServerFactory, agent_for: AgentFactory
) -> None:
    agent = agent_for(await serve())
    async with agent.session.get(agent.server.make_url("/")) as page:
        html = await page.text()
    status, listed = await agent.request("GET", "/api/routes")
    assert status == 200 and [r["name"] for r in listed["routes"]] == [r.name for r in ROUTES]
    assert '<script type="application/json" id="control-routes">[{"name":"getWorkspace"' in html
    assert "{{CONTROL_ROUTES}}" not in html


def _stable(view: dict[str, Any]) -> dict[str, Any]:
    # The omnichannel view carries the clock's `now`, which moves between two reads.
    return {**view, "omnichannel": {**view["omnichannel"], "now": None}}


def _malformed(schemas: SchemaSet, r: Route) -> tuple[Any, set[str]]:
    """Return a body of the wrong shape for the route and the JSON paths its refusal may name."""
    assert r.schema_id is not None
    schema = schemas.schemas[r.schema_id]
    if "$ref" in schema:  # a body that is another schema's document (importState)
        schema = schemas.schemas[schema["$ref"]]
    typed = [n for n, spec in schema.get("properties", {}).items() if "type" in spec]
    wrong = [n for n in typed if n in schema.get("required", [])] or typed[:1]
    if wrong:  # every field it needs, each of a type it does not take
        return {n: ["wrong"] for n in wrong}, {f"$.{n}" for n in wrong}
    if r.body in WHOLE_BODIES:
        return ["not", "an", "object"], {"$"}
    return {"unexpected": 1}, {"$.unexpected"}


PATH_VALUES = {
    "session_id": "session-id-1",
    "tab_id": "tab-id-1",
    "conversation_id": "conversation-x",
    "entity_name": "contact",
    "record_id": "x",
    "event_name": "holdRequested",
    "notification_id": "n-1",
}


async def test_malformed_bodies_change_nothing(
    serve: ServerFactory,
    connect_widget: WidgetFactory,
    agent_for: AgentFactory,
    schemas: SchemaSet,
) -> None:
    server: TestServer = await serve()
    widget = await connect_widget(server)
    await widget.value("createSession", {"templateName": "msdyn_chat_session"})
    agent = agent_for(server)
    before = [(await agent.request("GET", p))[1] for p in ("/api/workspace", "/api/journal")]
    for r in [r for r in ROUTES if r.schema_id is not None]:
        url = r.url({p: PATH_VALUES[p] for p in r.placeholders})
        body, json_paths = _malformed(schemas, r)
        status, answer = await agent.request(r.method, url, body)
        assert status == 400, (r.name, answer)
        route_name, json_path, problem = answer["error"]["message"].split(": ", 2)
        assert (route_name, json_path in json_paths, bool(problem)) == (r.name, True, True)
        # Declared as JSON (anything else is refused earlier, with 415) but not JSON.
        not_json = {"data": b"{oops", "headers": {"Content-Type": "application/json"}}
        async with agent.session.request(r.method, server.make_url(url), **not_json) as sent:
            assert sent.status == 400
            assert await sent.json() == {"error": {"message": f"{r.name}: $: the body is not JSON"}}
    after = [(await agent.request("GET", p))[1] for p in ("/api/workspace", "/api/journal")]
    assert _stable(after[0]) == _stable(before[0]) and after[1] == before[1]


async def test_an_event_without_a_name_has_no_route(
    serve: ServerFactory, agent_for: AgentFactory
) -> None:
    agent = agent_for(await serve())
    async with agent.session.post(agent.server.make_url("/api/events/"), json={}) as sent:
        assert sent.status == 404
