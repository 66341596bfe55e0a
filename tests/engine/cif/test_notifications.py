"""notifyEvent and cancelEvent: the toast, the queue, its limits and deadlines, agent answers."""

from __future__ import annotations

import itertools
import json
from typing import Any

import pytest

from cifbridge.api.dispatcher import Outcome
from cifbridge.engine import AgentActionRefused, Engine, Result
from cifbridge.engine.cif.notifications import DISPLAY_GAP_SECONDS
from cifbridge.engine.views.workspace import workspace_view
from tests.conftest import CHAT, SECOND_PROVIDER, SOFTPHONE, Bridge, BridgeFactory

AUTHENTICATED = "msdyn_chat_incoming_authenticated"
VOICE = "msdyn_voicecall_incoming"

QUICK: dict[str, Any] = {
    "notificationTemplates": [
        {"uniqueName": "cifb_quick", "name": "Quick", "title": "Quick {n}", "timeout": 10},
        {"uniqueName": "cifb_auto", "name": "Auto", "title": "Auto", "autoAccept": True},
        {
            "uniqueName": "cifb_mustanswer",
            "name": "Must answer",
            "title": "Must answer",
            "showRejectButton": False,
        },
    ]
}


class Desk:
    """A bridge with helpers that raise notifications and collect their late answers."""

    def __init__(self, bridge: Bridge) -> None:
        self.bridge = bridge
        self.answers: dict[str, Any] = {}
        self._ids = itertools.count(1)

    def notify(
        self,
        template: str = AUTHENTICATED,
        params: dict[str, Any] | None = None,
        *extra: Any,
        provider: str = SOFTPHONE,
        rid: str | None = None,
        **input_keys: Any,
    ) -> tuple[str, Outcome]:
        rid = rid or f"notify-{next(self._ids)}"
        request = {"templateName": template, "templateParameters": params or {}, **input_keys}
        outcome = self.bridge.call("notifyEvent", request, *extra, provider=provider, rid=rid)
        self._collect(outcome.settlements)
        return rid, outcome

    def pending(self, template: str = AUTHENTICATED, **kwargs: Any) -> str:
        rid, outcome = self.notify(template, **kwargs)
        assert outcome.ok and outcome.deferred, outcome
        return rid

    def cancel(self, token: Any, provider: str = SOFTPHONE) -> Outcome:
        outcome = self.bridge.call("cancelEvent", token, provider=provider)
        self._collect(outcome.settlements)
        return outcome

    def agent(self, action: str, notification_id: str | None = None) -> Result:
        result = self.bridge.engine.agent(action, notification_id=notification_id)
        self._collect(result.settlements)
        return result

    def advance(self, seconds: float) -> None:
        self.bridge.clock.advance(seconds)
        self._collect(self.bridge.engine.advance().settlements)

    def answer(self, rid: str) -> Any:
        return self.answers.get(rid)

    def view(self) -> dict[str, Any]:
        notifications: dict[str, Any] = workspace_view(self.bridge.engine)["notifications"]
        return notifications

    def _collect(self, settlements: Any) -> None:
        for answer in self.bridge.dispatcher.settle(settlements):
            message = answer.message
            self.answers[message["requestId"]] = message["value"] if message["ok"] else message


def answer(action: str, reason: str) -> dict[str, str]:
    return {"actionName": action, "responseReason": reason}


ACCEPTED = answer("Accept", "Accept")
DECLINED = answer("Reject", "DeclinedByAgent")
TIMED_OUT = answer("Timeout", "DisplayTimeout")
QUEUE_EXPIRED = answer("Reject", "NotificationQueueTimeLimitExceeded")
CANCELLED = answer("Cancel", "Cancelled")


@pytest.fixture
def desk(make_bridge: BridgeFactory) -> Desk:
    return Desk(make_bridge({**QUICK, **SECOND_PROVIDER}))


# --- what the agent sees --------------------------------------------------------------------


