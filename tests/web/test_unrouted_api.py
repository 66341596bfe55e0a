"""Unknown control paths and wrong methods answer the documented JSON error body."""

from __future__ import annotations

from typing import Any

import pytest
from jsonschema import Draft202012Validator

from cifbridge import __version__
from cifbridge.api.openapi import build_openapi
from tests.web.conftest import AgentFactory, ServerFactory


def error_schema() -> dict[str, Any]:
    schema: dict[str, Any] = build_openapi(__version__)["components"]["schemas"]["Error"]
    return schema


async def fetch(agent: Any, method: str, path: str) -> tuple[int, str, dict[str, str], str]:
    async with agent.session.request(method, agent.server.make_url(path)) as response:
        return response.status, response.content_type, dict(response.headers), await response.text()


async def snapshot(agent: Any) -> tuple[Any, Any]:
    # The view's omnichannel part carries the clock's `now`, which moves between two reads.
    _, view = await agent.request("GET", "/api/workspace")
    _, journal = await agent.request("GET", "/api/journal")
    return view["sessions"], journal


@pytest.mark.parametrize(
    "method, path",
    [("GET", "/api/nothing-here"), ("POST", "/api/sessions"), ("GET", "/api"), ("PUT", "/api/x/y")],
)
async def test_an_unknown_control_path_is_a_json_404(
    serve: ServerFactory, agent_for: AgentFactory, method: str, path: str
) -> None:
    agent = agent_for(await serve())
    before = await snapshot(agent)
    status, kind, _, _ = await fetch(agent, method, path)
    _, body = await agent.request(method, path)
    assert (status, kind) == (404, "application/json")
    Draft202012Validator(error_schema()).validate(body)
    assert body["error"]["message"].startswith(f"no control route answers {method} {path}")
    assert "/api/routes" in body["error"]["message"]
    assert await snapshot(agent) == before


@pytest.mark.parametrize(
    "method, path, allowed",
    [
        ("POST", "/api/workspace", "GET, HEAD"),
        ("DELETE", "/api/clock", "GET, HEAD"),
        ("GET", "/api/sessions/session-id-1/focus", "POST"),
        ("PUT", "/api/records/contact/some-id", "DELETE, GET, HEAD, PATCH"),
    ],
)
async def test_a_wrong_method_is_a_json_405_with_allow(
    serve: ServerFactory, agent_for: AgentFactory, method: str, path: str, allowed: str
) -> None:
    agent = agent_for(await serve())
    before = await snapshot(agent)
    status, kind, headers, _ = await fetch(agent, method, path)
    assert (status, kind, headers["Allow"]) == (405, "application/json", allowed)
    _, body = await agent.request(method, path)
    Draft202012Validator(error_schema()).validate(body)
    assert body == {"error": {"message": f"{method} is not allowed on {path}; it takes {allowed}"}}
    assert await snapshot(agent) == before


@pytest.mark.parametrize("path", ["/nothing-here", "/samples/none.html", "/apiary"])
async def test_pages_keep_their_plain_text_404(
    serve: ServerFactory, agent_for: AgentFactory, path: str
) -> None:
    agent = agent_for(await serve())
    status, kind, _, text = await fetch(agent, "GET", path)
    assert (status, kind) == (404, "text/plain")
    assert "error" not in text


async def test_a_page_path_with_a_wrong_method_keeps_the_plain_405(
    serve: ServerFactory, agent_for: AgentFactory
) -> None:
    agent = agent_for(await serve())
    status, kind, headers, _ = await fetch(agent, "POST", "/healthz")
    assert (status, kind) == (405, "text/plain") and headers["Allow"] == "GET,HEAD"


async def test_the_refusals_of_the_guards_share_the_shape(
    serve: ServerFactory, agent_for: AgentFactory
) -> None:
    agent = agent_for(await serve(token="s3cret"))
    status, body = await agent.request("GET", "/api/nothing-here")
    assert status == 401  # the token guard answers before the router is asked
    Draft202012Validator(error_schema()).validate(body)
