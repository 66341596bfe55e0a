"""Two bridge processes on one Redis, several agents: a widget can move between them.

A load balancer may send a widget's reconnection to another process. Its session, its pending
notification answer and its events must follow it; the agent's journal and clock are the same
whichever process is asked; and one agent's calls never wait for another's.
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import redis

from cifbridge.clients import BridgeClient, BridgeProcess, WidgetClient
from cifbridge.clients.load import LoadWidget

pytestmark = pytest.mark.redis

REDIS_URL = "redis://127.0.0.1:6379/0"
CHAT_SESSION = {"templateName": "msdyn_chat_session", "customerName": "Ana"}
INCOMING = {"templateName": "msdyn_chat_incoming_authenticated"}
ACCEPTED = {"actionName": "Accept", "responseReason": "Accept"}


@pytest.fixture
def two_processes(tmp_path: Path) -> Iterator[tuple[BridgeProcess, BridgeProcess, str]]:
    """Start processes A and B on one fresh Redis key; yield both and the key."""
    key = f"cifbridge:test:{uuid.uuid4().hex}"
    shared = ["--store", "redis", "--redis-key", key]
    first = BridgeProcess(tmp_path / "a", args=[*shared, "--reset"])
    first.start()
    try:
        with BridgeProcess(tmp_path / "b", args=shared) as second:
            yield first, second, key
    finally:
        first.stop()
        connection = redis.Redis.from_url(REDIS_URL)
        stale = list(connection.scan_iter(match=f"{key}*", count=1000))
        if stale:
            connection.delete(*stale)
        connection.close()


def agent_api(client: BridgeClient, agent: str, method: str, path: str, body: Any = None) -> Any:
    """Call an agent's control route on one process (`path` after /agents/<agent>/api)."""
    return client.request(method, f"/agents/{agent}/api{path}", body)


def session_ids(client: BridgeClient, agent: str) -> list[str]:
    return [s["id"] for s in agent_api(client, agent, "GET", "/workspace")["sessions"]]


def bobs_side(client: BridgeClient) -> dict[str, Any]:
    """Return what alice's work must leave alone in bob's workspace (not the clock's time)."""
    view = agent_api(client, "bob", "GET", "/workspace")
    kept = ("sessions", "focusedSessionId", "panel", "presence", "analytics")
    return {name: view[name] for name in kept}


def test_a_widget_moved_to_the_other_process_keeps_its_session_answer_and_events(
    two_processes: tuple[BridgeProcess, BridgeProcess, str],
) -> None:
    a, b, _ = two_processes
    with WidgetClient(b.client.url, agent="bob") as bob:
        bobs = bob.call("createSession", CHAT_SESSION)
        bob.next_event()  # its own session's focus
    bob_before = bobs_side(a.client)

    on_a = WidgetClient(a.client.url, agent="alice")
    on_a.connect()
    session = on_a.call("createSession", CHAT_SESSION)
    assert on_a.next_event() == (
        "onSessionSwitched",
        {"sessionId": session, "focused": True, "focussed": True, "context": None},
    )
    pending = on_a.start("notifyEvent", INCOMING)
    assert agent_api(a.client, "alice", "GET", "/notifications")["displayed"] is not None
    on_a.close()  # the connection drops with the answer still to come

    with WidgetClient(b.client.url, agent="alice") as on_b:
        # The shim sends the pending call again, with its requestId, on reconnecting.
        again = on_b.start("notifyEvent", INCOMING, request_id=pending.request_id)
        shown = agent_api(b.client, "alice", "GET", "/notifications")
        assert shown["displayed"]["title"] is not None
        assert shown["queueLength"] == 0  # the resend was recognized, not queued twice
        assert on_b.call("getAllSessions") == [session]  # the session moved with it

        agent_api(a.client, "alice", "POST", "/notifications/accept")  # on the other process
        assert again.result() == ACCEPTED

        agent_api(a.client, "alice", "POST", "/sessions/session-id-0/focus")
        assert on_b.next_event() == (
            "onSessionSwitched",
            {"sessionId": session, "focused": False, "focussed": False, "context": None},
        )
        assert on_b.call("getFocusedSession") == "session-id-0"

    # Bob's workspace saw none of it.
    assert bobs_side(b.client) == bob_before
    assert session_ids(a.client, "bob") == ["session-id-0", bobs]
    bobs_calls = agent_api(a.client, "bob", "GET", "/journal")["entries"]
    assert [e["api"] for e in bobs_calls] == ["createSession"]

    # One journal: both processes read the same entries, numbered once.
    on_a_journal = agent_api(a.client, "alice", "GET", "/journal?kind=all")
    on_b_journal = agent_api(b.client, "alice", "GET", "/journal?kind=all")
    assert on_a_journal == on_b_journal
    apis = [e.get("api") for e in on_a_journal["entries"] if e["kind"] == "call"]
    assert apis.count("notifyEvent") == 2  # the first call and its resend on B
    seqs = [e["seq"] for e in on_a_journal["entries"]]
    assert seqs == sorted(set(seqs))

    # One clock: a fast-forward on A is the time B reads.
    before_on_b = agent_api(b.client, "alice", "GET", "/clock")["now"]
    advanced = agent_api(a.client, "alice", "POST", "/clock/advance", {"seconds": 3600})["now"]
    after_on_b = agent_api(b.client, "alice", "GET", "/clock")["now"]
    assert advanced >= before_on_b + 3600
    assert advanced <= after_on_b < advanced + 60  # B reads A's time, not its own real one
    assert agent_api(b.client, "bob", "GET", "/clock")["now"] < advanced - 3000  # bob's own


async def test_one_agents_held_lock_does_not_stop_another_agents_calls(
    two_processes: tuple[BridgeProcess, BridgeProcess, str],
) -> None:
    a, b, key = two_processes
    alice = LoadWidget(a.client.url, agent="alice")
    bob = LoadWidget(a.client.url, agent="bob")
    await asyncio.gather(alice.connect(), bob.connect())
    connection = redis.Redis.from_url(REDIS_URL)
    try:
        assert (await alice.call("createSession", [CHAT_SESSION]))["ok"]
        assert session_ids(b.client, "alice") == ["session-id-0", "session-id-1"]  # B knows her
        # As if another process were in the middle of one of alice's calls.
        lock = f"{key}:agent:alice:lock"
        assert connection.set(lock, "held-by-the-test", px=60_000, nx=True)
        waiting = asyncio.ensure_future(alice.call("createSession", [CHAT_SESSION]))

        bobs = await bob.call("createSession", [CHAT_SESSION])
        assert bobs == {"ok": True, "value": "session-id-1"}
        assert (await bob.call("getAllSessions", []))["value"] == ["session-id-1"]
        # Reads of alice's workspace on B need no lock either; her second call is not in.
        assert session_ids(b.client, "alice") == ["session-id-0", "session-id-1"]
        assert not waiting.done()

        connection.delete(lock)
        assert await waiting == {"ok": True, "value": "session-id-2"}
        assert session_ids(b.client, "alice") == ["session-id-0", "session-id-1", "session-id-2"]
    finally:
        connection.delete(f"{key}:agent:alice:lock")
        connection.close()
        await asyncio.gather(alice.close(), bob.close())
