"""Presence: the configured list, exact text matching, and onPresenceChange to every provider."""

from __future__ import annotations

import json

import pytest

from cifbridge.engine import ANY_PROVIDER, AgentActionRefused, Delivery, Engine
from tests.conftest import CHAT, Bridge, BridgeFactory

BUSY = {
    "basePresenceStatus": "BUSY",
    "presenceColor": "#FF0000",
    "presenceId": "efdeb843-c07a-e811-8162-000d3aa11f50",
    "presenceText": "Busy",
}


def changed(info: dict[str, str]) -> Delivery:
    return Delivery(
        ANY_PROVIDER, "onPresenceChange", {"presenceId": info["presenceId"], "presenceInfo": info}
    )


def test_the_agent_starts_in_the_configured_presence(bridge: Bridge) -> None:
    assert bridge.ok("getPresence") == "Available"


def test_set_presence_matches_the_text_and_tells_every_provider(two_providers: Bridge) -> None:
    outcome = two_providers.call("setPresence", "Busy", provider=CHAT)
    assert outcome.value is True
    assert outcome.deliveries == (changed(BUSY),)
    assert two_providers.ok("getPresence") == "Busy"


def test_custom_presences_of_the_sample_are_configured(bridge: Bridge) -> None:
    assert bridge.ok("setPresence", "onVoiceCall") is True
    assert bridge.ok("getPresence") == "onVoiceCall"


def test_text_must_match_exactly(bridge: Bridge) -> None:
    outcome = bridge.call("setPresence", "busy")
    assert (outcome.value, outcome.deliveries) == (False, ())
    assert bridge.ok("getPresence") == "Available"


def test_setting_the_presence_in_effect_sends_nothing(bridge: Bridge) -> None:
    outcome = bridge.call("setPresence", "Available")
    assert (outcome.value, outcome.deliveries) == (True, ())


def test_presence_text_is_required(bridge: Bridge) -> None:
    assert bridge.error("setPresence") == {
        "message": "setPresence: $: 'presenceText' is a required property"
    }


def test_the_agent_changes_presence_and_widgets_hear_it(bridge: Bridge) -> None:
    result = bridge.engine.agent("setPresence", presence_text="Busy")
    assert result.value == BUSY
    assert result.deliveries == (changed(BUSY),)
    by_id = bridge.engine.agent("setPresence", presence_id=BUSY["presenceId"])
    assert by_id.deliveries == ()


def test_the_agent_cannot_pick_an_unknown_presence(bridge: Bridge) -> None:
    with pytest.raises(AgentActionRefused) as refused:
        bridge.engine.agent("setPresence", presence_text="Lunch")
    assert refused.value.kind == "not_found"
    with pytest.raises(AgentActionRefused):
        bridge.engine.agent("setPresence")


def test_a_users_presence_list_replaces_the_bundled_one(make_bridge: BridgeFactory) -> None:
    lunch = {
        "presenceId": "11111111-2222-4333-8444-555555555555",
        "presenceText": "Lunch",
        "presenceColor": "#123456",
        "basePresenceStatus": "AWAY",
    }
    bridge = make_bridge({"presences": [lunch], "agent": {"presence": "Lunch"}})
    assert bridge.ok("getPresence") == "Lunch"
    assert bridge.ok("setPresence", "Busy") is False


def test_legacy_set_agent_presence_takes_json_text(bridge: Bridge) -> None:
    info = {**BUSY, "presenceText": "On a break", "presenceId": "0000-1"}
    outcome = bridge.call("setAgentPresence", json.dumps(info))
    assert outcome.value is True
    assert outcome.deliveries == (changed(info),)
    assert bridge.ok("getPresence") == "On a break"


def test_legacy_set_agent_presence_refuses_what_is_not_a_presence(bridge: Bridge) -> None:
    assert bridge.error("setAgentPresence", "{not json")["message"].startswith(
        "setAgentPresence: presenceInfo must be a presence"
    )
    assert bridge.error("setAgentPresence") == {
        "message": "The presenceInfo parameter is null. Provide a value to the parameter"
    }


def test_legacy_presence_list_replaces_the_choices(bridge: Bridge) -> None:
    lunch = {**BUSY, "presenceText": "Lunch", "presenceId": "lunch-1"}
    assert bridge.ok("initializeAgentPresenceList", [lunch]) is True
    assert bridge.ok("setPresence", "Busy") is False
    assert bridge.ok("setPresence", "Lunch") is True
    assert bridge.error("initializeAgentPresenceList", [{"presenceText": "x"}])[
        "message"
    ].startswith("initializeAgentPresenceList: presenceList must be an array")


def test_presence_survives_a_json_round_trip(bridge: Bridge) -> None:
    bridge.ok("setPresence", "Do not disturb")
    bridge.ok("initializeAgentPresenceList", [BUSY])
    restored = Engine(bridge.engine.config, clock=bridge.clock)
    restored.restore(json.loads(json.dumps(bridge.engine.snapshot())))
    assert restored.snapshot() == bridge.engine.snapshot()
    assert restored.workspace.presence is not None
    assert restored.workspace.presence["presenceText"] == "Do not disturb"