def test_the_agent_sees_the_resolved_title_and_at_most_four_fields_in_order(desk: Desk) -> None:
    params = {
        "customerName": "Ana",
        "phoneNumber": "+1 555 0100",
        "queueName": "Tier 1",
        "waitTime": "00:42",
        "caseTitle": "Broken router",
    }
    desk.pending(VOICE, params=params)
    shown = desk.view()["displayed"]
    assert shown["title"] == "Incoming call from Ana"
    assert [(f["title"], f["value"]) for f in shown["fields"]] == [
        ("Caller", "Ana"),
        ("Phone number", "+1 555 0100"),
        ("Queue", "Tier 1"),
        ("Wait time", "00:42"),
    ]
    assert (shown["acceptButtonText"], shown["rejectButtonText"]) == ("Answer", "Decline")
    assert (shown["theme"], shown["showTimeout"], shown["timeout"]) == ("light", True, 60)
    assert shown["deadline"] == desk.bridge.clock() + 60
    assert shown["secondsLeft"] == 60


def test_fields_that_resolve_empty_are_left_out_and_later_ones_move_up(desk: Desk) -> None:
    desk.pending(VOICE, params={"customerName": "Ana", "waitTime": "00:05", "caseTitle": "C-1"})
    fields = desk.view()["displayed"]["fields"]
    assert [f["title"] for f in fields] == ["Caller", "Wait time", "Case"]
    assert desk.view()["displayed"]["icon"] == "/webresources/msdyn_call_icon_zfp.svg"


def test_a_template_without_icon_gets_the_default_chat_icon(desk: Desk) -> None:
    desk.pending("cifb_quick", params={"n": 7})
    shown = desk.view()["displayed"]
    assert (shown["title"], shown["icon"]) == ("Quick 7", "/webresources/msdyn_chat_icon_zfp.svg")
    assert shown["fields"] == []


def test_one_is_displayed_at_a_time_and_the_rest_queue_in_order(desk: Desk) -> None:
    desk.pending(params={"customerName": "Ana"})
    desk.pending(params={"customerName": "Bob"})
    desk.pending(VOICE, params={"customerName": "Cy"})
    view = desk.view()
    assert view["displayed"]["title"] == "Incoming chat from Ana"
    assert [q["title"] for q in view["queued"]] == [
        "Incoming chat from Bob",
        "Incoming call from Cy",
    ]
    assert (view["queueLength"], view["maxQueued"]) == (2, 10)


# --- how the widget's promise settles ---------------------------------------------------------


def test_accept_resolves_accept_and_reject_resolves_declined_by_agent(desk: Desk) -> None:
    first = desk.pending()
    second = desk.pending()
    desk.agent("acceptNotification")
    assert desk.answer(first) == ACCEPTED
    assert desk.answer(second) is None
    desk.advance(DISPLAY_GAP_SECONDS)
    desk.agent("rejectNotification")
    assert desk.answer(second) == DECLINED


def test_auto_accept_resolves_at_once_without_showing_anything(desk: Desk) -> None:
    _, outcome = desk.notify("cifb_auto")
    assert outcome.ok and not outcome.deferred
    assert outcome.value == answer("Accept", "AutoAccept")
    assert desk.view()["displayed"] is None


def test_unknown_template_rejects_with_the_documented_error(desk: Desk) -> None:
    _, outcome = desk.notify("msdyn_nope")
    assert outcome.error == {
        "message": "NotificationTemplateNotFoundError",
        "msdyn_name": "NotifyEvent",
    }
    assert desk.view()["displayed"] is None


def test_missing_template_name_is_the_client_error_of_the_docs(desk: Desk) -> None:
    for request in ({}, {"templateParameters": {}}, {"templateName": None}):
        error = desk.bridge.error("notifyEvent", request)
        assert error == {"message": "RejectAfterClientError", "msdyn_name": "NotifyEvent"}
    assert desk.bridge.error("notifyEvent") == {
        "message": "RejectAfterClientError",
        "msdyn_name": "NotifyEvent",
    }


