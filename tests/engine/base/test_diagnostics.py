"""Diagnostics: warnings beside the real behaviour, once per cause; --strict refuses instead."""

from __future__ import annotations

import json
from typing import Any

from cifbridge.api.dispatcher import Caller, Dispatcher
from cifbridge.api.validation import SchemaSet
from cifbridge.engine import Engine, config_from_dict
from cifbridge.files.config import default_config_data
from tests.conftest import SOFTPHONE, Bridge, FakeClock

CALL = "msdyn_voicecall_session"


def codes(outcome: Any) -> list[str]:
    return [w["code"] for w in outcome.warnings]


def only_warning(outcome: Any) -> str:
    assert len(outcome.warnings) == 1, outcome.warnings
    message: str = outcome.warnings[0]["message"]
    return message


def test_a_clean_call_has_no_warnings(bridge: Bridge) -> None:
    outcome = bridge.call("createSession", {"templateName": CALL, "customerName": "Ana"})
    assert outcome.ok and outcome.warnings == ()
    assert "warnings" not in outcome.to_wire()


def test_input_as_a_json_string_is_flagged_and_still_refused_as_before(bridge: Bridge) -> None:
    text = json.dumps({"templateName": CALL, "customerName": "Ana"})
    outcome = bridge.call("createSession", text)
    assert not outcome.ok and outcome.error is not None
    assert "is not of type 'object'" in outcome.error["message"]  # the behaviour is unchanged
    assert codes(outcome) == ["input-as-json-string"]
    assert "pass the object itself (without JSON.stringify)" in only_warning(outcome)
    assert outcome.to_wire()["warnings"] == [dict(outcome.warnings[0])]


def test_unknown_input_keys_say_which_key_was_meant(bridge: Bridge) -> None:
    request = {"templateName": CALL, "customerName": "Ana", "templateParams": {"x": 1}}
    outcome = bridge.call("createSession", request)
    assert outcome.ok and outcome.value == "session-id-1"
    assert only_warning(outcome) == (
        "createSession: input.templateParams is not a key the real library reads (did you mean"
        " templateParameters?); it is ignored"
    )


def test_unknown_template_names_get_a_did_you_mean_beside_the_real_rejection(
    bridge: Bridge,
) -> None:
    outcome = bridge.call("createSession", {"templateName": "msdyn_voicecal_session"})
    assert outcome.error == {
        "message": "Did not find template by name (msdyn_voicecal_session)",
        "msdyn_name": "createSession",
    }
    assert "(did you mean msdyn_voicecall_session?)" in only_warning(outcome)
    tab = bridge.call("createTab", {"templateName": "msdyn_kb_search"})
    assert not tab.ok and codes(tab) == ["unknown-template"]
    assert "(did you mean msdyn_kbsearch?)" in only_warning(tab)


def test_an_event_name_close_to_a_built_in_one_is_flagged(bridge: Bridge) -> None:
    outcome = bridge.call("addHandler", "onSessionSwitch", True)
    assert outcome.ok
    assert only_warning(outcome).startswith(
        "addHandler: 'onSessionSwitch' is not an event the host sends (did you mean"
        " onSessionSwitched?)"
    )
    # A custom event far from every built-in name is legitimate (raiseEvent) and stays quiet.
    assert bridge.call("addHandler", "contoso.callEnded", True).warnings == ()
    assert bridge.call("addHandler", "onSessionSwitched", True).warnings == ()


def test_a_presence_differing_only_by_case_is_flagged_and_still_false(bridge: Bridge) -> None:
    outcome = bridge.call("setPresence", "OnVoicecall")
    assert outcome.ok and outcome.value is False
    assert "differs only by case from the configured presence 'onVoiceCall'" in only_warning(
        outcome
    )
    assert bridge.ok("getPresence") == "Available"
    assert bridge.call("setPresence", "Lunch").warnings == ()  # not close: just false


