"""A production-style widget flow, end to end in Chromium (issue 3's acceptance test).

The widget page comes from a second origin and uses only documented CIF calls, the way a
partner softphone does on an incoming call; the agent's side is played through the control
API, as a person in the workspace would.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import Page

from cifbridge.clients.bridge import BridgeClient
from tests.browser.conftest import LiveBridge, WidgetSite
from tests.browser.helpers import open_widget, resolved, wait_for_events

MARIA = "d8378461-2f3a-4cd2-8048-1451d3dbef2e"
MARIA_MOBILE = "+1 425 555 0142"

# The widget's start-up code: the handlers a softphone registers after CIFInitDone. It comes
# before the library's tag, as the real library fires CIFInitDone on the next tick.
SOFTPHONE_HANDLERS = """
<script>
window.addEventListener("CIFInitDone", function () {
  ["onSessionSwitched", "onSessionClosed", "onPresenceChange", "onclicktoact"].forEach(
    function (name) { Microsoft.CIFramework.addHandler(name, cifTest.record(name)); });
});
</script>
"""


def wait_until(condition: Callable[[], Any], what: str) -> Any:
    """Poll the bridge until `condition` holds (synchronization on state, not on time)."""
    deadline = time.monotonic() + 15
    while not (value := condition()):
        if time.monotonic() > deadline:
            raise AssertionError(f"never saw {what}")
        time.sleep(0.02)
    return value


@pytest.mark.browser
def test_incoming_call_to_closed_session(
    page: Page, live_bridge: LiveBridge, widget_site: WidgetSite
) -> None:
    agent = BridgeClient(live_bridge.url)
    open_widget(
        page, widget_site.widget_page("softphone.html", live_bridge, head=SOFTPHONE_HANDLERS)
    )

    # 1. The call rings: the widget raises the incoming-call notification; the agent accepts.
    page.evaluate(
        """() => { window.incoming = cifTest.settle(Microsoft.CIFramework.notifyEvent({
             templateName: "msdyn_voicecall_incoming",
             templateParameters: {customerName: "Maria Campbell"}})); }"""
    )
    shown = wait_until(lambda: agent.notifications()["displayed"], "the notification displayed")
    assert shown["title"].endswith("Maria Campbell")
    agent.accept_notification()
    answer = page.evaluate("window.incoming")
    assert answer["ok"] and answer["result"]["kind"] == "string"
    assert json.loads(answer["result"]["value"]) == {
        "actionName": "Accept",
        "responseReason": "Accept",
    }

    # 2. The widget opens a session with parameters for its templates.
    session_id = resolved(
        page,
        "createSession",
        {
            "templateName": "msdyn_voicecall_session",
            "context": {"callId": "call-77"},
            "templateParameters": {"customerName": "Maria Campbell"},
        },
    )["value"]
    session = next(s for s in agent.sessions() if s["id"] == session_id)
    assert session["title"] == "Call from Maria Campbell" and session["focused"]

    # 3. It finds the caller by phone number and opens the record in a new tab.
    query = f"?$select=fullname,mobilephone&$filter=mobilephone eq '{MARIA_MOBILE}'"
    found = resolved(page, "searchAndOpenRecords", "contact", query, False)
    assert found["kind"] == "string"
    assert json.loads(found["value"])["0"]["fullname"] == "Maria Campbell"
    session = next(s for s in agent.sessions() if s["id"] == session_id)
    record_tab = next(t for t in session["tabs"] if t["id"] == session["focusedTabId"])
    assert record_tab["parameters"]["entityName"] == "contact"
    assert record_tab["parameters"]["entityId"] == MARIA

    # 4. On the call: presence changes, and every widget hears it.
    assert resolved(page, "setPresence", "onVoiceCall") == {"kind": "boolean", "value": True}
    [presence] = wait_for_events(page, "onPresenceChange", 1)
    assert json.loads(presence)["presenceInfo"]["presenceText"] == "onVoiceCall"

    # 5. The agent clicks a phone number on a record: the widget gets click-to-act.
    agent.request(
        "POST",
        "/api/click-to-act",
        {
            "value": MARIA_MOBILE,
            "name": "mobilephone",
            "entityLogicalName": "contact",
            "entityId": MARIA,
            "recordTitle": "Maria Campbell",
        },
    )
    [click] = wait_for_events(page, "onclicktoact", 1)
    assert json.loads(click) == {
        "value": MARIA_MOBILE,
        "name": "mobilephone",
        "format": "phone",
        "entityLogicalName": "contact",
        "entityId": MARIA,
        "recordTitle": "Maria Campbell",
    }

    # 6. The agent ends the call by closing the session.
    agent.close_session(session_id)
    [closed] = wait_for_events(page, "onSessionClosed", 1)
    assert json.loads(closed) == {"sessionId": session_id, "context": {"callId": "call-77"}}
    assert resolved(page, "getAllSessions") == {"kind": "object", "value": []}
