"""State is plain data: it survives a JSON round trip and a new engine picks it up."""

from __future__ import annotations

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
