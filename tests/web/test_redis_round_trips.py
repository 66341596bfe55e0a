"""What one call asks of Redis: reads never touch the lock and, once the store hears every save
(store/redis_notices.py), ask nothing until another process saves; a change makes one round
trip while this process's copy is current (a save refused if another process holds the lock
or saved since), else two (lock with catch-up, save with release), and runs again under the
lock when the first is refused; workspace views and journal entries go through Socket.IO's
Redis manager only while a workspace page of the agent is open on some process.

The store's client and its script channel are wrapped to list the commands they send (one
command, one round trip: the channel pipelines the scripts of different agents sent at once,
and one call waits for its answer before the next). The journal and Socket.IO's fan-out have
connections of their own and are not counted in those lists.
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
from tests.web.conftest import SOFTPHONE_PAGE, ServerFactory, Widget, WidgetFactory

ORIGIN = "http://localhost:5173"

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
        # The store's scripts go pipelined on a connection of their own (redis_scripts.py):
        # each call is one EVALSHA on the wire, counted here as the client's commands are.
        scripts = store._scripts
        real_call = scripts.call

        async def counted_script(script: Any, keys: Any, args: Any) -> Any:
            self.commands.append(("EVALSHA", str(keys[0]) if keys else ""))
            return await real_call(script, keys, args)

        scripts.call = counted_script  # type: ignore[method-assign]
        real_send = scripts.send

        def counted_send(*parts: bytes) -> Any:  # a plain command on that connection (PING)
            self.commands.append((parts[0].decode(), parts[1].decode() if len(parts) > 1 else ""))
            return real_send(*parts)

        scripts.send = counted_send  # type: ignore[method-assign]

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


async def hearing(server: TestServer) -> RedisStore:
    """Return the bridge's store once it follows the saves channel (redis_notices.py)."""
    store = server.app[AGENTS].store
    assert isinstance(store, RedisStore)
    await until(lambda: store._notices.epoch() is not None)
    return store


@dataclasses.dataclass
class TwoProcesses:
    """Two bridges on one Redis key, both following the saves channel, a widget on each."""

    server: TestServer  # the one whose commands are listed
    sent: Sent
    store: RedisStore
    widget: Widget
    other: TestServer
    elsewhere: Widget  # the widget on the other


async def two_processes(
    serve: ServerFactory, connect_widget: WidgetFactory, redis_key: str
) -> TwoProcesses:
    server, sent = await redis_bridge(serve, redis_key)
    other = await serve(store="redis", redis_key=redis_key)
    widget, elsewhere = await connect_widget(server), await connect_widget(other)
    store = await hearing(server)
    await hearing(other)
    return TwoProcesses(server, sent, store, widget, other, elsewhere)


async def test_a_read_sends_no_command_once_the_store_hears_every_save(
    serve: ServerFactory, connect_widget: WidgetFactory, redis_key: str
) -> None:
    server, sent = await redis_bridge(serve, redis_key)
    widget = await connect_widget(server)
    await widget.value("createSession", CHAT)  # the scripts are loaded once
    await hearing(server)
    assert await widget.value("getAllSessions") == ["session-id-1"]
    sent.take()
    # Trusted by then (a catch-up after the subscription): nothing locked, nothing asked.
    assert await widget.value("getAllSessions") == ["session-id-1"]
    assert await widget.value("getFocusedSession") == "session-id-1"
    assert sent.take() == []


async def test_a_save_on_another_process_is_read_here_right_after_its_answer(
    serve: ServerFactory, connect_widget: WidgetFactory, redis_key: str
) -> None:
    pair = await two_processes(serve, connect_widget, redis_key)
    sent, reader, writer = pair.sent, pair.widget, pair.elsewhere
    assert await reader.value("getAllSessions") == []  # the catch-up that makes it trusted
    assert await reader.value("getAllSessions") == []
    sent.take()
    for number in range(1, 6):
        await writer.value("createSession", CHAT)  # answered there: its notice came first
        assert await reader.value("getFocusedSession") == f"session-id-{number}"
    # Each read after a save elsewhere asked once; none was answered from the old copy.
    assert sent.take() == [("EVALSHA", redis_key)] * 5


