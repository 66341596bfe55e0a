"""kill -9 under concurrent load: nothing acknowledged is lost, nothing is done twice.

Widgets create sessions and records with unique names while the agent closes sessions over
the control API; the bridge process is killed with SIGKILL at a point drawn from a seeded
generator, then started again on the same state (SQLite file, or Redis key). Every
acknowledged mutation must be there, none twice, and each call that was in flight at the kill
is sent again with the same requestId: answered from its first result if it had been applied,
applied once now if not. With Redis the resent calls go to another process on the same key.
"""

from __future__ import annotations

import asyncio
import json
import os
import random
import signal
import uuid
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import redis

from cifbridge.clients import BridgeClient, BridgeProcess
from cifbridge.clients.load import LoadWidget

WIDGETS = 6
CALLS_PER_WIDGET = 60
CALL_SECONDS = 10.0
CONFIG = {"limits": {"maxSessions": 1000}}
SEEDS = {"sqlite": 1301, "redis": 1302}
DEAF = 100  # the widget number of the one whose acknowledgements nobody looks at
REDIS_URL = "redis://127.0.0.1:6379/0"


@dataclass
class Sent:
    """One mutating call as it went out: what it creates is named `name`."""

    api: str
    args: list[Any]
    request_id: str
    name: str


@dataclass
class Ledger:
    """What the widgets and the agent were told was done, and what was still in flight."""

    sessions: dict[str, str] = field(default_factory=dict)  # name -> session id
    records: dict[str, str] = field(default_factory=dict)  # name -> record id
    closed: set[str] = field(default_factory=set)  # session ids whose close was answered
    closing: set[str] = field(default_factory=set)  # closes sent, never answered
    in_flight: dict[int, Sent] = field(default_factory=dict)  # widget -> its unanswered call
    acknowledged: int = 0
    applied_before: int = 0  # resent calls that had been applied before the kill
    kill_after: int = 0  # the bridge is killed once this many were acknowledged
    reached: asyncio.Event = field(default_factory=asyncio.Event)


def mutation(widget: int, number: int) -> Sent:
    """Return a widget's n-th call: a session or a contact with a name nobody else uses."""
    name = f"w{widget}-n{number}"
    if number % 3 == 2:
        data = json.dumps({"firstname": "Load", "lastname": name})
        return Sent("createRecord", ["contact", data], uuid.uuid4().hex, name)
    create = {"templateName": "msdyn_chat_session", "customerName": name}
    return Sent("createSession", [create], uuid.uuid4().hex, name)


def note(ledger: Ledger, sent: Sent, value: Any) -> None:
    """Record an acknowledged creation."""
    if sent.api == "createSession":
        ledger.sessions[sent.name] = value
    else:
        ledger.records[sent.name] = (
            json.loads(value)["id"] if isinstance(value, str) else value["id"]
        )


async def widget_load(
    widget: LoadWidget, index: int, ledger: Ledger, killed: asyncio.Event
) -> None:
    """Send calls one after another until the bridge dies."""
    for number in range(CALLS_PER_WIDGET):
        if killed.is_set():
            return
        sent = mutation(index, number)
        ledger.in_flight[index] = sent
        try:
            ack = await widget.call(sent.api, sent.args, sent.request_id)
        except Exception:  # the connection died with the bridge: the call stays in flight
            return
        assert ack["ok"], ack
        del ledger.in_flight[index]
        note(ledger, sent, ack["value"])
        ledger.acknowledged += 1
        if ledger.acknowledged >= ledger.kill_after:
            ledger.reached.set()