def test_wrongly_typed_arguments_fail_the_argument_check(desk: Desk) -> None:
    error = desk.bridge.error("notifyEvent", {"templateName": 5})
    assert error["message"].startswith("notifyEvent: $.input.templateName: 5 is not of type")
    assert "msdyn_name" not in error


def test_an_unanswered_notification_times_out_after_its_template_timeout(desk: Desk) -> None:
    chat = desk.pending()
    desk.advance(119.5)
    assert desk.answer(chat) is None
    desk.advance(0.5)
    assert desk.answer(chat) == TIMED_OUT
    assert desk.view()["displayed"] is None


def test_each_template_has_its_own_timeout(desk: Desk) -> None:
    call = desk.pending(VOICE)
    desk.advance(60)
    assert desk.answer(call) == TIMED_OUT


def test_the_next_queued_one_is_shown_two_seconds_after_the_previous_closes(desk: Desk) -> None:
    desk.pending("cifb_quick", params={"n": 1})
    second = desk.pending("cifb_quick", params={"n": 2})
    desk.advance(5)
    desk.agent("acceptNotification")
    desk.advance(1.9)
    assert desk.view()["displayed"] is None
    assert desk.view()["queueLength"] == 1
    desk.advance(0.1)
    shown = desk.view()["displayed"]
    assert shown["title"] == "Quick 2"
    assert shown["secondsLeft"] == 10  # its countdown starts when it appears
    desk.advance(9.9)
    assert desk.answer(second) is None
    desk.advance(0.1)
    assert desk.answer(second) == TIMED_OUT


def test_one_raised_during_the_gap_waits_for_the_gap_to_end(desk: Desk) -> None:
    desk.pending()
    desk.agent("rejectNotification")
    desk.advance(1)
    desk.pending(VOICE)
    assert desk.view()["displayed"] is None
    desk.advance(1)
    assert desk.view()["displayed"]["title"] == "Incoming call from "


def test_one_raised_after_the_gap_is_shown_at_once(desk: Desk) -> None:
    desk.pending()
    desk.agent("acceptNotification")
    desk.advance(DISPLAY_GAP_SECONDS)
    desk.pending(VOICE)
    assert desk.view()["displayed"]["template"] == VOICE


def test_the_eleventh_queued_notification_is_rejected_at_once(desk: Desk) -> None:
    desk.pending()
    queued = [desk.pending() for _ in range(10)]
    _, outcome = desk.notify()
    assert outcome.ok and not outcome.deferred
    assert outcome.value == answer("Reject", "NotificationQueueLimitExceeded")
    assert desk.view()["queueLength"] == 10
    assert all(desk.answer(rid) is None for rid in queued)


def test_the_queue_limit_is_configurable(make_bridge: BridgeFactory) -> None:
    desk = Desk(make_bridge({"limits": {"maxQueuedNotifications": 1}}))
    desk.pending()
    desk.pending()
    _, outcome = desk.notify()
    assert outcome.value == answer("Reject", "NotificationQueueLimitExceeded")


def test_a_queued_notification_gives_up_after_thirty_seconds(desk: Desk) -> None:
    shown = desk.pending()
    waiting = desk.pending()
    desk.advance(29.9)
    assert desk.answer(waiting) is None
    desk.advance(0.1)
    assert desk.answer(waiting) == QUEUE_EXPIRED
    assert desk.answer(shown) is None
    assert desk.view()["queueLength"] == 0


def test_one_long_clock_jump_applies_every_deadline_in_the_order_it_fell_due(desk: Desk) -> None:
    # quick 1 times out at 10; quick 2 is shown at 12 and times out at 22, long before its
    # queue expiry at 30 would matter; the chat raised at 0 has waited 30 s by then.
    first = desk.pending("cifb_quick")
    second = desk.pending("cifb_quick")
    desk.advance(11)
    third = desk.pending()
    fourth = desk.pending()
    desk.advance(1000)
    assert desk.answer(first) == TIMED_OUT
    assert desk.answer(second) == TIMED_OUT
    # third is shown at 24 (22 + gap) and times out 120 s later; fourth expires at 41.
    assert desk.answer(third) == TIMED_OUT
    assert desk.answer(fourth) == QUEUE_EXPIRED


