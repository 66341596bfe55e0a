"""What widgets lay over the workspace, in Chromium: a widget opens a dialog, a message bar with
an action link, the progress indicator and the notes flap; the agent answers in the page, and
the widget's promise settles with the real library's encoding (reference §2.11)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from playwright.sync_api import BrowserContext, Page, expect

from tests.browser.conftest import LiveBridge
from tests.browser.helpers import rejected, resolved
from tests.browser.workspace_page import MARIA, XSS_NAME

pytestmark = pytest.mark.browser


def start(widget: Page, name: str, api: str, *args: Any) -> None:
    """Call `api` in the widget without waiting; `settled(widget, name)` reads its outcome."""
    widget.evaluate(
        """([name, api, args]) => { window.waiting = window.waiting || {};
             window.waiting[name] = cifTest.settle(Microsoft.CIFramework[api](...args)); }""",
        [name, api, list(args)],
    )


def settled(widget: Page, name: str) -> dict[str, Any]:
    outcome: dict[str, Any] = widget.evaluate("name => window.waiting[name]", name)
    return outcome


def test_the_agent_answers_a_confirm_dialog_and_an_mdd_dialog_in_the_page(
    workspace: Page, widget: Page
) -> None:
    strings = {"title": XSS_NAME, "text": "Transfer the call?", "confirmButtonLabel": "Transfer"}
    start(widget, "confirm", "openDialog", json.dumps(strings))
    start(widget, "mdd", "openMDDDialog", "cifb_wrapup", None, {"param_reason": "Callback"})
    dialog = workspace.locator(".widget-dialog")
    expect(dialog.locator("h2")).to_have_text(XSS_NAME)  # a widget's text stays text
    expect(workspace.locator(".widget-dialog-queue")).to_have_text("1 more waiting")
    expect(workspace.locator("img")).to_have_count(0)
    dialog.get_by_role("button", name="Transfer").click()
    assert settled(widget, "confirm") == {
        "ok": True,
        "result": {"kind": "string", "value": '{"confirmed":true}'},
    }
    expect(dialog.locator("h2")).to_have_text("cifb_wrapup")
    dialog.locator("input[name=param_reason]").fill("No answer")
    dialog.get_by_role("button", name="OK").click()
    outcome = settled(widget, "mdd")
    assert outcome["result"] == {
        "kind": "Map",
        "value": {"parameters": {"param_reason": "No answer", "param_lastButtonClicked": "ok_id"}},
    }
    expect(workspace.locator("#widget-dialogs")).to_be_hidden()


def test_a_message_bar_with_an_action_link_and_a_close_button(
    workspace: Page, widget: Page, context: BrowserContext, live_bridge: LiveBridge
) -> None:
    link = live_bridge.url + "/healthz"
    options = {
        "message": XSS_NAME,
        "level": "WARNING",
        "actionLabel": "Open the recording",
        "actionLink": link,
        "showCloseButton": True,
    }
    bar_id = resolved(widget, "showGlobalNotification", options)["value"]
    bar = workspace.locator(f".message-bar[data-bar-id='{bar_id}']")
    expect(bar).to_have_attribute("data-level", "warning")
    expect(bar.locator(".message-bar-text")).to_have_text(XSS_NAME)
    with context.expect_page() as opened:
        bar.get_by_role("button", name="Open the recording").click()
    assert opened.value.url == link
    opened.value.close()
    workspace.bring_to_front()  # the new tab took the focus; Chromium paints unfocused tabs lazily
    bar.get_by_role("button", name="Close this message").click()
    expect(bar).to_have_count(0)
    # The widget's bar is gone: clearing it now is the host's refusal, a Map like Xrm's.
    error = rejected(widget, "clearGlobalNotification", bar_id)
    assert error["kind"] == "Map"
    assert error["value"]["message"] == f"No global notification has the id {bar_id}."


def test_the_progress_indicator_covers_the_sessions_until_the_widget_closes_it(
    workspace: Page, widget: Page
) -> None:
    assert resolved(widget, "showProgressIndicator", "Dialing Maria...")["kind"] == "null"
    expect(workspace.locator("#progress-overlay")).to_be_visible()
    expect(workspace.locator("#progress-message")).to_have_text("Dialing Maria...")
    resolved(widget, "closeProgressIndicator")
    expect(workspace.locator("#progress-overlay")).to_be_hidden()


def test_the_agent_saves_a_note_in_the_notes_flap(workspace: Page, widget: Page) -> None:
    start(widget, "notes", "insertNotes", "contact", "contacts", MARIA, "")
    flap = workspace.locator("#notes-flap")
    expect(flap).to_be_visible()
    expect(flap.locator(".notes-flap-about")).to_contain_text(MARIA)
    again = rejected(widget, "insertNotes", "contact", "contacts", MARIA, "")
    assert again == {"kind": "string", "value": '{"value":"Flap already expanded","errorCode":101}'}
    flap.get_by_role("textbox", name="Take notes").fill("Wants a callback at 5")
    flap.get_by_role("button", name="Add note").click()
    outcome = settled(widget, "notes")
    assert outcome["ok"] and outcome["result"]["kind"] == "string"
    annotation_id = json.loads(outcome["result"]["value"])["value"]
    expect(flap).to_be_hidden()
    saved = resolved(
        widget, "retrieveRecord", "annotation", annotation_id, "?$select=notetext,_objectid_value"
    )
    record = json.loads(saved["value"])
    assert (record["notetext"], record["_objectid_value"]) == ("Wants a callback at 5", MARIA)