async def agent_load(client: BridgeClient, ledger: Ledger, killed: asyncio.Event) -> None:
    """Close every other acknowledged session, as the agent would, until the bridge dies."""
    while not killed.is_set():
        open_ids = [s for s in ledger.sessions.values() if s not in ledger.closed]
        target = open_ids[len(open_ids) // 2] if len(open_ids) > 2 else None
        if target is None:
            await asyncio.sleep(0.01)
            continue
        ledger.closing.add(target)
        try:
            await asyncio.to_thread(client.close_session, target)
        except Exception:
            return
        ledger.closing.discard(target)
        ledger.closed.add(target)


async def kill_when(
    process: BridgeProcess, deaf: LoadWidget, ledger: Ledger, killed: asyncio.Event
) -> None:
    """SIGKILL the bridge once `ledger.kill_after` mutations were acknowledged.

    Just before, a widget whose acknowledgements nobody looks at sends two calls, and the
    kill waits until the agent sees them: applied, and for the widget never answered.
    """
    await ledger.reached.wait()
    for number in range(2):
        sent = mutation(DEAF, number)
        ledger.in_flight[DEAF + number] = sent
        await deaf.send(sent.api, sent.args, sent.request_id)
    wanted = {f"w{DEAF}-n0", f"w{DEAF}-n1"}
    for _ in range(1000):  # polling another process: bounded
        if wanted <= set(await asyncio.to_thread(workspace_names, process.client)):
            break
        await asyncio.sleep(0.01)
    else:
        raise AssertionError("the unread calls were never applied")
    assert process.process is not None
    os.kill(process.process.pid, signal.SIGKILL)
    process.process.wait()
    killed.set()


async def load_then_kill(
    victim: BridgeProcess, widget_urls: list[str], ledger: Ledger, seed: int
) -> None:
    """Run the widgets and the agent against the bridges; kill `victim` mid-load."""
    widgets = [LoadWidget(url, timeout=CALL_SECONDS) for url in widget_urls]
    deaf = LoadWidget(victim.client.url, timeout=CALL_SECONDS)
    await asyncio.gather(*(w.connect() for w in [*widgets, deaf]))
    killed = asyncio.Event()
    ledger.kill_after = random.Random(seed).randint(30, WIDGETS * CALLS_PER_WIDGET // 2)
    await asyncio.gather(
        *(widget_load(w, i, ledger, killed) for i, w in enumerate(widgets)),
        agent_load(victim.client, ledger, killed),
        kill_when(victim, deaf, ledger, killed),
    )
    await asyncio.gather(*(w.close() for w in [*widgets, deaf]), return_exceptions=True)


def workspace_names(client: BridgeClient) -> Counter[str]:
    """Count the open sessions by customer name (their title)."""
    return Counter(s["title"] for s in client.sessions() if s["id"] != "session-id-0")


def contacts_named(client: BridgeClient) -> dict[str, list[str]]:
    """Return the ids of the load's contacts by last name."""
    rows = client.request("GET", "/api/records/contact?$filter=firstname%20eq%20%27Load%27")[
        "value"
    ]
    named: dict[str, list[str]] = {}
    for row in rows:
        named.setdefault(row["lastname"], []).append(row["contactid"])
    return named


def check_nothing_lost_or_doubled(client: BridgeClient, ledger: Ledger) -> None:
    """Every acknowledged mutation is there, and none is there twice."""
    names = workspace_names(client)
    contacts = contacts_named(client)
    assert [n for n, count in names.items() if count > 1] == []
    assert [n for n, ids in contacts.items() if len(ids) > 1] == []
    for name, session_id in ledger.sessions.items():
        if session_id in ledger.closing:
            continue  # its close was in flight: either way is right
        expected = 0 if session_id in ledger.closed else 1
        assert names[name] == expected, (name, session_id, expected)
    assert {n: ids[0] for n, ids in contacts.items() if n in ledger.records} == ledger.records
    in_flight = {s.name for s in ledger.in_flight.values()}
    # Nothing exists that nobody asked for: all else was acknowledged or in flight.
    assert set(names) <= set(ledger.sessions) | in_flight
    assert set(contacts) <= set(ledger.records) | in_flight


async def resend_in_flight(url: str, client: BridgeClient, ledger: Ledger) -> None:
    """Send each unanswered call again with its requestId; check it is applied exactly once."""
    names, contacts = workspace_names(client), contacts_named(client)
    widget = LoadWidget(url, timeout=CALL_SECONDS)
    await widget.connect()
    try:
        for sent in ledger.in_flight.values():
            applied_before = names[sent.name] == 1 or sent.name in contacts
            ledger.applied_before += applied_before
            ack = await widget.call(sent.api, sent.args, sent.request_id)
            assert ack["ok"], ack
            note(ledger, sent, ack["value"])
            if applied_before and sent.api == "createSession":
                session = next(s for s in client.sessions() if s["title"] == sent.name)
                assert ack["value"] == session["id"]  # the first result, not a new session
            if applied_before and sent.api == "createRecord":
                assert ledger.records[sent.name] == contacts[sent.name][0]
    finally:
        await widget.close()
    ledger.in_flight.clear()


def bridge(workdir: Path, store_args: list[str]) -> BridgeProcess:
    return BridgeProcess(workdir, config=CONFIG, args=store_args)


async def test_sqlite_kill_9_under_load_loses_and_doubles_nothing(tmp_path: Path) -> None:
    state = ["--store", "sqlite", "--state", str(tmp_path / "ws.sqlite3")]
    ledger = Ledger()
    first = bridge(tmp_path / "first", state)
    first.start()
    try:
        await load_then_kill(first, [first.client.url] * WIDGETS, ledger, SEEDS["sqlite"])
    finally:
        first.stop()
    assert ledger.acknowledged >= 30
    with bridge(tmp_path / "again", state) as again:
        check_nothing_lost_or_doubled(again.client, ledger)
        await resend_in_flight(again.client.url, again.client, ledger)
        check_nothing_lost_or_doubled(again.client, ledger)
        assert ledger.in_flight == {}
        assert ledger.applied_before >= 2  # at least the deaf widget's calls were recalled


@pytest.mark.redis
async def test_redis_kill_9_under_load_loses_and_doubles_nothing(tmp_path: Path) -> None:
    key = f"cifbridge:test:{uuid.uuid4().hex}"
    shared = ["--store", "redis", "--redis-key", key]
    ledger = Ledger()
    victim = bridge(tmp_path / "victim", [*shared, "--reset"])
    victim.start()
    with bridge(tmp_path / "survivor", shared) as survivor:
        try:
            urls = [victim.client.url, survivor.client.url] * (WIDGETS // 2)
            await load_then_kill(victim, urls, ledger, SEEDS["redis"])
        finally:
            victim.stop()
        assert ledger.acknowledged >= 30
        # The calls in flight go to the other process, as a load balancer would send them.
        check_nothing_lost_or_doubled(survivor.client, ledger)
        await resend_in_flight(survivor.client.url, survivor.client, ledger)
        check_nothing_lost_or_doubled(survivor.client, ledger)
        assert ledger.applied_before >= 2  # at least the deaf widget's calls were recalled
        with bridge(tmp_path / "restarted", shared) as restarted:
            check_nothing_lost_or_doubled(restarted.client, ledger)
    redis.Redis.from_url(REDIS_URL).delete(key, f"{key}:rev", f"{key}:lock")
