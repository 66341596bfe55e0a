"""The communication panel: mode, width, the active provider, and the agent's changes."""

from __future__ import annotations

import pytest

from cifbridge.engine import AgentActionRefused, Delivery
from tests.conftest import CHAT, SOFTPHONE, Bridge

ACTIVE_ONLY = "This operation can be performed from the active provider"


def test_mode_and_width_start_docked_at_the_default_width(bridge: Bridge) -> None:
    assert bridge.ok("getMode") == 1
    assert bridge.ok("getWidth") == 378


@pytest.mark.parametrize("mode", [0, 1, 2])
def test_set_mode_resolves_the_mode_applied(bridge: Bridge, mode: int) -> None:
    outcome = bridge.call("setMode", mode)
    assert (outcome.value, outcome.deliveries) == (mode, ())
    assert bridge.ok("getMode") == mode


@pytest.mark.parametrize("value", [3, -1, 1.5, None])
def test_set_mode_refuses_anything_but_0_1_2_with_the_librarys_text(
    bridge: Bridge, value: object
) -> None:
    assert bridge.error("setMode", value) == {
        "message": "The setMode paramter value must be 0, 1 or 2."
    }


def test_set_width_applies_300_and_more(bridge: Bridge) -> None:
    assert bridge.ok("setWidth", 420) == 420
    assert bridge.ok("getWidth") == 420


def test_set_width_below_300_is_ignored(bridge: Bridge) -> None:
    outcome = bridge.call("setWidth", 299)
    assert outcome.value == 299  # the library resolves the value it was given
    assert bridge.ok("getWidth") == 378


@pytest.mark.parametrize("value", [-5, None, "wide"])
def test_set_width_refuses_null_and_negative(bridge: Bridge, value: object) -> None:
    assert bridge.error("setWidth", value) == {
        "message": "The setWidth parameter value is invalid."
        " Provide a positive number to the parameter."
    }


def test_only_the_provider_of_the_focused_session_may_change_the_panel(
    two_providers: Bridge,
) -> None:
    two_providers.create("Ana", provider=CHAT)
    refused = {"message": ACTIVE_ONLY, "msdyn_name": "setmode"}
    assert two_providers.error("setMode", 0) == refused
    assert two_providers.error("setWidth", 400) == {**refused, "msdyn_name": "setwidth"}
    assert two_providers.ok("setMode", 0, provider=CHAT) == 0
    assert two_providers.ok("getMode") == 0  # every provider may read it


def test_on_home_the_default_provider_is_active(two_providers: Bridge) -> None:
    assert two_providers.ok("setMode", 2) == 2
    assert two_providers.error("setMode", 1, provider=CHAT)["message"] == ACTIVE_ONLY


def test_create_session_applies_the_template_panel_mode(two_providers: Bridge) -> None:
    two_providers.ok("setMode", 0)
    two_providers.create("Ana")
    assert two_providers.ok("getMode") == 1


def test_the_agent_toggles_and_drags_and_the_active_provider_hears_it(
    two_providers: Bridge,
) -> None:
    two_providers.create("Zed", provider=CHAT)
    result = two_providers.engine.agent("setPanel", mode=0, width=500)
    assert result.deliveries == (
        Delivery(CHAT, "onmodechanged", {"value": 0}),
        Delivery(CHAT, "onsizechanged", {"value": 500}),
    )
    assert result.value == {"mode": 0, "width": 500}
    assert two_providers.ok("getWidth") == 500


def test_an_agent_change_to_the_same_value_sends_nothing(bridge: Bridge) -> None:
    assert bridge.engine.agent("setPanel", mode=1).deliveries == ()
    assert bridge.engine.agent("setPanel", width=301).deliveries == (
        Delivery(SOFTPHONE, "onsizechanged", {"value": 301}),
    )


@pytest.mark.parametrize("params", [{"mode": 5}, {"width": 200}])
def test_the_agent_cannot_set_impossible_panel_states(
    bridge: Bridge, params: dict[str, object]
) -> None:
    # Malformed bodies ({}, {"width": "wide"}, ...) never get here: see test_control_bodies.py.
    with pytest.raises(AgentActionRefused) as refused:
        bridge.engine.agent("setPanel", **params)
    assert refused.value.kind == "invalid"
