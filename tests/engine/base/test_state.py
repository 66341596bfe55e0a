"""State is plain data: it survives a JSON round trip and a new engine picks it up."""

from __future__ import annotations

import itertools
import json

from cifbridge.engine import Engine
from tests.conftest import Bridge


def test_workspace_round_trips_through_json(bridge: Bridge) -> None:
    first = bridge.create("Ana", context={"k": [1, 2]})
    bridge.create("Bob")
    bridge.ok("requestFocusSession", first, 4)
    saved = json.loads(json.dumps(bridge.engine.snapshot()))

    restored = Engine(bridge.engine.config, clock=bridge.clock)
    restored.restore(saved)
    assert restored.snapshot() == bridge.engine.snapshot()
    assert restored.workspace.sessions[first].attention_count == 4


def test_restored_engine_continues_numbering(bridge: Bridge) -> None:
    bridge.create("Ana")
    other = Engine(bridge.engine.config, clock=bridge.clock)
    other.restore(json.loads(json.dumps(bridge.engine.snapshot())))
    bridge.engine = other
    bridge.dispatcher.engine = other
    assert bridge.create("Bob") == "session-id-2"
    assert other.workspace.sessions["session-id-2"].tabs[0].id == "tab-id-3"


def test_reset_starts_over(bridge: Bridge) -> None:
    bridge.create("Ana")
    bridge.engine.reset()
    assert list(bridge.engine.workspace.sessions) == ["session-id-0"]
    assert bridge.create("Bob") == "session-id-1"


def test_saved_text_keeps_each_remembered_answer_as_it_is_now(bridge: Bridge) -> None:
    # The snapshot reuses each answer's text between saves: a replaced or forgotten answer
    # must show up as it is now in the text a restarted bridge restores.
    engine = bridge.engine

    def restarted() -> Engine:
        restored = Engine(engine.config, clock=bridge.clock)
        restored.restore(json.loads(engine.snapshot_text()))
        return restored

    engine.remember("p", "createSession", "r1", {"ok": True, "value": "session-id-1"})
    engine.remember("p", "notifyEvent", "r2", {"ok": True, "value": None, "deferred": True})
    assert restarted().recall("p", "notifyEvent", "r2") == engine.recall("p", "notifyEvent", "r2")
    engine.remember("p", "notifyEvent", "r2", {"ok": True, "value": "late"}, if_known=True)
    assert restarted().recall("p", "notifyEvent", "r2") == {"ok": True, "value": "late"}
    for number in range(300):  # more than are kept: r1 and r2 are forgotten
        engine.remember("p", "setMode", f"n{number}", {"ok": True, "value": None})

    restored = restarted()
    assert restored.recall("p", "createSession", "r1") is None
    assert restored.recall("p", "setMode", "n299") == {"ok": True, "value": None}
    assert restored.workspace.recent_requests == engine.workspace.recent_requests
    assert json.loads(engine.snapshot_text()) == engine.snapshot()


def test_saved_text_keeps_the_analytics_events_kept_now(bridge: Bridge) -> None:
    data = {"conversationId": "c-1", "providerSessionId": "p-1"}
    bridge.ok("logAnalyticsEvent", data, "first")
    bridge.engine.snapshot_text()
    for number in range(250):  # more than are kept: the first ones are forgotten
        bridge.ok("logAnalyticsEvent", {**data, "providerSessionId": f"p-{number}"}, "next")

    restored = Engine(bridge.engine.config, clock=bridge.clock)
    restored.restore(json.loads(bridge.engine.snapshot_text()))

    assert restored.workspace.analytics == bridge.engine.workspace.analytics
    assert "first" not in {event["eventName"] for event in restored.workspace.analytics}


def test_saved_text_follows_the_analytics_events_save_after_save(bridge: Bridge) -> None:
    # A save after every event, as the bridge saves after every call: each text reuses the
    # texts of the events still kept and adds the new one, and a restarted bridge restores
    # exactly the events kept at that moment, also once the oldest are being forgotten, after
    # a restore (other objects, the same events) and after a reset (none).
    engine = bridge.engine
    data = {"conversationId": "c-1", "providerSessionId": "p-1"}

    def restored_events() -> list[object]:
        restored = Engine(engine.config, clock=bridge.clock)
        restored.restore(json.loads(engine.snapshot_text()))
        return restored.workspace.analytics

    for number in range(230):  # past the 200 kept
        bridge.ok("logAnalyticsEvent", {**data, "providerSessionId": f"p-{number}"}, "e")
        if number % 7 == 0 or number >= 195:
            assert restored_events() == engine.workspace.analytics
    assert restored_events()[0]["data"]["providerSessionId"] == "p-30"

    engine.restore(json.loads(engine.snapshot_text()))  # the same events as new objects
    bridge.ok("logAnalyticsEvent", {**data, "providerSessionId": "after-restore"}, "e")
    kept = restored_events()
    assert kept == engine.workspace.analytics
    assert [e["data"]["providerSessionId"] for e in kept[-2:]] == ["p-229", "after-restore"]

    engine.reset()
    assert restored_events() == []
    bridge.ok("logAnalyticsEvent", {**data, "providerSessionId": "after-reset"}, "e")
    assert [e["data"]["providerSessionId"] for e in restored_events()] == ["after-reset"]


def test_each_save_reads_the_events_log_further_from_none_to_the_first(bridge: Bridge) -> None:
    # A store writes only what a save adds when its view follows the last one's
    # (store/redis_parts.py, store/sqlite_parts.py): with no event yet, and at the first ones.
    engine = bridge.engine
    data = {"conversationId": "c-1", "providerSessionId": "p-1"}
    views = [engine.snapshot_parts().analytics, engine.snapshot_parts().analytics]
    bridge.ok("logAnalyticsEvent", data, "e")
    bridge.ok("logAnalyticsEvent", {**data, "providerSessionId": "p-2"}, "e")
    views.append(engine.snapshot_parts().analytics)
    assert all(later.follows(earlier) for earlier, later in itertools.pairwise(views))
    assert [len(view) for view in views] == [0, 0, 2]
    assert [json.loads(text)["data"]["providerSessionId"] for text in views[-1].texts()] == [
        "p-1", "p-2",
    ]  # fmt: skip
