"""The workspace around the sessions: notifications, the communication panel, presence, journal."""

from __future__ import annotations

import json
import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import LiveBridge
from tests.browser.helpers import rejected, resolved
from tests.browser.workspace_page import (
    MARIA,
    SCREENSHOT_SIZE,
    create_session,
    event_count,
    events,
    frame_named,
    post_json,
    screenshot,
)

pytestmark = pytest.mark.browser

SOFTPHONE = 'iframe[name="cifbridge-provider:cifb_softphone"]'
CHAT = "msdyn_chat_incoming_authenticated"
VOICE = "msdyn_voicecall_incoming"


def notify(widget: Page, slot: str, template: str, parameters: dict[str, str]) -> None:
    """Raise a notification; its promise's outcome lands in window[slot] when it settles."""
    widget.evaluate(
        """([slot, input]) => { window[slot] = cifTest.settle(
            Microsoft.CIFramework.notifyEvent(input)); }""",
        [slot, {"templateName": template, "templateParameters": parameters}],
    )


def answer(widget: Page, slot: str) -> dict[str, str]:
    outcome = widget.evaluate("slot => window[slot]", slot)
    assert outcome["ok"], outcome
    assert outcome["result"]["kind"] == "string"  # the library resolves a JSON string
    parsed: dict[str, str] = json.loads(outcome["result"]["value"])
    return parsed


def test_a_notification_toast_is_answered_and_the_queued_one_follows(
    workspace: Page, widget: Page, live_bridge: LiveBridge
) -> None:
    workspace.set_viewport_size(SCREENSHOT_SIZE)
    create_session(widget, "Maria Campbell", MARIA)
    chat = {"customerName": "Eve Lin", "queueName": "Tier 1", "waitTime": "00:42"}
    notify(widget, "chat", CHAT, {**chat, "caseTitle": "Router keeps rebooting"})
    toast = workspace.locator(".toast")
    expect(toast.locator(".toast-title")).to_have_text("Incoming chat from Eve Lin")
    expect(toast.locator(".toast-field dt")).to_have_text(
        ["Customer", "Queue", "Wait time", "Case"]
    )
    expect(toast.locator(".toast-field dd")).to_have_text(
        ["Eve Lin", "Tier 1", "00:42", "Router keeps rebooting"]
    )
    # Two minutes, the template's timeout, counting down.
    expect(toast.locator(".toast-countdown")).to_have_text(re.compile(r"^(2:00|1:[0-5]\d)$"))
    expect(toast.get_by_role("button")).to_have_text(["Accept", "Reject"])

    # A second one waits in the queue, shown under the displayed one.
    caller = {"customerName": "Zed Park", "phoneNumber": "+1 555 0100", "queueName": "Voice"}
    notify(widget, "call", VOICE, {**caller, "waitTime": "00:05", "caseTitle": "Billing"})
    expect(toast.locator(".toast-queue-count")).to_have_text("1 more waiting")
    expect(toast.locator(".toast-queued")).to_have_text(["Incoming call from Zed Park"])
    screenshot(workspace, "workspace-notification.png")

    # The journal shows the deferred call waiting for the agent.
    workspace.locator("#journal-toggle").click()
    pending = workspace.locator('.journal-entry[data-api="notifyEvent"]').last
    expect(pending.locator(".journal-outcome")).to_have_text("… waiting for the agent")

    toast.get_by_role("button", name="Accept").click()
    widget.wait_for_function("window.chat !== undefined")
    assert answer(widget, "chat") == {"actionName": "Accept", "responseReason": "Accept"}
    expect(pending.locator(".journal-outcome")).to_contain_text('"actionName":"Accept"')

    # The next one shows 2 s after the first closed; the bridge's clock moves on without waiting.
    post_json(live_bridge, "/api/clock/advance", {"seconds": 2})
    expect(toast.locator(".toast-title")).to_have_text("Incoming call from Zed Park")
    expect(toast.locator(".toast-field")).to_have_count(4)
    expect(toast.get_by_role("button")).to_have_text(["Answer", "Decline"])
    toast.get_by_role("button", name="Decline").click()
    expect(toast).to_have_count(0)
    declined = answer(widget, "call")
    assert declined == {"actionName": "Reject", "responseReason": "DeclinedByAgent"}


