"""The edge: validation messages, idempotent retries, trust, unknown functions."""

from __future__ import annotations

import pytest

from cifbridge.api.dispatcher import Caller
from cifbridge.engine import core
from cifbridge.engine.base.texts import ORIGIN_NOT_TRUSTED
from tests.conftest import SOFTPHONE, Bridge


def test_bad_input_names_the_json_path_and_changes_nothing(bridge: Bridge) -> None:
    outcome = bridge.call(
        "createSession", {"templateName": "msdyn_chat_session", "templateParameters": 5}
    )
    assert not outcome.ok
    assert outcome.origin == "client"
    assert outcome.error == {
        "message": "createSession: $.input.templateParameters: 5 is not of type 'object'"
    }
    assert list(bridge.engine.workspace.sessions) == ["session-id-0"]
    assert bridge.ok("canCreateSession") is True


def test_missing_required_argument(bridge: Bridge) -> None:
    error = bridge.error("getSession")
    assert error["message"] == "getSession: $: 'sessionId' is a required property"


def test_real_library_messages_replace_generic_ones(bridge: Bridge) -> None:
    assert bridge.error("addHandler", "", True) == {
        "message": "The parameter EventName is blank. Provide a value to the parameter."
    }
    assert bridge.error("addHandler", "onSessionSwitched", False) == {
        "message": "Passing data parameters to addHandler is mandatory."
    }
    assert bridge.ok("addHandler", "onSessionSwitched", True) is None


def test_retried_request_id_never_creates_two_sessions(bridge: Bridge) -> None:
    request = {"templateName": "msdyn_chat_session"}
    first = bridge.call("createSession", request, rid="req-1")
    retry = bridge.call("createSession", request, rid="req-1")
    assert first.value == retry.value == "session-id-1"
    assert retry.deliveries == ()  # the widget already got its events the first time
    assert bridge.ok("getAllSessions") == ["session-id-1"]
    other = bridge.call("createSession", request, rid="req-2")
    assert other.value == "session-id-2"


def test_request_ids_are_per_provider(two_providers: Bridge) -> None:
    request = {"templateName": "msdyn_chat_session"}
    a = two_providers.call("createSession", request, rid="same")
    b = two_providers.call("createSession", request, provider="cifb_chatdesk", rid="same")
    assert (a.value, b.value) == ("session-id-1", "session-id-2")


def test_untrusted_origin_gets_the_hosts_message_for_every_call(bridge: Bridge) -> None:
    outcome = bridge.dispatcher.call(Caller(SOFTPHONE, trusted=False), "canCreateSession", [])
    assert outcome.error == {"message": ORIGIN_NOT_TRUSTED, "msdyn_name": "canCreateSession"}


def test_unknown_function_is_a_client_error(bridge: Bridge) -> None:
    error = bridge.error("createSessions")
    assert error == {"message": "Microsoft.CIFramework.createSessions is not a CIF function"}


def test_functions_not_emulated_yet_say_so(bridge: Bridge, monkeypatch: pytest.MonkeyPatch) -> None:
    # Take one function's semantics away, as for any function not emulated yet.
    monkeypatch.delitem(core.HANDLERS, "getAllSessions")
    error = bridge.error("getAllSessions")
    assert error["message"].startswith("cifbridge does not emulate getAllSessions yet")
    assert error["msdyn_name"] == "getAllSessions"


def test_undefined_arguments_count_as_absent(bridge: Bridge) -> None:
    assert bridge.ok("getFocusedSession", None) == "session-id-0"


def test_correlation_id_of_any_type_is_accepted(bridge: Bridge) -> None:
    assert bridge.ok("canCreateSession", 1234) is True


def test_a_request_id_reused_for_another_function_is_not_a_retry(bridge: Bridge) -> None:
    created = bridge.call("createSession", {"templateName": "msdyn_chat_session"}, rid="r1")
    listed = bridge.call("getAllSessions", rid="r1")
    assert (created.value, listed.value) == ("session-id-1", ["session-id-1"])