def test_the_engine_reports_its_next_deadline(desk: Desk) -> None:
    start = desk.bridge.clock()
    assert desk.bridge.engine.next_deadline() is None
    desk.pending("cifb_quick")
    assert desk.bridge.engine.next_deadline() == start + 10
    desk.pending()
    assert desk.bridge.engine.next_deadline() == start + 10
    desk.agent("acceptNotification")
    assert desk.bridge.engine.next_deadline() == start + DISPLAY_GAP_SECONDS
    desk.advance(DISPLAY_GAP_SECONDS)
    assert desk.bridge.engine.next_deadline() == start + DISPLAY_GAP_SECONDS + 120


# --- cancelEvent -------------------------------------------------------------------------------


def test_cancel_event_resolves_its_token_and_cancels_the_notification(desk: Desk) -> None:
    rid = desk.pending(cancellationToken="token-1")
    outcome = desk.cancel("token-1")
    assert outcome.value == "token-1"
    assert desk.answer(rid) == CANCELLED
    assert desk.view()["displayed"] is None


def test_the_token_may_also_be_notify_events_third_argument(desk: Desk) -> None:
    rid, outcome = desk.notify(AUTHENTICATED, {}, "corr-1", "token-3")
    assert outcome.deferred
    assert desk.cancel("token-3").value == "token-3"
    assert desk.answer(rid) == CANCELLED


def test_cancelling_a_queued_notification_leaves_the_displayed_one_alone(desk: Desk) -> None:
    shown = desk.pending()
    waiting = desk.pending(cancellationToken="later")
    desk.pending(VOICE)
    desk.cancel("later")
    assert desk.answer(waiting) == CANCELLED
    assert desk.answer(shown) is None
    assert [q["template"] for q in desk.view()["queued"]] == [VOICE]


def test_cancelling_the_displayed_one_shows_the_next_after_the_gap(desk: Desk) -> None:
    desk.pending(cancellationToken="now")
    desk.pending(VOICE)
    desk.cancel("now")
    assert desk.view()["displayed"] is None
    desk.advance(DISPLAY_GAP_SECONDS)
    assert desk.view()["displayed"]["template"] == VOICE


def test_cancel_event_without_a_pending_notification_rejects(desk: Desk) -> None:
    expected = {"message": "RejectAfterClientError", "msdyn_name": "CancelEvent"}
    rid = desk.pending(cancellationToken="once")
    desk.agent("acceptNotification")
    assert desk.answer(rid) == ACCEPTED
    assert desk.cancel("once").error == expected
    assert desk.cancel("never-given").error == expected
    assert desk.bridge.error("cancelEvent") == expected


def test_a_provider_cannot_cancel_another_providers_notification(desk: Desk) -> None:
    rid = desk.pending(cancellationToken="shared")
    assert desk.cancel("shared", provider=CHAT).error == {
        "message": "RejectAfterClientError",
        "msdyn_name": "CancelEvent",
    }
    assert desk.answer(rid) is None


# --- the agent's side --------------------------------------------------------------------------


def test_the_agent_answers_only_the_displayed_notification(desk: Desk) -> None:
    with pytest.raises(AgentActionRefused, match="No notification is displayed"):
        desk.agent("acceptNotification")
    desk.pending()
    desk.pending()
    queued_id = desk.view()["queued"][0]["id"]
    with pytest.raises(AgentActionRefused, match="is queued") as refused:
        desk.agent("acceptNotification", queued_id)
    assert refused.value.kind == "conflict"
    with pytest.raises(AgentActionRefused, match="not pending") as missing:
        desk.agent("rejectNotification", "notification-id-99")
    assert missing.value.kind == "not_found"


