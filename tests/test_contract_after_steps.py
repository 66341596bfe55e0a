"""The contract case format's steps for deferred calls: `after`, `advanceClock`, notification
actions, `pending` and a documented msdyn_name; the loader reads them and refuses misuse."""

from __future__ import annotations

from pathlib import Path

import pytest

from cifbridge.api.validation import SchemaSet
from cifbridge.contracts import AdvanceClock, AgentAction, Call, ContractError, load_file

DEFERRED_CASE = """
description: a notification the agent answers after some time
source: reference §2.5
setup:
  - advanceClock: 5
call: {api: notifyEvent, args: [{templateName: msdyn_chat_incoming_authenticated}]}
after:
  - advanceClock: 1.5
  - agent: {action: acceptNotification}
  - agent: {action: rejectNotification, notificationId: notification-id-2}
  - call: {api: cancelEvent, args: [t]}
expect: {pending: true}
"""


def test_after_steps_are_read_in_order(schemas: SchemaSet, tmp_path: Path) -> None:
    path = tmp_path / "deferred.yaml"
    path.write_text(DEFERRED_CASE, encoding="utf-8")
    (case,) = load_file(schemas, path)
    assert case.setup == (AdvanceClock(5.0),)
    assert case.after == (
        AdvanceClock(1.5),
        AgentAction("acceptNotification"),
        AgentAction("rejectNotification", notification_id="notification-id-2"),
        Call("cancelEvent", ("t",)),
    )
    assert case.expect == {"pending": True}


MISUSED = """
cases:
  - description: after goes with a call, not an agent action
    source: test
    agent: {action: close, sessionId: session-id-1}
    after: [{advanceClock: 1}]
    expect: {events: []}
  - description: focus needs a session
    source: test
    agent: {action: focus}
    expect: {events: []}
  - description: time only moves forward
    source: test
    call: {api: notifyEvent, args: [{templateName: x}]}
    after: [{advanceClock: -1}]
    expect: {pending: true}
  - description: pending is the only expectation
    source: test
    call: {api: notifyEvent, args: [{templateName: x}]}
    expect: {pending: true, resolves: 1}
"""


def test_misused_steps_are_reported_with_their_json_path(
    schemas: SchemaSet, tmp_path: Path
) -> None:
    path = tmp_path / "misused.yaml"
    path.write_text(MISUSED, encoding="utf-8")
    with pytest.raises(ContractError) as raised:
        load_file(schemas, path)
    report = str(raised.value)
    assert "$.cases[0]: a case has either call (a widget call) or agent" in report
    assert "after goes with call" in report
    assert "$.cases[1].agent: 'sessionId' is a required property" in report
    assert "$.cases[2].after[0].advanceClock: -1 is less than the minimum of 0" in report
    assert (
        "$.cases[3].expect: expect holds exactly one of resolves, resolvesLike, rejects" in report
    )
