"""The SQLite file keeps each remembered answer and analytics event as a row of its own.

A save writes the rest of the workspace and the few answers and events that changed; loading
gives back the same workspace text. These drive the store with an engine's saves directly
(tests/web/test_sqlite_rows.py does it through a bridge and its restarts).
"""

from __future__ import annotations

import asyncio
import json
import random
import sqlite3
from pathlib import Path

import pytest

from cifbridge.engine import Engine
from cifbridge.engine.base.context import DEFAULT_AGENT
from cifbridge.engine.base.state import SavedWorkspace
from cifbridge.engine.core import RECENT_REQUESTS_KEPT
from cifbridge.store import StoreFailed, sqlite_parts
from cifbridge.store.sqlite import SqliteStore
from cifbridge.store.sqlite_parts import FORGOTTEN_BATCH
from tests.conftest import Bridge, add_event, busy_step, keep_as_busy_agent

ANSWER = {"ok": True, "value": None}


def rows_written(store: SqliteStore) -> int:
    return store.connection.total_changes


async def saved(store: SqliteStore, engine: Engine) -> int:
    """Save the engine's workspace; return how many rows that wrote."""
    before = rows_written(store)
    engine.workspace.revision += 1
    await store.save(DEFAULT_AGENT, engine.snapshot_parts(), engine.revision)
    return rows_written(store) - before


def live_rows(store: SqliteStore, table: str, start: str) -> int:
    """Count the rows the agent's workspace keeps (those before `start` are forgotten)."""
    query = (
        f"SELECT count(*) FROM {table} JOIN state ON state.key = {table}.agent"
        f" WHERE seq >= state.{start}"
    )
    found: int = store.connection.execute(query).fetchone()[0]
    return found


async def saved_full(store: SqliteStore, engine: Engine) -> None:
    """Keep as many answers and events as a busy agent keeps, and save them."""
    keep_as_busy_agent(engine)
    await saved(store, engine)


async def test_a_save_writes_only_the_new_answer_and_the_workspace_row(
    bridge: Bridge, tmp_path: Path
) -> None:
    store = SqliteStore(tmp_path / "ws.sqlite3")
    engine = bridge.engine
    await saved_full(store, engine)

    engine.remember("p", "setMode", "one-more", ANSWER)  # the oldest answer is forgotten
    assert await saved(store, engine) == 2  # its row and the workspace's
    add_event(engine, 200)  # likewise for the events
    assert await saved(store, engine) == 2
    assert await saved(store, engine) == 1  # nothing new: the workspace row only
    # The forgotten rows are deleted a batch at a time, by one of the saves.
    writes = []
    for number in range(FORGOTTEN_BATCH):
        engine.remember("p", "setMode", f"more-{number}", ANSWER)
        writes.append(await saved(store, engine))
    assert sorted(writes) == [2] * (FORGOTTEN_BATCH - 1) + [2 + FORGOTTEN_BATCH]

    assert live_rows(store, "state_answers", "answers_from") == RECENT_REQUESTS_KEPT
    assert live_rows(store, "state_analytics", "events_from") == 200
    total = store.connection.execute("SELECT count(*) FROM state_answers").fetchone()[0]
    assert total < RECENT_REQUESTS_KEPT + FORGOTTEN_BATCH
    size = store.connection.execute("SELECT length(data) FROM state").fetchone()[0]
    assert size < 2048
    await store.close()


