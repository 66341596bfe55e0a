"""logAnalyticsEvent and initLogAnalytics: the documented shapes, recorded for the workspace."""

from __future__ import annotations

from cifbridge.engine.views.workspace import workspace_view
from tests.conftest import Bridge

EVENT = {
    "conversationId": "conv-1",
    "providerSessionId": "call-77",
    "events": [{"kpiEventName": "CallAnswered", "customData": [{"attribute": "a", "value": "b"}]}],
}


def test_log_analytics_event_resolves_success_and_is_recorded(bridge: Bridge) -> None:
    session = bridge.create("Ana")
    assert bridge.ok("logAnalyticsEvent", EVENT, "CallAnswered") == "Success"
    [record] = workspace_view(bridge.engine)["analytics"]
    assert record["api"] == "logAnalyticsEvent"
    assert (record["provider"], record["eventName"]) == ("cifb_softphone", "CallAnswered")
    assert (record["data"], record["focusedSessionId"]) == (EVENT, session)


def test_log_analytics_event_needs_the_documented_fields(bridge: Bridge) -> None:
    assert bridge.error("logAnalyticsEvent", {"conversationId": "c"}, "X") == {
        "message": "logAnalyticsEvent: $.data: 'providerSessionId' is a required property"
    }
    assert bridge.error("logAnalyticsEvent", EVENT) == {
        "message": "logAnalyticsEvent payload data or eventType is not valid. "
    }
    assert bridge.engine.workspace.analytics == []


def test_init_log_analytics_takes_the_conversation_shape(bridge: Bridge) -> None:
    data = {
        "conversation": {
            "conversationId": "conv-1",
            "channel": "Voice",
            "session": {"providerSessionId": "call-77", "participants": [{"participantId": "p"}]},
        }
    }
    assert bridge.ok("initLogAnalytics", data) == "Success"
    assert bridge.engine.workspace.analytics[0]["api"] == "initLogAnalytics"
    assert bridge.error("initLogAnalytics", {"conversationId": "c"}) == {
        "message": "initLogAnalytics payload is not valid. "
    }
    assert bridge.error("initLogAnalytics", {"conversation": {"session": {}}})["message"] == (
        "initLogAnalytics: $.data.conversation: 'conversationId' is a required property"
    )


def test_only_recent_events_are_kept(bridge: Bridge) -> None:
    for number in range(205):
        bridge.ok("logAnalyticsEvent", EVENT, f"E{number}")
    records = bridge.engine.workspace.analytics
    assert len(records) == 200 and records[-1]["eventName"] == "E204"
