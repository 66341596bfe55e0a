"""The journal: calls and the events sent to widgets, JSON Lines, kept across a restart,
bounded with a count of what was dropped, and one journal for bridges sharing Redis."""

from __future__ import annotations

import json
import uuid
from pathlib import Path
from typing import Any

import pytest

from cifbridge.web import event_sender
from tests.web.conftest import AgentFactory, ServerFactory, WidgetFactory, wait_for_events

CHAT = {"templateName": "msdyn_chat_session", "customerName": "Ana"}


async def test_events_sent_to_widgets_are_journaled_beside_the_calls(
    serve: ServerFactory, connect_widget: WidgetFactory, agent_for: AgentFactory
) -> None:
    server = await serve()
    widget = await connect_widget(server)
    await widget.value("createSession", CHAT)
    agent = agent_for(server)
    _, everything = await agent.request("GET", "/api/journal?kind=all")
    kinds = [(e["kind"], e.get("api") or e.get("name")) for e in everything["entries"]]
    assert kinds == [("call", "createSession"), ("event", "onSessionSwitched")]
    event = everything["entries"][1]
    assert event["provider"] == "cifb_softphone"
    assert event["payload"] == {
        "sessionId": "session-id-1",
        "focused": True,
        "focussed": True,
        "context": None,
    }
    assert event["connections"] == [widget.client.get_sid("/widget")]
    assert event["connectionCount"] == 1
    # Without ?kind the answer is what it always was: the calls, each marked as one.
    _, calls = await agent.request("GET", "/api/journal")
    assert [(e["kind"], e["api"]) for e in calls["entries"]] == [("call", "createSession")]
    _, events = await agent.request("GET", "/api/journal?kind=event")
    assert [e["seq"] for e in events["entries"]] == [event["seq"]]