async def test_a_change_is_answered_once_every_other_process_has_its_notice(
    serve: ServerFactory, connect_widget: WidgetFactory, redis_key: str
) -> None:
    here = await serve(store="redis", redis_key=redis_key, reset=True)
    there, sent = await redis_bridge(serve, redis_key)
    writer = await connect_widget(there)
    await hearing(here)
    await hearing(there)
    await writer.value("createSession", CHAT)  # the scripts are loaded once
    sent.take()
    await writer.value("createSession", CHAT)
    # The save (its copy is current: no lock), then one PING answered after the save's notice
    # went out to the other process (redis_notices.py).
    assert [name for name, _ in sent.take()] == ["EVALSHA", "PING"]


async def made_stale(store: RedisStore, agent: str, change_elsewhere: Any) -> None:
    """Have another process change the agent's workspace, and wait until `store` heard it."""
    before = store._notices._revisions.get(agent, 0)
    await change_elsewhere()
    await until(lambda: store._notices._revisions.get(agent, 0) > before)


async def test_a_change_to_a_current_copy_takes_no_lock_and_saves_if_nobody_else_did(
    serve: ServerFactory, connect_widget: WidgetFactory, redis_key: str
) -> None:
    pair = await two_processes(serve, connect_widget, redis_key)
    await pair.widget.value("createSession", CHAT)  # the scripts are loaded, the copy trusted
    pair.sent.take()
    assert await pair.widget.value("createSession", CHAT) == "session-id-2"
    lock = f"{redis_key}:lock"
    # One script: refuse if the lock is held or the revision moved, else write and announce;
    # then the PING after which the other process has the notice. No lock, no release.
    assert pair.sent.take() == [("EVALSHA", lock), ("PING", "")]
    assert await pair.store._redis.exists(lock) == 0
    assert await pair.elsewhere.value("getAllSessions") == ["session-id-1", "session-id-2"]


async def test_records_written_for_another_agent_elsewhere_are_read_here(
    serve: ServerFactory, redis_key: str
) -> None:
    here, sent = await redis_bridge(serve, redis_key)
    there = await serve(store="redis", redis_key=redis_key)
    ana, bo = Widget(), Widget()
    for widget, server, agent in ((ana, here, "ana"), (bo, there, "bo")):
        auth = {"provider": None, "href": SOFTPHONE_PAGE, "agent": agent}
        await widget.connect(str(server.make_url("/")), auth, {"Origin": ORIGIN})
    try:
        await hearing(here)
        created = await bo.value("createRecord", "contact", '{"firstname": "Ana"}')
        record = created["id"]
        found = await ana.value("retrieveRecord", "contact", record, "?$select=firstname")
        assert found["firstname"] == "Ana"
        sent.take()
        await bo.value("updateRecord", "contact", record, '{"firstname": "Bea"}')
        found = await ana.value("retrieveRecord", "contact", record, "?$select=firstname")
        assert found["firstname"] == "Bea"  # the row's notice made this read ask
        assert sent.take() == [("EVALSHA", f"{redis_key}:agent:ana")]
    finally:
        await ana.client.disconnect()
        await bo.client.disconnect()


async def test_reads_ask_again_while_the_saves_channel_is_lost(
    serve: ServerFactory, connect_widget: WidgetFactory, redis_key: str
) -> None:
    pair = await two_processes(serve, connect_widget, redis_key)
    here, sent, store, reader, writer = (
        pair.server,
        pair.sent,
        pair.store,
        pair.widget,
        pair.elsewhere,
    )
    assert await reader.value("getAllSessions") == []
    sent.take()
    notices = store._notices
    assert notices._task is not None
    notices._task.cancel()  # as if the subscription dropped: nothing is heard any more
    await asyncio.gather(notices._task, return_exceptions=True)
    assert notices.epoch() is None
    await writer.value("createSession", CHAT)
    assert await reader.value("getAllSessions") == ["session-id-1"]  # asked, not trusted
    assert await reader.value("getAllSessions") == ["session-id-1"]
    assert sent.take() == [("EVALSHA", redis_key)] * 2
    notices._task = None
    notices.start()
    await hearing(here)  # followed again: one catch-up, then silence
    assert await reader.value("getAllSessions") == ["session-id-1"]
    assert await reader.value("getAllSessions") == ["session-id-1"]
    assert sent.take() == [("EVALSHA", redis_key)]


