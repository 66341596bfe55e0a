"""The Python clients and the pytest fixtures, as a partner's CI suite uses them."""

from __future__ import annotations

import pytest

from cifbridge.clients.bridge import BridgeClient, BridgeError, CifCallError, WidgetClient

pytest_plugins = ["pytester"]


def test_widget_client_and_control_api(cifbridge: BridgeClient) -> None:
    with WidgetClient(cifbridge.url) as widget:
        session_id = widget.call(
            "createSession", {"templateName": "msdyn_voicecall_session", "customerName": "Ana"}
        )
        assert session_id == "session-id-1"
        assert widget.next_event() == (
            "onSessionSwitched",
            {"sessionId": session_id, "focused": True, "focussed": True, "context": None},
        )
        assert [s["title"] for s in cifbridge.sessions()] == ["Home", "Call from Ana"]
        cifbridge.close_session(session_id)
        assert widget.next_event() == (
            "onSessionClosed",
            {"sessionId": session_id, "context": None},
        )
        with pytest.raises(CifCallError) as rejected:
            widget.call("getSession", session_id)
        assert rejected.value.error == {
            "message": f"Session with ID:{session_id} does not exist",
            "msdyn_name": "getSession",
        }
    calls = [(e["api"], e["ok"]) for e in cifbridge.journal()]
    assert calls == [("createSession", True), ("getSession", False)]


def test_each_test_starts_from_a_fresh_workspace(cifbridge: BridgeClient) -> None:
    assert [s["id"] for s in cifbridge.sessions()] == ["session-id-0"]
    assert cifbridge.journal() == []


def test_refusals_raise_with_status(cifbridge: BridgeClient) -> None:
    with pytest.raises(BridgeError) as refused:
        cifbridge.close_session("session-id-0")
    assert refused.value.status == 409
    assert refused.value.message == "The Home session cannot be closed"


def test_script_tag_points_at_the_bridge(cifbridge: BridgeClient) -> None:
    assert cifbridge.script_tag == (
        f'<script src="{cifbridge.url}/webresources/Widget/msdyn_ciLibrary.js"'
        f' data-crmurl="{cifbridge.url}" data-cifid="CIFMainLibrary"></script>'
    )


def test_plugin_fixture_in_a_partner_suite(pytester: pytest.Pytester) -> None:
    # pytest-asyncio is installed here and warns unless its loop scope is set.
    pytester.makeini(
        "[pytest]\nfilterwarnings = error\nasyncio_default_fixture_loop_scope = function\n"
        "cifbridge_config = workspace.yaml\n"
    )
    pytester.makefile(".yaml", workspace="limits: {maxSessions: 1}\n")
    pytester.makepyfile(
        """
        from cifbridge.clients import CifCallError, WidgetClient
        import pytest

        def test_limit_from_the_partner_config(cifbridge):
            with WidgetClient(cifbridge.url) as widget:
                widget.call("createSession", {"templateName": "msdyn_chat_session"})
                assert widget.call("canCreateSession") is False
                with pytest.raises(CifCallError):
                    widget.call("createSession", {"templateName": "msdyn_chat_session"})
        """
    )
    result = pytester.runpytest_subprocess()
    result.assert_outcomes(passed=1)


def test_a_deferred_call_can_be_answered_by_the_same_test(cifbridge: BridgeClient) -> None:
    with WidgetClient(cifbridge.url) as widget:
        pending = widget.start(
            "notifyEvent",
            {"templateName": "msdyn_voicecall_incoming", "templateParameters": {}},
        )
        cifbridge.accept_notification()
        assert pending.result() == {"actionName": "Accept", "responseReason": "Accept"}


def test_the_readme_fault_example(cifbridge: BridgeClient) -> None:
    # The example of README.md "Faults on demand".
    cifbridge.set_fault(
        "reject",
        "createSession",
        times=1,
        error={"form": "host", "message": "Could not create the session"},
    )
    with WidgetClient(cifbridge.url) as widget:
        with pytest.raises(CifCallError) as refused:
            widget.call("createSession", {"templateName": "msdyn_chat_session"})
        assert refused.value.error == {
            "message": "Could not create the session",
            "msdyn_name": "createSession",
        }
        assert widget.call("createSession", {"templateName": "msdyn_chat_session"}) == (
            "session-id-1"
        )
    assert [e["change"] for e in cifbridge.journal(kind="fault")] == ["set", "fired"]
    assert cifbridge.faults() == []


def test_a_reset_between_tests_clears_the_faults(cifbridge: BridgeClient) -> None:
    cifbridge.set_fault("hang", "getPresence")
    assert [f["effect"] for f in cifbridge.faults()] == ["hang"]
    cifbridge.reset()
    assert cifbridge.faults() == []
    assert cifbridge.journal(kind="all") == []
