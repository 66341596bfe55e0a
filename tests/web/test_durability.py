"""A call is acknowledged only once saved; a failed save changes nothing; retries are recalled.

The kill -9 runs against bridge processes are in tests/test_crash_durability.py; these check
the same rules in one process, where a store failure can be injected exactly.
"""

from __future__ import annotations

import asyncio
import json
import uuid
from pathlib import Path
from typing import Any

import pytest
from redis.asyncio import Redis

from cifbridge.engine.base.context import DEFAULT_AGENT
from cifbridge.engine.base.record_store import MemoryRecords
from cifbridge.store import LockLost, StoreFailed
from cifbridge.store.redis import RedisStore
from cifbridge.web.keys import AGENTS
from tests.web.conftest import AgentFactory, ServerFactory, WidgetFactory

REDIS_URL = "redis://127.0.0.1:6379/0"
CHAT = {"templateName": "msdyn_chat_session", "customerName": "Ana"}


def redis_key() -> str:
    """Return a workspace key no other test run uses."""
    return f"cifbridge:test:{uuid.uuid4().hex}"


class FailingSaves:
    """Wraps a store so that the next `count` saves fail, as a full disk or lost Redis would."""

    def __init__(self, store: Any, count: int = 1) -> None:
        self.store = store
        self.count = count

    def __getattr__(self, name: str) -> Any:
        return getattr(self.store, name)

    async def save(self, state: str, revision: int, changes: Any = ()) -> None:
        if self.count > 0:
            self.count -= 1
            raise StoreFailed("the state file could not be written: disk I/O error")
        await self.store.save(state, revision, changes)


async def test_a_failed_save_refuses_the_call_and_changes_nothing(
    serve: ServerFactory, connect_widget: WidgetFactory, tmp_path: Path
) -> None:
    server = await serve(store="sqlite", state_path=tmp_path / "ws.sqlite3")
    hub = server.app[AGENTS].default
    hub.store = FailingSaves(hub.store)
    widget = await connect_widget(server)

    ack = await widget.call("createSession", CHAT)
    assert ack == {
        "ok": False,
        "error": {
            "message": "cifbridge: the state file could not be written: disk I/O error",
            "msdyn_name": "createSession",
        },
        "origin": "host",
    }
    assert await widget.value("getAllSessions") == []  # the engine went back to the saved state
    assert widget.events == []  # nothing was published for a call that did not happen
    # The next call gets the id the refused one would have had: nothing of it is left.
    assert await widget.value("createSession", CHAT) == "session-id-1"


async def test_a_failed_save_of_an_agent_action_answers_503(
    serve: ServerFactory, agent_for: AgentFactory, connect_widget: WidgetFactory, tmp_path: Path
) -> None:
    # A store that writes somewhere (the memory store's saves cannot fail).
    server = await serve(store="sqlite", state_path=tmp_path / "ws.sqlite3")
    widget = await connect_widget(server)
    session = await widget.value("createSession", CHAT)
    server.app[AGENTS].default.store = FailingSaves(server.app[AGENTS].default.store)
    status, body = await agent_for(server).request("DELETE", f"/api/sessions/{session}")
    assert status == 503
    assert body == {
        "error": {"message": "cifbridge: the state file could not be written: disk I/O error"}
    }
    assert await widget.value("getAllSessions") == [session]


async def test_a_retry_after_the_first_answer_was_lost_is_answered_from_it(
    serve: ServerFactory, connect_widget: WidgetFactory, tmp_path: Path
) -> None:
    state = tmp_path / "ws.sqlite3"
    first = await serve(store="sqlite", state_path=state)
    widget = await connect_widget(first)
    ack = await widget.call("createSession", CHAT, request_id="retried-1")
    await first.close()  # the widget may never have seen that ack: it sends the call again

    second = await serve(store="sqlite", state_path=state)
    again = await connect_widget(second)
    assert await again.call("createSession", CHAT, request_id="retried-1") == ack
    assert await again.value("getAllSessions") == ["session-id-1"]


@pytest.mark.redis
async def test_a_retry_sent_to_another_process_is_answered_from_the_first_result(
    serve: ServerFactory, connect_widget: WidgetFactory
) -> None:
    key = redis_key()
    a = await serve(store="redis", redis_key=key, reset=True)
    b = await serve(store="redis", redis_key=key)
    on_a, on_b = await connect_widget(a), await connect_widget(b)
    ack = await on_a.call("createSession", CHAT, request_id="moved-1")
    assert await on_b.call("createSession", CHAT, request_id="moved-1") == ack
    assert await on_b.value("getAllSessions") == [ack["value"]]


@pytest.mark.redis
async def test_the_redis_lock_is_renewed_while_a_long_call_holds_it() -> None:
    key = redis_key()
    store = RedisStore(REDIS_URL, key, lock_seconds=1.0)
    rival = RedisStore(REDIS_URL, key, lock_seconds=1.0, wait_seconds=0.05)
    try:
        async with store.exclusive(DEFAULT_AGENT):
            await asyncio.sleep(3.0)  # three times the expiry: only the renewals keep it
            with pytest.raises(StoreFailed, match="held the workspace lock"):
                async with rival.exclusive(DEFAULT_AGENT):
                    pass
            await store.save(DEFAULT_AGENT, '{"saved": 1}', 1)  # still this call's lock
        assert await rival.load(DEFAULT_AGENT) == '{"saved": 1}'
        async with rival.exclusive(DEFAULT_AGENT):  # released at the end of the call
            await rival.save(DEFAULT_AGENT, '{"saved": 2}', 2)
        assert await store.load(DEFAULT_AGENT, 1) == '{"saved": 2}'
    finally:
        await store.clear(DEFAULT_AGENT)
        await store.close()
        await rival.close()


