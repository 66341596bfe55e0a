"""raiseEvent, click-to-act, page navigation and KB articles: events between page and widgets."""

from __future__ import annotations

import json

import pytest

from cifbridge.engine import ANY_PROVIDER, AgentActionRefused, Delivery, Engine
from cifbridge.engine.base.context import WORKSPACE_PAGE
from tests.conftest import CHAT, SOFTPHONE, Bridge

CALL = {"value": "+1 425 555 0100", "name": "telephone1", "entity_logical_name": "contact"}
CLICKED = {"value": "+1 425 555 0100", "name": "telephone1", "entityLogicalName": "contact"}


def test_raise_event_reaches_every_widget_and_the_page(two_providers: Bridge) -> None:
    outcome = two_providers.call("raiseEvent", "callEnded", '{"callId": "c-9"}', "corr-1")
    assert outcome.value is True
    assert outcome.deliveries == (
        Delivery(ANY_PROVIDER, "callEnded", {"callId": "c-9"}),
        Delivery(WORKSPACE_PAGE, "callEnded", {"callId": "c-9"}),
    )


def test_raise_event_passes_objects_and_plain_text(bridge: Bridge) -> None:
    assert bridge.call("raiseEvent", "x", {"a": [1]}).deliveries[0].payload == {"a": [1]}
    assert bridge.call("raiseEvent", "x", "not json").deliveries[0].payload == "not json"
    assert bridge.call("raiseEvent", "x").deliveries[0].payload is None


def test_a_built_in_event_name_reaches_only_the_page(bridge: Bridge) -> None:
    outcome = bridge.call("raiseEvent", "onSessionSwitched", {"sessionId": "session-id-9"})
    assert outcome.value is True
    assert [d.provider for d in outcome.deliveries] == [WORKSPACE_PAGE]


def test_raise_event_needs_a_name(bridge: Bridge) -> None:
    assert bridge.error("raiseEvent", "", {})["message"] == (
        "raiseEvent: $.eventName: '' should be non-empty"
    )


def test_the_page_raises_an_event_to_one_provider_or_all(two_providers: Bridge) -> None:
    one = two_providers.engine.agent(
        "raiseEvent", event_name="holdRequested", data={"n": 1}, provider=CHAT
    )
    assert one.deliveries == (Delivery(CHAT, "holdRequested", {"n": 1}),)
    every = two_providers.engine.agent("raiseEvent", event_name="holdRequested")
    assert every.deliveries == (Delivery(ANY_PROVIDER, "holdRequested", None),)
    for params, kind in (
        ({"event_name": "onclicktoact"}, "invalid"),
        ({"event_name": "x", "provider": "nobody_x"}, "not_found"),
    ):
        with pytest.raises(AgentActionRefused) as refused:
            two_providers.engine.agent("raiseEvent", **params)
        assert refused.value.kind == kind


def test_click_to_act_starts_from_the_configuration_and_can_be_turned_off(bridge: Bridge) -> None:
    assert bridge.ok("getClickToAct") is True
    assert bridge.ok("setClickToAct", False) is None
    assert bridge.ok("getClickToAct") is False
    bridge.ok("setClickToAct", True)
    bridge.ok("setClickToAct")  # no value means false, as in the library
    assert bridge.ok("getClickToAct") is False


def test_click_to_act_is_per_provider(two_providers: Bridge) -> None:
    two_providers.ok("setClickToAct", False)
    assert two_providers.ok("getClickToAct", provider=CHAT) is True


def test_a_click_reaches_the_active_provider_while_enabled(bridge: Bridge) -> None:
    result = bridge.engine.agent("clickToAct", **CALL, entity_id="c-1", record_title="Ana Li")
    payload = {**CLICKED, "format": "phone", "entityId": "c-1", "recordTitle": "Ana Li"}
    assert result.deliveries == (Delivery(SOFTPHONE, "onclicktoact", payload),)
    assert result.value == {"provider": SOFTPHONE, "delivered": True}
    bridge.ok("setClickToAct", False)
    silent = bridge.engine.agent("clickToAct", **CALL)
    assert (silent.deliveries, silent.value["delivered"]) == ((), False)


def test_a_click_goes_to_the_focused_sessions_provider_or_the_one_named(
    two_providers: Bridge,
) -> None:
    two_providers.create("Zed", provider=CHAT)
    assert two_providers.engine.agent("clickToAct", **CALL).deliveries[0].provider == CHAT
    named = two_providers.engine.agent("clickToAct", **CALL, provider=SOFTPHONE)
    assert named.deliveries[0].provider == SOFTPHONE


def test_navigation_and_kb_articles_reach_the_active_provider(bridge: Bridge) -> None:
    url = "https://contoso.crm.dynamics.com/main.aspx?pagetype=entitylist&etn=contact"
    assert bridge.engine.agent("navigate", url=url).deliveries == (
        Delivery(SOFTPHONE, "onpagenavigate", {"value": url}),
    )
    article = {"title": "Reset a password", "link": "https://contoso.com/kb/12"}
    assert bridge.engine.agent("sendKbArticle", **article).deliveries == (
        Delivery(SOFTPHONE, "onsendkbarticle", article),
    )


def test_click_to_act_survives_a_json_round_trip(bridge: Bridge) -> None:
    bridge.ok("setClickToAct", False)
    restored = Engine(bridge.engine.config, clock=bridge.clock)
    restored.restore(json.loads(json.dumps(bridge.engine.snapshot())))
    assert restored.snapshot() == bridge.engine.snapshot()
    assert restored.workspace.click_to_act == {SOFTPHONE: False}
