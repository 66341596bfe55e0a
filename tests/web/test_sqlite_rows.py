"""A bridge on SQLite keeps the retry answers and analytics events as rows across restarts.

What a save writes stays small however many answers are kept (the workspace row is the rest
of the workspace), and a file written before the rows existed still resumes.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

from cifbridge.engine.base.state import SavedWorkspace
from cifbridge.store import sqlite_parts
from cifbridge.store.sqlite_parts import FORGOTTEN_BATCH
from tests.web.conftest import (
    SOFTPHONE_PAGE,
    AgentFactory,
    ServerFactory,
    Widget,
    WidgetFactory,
)

CHAT = {"templateName": "msdyn_chat_session", "customerName": "Ana"}
EVENT = {"conversationId": "c-1", "providerSessionId": "p-1"}


def stored(path: Path, query: str) -> list[tuple[Any, ...]]:
    """Read the state file of a bridge that has stopped."""
    db = sqlite3.connect(path)
    try:
        return db.execute(query).fetchall()
    finally:
        db.close()


async def test_a_restart_keeps_every_retry_answer_and_the_saved_row_stays_small(
    serve: ServerFactory, connect_widget: WidgetFactory, tmp_path: Path
) -> None:
    state = tmp_path / "ws.sqlite3"
    first = await serve(store="sqlite", state_path=state)
    widget = await connect_widget(first)
    forgotten = await widget.call("createSession", CHAT, request_id="early")
    for number in range(100):
        await widget.call("logAnalyticsEvent", EVENT, "bench", request_id=f"event-{number}")
    kept = await widget.call("createSession", CHAT, request_id="kept")
    for number in range(200):
        await widget.call("setClickToAct", number % 2 == 0, request_id=f"click-{number}")
    await first.close()

    # 256 answers and 100 events are kept, each a row: the workspace row is the rest.
    [(size,)] = stored(state, "SELECT length(data) FROM state WHERE key = 'workspace'")
    assert size < 4096
    for table, start, count in (
        ("state_answers", "answers_from", 256),
        ("state_analytics", "events_from", 100),
    ):
        live = f"SELECT count(*) FROM {table} JOIN state ON state.key = agent WHERE seq >= {start}"
        assert stored(state, live) == [(count,)]
        # Forgotten ones are deleted a batch at a time: the file holds a few more at most.
        [(total,)] = stored(state, f"SELECT count(*) FROM {table}")
        assert total < count + FORGOTTEN_BATCH

    second = await serve(store="sqlite", state_path=state)
    again = await connect_widget(second)
    assert await again.call("createSession", CHAT, request_id="kept") == kept
    assert await again.call("logAnalyticsEvent", EVENT, "bench", request_id="event-99") == {
        "ok": True,
        "value": "Success",
    }
    assert await again.value("getAllSessions") == ["session-id-1", "session-id-2"]
    # The oldest answers were forgotten (256 are kept): that retry is a new call.
    assert forgotten["value"] == "session-id-1"
    assert await again.value("createSession", CHAT) == "session-id-3"


async def test_a_file_from_before_the_rows_resumes_with_its_retry_answers(
    serve: ServerFactory, connect_widget: WidgetFactory, tmp_path: Path
) -> None:
    # Made as an older bridge left it: `state` of three columns, the answers inline.
    state = tmp_path / "ws.sqlite3"
    first = await serve(store="sqlite", state_path=state)
    widget = await connect_widget(first)
    ack = await widget.call("createSession", CHAT, request_id="old-1")
    await widget.call("logAnalyticsEvent", EVENT, "bench", request_id="old-2")
    await first.close()
    text = _whole_text(state)
    db = sqlite3.connect(state)
    db.execute("DROP TABLE state")
    db.execute("DROP TABLE state_answers")
    db.execute("DROP TABLE state_analytics")
    db.execute(
        "CREATE TABLE state (key TEXT PRIMARY KEY, revision INTEGER NOT NULL, data TEXT NOT NULL)"
    )
    db.execute("INSERT INTO state VALUES ('workspace', 5, ?)", (text,))
    db.commit()
    db.close()

    second = await serve(store="sqlite", state_path=state)
    again = await connect_widget(second)
    assert await again.call("createSession", CHAT, request_id="old-1") == ack
    assert await again.value("getAllSessions") == ["session-id-1"]
    await again.call("setClickToAct", True, request_id="new-1")  # saved split, this time
    await second.close()
    [(data,)] = stored(state, "SELECT data FROM state WHERE key = 'workspace'")
    assert "old-1" not in str(data)
    assert stored(state, "SELECT count(*) FROM state_answers") == [(3,)]

    third = await serve(store="sqlite", state_path=state)
    last = await connect_widget(third)
    assert await last.call("createSession", CHAT, request_id="old-1") == ack
    assert await last.value("getAllSessions") == ["session-id-1"]


async def test_removing_an_agent_deletes_its_answer_rows(
    serve: ServerFactory, agent_for: AgentFactory, tmp_path: Path
) -> None:
    state = tmp_path / "ws.sqlite3"
    server = await serve(store="sqlite", state_path=state)
    widget = Widget()
    auth = {"provider": None, "href": SOFTPHONE_PAGE, "agent": "ana"}
    await widget.connect(str(server.make_url("/")), auth, {"Origin": "http://localhost:5173"})
    await widget.call("setClickToAct", True, request_id="ana-1")
    await widget.call("logAnalyticsEvent", EVENT, "bench", request_id="ana-2")
    await widget.client.disconnect()

    status, _ = await agent_for(server).request("DELETE", "/api/agents/ana")
    assert status == 200
    await server.close()

    for table in ("state_answers", "state_analytics"):
        assert stored(state, f"SELECT count(*) FROM {table} WHERE agent LIKE '%ana'") == [(0,)]


def _whole_text(path: Path) -> str:
    # The workspace as a bridge loads it (the rows joined into the text), to write it inline.
    db = sqlite3.connect(path)
    try:
        [(rest,)] = db.execute("SELECT data FROM state WHERE key = 'workspace'").fetchall()
        rows = sqlite_parts.read(db, "workspace")
    finally:
        db.close()
    return SavedWorkspace(rest, rows.answers, rows.analytics).text