def test_the_agent_and_the_widget_change_the_panel_mode(workspace: Page, widget: Page) -> None:
    panel = workspace.locator("#communication-panel")
    frame = workspace.locator(SOFTPHONE)
    embedded = frame_named(workspace, "cifbridge-provider:cifb_softphone")
    embedded.evaluate("() => { window.cifbridgeMarker = 'still the first load'; }")
    expect(frame).to_be_visible()

    workspace.get_by_role("button", name="Minimize the communication panel").click()
    expect(panel).to_have_attribute("data-mode", "minimized")
    expect(frame).to_be_hidden()
    assert events(widget, "onmodechanged", 1) == [{"value": 0}]
    workspace.get_by_role("button", name="Dock the communication panel").click()
    expect(panel).to_have_attribute("data-mode", "docked")
    assert events(widget, "onmodechanged", 2)[1] == {"value": 1}

    workspace.get_by_role("button", name="Hide the communication panel").click()
    expect(panel).to_be_hidden()
    workspace.get_by_role("button", name="Show communication panel").click()
    expect(panel).to_have_attribute("data-mode", "docked")
    expect(frame).to_be_visible()
    assert [e["value"] for e in events(widget, "onmodechanged", 4)] == [0, 1, 2, 1]

    # The widget's own setMode shows too, and (as in Dynamics) fires no onmodechanged.
    assert resolved(widget, "setMode", 0)["value"] == 0
    expect(panel).to_have_attribute("data-mode", "minimized")
    resolved(widget, "setMode", 1)
    expect(panel).to_have_attribute("data-mode", "docked")
    assert event_count(widget, "onmodechanged") == 4
    # Every state push left the widget's iframe alone: same window, never reloaded.
    assert embedded.evaluate("window.cifbridgeMarker") == "still the first load"


def test_the_panel_width_follows_set_width_and_dragging_its_edge(
    workspace: Page, widget: Page
) -> None:
    panel = workspace.locator("#communication-panel")
    expect(panel).to_have_css("width", "378px")
    resolved(widget, "setWidth", 420)
    expect(panel).to_have_css("width", "420px")

    edge = workspace.locator("#panel-resize").bounding_box()
    assert edge is not None
    x, y = edge["x"] + edge["width"] / 2, edge["y"] + edge["height"] / 2
    workspace.mouse.move(x, y)
    workspace.mouse.down()
    workspace.mouse.move(x - 60, y, steps=4)
    workspace.mouse.move(x - 100, y, steps=4)
    workspace.mouse.up()
    assert events(widget, "onsizechanged", 1) == [{"value": 520}]
    expect(panel).to_have_css("width", "520px")
    assert resolved(widget, "getWidth")["value"] == 520


def test_the_presence_picker_sets_presence_and_follows_the_widget(
    workspace: Page, widget: Page
) -> None:
    picker = workspace.locator("#presence .presence-button")
    expect(picker).to_have_text("Available")
    picker.click()
    workspace.get_by_role("menuitemradio", name="Busy", exact=True).click()
    expect(picker).to_have_text("Busy")
    change = events(widget, "onPresenceChange", 1)[0]
    assert change["presenceInfo"]["presenceText"] == "Busy"
    assert resolved(widget, "getPresence")["value"] == "Busy"

    assert resolved(widget, "setPresence", "Away")["value"] is True
    expect(picker).to_have_text("Away")
    picker.click()
    expect(workspace.get_by_role("menuitemradio", name="Away", exact=True)).to_have_attribute(
        "aria-checked", "true"
    )


def test_the_journal_shows_every_call_with_its_outcome_and_latency(
    workspace: Page, widget: Page
) -> None:
    workspace.set_viewport_size(SCREENSHOT_SIZE)
    workspace.locator("#journal-toggle").click()
    journal = workspace.locator("#journal")
    expect(journal).to_be_visible()
    resolved(widget, "canCreateSession")
    create_session(widget, "Maria Campbell", MARIA)
    rejected(widget, "getSession", "session-id-99")
    entry = journal.locator('.journal-entry[data-api="getSession"]', has_text="session-id-99")
    expect(entry.locator(".journal-args")).to_have_text('("session-id-99")')
    expect(entry.locator(".journal-outcome")).to_contain_text(
        "Session with ID:session-id-99 does not exist"
    )
    expect(entry).to_have_class("journal-entry is-error")
    expect(entry.locator(".journal-latency")).to_contain_text(" ms")
    ok = journal.locator('.journal-entry[data-api="canCreateSession"]').first
    expect(ok.locator(".journal-outcome")).to_have_text("→ true")
    # A custom event a widget raises for the page shows too.
    resolved(widget, "raiseEvent", "cont_callerIdentified", json.dumps({"caller": "Maria"}))
    raised = journal.locator('.journal-entry.is-event[data-api="cont_callerIdentified"]')
    expect(raised.locator(".journal-outcome")).to_have_text('{"caller":"Maria"}')
    screenshot(workspace, "workspace-journal.png")

    workspace.locator("#journal-filter").fill("canCreate")
    expect(entry).to_be_hidden()
    expect(ok).to_be_visible()
