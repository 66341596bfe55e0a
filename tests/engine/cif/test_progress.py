"""showProgressIndicator and closeProgressIndicator: Xrm.Utility's progress overlay."""

from __future__ import annotations

from cifbridge.engine.views.workspace import workspace_view
from tests.conftest import CHAT, Bridge


def progress(bridge: Bridge) -> object:
    return workspace_view(bridge.engine)["overlays"]["progress"]


def test_show_puts_the_message_over_the_workspace_and_close_takes_it_away(
    bridge: Bridge,
) -> None:
    assert bridge.ok("showProgressIndicator", "Dialing...") is None
    assert progress(bridge) == {
        "message": "Dialing...",
        "provider": "cifb_softphone",
        "shownAt": bridge.clock.now,
    }
    assert bridge.ok("closeProgressIndicator") is None
    assert progress(bridge) is None


def test_showing_again_changes_the_message(two_providers: Bridge) -> None:
    two_providers.ok("showProgressIndicator", "Dialing...")
    two_providers.ok("showProgressIndicator", "Connecting...", provider=CHAT)
    shown = progress(two_providers)
    assert isinstance(shown, dict)
    assert (shown["message"], shown["provider"]) == ("Connecting...", CHAT)


def test_closing_with_nothing_shown_changes_nothing(bridge: Bridge) -> None:
    outcome = bridge.call("closeProgressIndicator")
    assert outcome.ok and outcome.value is None and not outcome.mutated


def test_a_missing_message_gets_the_library_text(bridge: Bridge) -> None:
    assert bridge.error("showProgressIndicator") == {
        "message": "The message parameter is null. Provide a value to the parameter"
    }
    assert progress(bridge) is None
