"""Faults in Chromium: a widget sees exactly what the real library shows for each fault.

The faults are set with the Python client (BridgeClient), as a partner's CI suite would.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import BrowserContext, Page, expect

from cifbridge.clients.bridge import BridgeClient
from cifbridge.engine.base.texts import TIMEOUT
from tests.browser.conftest import LiveBridge, WidgetSite
from tests.browser.helpers import VOICE_TEMPLATE, open_widget, rejected, resolved

pytestmark = pytest.mark.browser

REQUEST = {"templateName": VOICE_TEMPLATE, "templateParameters": {"customerName": "Ana"}}


@pytest.fixture
def widget(page: Page, live_bridge: LiveBridge, widget_site: WidgetSite) -> Page:
    """A widget page from http://localhost:<port>, CIF ready, talking to the bridge."""
    open_widget(page, widget_site.widget_page("widget.html", live_bridge))
    return page


@pytest.fixture
def control(live_bridge: LiveBridge) -> BridgeClient:
    return BridgeClient(live_bridge.url)


def test_fault_made_rejections_take_the_real_librarys_forms(
    widget: Page, control: BridgeClient
) -> None:
    host = {"form": "host", "message": "Could not create the session"}
    control.set_fault("reject", api="createSession", times=1, error=host)
    assert rejected(widget, "createSession", REQUEST) == {
        "kind": "Map",
        "value": {"message": "Could not create the session", "msdyn_name": "createSession"},
    }
    # A JSON-encoded function rejects with the error's JSON text, as the library does.
    control.set_fault("reject", api="getEnvironment", times=1, error=host)
    assert rejected(widget, "getEnvironment") == {
        "kind": "string",
        "value": '{"message":"Could not create the session","msdyn_name":"getenvironment"}',
    }
    client = {"form": "client", "message": "The parameter is blank."}
    control.set_fault("reject", api="getPresence", times=1, error=client)
    assert rejected(widget, "getPresence") == {
        "kind": "string",
        "value": '{"message":"The parameter is blank."}',
    }
    control.set_fault("reject", api="getEnvironment", times=1, error={"form": "timeout"})
    assert rejected(widget, "getEnvironment") == {"kind": "Map", "value": {"message": TIMEOUT}}
    # Spent, every fault let the next call through.
    assert control.faults() == []
    assert resolved(widget, "createSession", REQUEST)["value"] == "session-id-1"
    fired = [e for e in control.journal(kind="fault") if e["change"] == "fired"]
    assert [e["on"]["api"] for e in fired] == [
        "createSession",
        "getEnvironment",
        "getPresence",
        "getEnvironment",
    ]


def test_an_unanswered_call_times_out_after_the_real_ten_seconds(
    widget: Page, control: BridgeClient
) -> None:
    control.set_fault("hang", api="getPresence", times=1)
    assert rejected(widget, "getPresence") == {"kind": "Map", "value": {"message": TIMEOUT}}
    assert resolved(widget, "getPresence") == {"kind": "string", "value": "Available"}


def test_a_dropped_connection_is_resumed_and_the_call_answered_once(
    widget: Page, control: BridgeClient
) -> None:
    control.set_fault("disconnect", api="createSession", times=1)
    assert resolved(widget, "createSession", REQUEST) == {"kind": "string", "value": "session-id-1"}
    assert [s["id"] for s in control.sessions()] == ["session-id-0", "session-id-1"]
    calls = control.journal(api="createSession")
    assert [(e.get("unanswered", False), e["ok"]) for e in calls] == [(True, False), (False, True)]
    assert calls[0]["requestId"] == calls[1]["requestId"]  # the shim resent the same call


def test_the_journal_drawer_shows_faults_and_the_events_sent(
    workspace: Page, context: BrowserContext, live_bridge: LiveBridge, widget_site: WidgetSite
) -> None:
    widget = context.new_page()
    open_widget(widget, widget_site.widget_page("widget.html", live_bridge))
    control = BridgeClient(live_bridge.url)
    control.set_fault("drop", target="event", event="onSessionSwitched", times=1)
    resolved(widget, "createSession", REQUEST)
    resolved(widget, "createSession", REQUEST)
    workspace.locator("#journal-toggle").click()
    journal = workspace.locator("#journal")
    fired = journal.locator(".journal-entry.is-fault", has_text="fault fired")
    expect(fired.locator(".journal-provider")).to_have_text("fault-1: drop onSessionSwitched")
    sent = journal.locator(".journal-entry.is-sent")
    # The first session's switch (dropped), then the second call's: one per session involved.
    expect(sent).to_have_count(3)
    expect(sent.last.locator(".journal-provider")).to_have_text(
        "event to cifb_softphone · dropped by a fault"
    )
    expect(sent.last.locator(".journal-outcome")).to_contain_text('"sessionId":"session-id-1"')
    expect(sent.filter(has_text='"sessionId":"session-id-2"')).to_have_count(1)
    # Only calls are counted, not the events and faults between them.
    calls = journal.locator(".journal-entry:not(.is-sent):not(.is-fault):not(.is-event)")
    expect(calls.filter(has_text="createSession")).to_have_count(2)
    expect(workspace.locator("#journal-count")).to_have_text(str(calls.count()))
    # A call a fault leaves unanswered says so while the widget waits for its timeout.
    control.set_fault("hang", api="getPresence", times=1)
    widget.evaluate("() => { Microsoft.CIFramework.getPresence(); }")
    unanswered = journal.locator('.journal-entry.is-error[data-api="getPresence"]')
    expect(unanswered.locator(".journal-outcome")).to_have_text("✕ no answer (fault-2)")
