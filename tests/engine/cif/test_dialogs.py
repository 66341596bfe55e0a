"""openDialog and openMDDDialog: dialogs the agent answers, queued, without a timeout."""

from __future__ import annotations

import json

import pytest

from cifbridge.engine import AgentActionRefused
from cifbridge.engine.views.workspace import workspace_view
from tests.conftest import Bridge
from tests.engine.cif.deferred import Waiting

CONFIRM = {"title": "Transfer", "text": "Transfer the call to billing?"}


@pytest.fixture
def desk(bridge: Bridge) -> Waiting:
    return Waiting(bridge)


def shown(desk: Waiting) -> list[dict[str, object]]:
    dialogs: list[dict[str, object]] = workspace_view(desk.bridge.engine)["overlays"]["dialogs"]
    return dialogs


def test_the_agent_sees_the_dialog_strings_with_default_button_labels(desk: Waiting) -> None:
    desk.start("openDialog", json.dumps(CONFIRM))
    [dialog] = shown(desk)
    assert dialog["kind"] == "confirm"
    assert (dialog["title"], dialog["text"]) == ("Transfer", "Transfer the call to billing?")
    assert (dialog["confirmButtonLabel"], dialog["cancelButtonLabel"]) == ("OK", "Cancel")


def test_ok_resolves_confirmed_true_and_cancel_false(desk: Waiting) -> None:
    first = desk.start("openDialog", CONFIRM)  # an object works as well as its JSON text
    second = desk.start("openDialog", {**CONFIRM, "confirmButtonLabel": "Transfer"})
    assert shown(desk)[1]["confirmButtonLabel"] == "Transfer"
    desk.agent("answerDialog", confirmed=True)
    desk.agent("answerDialog", confirmed=False)
    assert desk.answer(first) == {"confirmed": True}
    assert desk.answer(second) == {"confirmed": False}
    assert shown(desk) == []


def test_dialogs_queue_and_only_the_one_shown_is_answered(desk: Waiting) -> None:
    desk.start("openDialog", CONFIRM)
    desk.start("openDialog", CONFIRM)
    with pytest.raises(AgentActionRefused, match="queued; answer dialog-id-1 first"):
        desk.agent("answerDialog", confirmed=True, dialog_id="dialog-id-2")
    with pytest.raises(AgentActionRefused, match="not open") as unknown:
        desk.agent("answerDialog", confirmed=True, dialog_id="dialog-id-9")
    assert unknown.value.kind == "not_found"
    assert [d["id"] for d in shown(desk)] == ["dialog-id-1", "dialog-id-2"]


def test_a_dialog_waits_for_the_agent_however_long_it_takes(desk: Waiting) -> None:
    rid = desk.start("openDialog", CONFIRM)
    desk.bridge.clock.advance(3600)
    desk.collect(desk.bridge.engine.advance())
    assert desk.answer(rid) is None and len(shown(desk)) == 1


def test_an_mdd_dialog_returns_its_fields_and_the_button_pressed(desk: Waiting) -> None:
    ok = desk.start("openMDDDialog", "cifb_wrapup", None, {"param_reason": "Callback"})
    cancel = desk.start("openMDDDialog", "cifb_wrapup", '{"width": 400}', None)
    assert shown(desk)[0]["parameters"] == {"param_reason": "Callback"}
    desk.agent("answerDialog", confirmed=True, parameters={"param_notes": "call at 5"})
    desk.agent("answerDialog", confirmed=False)
    assert desk.answer(ok) == {
        "parameters": {
            "param_reason": "Callback",
            "param_notes": "call at 5",
            "param_lastButtonClicked": "ok_id",
        }
    }
    assert desk.answer(cancel) == {"parameters": {"param_lastButtonClicked": "cancel_id"}}


def test_fields_belong_to_mdd_dialogs_only(desk: Waiting) -> None:
    desk.start("openDialog", CONFIRM)
    with pytest.raises(AgentActionRefused, match="no fields"):
        desk.agent("answerDialog", confirmed=True, parameters={"x": 1})
    assert len(shown(desk)) == 1


def test_bad_dialog_strings_are_refused_and_open_nothing(bridge: Bridge) -> None:
    assert bridge.error("openDialog") == {
        "message": "The dialogStrings parameter is null. Provide a value to the parameter"
    }
    assert bridge.error("openDialog", "{not json")["message"] == (
        "The dialogStrings parameter is not valid JSON text."
    )
    assert bridge.error("openDialog", {"title": "no text"})["message"] == (
        "The dialogStrings parameter needs a text to show."
    )
    assert bridge.error("openDialog", {"text": "x", "title": 5})["message"] == (
        "The dialogStrings title must be a string."
    )
    assert bridge.error("openMDDDialog", "cifb_wrapup", [1])["message"] == (
        "openMDDDialog: $.dialogOptions: [1] is not of type 'object', 'string'"
    )
    assert bridge.error("openMDDDialog", "cifb_wrapup", "[1]")["message"] == (
        "The dialogOptions parameter must be an object or its JSON text."
    )
    assert workspace_view(bridge.engine)["overlays"]["dialogs"] == []


def test_a_retried_call_opens_one_dialog(bridge: Bridge) -> None:
    for _ in range(2):
        assert bridge.call("openDialog", CONFIRM, rid="same").deferred
    assert len(workspace_view(bridge.engine)["overlays"]["dialogs"]) == 1


def test_a_reset_answers_open_dialogs_with_an_error(desk: Waiting) -> None:
    rid = desk.start("openDialog", CONFIRM)
    desk.collect(desk.bridge.engine.reset())
    assert desk.answer(rid)["ok"] is False
    assert "reset" in desk.answer(rid)["error"]["message"]


def test_no_dialog_to_answer(desk: Waiting) -> None:
    with pytest.raises(AgentActionRefused, match="No dialog is open"):
        desk.agent("answerDialog", confirmed=True)
