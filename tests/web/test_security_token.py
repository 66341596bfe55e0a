"""The optional access token: the control API, the workspace page and its namespace need it;
widgets (the shim, the samples, the /widget namespace) never do."""

from __future__ import annotations

import asyncio

import aiohttp
import pytest
import socketio
from aiohttp.test_utils import TestServer

from cifbridge.clients.bridge import BridgeClient, BridgeError
from tests.web.conftest import ServerFactory, WidgetFactory
from tests.web.test_security_http import send

TOKEN = "s3cret-token"
BEARER = {"Authorization": f"Bearer {TOKEN}"}


async def test_the_control_api_needs_the_token(serve: ServerFactory) -> None:
    server = await serve(token=TOKEN)
    status, body, headers = await send(server, "GET", "/api/workspace")
    assert status == 401 and headers["WWW-Authenticate"].startswith("Bearer")
    assert "Authorization: Bearer <token>" in body["error"]["message"]
    wrong = {"Authorization": "Bearer guess"}
    assert (await send(server, "POST", "/api/reset", headers=wrong))[0] == 401
    assert (await send(server, "GET", "/api/workspace", headers=BEARER))[0] == 200


async def test_widget_routes_need_no_token(
    serve: ServerFactory, connect_widget: WidgetFactory
) -> None:
    server = await serve(token=TOKEN)
    for path in ("/healthz", "/webresources/Widget/msdyn_ciLibrary.js", "/samples/softphone.html"):
        assert (await send(server, "GET", path))[0] == 200, path
    widget = await connect_widget(server)
    assert await widget.value("createSession", {"templateName": "msdyn_chat_session"})


async def test_opening_the_page_with_the_token_sets_its_cookie(serve: ServerFactory) -> None:
    server = await serve(token=TOKEN)
    status, text, _ = await send(server, "GET", "/")
    assert status == 401 and "/?token=<token>" in text
    assert (await send(server, "GET", "/?token=guess"))[0] == 401
    jar = aiohttp.CookieJar(unsafe=True)  # cookies of an IP address host, as browsers keep
    async with aiohttp.ClientSession(cookie_jar=jar) as http:
        async with http.get(server.make_url(f"/?token={TOKEN}"), allow_redirects=False) as first:
            assert first.status == 303 and first.headers["Location"] == "/"
            cookie = first.cookies["cifbridge_token"]
            assert cookie["httponly"] and cookie["samesite"] == "Strict"
        async with http.get(server.make_url("/")) as page:  # the cookie jar sends it
            assert page.status == 200
            assert page.headers["Content-Security-Policy"] == "frame-ancestors 'self'"
        async with http.get(server.make_url("/api/workspace")) as view:
            assert view.status == 200


async def workspace_connect(server: TestServer, **options: object) -> list[str]:
    """Connect to /workspace; return the refusal reasons (empty when it connected)."""
    client = socketio.AsyncClient(reconnection=False)
    reasons: list[str] = []
    client.on("connect_error", lambda data: reasons.append(str(data)), namespace="/workspace")
    try:
        await client.connect(
            str(server.make_url("/")),
            namespaces=["/workspace"],
            transports=["websocket"],
            **options,
        )
    except socketio.exceptions.ConnectionError:
        assert reasons
    await client.disconnect()
    return reasons


async def test_the_workspace_namespace_needs_the_token(serve: ServerFactory) -> None:
    server = await serve(token=TOKEN)
    assert "needs the bridge's access token" in (await workspace_connect(server))[0]
    assert await workspace_connect(server, headers=BEARER) == []
    assert await workspace_connect(server, auth={"token": TOKEN}) == []
    cookie = {"Cookie": f"cifbridge_token={TOKEN}"}
    assert await workspace_connect(server, headers=cookie) == []


async def test_the_workspace_namespace_refuses_foreign_pages(serve: ServerFactory) -> None:
    server = await serve()
    refused = await workspace_connect(server, headers={"Origin": "http://localhost:5173"})
    assert "only the bridge's own pages may open the workspace namespace" in refused[0]
    own = {"Origin": f"http://localhost:{server.port}"}
    assert await workspace_connect(server, headers=own) == []
    assert await workspace_connect(server) == []  # programs send no Origin


async def test_the_python_client_passes_the_token(
    serve: ServerFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    server = await serve(token=TOKEN)
    url = str(server.make_url("")).rstrip("/")
    with pytest.raises(BridgeError) as refused:
        await asyncio.to_thread(BridgeClient(url).workspace)
    assert refused.value.status == 401
    view = await asyncio.to_thread(BridgeClient(url, token=TOKEN).workspace)
    assert view["sessions"][0]["title"] == "Home"
    monkeypatch.setenv("CIFBRIDGE_TOKEN", TOKEN)
    assert (await asyncio.to_thread(BridgeClient(url).reset))["sessions"]


async def test_an_agents_api_and_page_need_the_token_too(serve: ServerFactory) -> None:
    server = await serve(token=TOKEN)
    for method, path in (("GET", "/agents/alice/api/workspace"), ("POST", "/agents/a/api/reset")):
        assert (await send(server, method, path))[0] == 401, path
        assert (await send(server, method, path, headers=BEARER))[0] == 200, path
    status, text, _ = await send(server, "GET", "/agents/alice/")
    assert status == 401 and "token" in text
    async with aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True)) as http:
        opened = server.make_url(f"/agents/alice/?token={TOKEN}")
        async with http.get(opened, allow_redirects=False) as first:
            assert first.status == 303 and first.headers["Location"] == "/agents/alice/"
        async with http.get(server.make_url("/agents/alice/")) as page:
            assert page.status == 200
