"""Agent focus and close, and the events each provider receives for them."""

from __future__ import annotations

import pytest

from cifbridge.engine import AgentActionRefused, Delivery
from tests.conftest import CHAT, SOFTPHONE, Bridge


def switched(provider: str, session_id: str, focused: bool) -> Delivery:
    payload = {"sessionId": session_id, "focused": focused, "focussed": focused, "context": None}
    return Delivery(provider, "onSessionSwitched", payload)


def test_create_session_tells_the_provider_its_new_session_is_focused(bridge: Bridge) -> None:
    outcome = bridge.call("createSession", {"templateName": "msdyn_chat_session"})
    assert outcome.deliveries == (switched(SOFTPHONE, "session-id-1", True),)


def test_switch_sends_one_payload_per_session_involved(bridge: Bridge) -> None:
    first = bridge.create("Ana")
    second = bridge.create("Bob")
    result = bridge.engine.focus_session(first)
    assert result.deliveries == (
        switched(SOFTPHONE, second, False),
        switched(SOFTPHONE, first, True),
    )


def test_switch_to_home_only_reports_the_session_left(bridge: Bridge) -> None:
    first = bridge.create("Ana")
    result = bridge.engine.focus_session("session-id-0")
    assert result.deliveries == (switched(SOFTPHONE, first, False),)


def test_each_provider_hears_only_about_its_own_sessions(two_providers: Bridge) -> None:
    mine = two_providers.create("Ana")
    theirs = two_providers.create("Zed", provider=CHAT)
    result = two_providers.engine.focus_session(mine)
    assert result.deliveries == (switched(CHAT, theirs, False), switched(SOFTPHONE, mine, True))


def test_focusing_the_focused_session_sends_nothing(bridge: Bridge) -> None:
    first = bridge.create("Ana")
    assert bridge.engine.focus_session(first).deliveries == ()


def test_close_sends_session_closed_with_context_then_moves_focus(bridge: Bridge) -> None:
    first = bridge.create("Ana")
    second = bridge.create("Bob", context={"callId": "c-9"})
    result = bridge.engine.close_session(second)
    closed = Delivery(
        SOFTPHONE, "onSessionClosed", {"sessionId": second, "context": {"callId": "c-9"}}
    )
    assert result.deliveries == (closed, switched(SOFTPHONE, first, True))
    assert bridge.ok("getFocusedSession") == first
    assert bridge.ok("getAllSessions") == [first]


def test_closing_an_unfocused_session_keeps_focus(bridge: Bridge) -> None:
    first = bridge.create("Ana")
    second = bridge.create("Bob")
    result = bridge.engine.close_session(first)
    assert [d.name for d in result.deliveries] == ["onSessionClosed"]
    assert bridge.ok("getFocusedSession") == second


def test_focus_returns_to_the_most_recently_focused_session(bridge: Bridge) -> None:
    first = bridge.create("Ana")
    second = bridge.create("Bob")
    third = bridge.create("Cy")
    bridge.engine.focus_session(first)
    bridge.engine.focus_session(third)
    bridge.engine.close_session(third)
    assert bridge.engine.workspace.focused == first
    bridge.engine.close_session(first)
    assert bridge.engine.workspace.focused == second
    bridge.engine.close_session(second)
    assert bridge.engine.workspace.focused == "session-id-0"


def test_home_session_cannot_be_closed(bridge: Bridge) -> None:
    with pytest.raises(AgentActionRefused, match="Home session cannot be closed"):
        bridge.engine.close_session("session-id-0")
    assert "session-id-0" in bridge.engine.workspace.sessions


def test_unknown_session_actions_are_refused_with_404(bridge: Bridge) -> None:
    with pytest.raises(AgentActionRefused) as refused:
        bridge.engine.focus_session("session-id-99")
    assert refused.value.kind == "not_found"
    with pytest.raises(AgentActionRefused) as refused:
        bridge.engine.close_session("session-id-99")
    assert refused.value.kind == "not_found"