def test_the_agent_names_the_displayed_notification_by_id(desk: Desk) -> None:
    rid = desk.pending()
    shown_id = desk.view()["displayed"]["id"]
    assert desk.agent("acceptNotification", shown_id).value == shown_id
    assert desk.answer(rid) == ACCEPTED


def test_no_reject_button_no_rejecting(desk: Desk) -> None:
    rid = desk.pending("cifb_mustanswer")
    with pytest.raises(AgentActionRefused, match="has no Reject button"):
        desk.agent("rejectNotification")
    assert desk.answer(rid) is None
    assert desk.view()["displayed"]["showRejectButton"] is False


def test_answers_go_to_the_provider_that_asked(desk: Desk) -> None:
    desk.pending(provider=CHAT, rid="chat-1")
    result = desk.bridge.engine.agent("acceptNotification")
    assert [(s.provider, s.request_id, s.api) for s in result.settlements] == [
        (CHAT, "chat-1", "notifyEvent")
    ]
    assert desk.view()["displayed"] is None


# --- retries and persistence -------------------------------------------------------------------


def test_a_retried_notify_event_does_not_queue_twice(desk: Desk) -> None:
    first = desk.notify(rid="same")[1]
    again = desk.notify(rid="same")[1]
    assert first.deferred and again.deferred
    assert desk.view()["displayed"] is not None and desk.view()["queueLength"] == 0
    desk.bridge.engine.workspace.recent_requests.clear()  # even once the dispatcher forgot it
    assert desk.notify(rid="same")[1].deferred
    assert desk.view()["queueLength"] == 0
    desk.agent("acceptNotification")
    assert desk.answer("same") == ACCEPTED
    replay = desk.notify(rid="same")[1]
    assert (replay.ok, replay.value, replay.deferred) == (True, ACCEPTED, False)


def test_notifications_survive_a_json_round_trip(desk: Desk) -> None:
    desk.pending("cifb_quick", params={"n": 1}, cancellationToken="t")
    waiting = desk.pending(params={"customerName": "Bob"})
    saved = json.loads(desk.bridge.engine.snapshot_text())
    restored = Engine(desk.bridge.engine.config, clock=desk.bridge.clock)
    restored.restore(saved)
    assert restored.snapshot() == desk.bridge.engine.snapshot()
    desk.bridge.engine = desk.bridge.dispatcher.engine = restored
    assert desk.view()["displayed"]["title"] == "Quick 1"
    desk.advance(10 + DISPLAY_GAP_SECONDS)
    assert desk.view()["displayed"]["title"] == "Incoming chat from Bob"
    desk.agent("acceptNotification")
    assert desk.answer(waiting) == ACCEPTED


def test_reset_answers_pending_notifications_with_an_error(bridge: Bridge) -> None:
    bridge.call(
        "notifyEvent",
        {"templateName": "msdyn_chat_incoming_unauthenticated", "templateParameters": {}},
        rid="waiting",
    )
    result = bridge.engine.reset()
    [settlement] = result.settlements
    assert (settlement.request_id, settlement.ok) == ("waiting", False)
    assert "workspace was reset" in str(settlement.error)
    assert bridge.engine.workspace.notifications == []


def test_stopping_answers_every_waiting_notify_event_and_withdraws_it(desk: Desk) -> None:
    shown, queued = desk.pending(), desk.pending()
    desk._collect(desk.bridge.engine.stop().settlements)
    stopped = {
        "message": "cifbridge: the bridge stopped before the agent answered",
        "msdyn_name": "notifyEvent",
    }
    for rid in (shown, queued):
        assert desk.answer(rid) == {
            "requestId": rid,
            "ok": False,
            "error": stopped,
            "origin": "host",
        }
    assert desk.view()["displayed"] is None
    assert desk.view()["queued"] == []
    # A widget that resends the call after the restart gets that same answer.
    again = desk.bridge.call("notifyEvent", {"templateName": AUTHENTICATED}, rid=shown)
    assert (again.ok, again.error) == (False, stopped)