async def test_what_a_save_wrote_loads_back_as_the_same_workspace(
    bridge: Bridge, tmp_path: Path
) -> None:
    # Answers added, replaced in place and forgotten, events kept and dropped, the workspace
    # reset and restored: after any of them a bridge opening the file gets the same text.
    path = tmp_path / "ws.sqlite3"
    store = SqliteStore(path)
    engine = bridge.engine
    pick = random.Random(12)
    for step in range(400):
        move = pick.random()
        if move < 0.5:
            for _ in range(pick.choice([1, 1, 1, 40])):
                engine.remember("p", "setMode", f"r{pick.randrange(600)}", {"ok": True, "n": step})
        elif move < 0.6:
            known = list(engine.workspace.recent_requests)
            if known:
                key = pick.choice(known).split(":", 2)[2]
                engine.remember("p", "setMode", key, {"ok": True, "late": step}, if_known=True)
        elif move < 0.9:
            for _ in range(pick.choice([1, 1, 30])):
                add_event(engine, step)
        elif move < 0.93:
            engine.reset()
        elif move < 0.96:
            engine.restore(json.loads(engine.snapshot_text()))  # as a failed save puts it back
        elif move < 0.97:
            engine.workspace.analytics.reverse()  # an order no save has seen
        elif move < 0.98:
            recent = engine.workspace.recent_requests  # one gone from the middle (an import)
            if len(recent) > 2:
                del recent[list(recent)[len(recent) // 2]]
        else:
            recent = engine.workspace.recent_requests  # likewise (an imported workspace)
            engine.workspace.recent_requests = dict(reversed(recent.items()))
        await saved(store, engine)
        if step % 25 == 0:
            text = await store.load(DEFAULT_AGENT)
            assert text is not None
            assert json.loads(text) == engine.snapshot()
    expected = engine.snapshot()
    await store.close()

    reopened = SqliteStore(path)
    text = await reopened.load(DEFAULT_AGENT)
    assert text is not None
    assert json.loads(text) == expected
    assert list(json.loads(text)["recent_requests"]) == list(expected["recent_requests"])
    await reopened.close()


def file_text(store: SqliteStore) -> str:
    """Return the workspace text the file holds, read beside the store (which keeps what it
    knows of the file as it was)."""
    db = store.connection
    [(rest,)] = db.execute("SELECT data FROM state WHERE key = 'workspace'").fetchall()
    rows = sqlite_parts.read(db, "workspace")
    return SavedWorkspace(rest, rows.answers, rows.analytics).text


async def test_a_long_run_of_saves_writes_each_new_answer_and_event_once_in_order(
    bridge: Bridge, tmp_path: Path
) -> None:
    # 1,000 saves after the first, each keeping one more answer (the oldest forgotten), every
    # other one an event more (the oldest beyond 200 dropped), some replacing an answer in
    # place: what the engine hands each save is read on from the last one, or starts afresh
    # (a replaced answer, the forgotten ones piling up), and the file holds the engine's text
    # after any of them.
    store = SqliteStore(tmp_path / "ws.sqlite3")
    engine = bridge.engine
    await saved_full(store, engine)
    writes = []
    for step in range(1000):
        busy_step(engine, step)
        writes.append(await saved(store, engine))
        if step % 50 == 0 or step > 990:
            assert json.loads(file_text(store)) == engine.snapshot()
    assert file_text(store) == engine.snapshot_text()  # the same order too
    # Each save wrote the workspace row, the new answer and the new event (the replaced
    # answer too, and a batch of forgotten rows deleted now and then), nothing more.
    assert max(writes) <= 4 + 2 * FORGOTTEN_BATCH
    assert sorted(writes[0::2])[250] == 2 and sorted(writes[1::2])[250] == 3
    assert live_rows(store, "state_answers", "answers_from") == RECENT_REQUESTS_KEPT
    assert live_rows(store, "state_analytics", "events_from") == 200
    await store.close()


async def test_a_whole_text_is_kept_whole_and_the_rows_beside_it_go(
    bridge: Bridge, tmp_path: Path
) -> None:
    # `cifbridge state import` and the routing table save a whole text.
    store = SqliteStore(tmp_path / "ws.sqlite3")
    engine = bridge.engine
    engine.remember("p", "setMode", "r1", ANSWER)
    add_event(engine, 1)
    await saved(store, engine)
    engine.remember("p", "setMode", "r2", ANSWER)
    await store.save(DEFAULT_AGENT, engine.snapshot_text(), engine.revision + 1)

    assert await store.load(DEFAULT_AGENT) == engine.snapshot_text()
    count = store.connection.execute("SELECT count(*) FROM state_answers").fetchone()[0]
    assert count == 0
    await store.close()


async def test_clearing_an_agent_deletes_its_rows_only(bridge: Bridge, tmp_path: Path) -> None:
    store = SqliteStore(tmp_path / "ws.sqlite3")
    engine = bridge.engine
    engine.remember("p", "setMode", "r1", ANSWER)
    add_event(engine, 1)
    parts = engine.snapshot_parts()
    await store.save(DEFAULT_AGENT, parts, 1)
    await store.save("ana", parts, 1)

    await store.clear("ana")

    assert await store.agents() == [DEFAULT_AGENT]
    for table in ("state_answers", "state_analytics"):
        agents = store.connection.execute(f"SELECT DISTINCT agent FROM {table}").fetchall()
        assert agents == [("workspace",)]
    await store.close()


async def test_a_file_from_before_the_rows_loads_and_is_split_at_the_next_save(
    bridge: Bridge, tmp_path: Path
) -> None:
    # A file written before the answers had rows: a `state` table of three columns whose
    # row holds the answers and the events inline.
    path = tmp_path / "ws.sqlite3"
    engine = bridge.engine
    engine.remember("p", "createSession", "old-1", {"ok": True, "value": "session-id-1"})
    add_event(engine, 1)
    engine.workspace.revision = 7
    old_text = engine.snapshot_text()
    db = sqlite3.connect(path)
    db.execute(
        "CREATE TABLE state (key TEXT PRIMARY KEY, revision INTEGER NOT NULL, data TEXT NOT NULL)"
    )
    db.execute(
        "CREATE TABLE records"
        " (entity TEXT NOT NULL, id TEXT NOT NULL, data TEXT, PRIMARY KEY (entity, id))"
    )
    db.execute("INSERT INTO state VALUES ('workspace', 7, ?)", (old_text,))
    db.commit()
    db.close()

    store = SqliteStore(path)
    assert await store.load(DEFAULT_AGENT) == old_text
    restored = Engine(engine.config, clock=bridge.clock)
    restored.restore(json.loads(old_text))
    restored.remember("p", "setMode", "new-1", ANSWER)
    await saved(store, restored)
    data = store.connection.execute("SELECT data FROM state").fetchone()[0]
    assert "old-1" not in data  # moved out to rows
    await store.close()

    reopened = SqliteStore(path)
    text = await reopened.load(DEFAULT_AGENT)
    assert text is not None
    again = Engine(engine.config, clock=bridge.clock)
    again.restore(json.loads(text))
    assert again.recall("p", "createSession", "old-1") == {"ok": True, "value": "session-id-1"}
    assert again.recall("p", "setMode", "new-1") == ANSWER
    assert again.workspace.analytics == engine.workspace.analytics
    await reopened.close()


async def test_rows_numbered_with_gaps_are_numbered_again(bridge: Bridge, tmp_path: Path) -> None:
    # Rows not written by the store (a file edited by hand) load in their order, and the next
    # save writes them again without gaps.
    store = SqliteStore(tmp_path / "ws.sqlite3")
    engine = bridge.engine
    for number in range(5):
        engine.remember("p", "setMode", f"r{number}", {"ok": True, "n": number})
        add_event(engine, number)
    await saved(store, engine)
    store.connection.execute("DELETE FROM state_answers WHERE seq = 2")
    store.connection.execute("DELETE FROM state_analytics WHERE seq = 2")

    text = await store.load(DEFAULT_AGENT)
    assert text is not None
    engine.restore(json.loads(text))
    assert [key[-2:] for key in engine.workspace.recent_requests] == ["r0", "r1", "r3", "r4"]
    engine.remember("p", "setMode", "r5", ANSWER)
    await saved(store, engine)
    seqs = store.connection.execute("SELECT seq FROM state_answers ORDER BY seq").fetchall()
    assert seqs == [(0,), (1,), (2,), (3,), (4,)]
    again = await store.load(DEFAULT_AGENT)
    assert again is not None
    assert json.loads(again) == engine.snapshot()
    await store.close()


async def test_a_save_that_fails_midway_leaves_the_file_as_it_was(
    bridge: Bridge, tmp_path: Path
) -> None:
    # The hub puts the workspace back to what was saved and goes on; the next save must be
    # written against what the file holds, not against the save that was rolled back.
    store = SqliteStore(tmp_path / "ws.sqlite3")
    engine = bridge.engine
    engine.remember("p", "setMode", "r1", ANSWER)
    add_event(engine, 1)
    await saved(store, engine)
    before = await store.load(DEFAULT_AGENT)
    assert before is not None
    store.connection.execute(
        "CREATE TRIGGER full_disk BEFORE INSERT ON state_answers WHEN NEW.key LIKE '%boom%'"
        " BEGIN SELECT RAISE(ABORT, 'database or disk is full'); END"
    )
    add_event(engine, 2)  # written before the answer fails: rolled back with it
    engine.remember("p", "setMode", "boom", ANSWER)
    with pytest.raises(StoreFailed, match="disk is full"):
        await saved(store, engine)
    store.connection.execute("DROP TRIGGER full_disk")

    for table in ("state_answers", "state_analytics"):
        assert store.connection.execute(f"SELECT count(*) FROM {table}").fetchone() == (1,)
    engine.restore(json.loads(before))  # as the hub does after a failed save
    engine.remember("p", "setMode", "r2", ANSWER)
    await saved(store, engine)
    await store.close()
    reopened = SqliteStore(tmp_path / "ws.sqlite3")
    text = await reopened.load(DEFAULT_AGENT)
    assert text is not None
    assert json.loads(text) == engine.snapshot()
    assert len(engine.workspace.analytics) == 1
    await reopened.close()


async def test_saves_of_one_turn_share_a_commit_and_one_that_fails_refuses_only_itself(
    bridge: Bridge, tmp_path: Path
) -> None:
    # Three agents save at once (calls of different agents in one turn of the event loop): they
    # go in one transaction; one of them cannot be written, and only its call is refused.
    store = SqliteStore(tmp_path / "ws.sqlite3")
    store.connection.execute(
        "CREATE TRIGGER full_disk BEFORE INSERT ON state_answers WHEN NEW.key LIKE '%boom%'"
        " BEGIN SELECT RAISE(ABORT, 'database or disk is full'); END"
    )
    engine = bridge.engine
    texts = {}
    for agent in ("ana", "cy", "ben"):  # ben's last: only its workspace holds the bad answer
        engine.remember("p", "setMode", "boom" if agent == "ben" else f"r-{agent}", ANSWER)
        engine.workspace.revision += 1
        texts[agent] = engine.snapshot_parts()
    results = await asyncio.gather(
        *(store.save(agent, parts, 7) for agent, parts in texts.items()), return_exceptions=True
    )
    assert results[0] is None and results[1] is None
    assert isinstance(results[2], StoreFailed) and "disk is full" in str(results[2])
    await store.close()

    reopened = SqliteStore(tmp_path / "ws.sqlite3")
    assert await reopened.agents() == ["ana", "cy"]
    for agent in ("ana", "cy"):
        text = await reopened.load(agent)
        assert text is not None
        assert json.loads(text) == json.loads(texts[agent].text)
    assert await reopened.load("ben") is None
    await reopened.close()


async def test_a_save_of_this_turn_is_in_the_file_before_any_other_use_of_it(
    bridge: Bridge, tmp_path: Path
) -> None:
    # A save waits for the end of the turn to be committed; a clear asked for meanwhile must
    # not be overtaken by it (the file sees the writes in the order they were asked for).
    store = SqliteStore(tmp_path / "ws.sqlite3")
    engine = bridge.engine
    engine.workspace.revision += 1
    pending = asyncio.ensure_future(store.save("ana", engine.snapshot_parts(), 1))
    await asyncio.sleep(0)  # the save is queued for the turn's commit, not written yet
    await store.clear("ana")
    await pending
    assert await store.load("ana") is None
    assert await store.agents() == []
    await store.close()
