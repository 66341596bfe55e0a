"""What one call asks of Redis: reads never touch the lock, a change makes three round trips
(lock with catch-up, save, release),
and workspace views and journal entries go through Socket.IO's Redis manager only while a
workspace page of the agent is open on some process.

The store's client is wrapped to list the commands it sends (one command, one round trip:
the store sends no pipelines). The journal and Socket.IO's fan-out have connections of their
own and are not counted in those lists.
"""

from __future__ import annotations

import asyncio
import dataclasses
import logging
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
import socketio
from aiohttp.test_utils import TestServer

from cifbridge.api import catalog
from cifbridge.store.redis import RedisStore
from cifbridge.web import hub as hub_module
from cifbridge.web.keys import AGENTS, SIO
from tests.web.conftest import ServerFactory, WidgetFactory

pytestmark = pytest.mark.redis

CHAT = {"templateName": "msdyn_chat_session", "customerName": "Ana"}


class Sent:
    """The commands a store's Redis client sent, as (name, first key) pairs."""

    def __init__(self, store: RedisStore) -> None:
        self.commands: list[tuple[str, str]] = []
        client = store._redis
        real = client.execute_command

        async def counted(*args: Any, **options: Any) -> Any:
            name = str(args[0]).upper()
            # EVALSHA <sha> <numkeys> <key>...; other commands: <name> <key>
            at = 3 if name == "EVALSHA" else 1
            key = args[at] if len(args) > at else ""
            self.commands.append((name, key.decode() if isinstance(key, bytes) else str(key)))
            return await real(*args, **options)

        client.execute_command = counted  # type: ignore[method-assign]

    def take(self) -> list[tuple[str, str]]:
        taken, self.commands = self.commands, []
        return taken


@pytest.fixture
def redis_key() -> Iterator[str]:
    yield f"cifbridge:test:{uuid.uuid4().hex}"


async def redis_bridge(serve: ServerFactory, key: str) -> tuple[TestServer, Sent]:
    server = await serve(store="redis", redis_key=key, reset=True)
    store = server.app[AGENTS].store
    assert isinstance(store, RedisStore)
    return server, Sent(store)


async def test_a_read_sends_one_command_and_never_touches_the_lock(
    serve: ServerFactory, connect_widget: WidgetFactory, redis_key: str
) -> None:
    server, sent = await redis_bridge(serve, redis_key)
    widget = await connect_widget(server)
    await widget.value("createSession", CHAT)  # the scripts are loaded once
    sent.take()
    assert await widget.value("getAllSessions") == ["session-id-1"]
    # The catch-up script, keyed by the workspace: nothing is locked, nothing written.
    assert sent.take() == [("EVALSHA", redis_key)]


async def test_a_change_takes_the_lock_catches_up_saves_and_releases(
    serve: ServerFactory, connect_widget: WidgetFactory, redis_key: str
) -> None:
    server, sent = await redis_bridge(serve, redis_key)
    widget = await connect_widget(server)
    await widget.value("createSession", CHAT)  # the scripts are loaded once
    sent.take()
    await widget.value("createSession", CHAT)
    store = server.app[AGENTS].store
    await asyncio.gather(*store._releasing.values())  # the release goes out after the answer
    lock = f"{redis_key}:lock"
    assert sent.take() == [
        ("EVALSHA", lock),  # SET NX PX, and in the same script the catch-up
        ("EVALSHA", lock),  # save: compare the lock's token, write text, revision, rows
        ("EVALSHA", lock),  # release: delete the lock if it is still this call's
    ]


async def test_a_read_that_changes_the_workspace_is_run_again_under_the_lock(
    serve: ServerFactory,
    connect_widget: WidgetFactory,
    redis_key: str,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    # As if the catalog wrongly marked setClickToAct as a read.
    wrong = dataclasses.replace(catalog.APIS["setClickToAct"], reads_only=True)
    monkeypatch.setitem(hub_module.APIS, "setClickToAct", wrong)
    server, sent = await redis_bridge(serve, redis_key)
    other = await serve(store="redis", redis_key=redis_key)
    widget, elsewhere = await connect_widget(server), await connect_widget(other)
    assert await widget.value("getClickToAct") is True  # the configured default
    sent.take()
    with caplog.at_level(logging.WARNING, logger="cifbridge"):
        assert await widget.value("setClickToAct", False) is None
    assert "setClickToAct is marked reads_only" in caplog.text
    lock = f"{redis_key}:lock"
    assert sent.take().count(("EVALSHA", lock)) >= 2  # the second run locked and saved
    assert await elsewhere.value("getClickToAct") is False  # and its change was saved
    assert await widget.value("getClickToAct") is False


class Published:
    """The events a bridge sent through Socket.IO's Redis manager, by name."""

    def __init__(self, server: TestServer) -> None:
        self.names: list[str] = []
        manager = server.app[SIO].manager
        real = manager._publish

        async def counted(data: dict[str, Any]) -> Any:
            if data.get("method") == "emit":
                self.names.append(str(data.get("event")))
            return await real(data)

        manager._publish = counted

    def take(self) -> list[str]:
        taken, self.names = self.names, []
        return taken


async def open_page(server: TestServer) -> tuple[socketio.AsyncClient, list[Any], list[Any]]:
    """Open a workspace page; return it with the states and journal entries it receives."""
    page = socketio.AsyncClient(reconnection=False)
    states: list[Any] = []
    entries: list[Any] = []
    page.on("workspace:state", states.append, namespace="/workspace")
    page.on("workspace:journal", entries.append, namespace="/workspace")
    await page.connect(
        str(server.make_url("/")), namespaces=["/workspace"], transports=["websocket"]
    )
    return page, states, entries


async def until(condition: Any) -> None:
    for _ in range(500):  # relayed through Redis pub/sub: bounded polling
        if condition():
            return
        await asyncio.sleep(0.01)
    raise AssertionError("never happened")


async def test_views_and_entries_reach_a_page_on_the_other_process_only_while_it_is_open(
    serve: ServerFactory, connect_widget: WidgetFactory, redis_key: str
) -> None:
    a = await serve(store="redis", redis_key=redis_key, reset=True)
    b = await serve(store="redis", redis_key=redis_key)
    published = Published(a)
    widget = await connect_widget(a)
    await widget.value("setClickToAct", False)  # no widget event: only page traffic
    assert published.take() == []  # no page anywhere: nothing fanned out

    page, states, entries = await open_page(b)
    try:
        await until(lambda: states)  # the state on connect
        await widget.value("setClickToAct", True)
        assert published.take() == ["workspace:journal", "workspace:state"]
        await until(lambda: len(states) == 2 and entries)
        assert states[-1]["sessions"][0]["id"] == "session-id-0"
        assert [e["api"] for e in entries] == ["setClickToAct"]
    finally:
        await page.disconnect()
    await until(lambda: not b.app[SIO].namespace_handlers["/workspace"].hubs)
    await widget.value("setClickToAct", False)
    assert published.take() == []
