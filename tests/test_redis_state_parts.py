"""The Redis store keeps an agent's text in parts: the rest of the workspace, and its remembered
answers and analytics events as lists, so a save sends what changed (store/redis_parts.py).

A save after the first sends the rest and the new entries (under 2 kB against the whole
text's 18 kB and more); whatever was sent, a load anywhere gives back the engine's
text; a whole text (the routing state, an import) stays whole; a workspace saved whole before
is read and split at its next save; lists another process rewrote are never added to.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import AsyncIterator
from typing import Any

import pytest

from cifbridge.api.validation import SchemaSet
from cifbridge.engine import Engine
from cifbridge.engine.base.context import DEFAULT_AGENT
from cifbridge.store.redis import RedisStore
from tests.conftest import Bridge, add_event, busy_step, keep_as_busy_agent

pytestmark = pytest.mark.redis

URL = "redis://127.0.0.1:6379/0"
ANSWER = {"ok": True, "value": None}


class SentBytes:
    """The size of each save's arguments, and the mode of its text block."""

    def __init__(self, store: RedisStore) -> None:
        self.sizes: list[int] = []
        self.modes: list[str] = []
        real = store._scripts.call

        async def counted(script: Any, keys: Any, args: Any) -> Any:
            if len(args) > 4 and args[4] in ("whole", "all", "more"):
                self.sizes.append(sum(len(str(arg).encode()) for arg in args))
                self.modes.append(str(args[4]))
            return await real(script, keys, args)

        store._scripts.call = counted  # type: ignore[method-assign]


@pytest.fixture
async def stores() -> AsyncIterator[tuple[RedisStore, RedisStore]]:
    """Two stores on one fresh key, as two processes have."""
    key = f"cifbridge:test:{uuid.uuid4().hex}"
    here, there = RedisStore(URL, key), RedisStore(URL, key)
    yield here, there
    await here.clear(DEFAULT_AGENT)
    await here.close()
    await there.close()


async def saved(store: RedisStore, engine: Engine) -> None:
    engine.workspace.revision += 1
    await store.save(DEFAULT_AGENT, engine.snapshot_parts(), engine.revision)


async def saved_full(store: RedisStore, engine: Engine) -> None:
    """Keep as many answers and events as a busy agent keeps, and save them."""
    keep_as_busy_agent(engine)
    await saved(store, engine)


async def test_a_save_sends_the_new_entries_and_any_process_loads_the_same_text(
    bridge: Bridge, stores: tuple[RedisStore, RedisStore]
) -> None:
    here, there = stores
    sent = SentBytes(here)
    engine = bridge.engine
    await saved_full(here, engine)
    engine.remember("p", "setMode", "one-more", ANSWER)  # the oldest answer is forgotten
    add_event(engine, 200)  # and the oldest event
    await saved(here, engine)

    whole = len(engine.snapshot_text().encode())
    assert whole > 15_000  # 256 answers and 200 events
    assert sent.modes == ["all", "more"]
    assert sent.sizes[0] > whole * 0.9  # the first sends everything (one answer fewer)
    assert sent.sizes[1] < 2_000  # the next: the rest, one answer and one event
    assert await there.load(DEFAULT_AGENT) == engine.snapshot_text()


async def test_a_long_run_of_saves_loads_back_as_the_engine_text_after_any_of_them(
    bridge: Bridge, stores: tuple[RedisStore, RedisStore]
) -> None:
    # 600 saves, each keeping one more answer (the oldest forgotten), every other one an event
    # more (the oldest beyond 200 dropped), some replacing an answer in place (the engine
    # starts a new log: the lists are sent whole), and, read by another process, the text is
    # the engine's after any of them.
    here, there = stores
    sent = SentBytes(here)
    engine = bridge.engine
    await saved_full(here, engine)
    for step in range(600):
        busy_step(engine, step)
        await saved(here, engine)
        if step % 50 == 0 or step > 590:
            assert json.loads(await there.load(DEFAULT_AGENT) or "{}") == engine.snapshot()
    assert await there.load(DEFAULT_AGENT) == engine.snapshot_text()  # the same order too
    assert sent.modes.count("more") > 550  # the lists were sent whole only now and then
    assert sorted(sent.sizes)[300] < 2_000


async def test_a_whole_text_is_kept_whole_and_its_parts_go(
    bridge: Bridge, stores: tuple[RedisStore, RedisStore]
) -> None:
    # `cifbridge state import` and the routing state save a whole text.
    here, there = stores
    engine = bridge.engine
    await saved_full(here, engine)
    engine.remember("p", "setMode", "r-last", ANSWER)
    await here.save(DEFAULT_AGENT, engine.snapshot_text(), engine.revision + 1)

    assert await there.load(DEFAULT_AGENT) == engine.snapshot_text()
    key = here.agent_key(DEFAULT_AGENT)
    parts = [f"{key}:rest", f"{key}:answers", f"{key}:events", f"{key}:lists"]
    assert await here.client.exists(*parts) == 0


async def test_a_workspace_saved_whole_before_loads_and_is_split_at_its_next_save(
    bridge: Bridge, stores: tuple[RedisStore, RedisStore]
) -> None:
    here, there = stores
    engine = bridge.engine
    for number in range(30):
        engine.remember("p", "setMode", f"r{number}", ANSWER)
        add_event(engine, number)
    engine.workspace.revision = 7
    key = here.agent_key(DEFAULT_AGENT)
    await here.client.set(key, engine.snapshot_text())  # as the store wrote every text before
    await here.client.set(f"{key}:rev", 7)

    assert await here.load(DEFAULT_AGENT) == engine.snapshot_text()
    engine.remember("p", "setMode", "after", ANSWER)
    await saved(here, engine)
    assert await here.client.exists(key) == 0
    assert await here.client.llen(f"{key}:answers") == 31
    assert await there.load(DEFAULT_AGENT) == engine.snapshot_text()


async def test_lists_another_process_rewrote_are_never_added_to(
    schemas: SchemaSet, stores: tuple[RedisStore, RedisStore]
) -> None:
    # This process wrote the lists at revision 3. The agent is then cleared elsewhere, and
    # another workspace saved there from revision 1 up to 3 again: the same revision in Redis,
    # other lists. This process's next save reads its own log further, so it would send only
    # its new answer; the script sees the lists are not the ones it wrote and it sends them
    # whole instead. What any process loads is this process's workspace, nothing mixed in.
    here, there = stores
    mine, theirs = Bridge(schemas).engine, Bridge(schemas).engine
    sent = SentBytes(here)
    for step in range(3):
        mine.remember("p", "setMode", f"mine-{step}", ANSWER)
        await saved(here, mine)
    await there.clear(DEFAULT_AGENT)
    for step in range(3):
        theirs.remember("p", "setMode", f"theirs-{step}", ANSWER)
        add_event(theirs, step)
        await saved(there, theirs)

    mine.remember("p", "setMode", "mine-3", ANSWER)
    await saved(here, mine)
    assert sent.modes == ["all", "more", "more", "more", "all"]  # refused, then sent whole
    assert await there.load(DEFAULT_AGENT) == mine.snapshot_text()