def test_a_guid_where_the_count_goes_is_flagged(bridge: Bridge) -> None:
    session = bridge.create()
    bridge.ok("createSession", {"templateName": CALL, "customerName": "Bo"})
    guid = "6f2c8a1e-3b4d-4c5e-8f90-1a2b3c4d5e6f"
    outcome = bridge.call("requestFocusSession", session, guid)
    assert outcome.ok
    assert only_warning(outcome).startswith(
        "requestFocusSession: the second argument is a GUID, but the real library reads it as"
        " messagesCount"
    )
    assert bridge.call("requestFocusSession", session, 3).warnings == ()


def test_a_runtime_value_the_template_does_not_take_is_flagged(bridge: Bridge) -> None:
    bridge.create()
    request = {"templateName": "msdyn_kbsearch", "templateParameters": {"data": "printer"}}
    outcome = bridge.call("createTab", request)
    assert outcome.ok
    assert only_warning(outcome).startswith(
        "templateParameters.data is ignored: parameter data of the application tab template"
        " msdyn_kbsearch is not marked isRuntime"
    )
    tab = bridge.engine.workspace.sessions["session-id-1"].tabs[-1]
    assert tab.parameters["data"] == "Ana"  # the configured {customerName}, as the host does


def test_an_unfilled_title_slug_is_flagged(bridge: Bridge) -> None:
    outcome = bridge.call("createSession", {"templateName": CALL})
    assert outcome.ok
    assert only_warning(outcome) == (
        f"createSession: the title of session template {CALL}: the slug {{customerName}} was"
        " filled by no parameter and shows as empty text; pass customerName in"
        " templateParameters"
    )


def test_warnings_come_once_per_cause_and_replay_with_a_retry(bridge: Bridge) -> None:
    request = {"templateName": CALL, "x": 1, "y": 2}
    first = bridge.call("createSession", request, rid="r-1")
    assert codes(first) == ["unknown-input-key", "unknown-input-key", "unfilled-slug"]
    again = bridge.call("createSession", request, rid="r-1")
    assert again.value == first.value and list(again.warnings) == list(first.warnings)


def strict_bridge(schemas: SchemaSet) -> Dispatcher:
    engine = Engine(config_from_dict(default_config_data()), clock=FakeClock())
    return Dispatcher(engine, schemas, strict=True)


def test_strict_refuses_a_call_with_an_engine_warning_and_changes_nothing(
    schemas: SchemaSet,
) -> None:
    dispatcher = strict_bridge(schemas)
    before = dispatcher.engine.snapshot()
    request = [{"templateName": CALL}]
    outcome = dispatcher.call(Caller(SOFTPHONE), "createSession", request, "strict-1")
    assert not outcome.ok and outcome.origin == "client" and outcome.error is not None
    assert outcome.error["message"].startswith(
        "cifbridge --strict refused createSession: [unfilled-slug] createSession: the title"
    )
    assert codes(outcome) == ["unfilled-slug"]
    assert dispatcher.engine.snapshot() == before
    clean = [{"templateName": CALL, "customerName": "Ana"}]
    assert dispatcher.call(Caller(SOFTPHONE), "createSession", clean).value == "session-id-1"


def test_strict_refuses_an_edge_warning_before_anything_runs(schemas: SchemaSet) -> None:
    dispatcher = strict_bridge(schemas)
    outcome = dispatcher.call(Caller(SOFTPHONE), "setPresence", ["OnVoicecall"])
    assert outcome.error == {
        "message": "cifbridge --strict refused setPresence: [presence-case] setPresence:"
        " 'OnVoicecall' differs only by case from the configured presence 'onVoiceCall'; the"
        " real setPresence compares exactly and resolves false"
    }
    text = json.dumps({"templateName": CALL})
    refused = dispatcher.call(Caller(SOFTPHONE), "createSession", [text])
    assert refused.error is not None
    assert refused.error["message"].startswith(
        "cifbridge --strict refused createSession: [input-as-json-string]"
    )
