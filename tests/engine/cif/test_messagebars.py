"""showGlobalNotification, clearGlobalNotification, showTimeoutGlobalNotification: message bars."""

from __future__ import annotations

import json
import re

import pytest

from cifbridge.engine import AgentActionRefused
from cifbridge.engine.cif.messagebars import TIMEOUT_BAR_SECONDS
from cifbridge.engine.views.workspace import workspace_view
from tests.conftest import Bridge

GUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$")
XRM_SHAPE = {"type": 2, "level": 2, "message": "Call dropped", "showCloseButton": True}
LINK_SHAPE = {
    "message": "Recording ready",
    "level": "INFO",
    "actionLabel": "Listen",
    "actionLink": "https://recordings.contoso.com/42",
    "showCloseButton": False,
}


def bars(bridge: Bridge) -> list[dict[str, object]]:
    shown: list[dict[str, object]] = workspace_view(bridge.engine)["overlays"]["messageBars"]
    return shown


def test_both_shapes_show_a_bar_and_resolve_a_guid(bridge: Bridge) -> None:
    xrm = bridge.ok("showGlobalNotification", XRM_SHAPE)
    link = bridge.ok("showGlobalNotification", json.dumps(LINK_SHAPE))
    assert GUID.match(xrm) and GUID.match(link) and xrm != link
    first, second = bars(bridge)
    assert (first["id"], first["levelName"], first["message"]) == (xrm, "error", "Call dropped")
    assert first["showCloseButton"] is True and first["actionLabel"] is None
    assert (second["level"], second["actionLabel"], second["actionLink"]) == (
        4,
        "Listen",
        "https://recordings.contoso.com/42",
    )


@pytest.mark.parametrize(
    ("level", "number"),
    [(1, 1), (3, 3), ("SUCCESS", 1), ("error", 2), ("Warning", 3), ("INFORMATION", 4), (None, 4)],
)
def test_levels_by_number_or_name(bridge: Bridge, level: object, number: int) -> None:
    bridge.ok("showGlobalNotification", {"message": "m", "level": level})
    assert bars(bridge)[0]["level"] == number


def test_an_xrm_action_keeps_its_label(bridge: Bridge) -> None:
    options = {"level": 3, "message": "Low balance", "action": {"actionLabel": "Top up"}}
    bridge.ok("showGlobalNotification", options)
    assert bars(bridge)[0]["actionLabel"] == "Top up"


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"level": 1}, "The notificationOptions parameter needs a message to show."),
        ({"message": "m", "level": 7}, "The notification level 7 is not one of"),
        ({"message": "m", "level": "LOUD"}, "The notification level 'LOUD' is not one of"),
        ({"message": "m", "actionLink": "javascript:alert(1)"}, "The actionLink must be"),
        ("not json", "The notificationOptions parameter is not valid JSON text."),
    ],
)
def test_bad_options_are_refused_and_show_nothing(
    bridge: Bridge, options: object, message: str
) -> None:
    error = bridge.error("showGlobalNotification", options)
    assert error["message"].startswith(message)
    assert error["msdyn_name"] == "showGlobalNotification"
    assert bars(bridge) == []


def test_missing_options_get_the_library_text(bridge: Bridge) -> None:
    assert bridge.error("showGlobalNotification") == {
        "message": "The notificationOptions parameter is null. Provide a value to the parameter"
    }


def test_clear_takes_the_bar_away_and_an_unknown_id_is_refused(bridge: Bridge) -> None:
    bar_id = bridge.ok("showGlobalNotification", XRM_SHAPE)
    assert bridge.ok("clearGlobalNotification", bar_id) is None
    assert bars(bridge) == []
    error = bridge.error("clearGlobalNotification", bar_id)
    assert error == {
        "message": f"No global notification has the id {bar_id}.",
        "msdyn_name": "clearGlobalNotification",
    }


def test_the_agent_closes_only_bars_with_a_close_button(bridge: Bridge) -> None:
    closable = bridge.ok("showGlobalNotification", XRM_SHAPE)
    fixed = bridge.ok("showGlobalNotification", LINK_SHAPE)
    with pytest.raises(AgentActionRefused, match="no close button"):
        bridge.engine.agent("closeMessageBar", bar_id=fixed)
    bridge.engine.agent("closeMessageBar", bar_id=closable)
    assert [b["id"] for b in bars(bridge)] == [fixed]


def test_clicking_an_action_answers_its_link_and_delivers_nothing(bridge: Bridge) -> None:
    bar_id = bridge.ok("showGlobalNotification", LINK_SHAPE)
    result = bridge.engine.agent("clickMessageBarAction", bar_id=bar_id)
    assert result.value == {
        "clicked": bar_id,
        "actionLabel": "Listen",
        "actionLink": "https://recordings.contoso.com/42",
    }
    assert result.deliveries == () and result.settlements == ()
    assert len(bars(bridge)) == 1  # an action does not close the bar (Xrm's neither)


def test_no_action_or_no_bar_is_refused(bridge: Bridge) -> None:
    bar_id = bridge.ok("showGlobalNotification", XRM_SHAPE)
    with pytest.raises(AgentActionRefused, match="no action"):
        bridge.engine.agent("clickMessageBarAction", bar_id=bar_id)
    with pytest.raises(AgentActionRefused) as unknown:
        bridge.engine.agent("closeMessageBar", bar_id="nope")
    assert unknown.value.kind == "not_found"


def test_the_missed_notification_bar_expires_on_the_engine_clock(bridge: Bridge) -> None:
    bar_id = bridge.ok("showTimeoutGlobalNotification")
    [bar] = bars(bridge)
    assert (bar["kind"], bar["levelName"], bar["actionLabel"]) == (
        "timeout",
        "warning",
        "Reset presence",
    )
    assert bar["secondsLeft"] == TIMEOUT_BAR_SECONDS
    assert bridge.engine.next_deadline() == bridge.clock.now + TIMEOUT_BAR_SECONDS
    bridge.clock.advance(TIMEOUT_BAR_SECONDS - 1)
    bridge.engine.advance()
    assert [b["id"] for b in bars(bridge)] == [bar_id]
    bridge.clock.advance(1)
    assert bridge.engine.advance().mutated
    assert bars(bridge) == []


def test_a_second_missed_notification_call_restarts_the_same_bar(bridge: Bridge) -> None:
    first = bridge.ok("showTimeoutGlobalNotification")
    bridge.clock.advance(50)
    assert bridge.ok("showTimeoutGlobalNotification") == first
    bridge.clock.advance(50)
    bridge.engine.advance()
    assert [b["id"] for b in bars(bridge)] == [first]
    assert bars(bridge)[0]["secondsLeft"] == TIMEOUT_BAR_SECONDS - 50


def test_bars_survive_a_save_and_load(bridge: Bridge) -> None:
    bar_id = bridge.ok("showGlobalNotification", LINK_SHAPE)
    bridge.engine.restore(json.loads(bridge.engine.snapshot_text()))
    assert bridge.ok("clearGlobalNotification", bar_id) is None