@pytest.mark.redis
async def test_taking_the_lock_brings_what_another_process_saved_since() -> None:
    # The lock script answers the catch-up too: the text only when the revision is not the one
    # this process saved last, and asked again when the engine holds yet another revision.
    key = redis_key()
    first, second = RedisStore(REDIS_URL, key), RedisStore(REDIS_URL, key)
    records = MemoryRecords({})
    try:
        async with first.exclusive(DEFAULT_AGENT):
            assert await first.catch_up(DEFAULT_AGENT, 0, records) is None  # nothing saved
            await first.save(DEFAULT_AGENT, '{"saved": 1}', 1)
        async with second.exclusive(DEFAULT_AGENT):
            assert await second.catch_up(DEFAULT_AGENT, 0, records) == '{"saved": 1}'
            await second.save(DEFAULT_AGENT, '{"saved": 2}', 2)
        async with first.exclusive(DEFAULT_AGENT):
            assert await first.catch_up(DEFAULT_AGENT, 1, records) == '{"saved": 2}'
        async with second.exclusive(DEFAULT_AGENT):
            assert await second.catch_up(DEFAULT_AGENT, 2, records) is None  # its own save
        async with second.exclusive(DEFAULT_AGENT):
            # As if its engine had gone back to revision 1: the text comes all the same.
            assert await second.catch_up(DEFAULT_AGENT, 1, records) == '{"saved": 2}'
    finally:
        await first.clear(DEFAULT_AGENT)
        await first.close()
        await second.close()


@pytest.mark.redis
async def test_a_save_after_the_lock_was_lost_is_refused() -> None:
    key = redis_key()
    store = RedisStore(REDIS_URL, key)
    other = Redis.from_url(REDIS_URL)
    lock_key = store.lock_key(DEFAULT_AGENT)
    try:
        async with store.exclusive(DEFAULT_AGENT):
            await store.save(DEFAULT_AGENT, '{"saved": 1}', 1)
        async with store.exclusive(DEFAULT_AGENT):
            # As if this process froze past the expiry and another one took the lock over.
            await other.set(lock_key, "another-process")
            with pytest.raises(LockLost, match="expired before the save"):
                await store.save(DEFAULT_AGENT, '{"saved": 2}', 2)
        assert await store.load(DEFAULT_AGENT) == '{"saved": 1}'
        assert await other.get(lock_key) == b"another-process"  # not released by us
    finally:
        await other.delete(lock_key)
        await other.aclose()
        await store.clear(DEFAULT_AGENT)
        await store.close()


@pytest.mark.redis
async def test_a_second_save_in_one_hold_is_refused_since_the_first_released_the_lock() -> None:
    key = redis_key()
    store = RedisStore(REDIS_URL, key)
    rival = RedisStore(REDIS_URL, key, wait_seconds=5.0)
    try:
        async with store.exclusive(DEFAULT_AGENT):
            await store.save(DEFAULT_AGENT, '{"saved": 1}', 1)
            async with rival.exclusive(DEFAULT_AGENT):  # free as soon as the save is done
                await rival.save(DEFAULT_AGENT, '{"saved": 2}', 2)
            with pytest.raises(LockLost, match="released with this hold's save"):
                await store.save(DEFAULT_AGENT, '{"saved": 3}', 3)
        assert await store.load(DEFAULT_AGENT) == '{"saved": 2}'
    finally:
        await store.clear(DEFAULT_AGENT)
        await store.close()
        await rival.close()


@pytest.mark.redis
async def test_a_widget_call_whose_lock_was_lost_is_refused_and_not_applied(
    serve: ServerFactory, connect_widget: WidgetFactory
) -> None:
    key = redis_key()
    server = await serve(store="redis", redis_key=key, reset=True)
    hub = server.app[AGENTS].default
    real_save = hub.store.save
    other = Redis.from_url(REDIS_URL)
    lock_key = hub.store.store.lock_key(DEFAULT_AGENT)

    async def save_after_losing_the_lock(state: str, revision: int, changes: Any = ()) -> None:
        await other.delete(lock_key)  # expired while the call ran
        await real_save(state, revision, changes)

    hub.store.save = save_after_losing_the_lock
    widget = await connect_widget(server)
    try:
        ack = await widget.call("createSession", CHAT)
        assert ack["ok"] is False
        assert ack["error"]["message"].startswith(
            f"cifbridge: the workspace lock {key}:lock expired before the save"
        )
        hub.store.save = real_save
        assert await widget.value("getAllSessions") == []
        saved = json.loads(await hub.store.load() or "{}")
        assert list(saved["sessions"]) == ["session-id-0"]
    finally:
        await other.aclose()
        await hub.store.clear()