async def test_a_dropped_subscription_is_followed_again_and_trusted_after_one_catch_up(
    serve: ServerFactory, connect_widget: WidgetFactory, redis_key: str
) -> None:
    here, sent = await redis_bridge(serve, redis_key)
    reader = await connect_widget(here)
    store = await hearing(here)
    assert await reader.value("getAllSessions") == []
    before = store._notices.epoch()
    assert before is not None
    # Redis drops this process's subscriber (only it: other tests' run on the same Redis).
    subscription = store._notices.subscription
    assert subscription is not None and subscription.connection is not None
    writer = subscription.connection._writer
    assert writer is not None
    host, port = writer.get_extra_info("sockname")[:2]
    assert await store._redis.client_kill_filter(_type="pubsub", addr=f"{host}:{port}") == 1
    await until(lambda: (store._notices.epoch() or 0) > before + 1)  # lost, then followed again
    sent.take()
    assert await reader.value("getAllSessions") == []  # what was missed meanwhile: asked
    assert await reader.value("getAllSessions") == []
    assert sent.take() == [("EVALSHA", redis_key)]


async def test_a_change_after_another_process_saved_takes_the_lock_catches_up_and_saves(
    serve: ServerFactory, connect_widget: WidgetFactory, redis_key: str
) -> None:
    pair = await two_processes(serve, connect_widget, redis_key)
    widget, elsewhere, store = pair.widget, pair.elsewhere, pair.store
    await widget.value("createSession", CHAT)  # the scripts are loaded once
    await made_stale(store, pair.server.app[AGENTS].default.agent_id,
                     lambda: elsewhere.value("createSession", CHAT))  # fmt: skip
    pair.sent.take()
    assert await widget.value("createSession", CHAT) == "session-id-3"
    lock = f"{redis_key}:lock"
    assert pair.sent.take() == [
        ("EVALSHA", lock),  # SET NX PX, and in the same script the catch-up
        ("EVALSHA", lock),  # save: compare the lock's token, write text, revision, rows, and
        ("PING", ""),  # delete the lock; then the other process has the save's notice
    ]  # (redis_notices.py): nothing is left to release after the answer
    assert not store._releasing
    assert await store._redis.exists(lock) == 0
    # Another process takes the lock at once and sees the change.
    assert len(await elsewhere.value("getAllSessions")) == 3
    assert await elsewhere.value("createSession", CHAT)


async def test_a_change_refused_for_a_save_made_elsewhere_meanwhile_runs_again_under_the_lock(
    serve: ServerFactory, connect_widget: WidgetFactory, redis_key: str
) -> None:
    pair = await two_processes(serve, connect_widget, redis_key)
    widget, elsewhere, store, sent = pair.widget, pair.elsewhere, pair.store, pair.sent
    assert await widget.value("createSession", CHAT) == "session-id-1"
    # The other process saves, and this one has not heard yet (its notice is held back), so
    # it still takes its copy for current: its save without the lock must be refused.
    heard, held_back = store._notices.heard, []
    store._notices.heard = held_back.append  # type: ignore[method-assign]
    assert await elsewhere.value("createSession", CHAT) == "session-id-2"
    sent.take()
    assert await widget.value("createSession", CHAT) == "session-id-3"  # not a second "2"
    lock = f"{redis_key}:lock"
    assert [key for _, key in sent.take()][:3] == [lock, lock, lock]  # refused, lock, save
    store._notices.heard = heard  # type: ignore[method-assign]
    for line in held_back:
        heard(line)
    sessions = ["session-id-1", "session-id-2", "session-id-3"]
    assert await elsewhere.value("getAllSessions") == sessions
    assert await widget.value("getAllSessions") == sessions
    calls = await pair.server.app[AGENTS].default.journal.page(api="createSession")
    assert [e["value"] for e in calls.entries] == sessions  # each call journaled once


async def test_a_change_while_another_process_holds_the_lock_waits_for_it(
    serve: ServerFactory, connect_widget: WidgetFactory, redis_key: str
) -> None:
    server, _sent = await redis_bridge(serve, redis_key)
    widget = await connect_widget(server)
    store = await hearing(server)
    await widget.value("createSession", CHAT)
    lock = f"{redis_key}:lock"
    # As if another process were in the middle of a change (its lock expires in 300 ms).
    assert await store._redis.set(lock, b"another process", px=300, nx=True)
    assert await widget.value("createSession", CHAT) == "session-id-2"
    assert await store._redis.exists(lock) == 0  # taken once it expired, released by the save
    assert await widget.value("getAllSessions") == ["session-id-1", "session-id-2"]


