"""Who may control the bridge over HTTP: host names, origins, content types, the token."""

from __future__ import annotations

import io
import json
from typing import Any

import aiohttp
import pytest
from aiohttp.test_utils import TestServer

from tests.web.conftest import ServerFactory, WidgetFactory

EVIL = "http://evil.test"
HANDSHAKE = "/socket.io/?EIO=4&transport=polling"


async def send(server: TestServer, method: str, path: str, **options: Any) -> tuple[int, Any, Any]:
    """Send one request; return (status, JSON body or text, headers)."""
    async with (
        aiohttp.ClientSession() as http,
        http.request(method, server.make_url(path), allow_redirects=False, **options) as response,
    ):
        if response.content_type == "application/json":
            body = await response.json()
        else:
            body = await response.text()
        return response.status, body, response.headers


async def sessions(server: TestServer) -> list[str]:
    status, view, _ = await send(server, "GET", "/api/workspace")
    assert status == 200
    return [s["title"] for s in view["sessions"]]


@pytest.mark.parametrize("path", ["/api/workspace", "/api/journal", "/", HANDSHAKE])
async def test_requests_for_a_foreign_host_name_are_refused(
    serve: ServerFactory, path: str
) -> None:
    server = await serve()
    status, body, _ = await send(server, "GET", path, headers={"Host": "evil.test:8765"})
    assert status == 403
    message = body["error"]["message"]
    assert "a request for host 'evil.test:8765' is refused" in message
    assert "--allowed-host evil.test" in message


async def test_loopback_names_and_configured_names_are_answered(serve: ServerFactory) -> None:
    server = await serve(allowed_hosts=("bridge.test",))
    for host in ("localhost:1", "127.0.0.1", "[::1]:8765", "bridge.test:80"):
        status, _, _ = await send(server, "GET", "/api/workspace", headers={"Host": host})
        assert status == 200, host


async def test_the_socket_io_handshake_checks_the_host_too(serve: ServerFactory) -> None:
    server = await serve()
    url = server.make_url("/socket.io/?EIO=4&transport=websocket")
    async with aiohttp.ClientSession() as http:
        with pytest.raises(aiohttp.WSServerHandshakeError) as refused:
            await http.ws_connect(url, headers={"Host": "rebound.example"})
        assert refused.value.status == 403
        ws = await http.ws_connect(url, headers={"Host": "localhost"})
        await ws.close()


async def test_cross_site_simple_requests_are_refused_and_change_nothing(
    serve: ServerFactory, connect_widget: WidgetFactory
) -> None:
    server = await serve()
    widget = await connect_widget(server)
    await widget.value(
        "createSession", {"templateName": "msdyn_chat_session", "customerName": "Ana"}
    )
    form = {"Origin": EVIL, "Content-Type": "application/x-www-form-urlencoded"}
    plain = {"Origin": EVIL, "Content-Type": "text/plain"}
    attempts = [
        ("POST", "/api/reset", {"headers": form, "data": "a=1"}),
        ("POST", "/api/reset", {"headers": plain, "data": "{}"}),
        ("DELETE", "/api/sessions/session-id-1", {"headers": {"Origin": EVIL}}),
        ("POST", "/api/reset", {"headers": {"Sec-Fetch-Site": "cross-site"}}),  # no-cors
        ("POST", "/api/reset", {"headers": {"Origin": "null"}}),  # sandboxed frame
        ("GET", "/api/journal", {"headers": {"Origin": "http://127.0.0.1:1"}}),  # other port
    ]
    for method, path, options in attempts:
        status, body, headers = await send(server, method, path, **options)
        assert status == 403, (method, path, options)
        assert "Access-Control-Allow-Origin" not in headers
        assert body["error"]["message"].startswith("cifbridge: the control API ")
    assert await sessions(server) == ["Home", "Ana"]


async def test_the_bridges_own_pages_and_programs_keep_working(serve: ServerFactory) -> None:
    server = await serve()
    own = f"http://localhost:{server.port}"  # the page as loaded from localhost
    status, _, _ = await send(server, "POST", "/api/reset", headers={"Origin": own})
    assert status == 200
    same = {"Sec-Fetch-Site": "same-origin", "Origin": f"http://127.0.0.1:{server.port}"}
    status, _, _ = await send(
        server, "POST", "/api/clock/advance", headers=same, json={"seconds": 1}
    )
    assert status == 200
    status, _, _ = await send(server, "POST", "/api/reset")  # curl, python: no Origin
    assert status == 200


async def test_mutating_bodies_must_be_json(serve: ServerFactory) -> None:
    server = await serve()
    for kind in ("text/plain", "application/x-www-form-urlencoded", "multipart/form-data"):
        headers = {"Content-Type": kind}
        status, body, _ = await send(server, "POST", "/api/reset", headers=headers, data="{}")
        assert status == 415
        message = f"cifbridge: the control API takes JSON bodies (application/json), not {kind}."
        assert body == {"error": {"message": message}}


async def test_preflights_are_answered_only_for_configured_origins(serve: ServerFactory) -> None:
    dashboard = "http://dashboard.test:3000"
    server = await serve(allowed_origins=(dashboard,), allowed_hosts=("bridge.test",))
    preflight = {
        "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "content-type",
    }
    status, _, headers = await send(
        server, "OPTIONS", "/api/reset", headers={**preflight, "Origin": EVIL}
    )
    assert status == 403 and "Access-Control-Allow-Origin" not in headers
    status, _, headers = await send(
        server, "OPTIONS", "/api/reset", headers={**preflight, "Origin": dashboard}
    )
    assert status == 204 and headers["Access-Control-Allow-Origin"] == dashboard
    status, _, headers = await send(server, "POST", "/api/reset", headers={"Origin": dashboard})
    assert status == 200 and headers["Access-Control-Allow-Origin"] == dashboard


async def test_socket_io_never_allows_credentials_across_origins(serve: ServerFactory) -> None:
    server = await serve()
    status, body, headers = await send(server, "GET", HANDSHAKE, headers={"Origin": EVIL})
    assert status == 200  # widgets poll from their own origins
    assert "Access-Control-Allow-Credentials" not in headers
    # Close the engine.io session: a polling session nobody polls would hold the shutdown.
    sid = json.loads(body[1:])["sid"]
    closed = await send(server, "POST", f"{HANDSHAKE}&sid={sid}", data="1")
    assert closed[0] == 200


async def test_bodies_past_the_input_limits_are_refused_with_the_path(serve: ServerFactory) -> None:
    server = await serve()
    deep = '{"data": ' + "[" * 3000 + "]" * 3000 + "}"
    headers = {"Content-Type": "application/json"}
    status, body, _ = await send(server, "POST", "/api/events/x", headers=headers, data=deep)
    assert status == 400
    assert body["error"]["message"].startswith("cifbridge: $.data[0][0][0]")
    assert body["error"]["message"].endswith("nested deeper than 32 levels (limits.maxInputDepth)")
    huge = io.BytesIO(b'{"data": "' + b"x" * 1_100_000 + b'"}')
    status, body, _ = await send(server, "POST", "/api/events/x", headers=headers, data=huge)
    assert status == 413
    assert body == {"error": {"message": "cifbridge: the body is larger than 1000000 bytes."}}
    status, body, _ = await send(server, "POST", "/api/events/x", headers=headers, data="{nope")
    # Plain bad JSON passes the guard and is answered by the route's edge, which names it.
    assert (status, body) == (400, {"error": {"message": "raiseEvent: $: the body is not JSON"}})
