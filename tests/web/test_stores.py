"""State survives restarts (SQLite) and is shared by several processes (Redis)."""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest

from tests.web.conftest import ServerFactory, WidgetFactory


async def test_sqlite_state_survives_a_restart(
    serve: ServerFactory, connect_widget: WidgetFactory, tmp_path: Path
) -> None:
    state = tmp_path / "ws.sqlite3"
    first = await serve(store="sqlite", state_path=state)
    widget = await connect_widget(first)
    await widget.value(
        "createSession", {"templateName": "msdyn_chat_session", "customerName": "Ana"}
    )
    await first.close()

    second = await serve(store="sqlite", state_path=state)
    again = await connect_widget(second)
    assert await again.value("getAllSessions") == ["session-id-1"]
    assert await again.value("createSession", {"templateName": "msdyn_chat_session"}) == (
        "session-id-2"
    )


async def test_sqlite_reset_flag_starts_empty(
    serve: ServerFactory, connect_widget: WidgetFactory, tmp_path: Path
) -> None:
    state = tmp_path / "ws.sqlite3"
    first = await serve(store="sqlite", state_path=state)
    await (await connect_widget(first)).value(
        "createSession", {"templateName": "msdyn_chat_session"}
    )
    await first.close()
    second = await serve(store="sqlite", state_path=state, reset=True)
    assert await (await connect_widget(second)).value("getAllSessions") == []


@pytest.mark.redis
async def test_two_bridges_share_one_redis_workspace(
    serve: ServerFactory, connect_widget: WidgetFactory
) -> None:
    key = f"cifbridge:test:{uuid.uuid4().hex}"
    a = await serve(store="redis", redis_key=key, reset=True)
    b = await serve(store="redis", redis_key=key)
    on_a = await connect_widget(a)
    on_b = await connect_widget(b)
    first = await on_a.value("createSession", {"templateName": "msdyn_chat_session"})
    second = await on_b.value("createSession", {"templateName": "msdyn_chat_session"})
    assert (first, second) == ("session-id-1", "session-id-2")
    assert await on_a.value("getAllSessions") == ["session-id-1", "session-id-2"]
    # An event raised on bridge B reaches the widget connected to bridge A.
    for _ in range(300):
        if len(on_a.events) >= 2:
            break
        await on_a.client.sleep(0.01)
    assert [e["name"] for e in on_a.events][:2] == ["onSessionSwitched", "onSessionSwitched"]
