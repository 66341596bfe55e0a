"""Stopping answers every pending call: nothing a widget waits for is left hanging.

On SIGTERM the bridge refuses calls that arrive, finishes those under way (they are
acknowledged as usual), and answers the calls waiting for the agent (notifyEvent) with a clear
error before it closes the connections; the saved workspace agrees with what widgets were told.
"""

from __future__ import annotations

import asyncio
import signal
import uuid
from pathlib import Path
from typing import Any

import pytest
import redis
import socketio

from cifbridge.clients import BridgeProcess
from cifbridge.clients.load import LoadWidget

NOTIFY = {
    "templateName": "msdyn_chat_incoming_authenticated",
    "templateParameters": {"customerName": "Ana"},
}
CHAT = {"templateName": "msdyn_chat_session", "customerName": "Ana"}
STOPPED = "cifbridge: the bridge stopped before the agent answered"
REDIS_URL = "redis://127.0.0.1:6379/0"


async def test_sigterm_rejects_a_notify_event_waiting_for_the_agent(tmp_path: Path) -> None:
    state = ["--store", "sqlite", "--state", str(tmp_path / "ws.sqlite3")]
    with BridgeProcess(tmp_path / "first", args=state) as bridge:
        widget = LoadWidget(bridge.client.url)
        await widget.connect()
        assert await widget.call("notifyEvent", [NOTIFY], "notify-1") == {
            "ok": True,
            "deferred": True,
        }
        assert bridge.client.notifications()["displayed"] is not None
        assert bridge.process is not None
        bridge.process.send_signal(signal.SIGTERM)
        answer = await widget.late_answer("notify-1")
        assert answer == {
            "requestId": "notify-1",
            "ok": False,
            "error": {"message": STOPPED, "msdyn_name": "notifyEvent"},
            "origin": "host",
        }
        assert await asyncio.to_thread(bridge.process.wait, 15) == 0
        await widget.close()

    with BridgeProcess(tmp_path / "again", args=state) as again:
        assert again.client.notifications()["displayed"] is None  # withdrawn, as answered
        widget = LoadWidget(again.client.url)
        await widget.connect()
        # The shim resends after reconnecting: it gets the answer the widget was given.
        retried = await widget.call("notifyEvent", [NOTIFY], "notify-1")
        assert retried == {key: answer[key] for key in ("ok", "error", "origin")}
        await widget.close()


async def test_sigterm_closes_a_python_client_without_waiting_for_its_close_timeout(
    tmp_path: Path,
) -> None:
    with BridgeProcess(tmp_path / "bridge") as bridge:
        # python-socketio's client waits this long for the server's side of a close
        # handshake (its request timeout, 5 s unless set, as in WidgetClient).
        client = socketio.AsyncClient(request_timeout=120)
        reasons: list[str] = []
        client.on("disconnect", reasons.append, namespace="/widget")
        auth = {"provider": "cifb_softphone", "href": "http://localhost:5173/softphone.html"}
        await client.connect(
            bridge.client.url,
            namespaces=["/widget"],
            transports=["websocket"],
            headers={"Origin": "http://localhost:5173"},
            auth=auth,
        )
        assert bridge.process is not None
        bridge.process.send_signal(signal.SIGTERM)
        # The handshake completes while the bridge still reads the connection
        # (web/stopping.py). When it could not, the bridge's websocket handler ran on until
        # the client gave up (5 s by default) or engine.io's ping timeout (45 s) ended it.
        assert await asyncio.to_thread(bridge.process.wait, 30) == 0
        await client.wait()
        assert reasons == [client.reason.SERVER_DISCONNECT]


def wait_for_a_lock_attempt(monitor: Any, lock_key: str) -> None:
    """Return once the bridge tried to take the workspace lock (seen by Redis MONITOR)."""
    for command in monitor.listen():
        if lock_key in command["command"] and command["command"].startswith("SET"):
            return


@pytest.mark.redis
async def test_sigterm_answers_the_calls_under_way_and_refuses_new_ones(tmp_path: Path) -> None:
    key = f"cifbridge:test:{uuid.uuid4().hex}"
    db = redis.Redis.from_url(REDIS_URL)
    with BridgeProcess(tmp_path, args=["--store", "redis", "--redis-key", key]) as bridge:
        widget = LoadWidget(bridge.client.url)
        await widget.connect()
        # Another process holds the workspace: the next call waits under way for it.
        lock = db.lock(f"{key}:lock", timeout=30)
        assert lock.acquire(blocking=False)
        with db.monitor() as monitor:
            under_way = asyncio.create_task(widget.call("createSession", [CHAT], "under-way-1"))
            await asyncio.to_thread(wait_for_a_lock_attempt, monitor, f"{key}:lock")
        assert bridge.process is not None
        bridge.process.send_signal(signal.SIGTERM)
        # The ready file goes right before stopping begins: a call sent now arrives after.
        for _ in range(1000):  # polling another process: bounded
            if not bridge.ready_file.exists():
                break
            await asyncio.sleep(0.01)
        late = await widget.call("createSession", [CHAT], "late-1")
        lock.release()
        assert (await under_way) == {"ok": True, "value": "session-id-1"}
        assert late == {
            "ok": False,
            "error": {
                "message": "cifbridge is stopping; this call was not applied"
                " (send it again once it is back)",
                "msdyn_name": "createSession",
            },
            "origin": "host",
        }
        assert await asyncio.to_thread(bridge.process.wait, 15) == 0
        await widget.close()
    db.delete(key, f"{key}:rev", f"{key}:lock")
