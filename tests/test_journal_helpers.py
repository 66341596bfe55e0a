"""The journal helpers, as a widget test uses them (the JS twins: tests/package/js/kit.spec.ts)."""

from __future__ import annotations

import pytest

from cifbridge.clients import (
    BridgeClient,
    CifCallError,
    JournalAssertionError,
    WidgetClient,
    assert_no_rejected_call,
    count_calls,
    journal_mark,
    wait_for_call,
)

INCOMING = {
    "templateName": "msdyn_chat_incoming_authenticated",
    "templateParameters": {"customerName": "Ana"},
}


def test_a_call_is_found_counted_and_passes_the_rejection_check(cifbridge: BridgeClient) -> None:
    with WidgetClient(cifbridge.url) as widget:
        widget.call("createSession", {"templateName": "msdyn_chat_session"})
        widget.call("canCreateSession")
    entry = wait_for_call(cifbridge, "createSession")
    assert (entry["value"], entry["ok"]) == ("session-id-1", True)
    assert count_calls(cifbridge) == 2
    assert count_calls(cifbridge, "canCreateSession", where=lambda e: e["value"] is True) == 1
    assert_no_rejected_call(cifbridge)


def test_a_deferred_call_is_awaited_by_its_arrival_and_by_its_answer(
    cifbridge: BridgeClient,
) -> None:
    with WidgetClient(cifbridge.url) as widget:
        pending = widget.start("notifyEvent", INCOMING)
        assert wait_for_call(cifbridge, "notifyEvent")["deferred"] is True
        with pytest.raises(JournalAssertionError):
            wait_for_call(cifbridge, "notifyEvent", settled=True, timeout=0.2)
        cifbridge.accept_notification()
        assert pending.result()["actionName"] == "Accept"
    answer = wait_for_call(cifbridge, "notifyEvent", settled=True)
    assert answer["ok"] is True
    assert count_calls(cifbridge, "notifyEvent") == 1  # one call, journaled twice


def test_the_helpers_fail_naming_what_the_journal_holds(cifbridge: BridgeClient) -> None:
    mark = journal_mark(cifbridge)
    with WidgetClient(cifbridge.url) as widget, pytest.raises(CifCallError):
        widget.call("getSession", "session-id-7")
    with pytest.raises(JournalAssertionError) as rejected:
        assert_no_rejected_call(cifbridge, since=mark)
    seq = rejected.value.entries[0]["seq"]  # numbering goes on across resets
    assert seq > mark
    assert str(rejected.value) == (
        "1 call(s) rejected:\n"
        f'  #{seq} getSession("session-id-7") from cifb_softphone:'
        " Session with ID:session-id-7 does not exist"
    )
    assert [e["api"] for e in rejected.value.entries] == ["getSession"]
    assert_no_rejected_call(cifbridge, api="createSession")
    with pytest.raises(JournalAssertionError) as waited:
        wait_for_call(cifbridge, "setPresence", timeout=0.2)
    assert str(waited.value).startswith(
        f"waited 0.2 s for a setPresence call; the journal holds:\n  #{seq} getSession("
    )
    assert journal_mark(cifbridge) == seq
