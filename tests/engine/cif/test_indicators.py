"""notifyNewActivity and notifyKpiBreach: badges on the caller's sessions."""

from __future__ import annotations

import json

from cifbridge.engine import Engine
from cifbridge.engine.views.workspace import workspace_view
from tests.conftest import CHAT, Bridge


def badge(bridge: Bridge, session_id: str) -> tuple[bool, int]:
    session = bridge.engine.workspace.sessions[session_id]
    return session.new_activity, session.unread


def test_new_activity_shows_a_count_on_an_unfocused_session(bridge: Bridge) -> None:
    first = bridge.create("Ana")
    bridge.create("Bob")
    assert bridge.ok("notifyNewActivity", first, 3) is None
    assert badge(bridge, first) == (True, 3)
    bridge.ok("notifyNewActivity", first, 12)
    assert badge(bridge, first) == (True, 12)  # replaces, the page shows "+" from 10


def test_a_zero_count_is_a_blue_dot(bridge: Bridge) -> None:
    first = bridge.create("Ana")
    bridge.create("Bob")
    bridge.ok("notifyNewActivity", first, 0)
    view = next(s for s in workspace_view(bridge.engine)["sessions"] if s["id"] == first)
    assert (view["newActivity"], view["unread"]) == (True, 0)


def test_focusing_the_session_removes_the_badge(bridge: Bridge) -> None:
    first = bridge.create("Ana")
    bridge.create("Bob")
    bridge.ok("notifyNewActivity", first, 2)
    bridge.engine.focus_session(first)
    assert badge(bridge, first) == (False, 0)


def test_should_reset_removes_the_badge(bridge: Bridge) -> None:
    first = bridge.create("Ana")
    bridge.create("Bob")
    bridge.ok("notifyNewActivity", first, 2)
    bridge.ok("notifyNewActivity", first, 0, True)
    assert badge(bridge, first) == (False, 0)


def test_the_focused_session_gets_no_badge(bridge: Bridge) -> None:
    session = bridge.create("Ana")
    outcome = bridge.call("notifyNewActivity", session, 4)
    assert outcome.ok and not outcome.mutated
    assert badge(bridge, session) == (False, 0)


def test_a_negative_count_fails(bridge: Bridge) -> None:
    first = bridge.create("Ana")
    assert bridge.error("notifyNewActivity", first, -1) == {
        "message": "notifyNewActivity: $.count: -1 is less than the minimum of 0"
    }
    assert bridge.error("notifyNewActivity", first)["message"] == (
        "notifyNewActivity: $: 'count' is a required property"
    )


def test_indicators_only_on_the_callers_own_sessions(two_providers: Bridge) -> None:
    theirs = two_providers.create("Zed", provider=CHAT)
    two_providers.create("Ana")
    for api, args in (("notifyNewActivity", (theirs, 1)), ("notifyKpiBreach", (theirs,))):
        assert two_providers.error(api, *args) == {
            "message": f"Session with ID:{theirs} does not exist",
            "msdyn_name": api,
        }
    assert two_providers.error("notifyKpiBreach", "session-id-0")["message"] == (
        "Session with ID:session-id-0 does not exist"
    )


def test_kpi_breach_raises_and_should_reset_true_clears(bridge: Bridge) -> None:
    session = bridge.create("Ana")
    assert bridge.ok("notifyKpiBreach", session, False, "Waited 5 minutes") is None
    view = workspace_view(bridge.engine)["sessions"][1]
    assert (view["kpiBreach"], view["kpiBreachDetails"]) == (True, "Waited 5 minutes")
    bridge.engine.focus_session("session-id-0")
    bridge.engine.focus_session(session)
    assert bridge.engine.workspace.sessions[session].kpi_breach is True  # focus keeps it
    bridge.ok("notifyKpiBreach", session, True)
    assert bridge.engine.workspace.sessions[session].kpi_breach is False


def test_kpi_breach_with_only_the_session_id(bridge: Bridge) -> None:
    session = bridge.create("Ana")
    bridge.ok("notifyKpiBreach", session)
    assert bridge.engine.workspace.sessions[session].kpi_breach is True


def test_indicators_survive_a_json_round_trip(bridge: Bridge) -> None:
    first = bridge.create("Ana")
    bridge.create("Bob")
    bridge.ok("notifyNewActivity", first, 0)
    bridge.ok("notifyKpiBreach", first, False, "slow")
    restored = Engine(bridge.engine.config, clock=bridge.clock)
    restored.restore(json.loads(json.dumps(bridge.engine.snapshot())))
    assert restored.snapshot() == bridge.engine.snapshot()
    assert restored.workspace.sessions[first].new_activity is True
