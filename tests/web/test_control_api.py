"""The control API over HTTP: agent actions, journal, reset, error shape."""

from __future__ import annotations

from typing import Any

import aiohttp
from aiohttp.test_utils import TestServer

from tests.web.conftest import ServerFactory, WidgetFactory


class Http:
    """A plain HTTP client of one bridge; closing it leaves the bridge running."""

    def __init__(self, server: TestServer) -> None:
        self.server = server
        self.session = aiohttp.ClientSession()

    def get(self, path: str) -> Any:
        return self.session.get(self.server.make_url(path))

    def post(self, path: str) -> Any:
        return self.session.post(self.server.make_url(path))

    def delete(self, path: str) -> Any:
        return self.session.delete(self.server.make_url(path))

    async def close(self) -> None:
        await self.session.close()


async def client_for(server: TestServer) -> Http:
    return Http(server)


async def test_health_and_workspace_view(serve: ServerFactory) -> None:
    client = await client_for(await serve())
    try:
        assert (await client.get("/healthz")).status == 200
        view = await (await client.get("/api/workspace")).json()
        assert view["focusedSessionId"] == "session-id-0"
        assert [s["title"] for s in view["sessions"]] == ["Home"]
        assert view["canCreateSession"] is True and view["maxSessions"] == 10
    finally:
        await client.close()


async def test_agent_focus_and_close(serve: ServerFactory, connect_widget: WidgetFactory) -> None:
    server = await serve()
    widget = await connect_widget(server)
    await widget.value(
        "createSession", {"templateName": "msdyn_chat_session", "customerName": "Ana"}
    )
    client = await client_for(server)
    try:
        view = await (await client.post("/api/sessions/session-id-0/focus")).json()
        assert view["focusedSessionId"] == "session-id-0"
        assert await widget.value("getFocusedSession") == "session-id-0"
        view = await (await client.delete("/api/sessions/session-id-1")).json()
        assert [s["id"] for s in view["sessions"]] == ["session-id-0"]
        assert await widget.value("getAllSessions") == []
    finally:
        await client.close()


async def test_refusals_use_one_error_shape(serve: ServerFactory) -> None:
    client = await client_for(await serve())
    try:
        home = await client.delete("/api/sessions/session-id-0")
        assert home.status == 409
        assert await home.json() == {"error": {"message": "The Home session cannot be closed"}}
        missing = await client.post("/api/sessions/session-id-7/focus")
        assert missing.status == 404
        assert (await missing.json())["error"]["message"] == "Session session-id-7 is not open"
        bad = await client.get("/api/journal?since=abc")
        assert bad.status == 400
    finally:
        await client.close()


async def test_journal_records_every_call_with_outcome(
    serve: ServerFactory, connect_widget: WidgetFactory
) -> None:
    server = await serve()
    widget = await connect_widget(server)
    await widget.value("createSession", {"templateName": "msdyn_chat_session"})
    await widget.call("getSession", "session-id-9")
    client = await client_for(server)
    try:
        entries = (await (await client.get("/api/journal")).json())["entries"]
        assert [(e["api"], e["ok"]) for e in entries] == [
            ("createSession", True),
            ("getSession", False),
        ]
        assert entries[0]["value"] == "session-id-1"
        assert entries[0]["provider"] == "cifb_softphone"
        assert entries[1]["error"]["message"] == "Session with ID:session-id-9 does not exist"
        only = (await (await client.get("/api/journal?api=getSession&since=0")).json())["entries"]
        assert [e["seq"] for e in only] == [entries[1]["seq"]]
        later = await (await client.get(f"/api/journal?since={entries[0]['seq']}")).json()
        assert len(later["entries"]) == 1
    finally:
        await client.close()


async def test_reset_starts_over(serve: ServerFactory, connect_widget: WidgetFactory) -> None:
    server = await serve()
    widget = await connect_widget(server)
    await widget.value("createSession", {"templateName": "msdyn_chat_session"})
    client = await client_for(server)
    try:
        view = await (await client.post("/api/reset")).json()
        assert [s["id"] for s in view["sessions"]] == ["session-id-0"]
        assert (await (await client.get("/api/journal")).json())["entries"] == []
        assert await widget.value("createSession", {"templateName": "msdyn_chat_session"}) == (
            "session-id-1"
        )
    finally:
        await client.close()


async def test_notification_icons_are_served(serve: ServerFactory) -> None:
    client = await client_for(await serve())
    try:
        async with client.get("/webresources/msdyn_chat_icon_zfp.svg") as icon:
            assert icon.status == 200 and icon.content_type == "image/svg+xml"
            assert (await icon.text()).startswith("<svg")
        async with client.get("/webresources/../pyproject.toml") as outside:
            assert outside.status == 404
        async with client.get("/webresources/Widget/msdyn_ciLibrary.js") as library:
            assert library.status == 200
    finally:
        await client.close()