async def test_an_event_heard_by_many_widgets_lists_a_few_and_counts_them_all(
    serve: ServerFactory,
    connect_widget: WidgetFactory,
    agent_for: AgentFactory,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # With 10,000 widgets listening, an entry per event must not carry 10,000 ids.
    monkeypatch.setattr(event_sender, "JOURNALED_CONNECTIONS", 2)
    server = await serve()
    widgets = [await connect_widget(server) for _ in range(3)]
    await widgets[0].value("createSession", CHAT)
    _, found = await agent_for(server).request("GET", "/api/journal?kind=event")
    event = found["entries"][0]
    everyone = {w.client.get_sid("/widget") for w in widgets}
    assert event["connectionCount"] == 3
    assert len(event["connections"]) == 2 and set(event["connections"]) <= everyone


async def test_json_lines_carry_the_same_entries_one_per_line(
    serve: ServerFactory, connect_widget: WidgetFactory, agent_for: AgentFactory
) -> None:
    server = await serve()
    widget = await connect_widget(server)
    await widget.value("createSession", CHAT)
    await widget.call("getSession", "session-id-9")
    agent = agent_for(server)
    _, answer = await agent.request("GET", "/api/journal?kind=all")
    url = server.make_url("/api/journal?kind=all&format=jsonl")
    async with agent.session.get(url) as response:
        assert response.status == 200
        assert response.content_type == "application/x-ndjson"
        assert response.headers["X-Cifbridge-Journal-Dropped"] == "0"
        text = await response.text()
    assert text.endswith("\n")
    assert [json.loads(line) for line in text.splitlines()] == answer["entries"]
    only = server.make_url("/api/journal?api=getSession&format=jsonl")
    async with agent.session.get(only) as response:
        lines = (await response.text()).splitlines()
    assert [json.loads(line)["api"] for line in lines] == ["getSession"]


@pytest.mark.parametrize(
    ("query", "problem"),
    [
        ("kind=calls", "kind must be all or a comma-separated list of answer, call, event, fault"),
        ("format=csv", "format must be json or jsonl, not 'csv'"),
    ],
)
async def test_unknown_kinds_and_formats_are_refused(
    serve: ServerFactory, agent_for: AgentFactory, query: str, problem: str
) -> None:
    agent = agent_for(await serve())
    status, answer = await agent.request("GET", f"/api/journal?{query}")
    assert status == 400 and answer["error"]["message"].startswith(problem)


async def test_sqlite_keeps_the_journal_across_a_restart(
    serve: ServerFactory, connect_widget: WidgetFactory, agent_for: AgentFactory, tmp_path: Path
) -> None:
    state = tmp_path / "ws.sqlite3"
    first = await serve(store="sqlite", state_path=state)
    widget = await connect_widget(first)
    await widget.value("createSession", CHAT)
    _, before = await agent_for(first).request("GET", "/api/journal?kind=all")
    await first.close()

    second = await serve(store="sqlite", state_path=state)
    agent = agent_for(second)
    _, after = await agent.request("GET", "/api/journal?kind=all")
    assert after["entries"] == before["entries"] and len(after["entries"]) == 2
    await (await connect_widget(second)).value("getAllSessions")
    _, calls = await agent.request("GET", f"/api/journal?since={before['entries'][-1]['seq']}")
    # Numbering goes on from where the first process stopped.
    assert [(e["api"], e["seq"]) for e in calls["entries"]] == [
        ("getAllSessions", before["entries"][-1]["seq"] + 1)
    ]


async def test_a_start_with_reset_starts_an_empty_journal(
    serve: ServerFactory, connect_widget: WidgetFactory, agent_for: AgentFactory, tmp_path: Path
) -> None:
    state = tmp_path / "ws.sqlite3"
    first = await serve(store="sqlite", state_path=state)
    await (await connect_widget(first)).value("getAllSessions")
    await first.close()
    second = await serve(store="sqlite", state_path=state, reset=True)
    _, answer = await agent_for(second).request("GET", "/api/journal?kind=all")
    assert (answer["entries"], answer["dropped"]) == ([], 0)


@pytest.mark.parametrize("store", ["memory", "sqlite"])
async def test_the_bound_drops_the_oldest_and_counts_them(
    serve: ServerFactory, connect_widget: WidgetFactory, agent_for: AgentFactory, store: str
) -> None:
    server = await serve(store=store, journal_size=3)
    widget = await connect_widget(server)
    for _ in range(5):
        await widget.value("getAllSessions")  # a call that sends no event
    agent = agent_for(server)
    _, answer = await agent.request("GET", "/api/journal")
    assert [e["seq"] for e in answer["entries"]] == [3, 4, 5]
    assert (answer["dropped"], answer["size"]) == (2, 3)
    # A reset empties the journal: nothing is dropped any more, and numbering goes on.
    await agent.request("POST", "/api/reset")
    await widget.value("getAllSessions")
    _, fresh = await agent.request("GET", "/api/journal")
    assert ([e["seq"] for e in fresh["entries"]], fresh["dropped"]) == ([6], 0)


async def test_a_restart_with_a_smaller_size_keeps_the_newest(
    serve: ServerFactory, connect_widget: WidgetFactory, agent_for: AgentFactory, tmp_path: Path
) -> None:
    state = tmp_path / "ws.sqlite3"
    first = await serve(store="sqlite", state_path=state)
    widget = await connect_widget(first)
    for _ in range(4):
        await widget.value("getAllSessions")
    await first.close()
    second = await serve(store="sqlite", state_path=state, journal_size=2)
    _, answer = await agent_for(second).request("GET", "/api/journal")
    assert ([e["seq"] for e in answer["entries"]], answer["dropped"]) == ([3, 4], 2)


def _seqs(answer: dict[str, Any]) -> list[int]:
    return [e["seq"] for e in answer["entries"]]


@pytest.mark.redis
async def test_two_bridges_on_one_redis_keep_one_journal(
    serve: ServerFactory, connect_widget: WidgetFactory, agent_for: AgentFactory
) -> None:
    key = f"cifbridge:test:{uuid.uuid4().hex}"
    a = await serve(store="redis", redis_key=key, reset=True, journal_size=6)
    b = await serve(store="redis", redis_key=key, journal_size=6)
    on_a, on_b = await connect_widget(a), await connect_widget(b)
    await on_a.value("createSession", CHAT)
    await on_b.value("getAllSessions")
    await on_a.value("getFocusedSession")
    await wait_for_events(on_a, 1)
    agent_a, agent_b = agent_for(a), agent_for(b)
    _, seen_by_a = await agent_a.request("GET", "/api/journal?kind=all")
    _, seen_by_b = await agent_b.request("GET", "/api/journal?kind=all")
    assert seen_by_a == seen_by_b
    assert [e.get("api") or e.get("name") for e in seen_by_a["entries"]] == [
        "createSession",
        "onSessionSwitched",
        "getAllSessions",
        "getFocusedSession",
    ]
    assert _seqs(seen_by_a) == sorted(set(_seqs(seen_by_a)))
    # The bound and its count hold for the shared journal too.
    for _ in range(4):
        await on_b.value("getAllSessions")
    _, bounded = await agent_a.request("GET", "/api/journal?kind=all")
    assert len(bounded["entries"]) == 6 and bounded["dropped"] == 2
    assert bounded["entries"][0]["api"] == "getAllSessions"
    # A reset through one bridge empties the journal both read.
    await agent_b.request("POST", "/api/reset")
    _, after_reset = await agent_a.request("GET", "/api/journal?kind=all")
    assert (after_reset["entries"], after_reset["dropped"]) == ([], 0)