async def test_a_hold_that_saves_nothing_releases_the_lock_after_its_answer(
    serve: ServerFactory, connect_widget: WidgetFactory, redis_key: str
) -> None:
    pair = await two_processes(serve, connect_widget, redis_key)
    server, sent, store, widget, elsewhere = (
        pair.server,
        pair.sent,
        pair.store,
        pair.widget,
        pair.elsewhere,
    )
    await widget.value("createSession", CHAT)
    sent.take()
    # On a current copy, a refused call takes no lock and asks nothing.
    ack = await widget.call("createSession", {"templateName": "no_such_template"})
    assert not ack["ok"]
    assert sent.take() == []
    await made_stale(store, server.app[AGENTS].default.agent_id,
                     lambda: elsewhere.value("setClickToAct", False))  # fmt: skip
    sent.take()
    # Once another process saved, it runs under the lock and changes nothing: no save, so a
    # release.
    ack = await widget.call("createSession", {"templateName": "no_such_template"})
    assert not ack["ok"]
    await asyncio.gather(*store._releasing.values())
    lock = f"{redis_key}:lock"
    assert sent.take() == [("EVALSHA", lock), ("EVALSHA", lock)]  # lock, then release
    assert await store._redis.exists(lock) == 0


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
    assert ("EVALSHA", lock) in sent.take()  # the second run saved (its script's first key)
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
    journal = a.app[AGENTS].default.journal
    widget = await connect_widget(a)
    await widget.value("setClickToAct", False)  # no widget event: only page traffic
    await journal.written()  # the call's entry goes to Redis as its answer leaves
    assert published.take() == []  # no page anywhere: nothing fanned out

    page, states, entries = await open_page(b)
    try:
        await until(lambda: states)  # the state on connect
        await widget.value("setClickToAct", True)
        await journal.written()
        assert sorted(published.take()) == ["workspace:journal", "workspace:state"]
        await until(lambda: len(states) == 2 and entries)
        assert states[-1]["sessions"][0]["id"] == "session-id-0"
        assert [e["api"] for e in entries] == ["setClickToAct"]
    finally:
        await page.disconnect()
    await until(lambda: not b.app[SIO].namespace_handlers["/workspace"].hubs)
    await widget.value("setClickToAct", False)
    await journal.written()
    assert published.take() == []


async def test_two_processes_changing_one_agent_at_once_lose_no_change(
    serve: ServerFactory, connect_widget: WidgetFactory, redis_key: str
) -> None:
    # Both processes' copies are current and trusted, and each changes the same agent as fast
    # as it is answered: saves without the lock race each other and the locked ones. Every
    # change must be kept once, with numbers handed out once, whichever way it was saved.
    pair = await two_processes(serve, connect_widget, redis_key)
    here, there, one, two = pair.server, pair.other, pair.widget, pair.elsewhere
    assert await one.value("getAllSessions") == []
    assert await two.value("getAllSessions") == []  # both copies trusted
    data = {"conversationId": "c-1"}

    async def log_events(widget: Widget, name: str) -> None:
        for number in range(25):
            event = {**data, "providerSessionId": f"{name}-{number}"}
            assert await widget.value("logAnalyticsEvent", event, "race") == "Success"

    async def create_sessions(widget: Widget) -> list[str]:
        return [await widget.value("createSession", CHAT) for _ in range(4)]

    await asyncio.gather(log_events(one, "one"), log_events(two, "two"))
    created = await asyncio.gather(create_sessions(one), create_sessions(two))

    for server in (here, there):
        state = await server.app[AGENTS].default.snapshot()
        logged = sorted(e["data"]["providerSessionId"] for e in state["analytics"])
        assert logged == sorted(f"{name}-{n}" for name in ("one", "two") for n in range(25))
    sessions = sorted(created[0] + created[1])
    assert sessions == sorted(f"session-id-{n}" for n in range(1, 9))  # each number once
    assert sorted(await one.value("getAllSessions")) == sessions
    assert sorted(await two.value("getAllSessions")) == sessions
