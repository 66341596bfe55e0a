"""Redis commands on pipelined connections: events published for other processes without
waiting for each PUBLISH (web/managers.py), and every agent's journal on the store's one
connection (store/journal/redis.py).

With a Redis store, an event raised on one process reaches the agent's widgets on every other
process, in the order raised; the emit does not wait for Redis's answer; a publish that fails
is logged and the next one goes through on a new connection.
"""

from __future__ import annotations

import json
import logging
import os
import uuid
from typing import Any

import pytest
import socketio
from aiohttp.test_utils import TestServer

from cifbridge.web.keys import SIO
from cifbridge.web.managers import DirectRedisManager
from tests.web.conftest import (
    SOFTPHONE_PAGE,
    AgentFactory,
    ServerFactory,
    Widget,
    WidgetFactory,
    wait_for_events,
)

pytestmark = pytest.mark.redis

CHAT = {"templateName": "msdyn_chat_session", "customerName": "Ana"}


async def two_bridges(
    serve: ServerFactory, connect_widget: WidgetFactory
) -> tuple[TestServer, Widget, Widget]:
    """Two bridges on one fresh Redis key; a widget of the same agent on each."""
    key = f"cifbridge:test:{uuid.uuid4().hex}"
    here = await serve(store="redis", redis_key=key, reset=True)
    there = await serve(store="redis", redis_key=key)
    return here, await connect_widget(here), await connect_widget(there)


def switched(events: list[dict[str, Any]]) -> list[str]:
    """The sessions that took the focus, in the order the widget heard it."""
    payloads = [json.loads(e["data"]) for e in events if e["name"] == "onSessionSwitched"]
    return [p["sessionId"] for p in payloads if p["focused"]]


async def test_events_raised_on_one_process_reach_the_other_in_order(
    serve: ServerFactory, connect_widget: WidgetFactory
) -> None:
    _, caller, listener = await two_bridges(serve, connect_widget)
    created = [await caller.value("createSession", CHAT) for _ in range(8)]
    events = await wait_for_events(listener, 15)  # the focus, and the focus lost but the first
    assert switched(events) == created
    assert switched(caller.events) == created  # and on the process that raised them


async def test_a_process_decodes_only_what_other_processes_publish(
    serve: ServerFactory, connect_widget: WidgetFactory
) -> None:
    here, caller, listener = await two_bridges(serve, connect_widget)
    manager = here.app[SIO].manager
    decoded: list[dict[str, Any]] = []

    def loads(text: str | bytes) -> Any:
        decoded.append(json.loads(text))
        return decoded[-1]

    manager.json = type("CountingJson", (), {"dumps": manager.json.dumps, "loads": loads})
    mine = [await caller.value("createSession", CHAT) for _ in range(3)]
    assert switched(await wait_for_events(listener, 5)) == mine  # the other process had them
    theirs = await listener.value("createSession", CHAT)
    assert switched(await wait_for_events(caller, 6))[-1] == theirs  # and this one has its own
    senders = {m["host_id"] for m in decoded}
    assert len(senders) == 1 and manager.host_id not in senders  # the other process's only
    assert all(m["method"] == "emit" for m in decoded)


async def test_what_a_process_drops_unread_is_only_its_own_publishes(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    manager = DirectRedisManager("redis://127.0.0.1:6379/0", channel="unused")
    own = {"method": "emit", "event": "e", "data": [1], "room": None, "host_id": manager.host_id}
    other = {**own, "host_id": "another-process"}
    # A callback addressed to this process names its host id second: it must be read.
    callback = {"method": "callback", "host_id": manager.host_id, "sid": "s", "id": 1, "args": []}
    sent = [json.dumps(m).encode() for m in (own, other, callback, own)]

    async def published(self: Any) -> Any:
        for message in sent:
            yield message

    monkeypatch.setattr(socketio.AsyncRedisManager, "_listen", published)
    heard = [json.loads(m) async for m in manager._listen()]
    assert heard == [other, callback]


async def test_a_failed_publish_is_logged_and_the_next_event_goes_through(
    serve: ServerFactory, connect_widget: WidgetFactory, caplog: pytest.LogCaptureFixture
) -> None:
    here, caller, listener = await two_bridges(serve, connect_widget)
    first = await caller.value("createSession", CHAT)
    assert switched(await wait_for_events(listener, 1)) == [first]
    manager = here.app[SIO].manager
    assert isinstance(manager, DirectRedisManager) and manager._publishes is not None
    connection = manager._publishes._connection
    assert connection is not None and connection._writer is not None
    connection._writer.transport.abort()  # as if Redis dropped the publishing connection
    with caplog.at_level(logging.ERROR, logger="cifbridge"):
        lost = await caller.value("createSession", CHAT)
        again = await caller.value("createSession", CHAT)
        events = await wait_for_events(listener, 3)
    assert switched(events)[-1:] == [again]  # the publish after the loss went through
    assert lost not in switched(events)  # written to the dropped connection: lost, and said
    assert "could not publish an event to Redis" in caplog.text
    assert switched(caller.events)[-3:] == [first, lost, again]  # its own widget had them all


async def test_many_agents_on_one_redis_bridge_open_no_connection_each(
    serve: ServerFactory, connect_widget: WidgetFactory, agent_for: AgentFactory
) -> None:
    # Each agent's journal appends on the store's one pipelined connection (a connection per
    # agent ran out of file descriptors long before MAX_AGENTS).
    server = await serve(store="redis", redis_key=f"cifbridge:test:{uuid.uuid4().hex}", reset=True)
    widget = await connect_widget(server)
    await widget.value("setClickToAct", True)
    descriptors = len(os.listdir("/proc/self/fd"))
    url = str(server.make_url("/"))
    for number in range(60):
        other = Widget()
        await other.connect(url, {"href": SOFTPHONE_PAGE, "agent": f"many-{number}"}, {})
        assert await other.value("setClickToAct", number % 2 == 0) is None
        await other.client.disconnect()
    assert len(os.listdir("/proc/self/fd")) < descriptors + 10
    status, journal = await agent_for(server).request("GET", "/agents/many-59/api/journal")
    assert status == 200
    assert [e["api"] for e in journal["entries"]] == ["setClickToAct"]
