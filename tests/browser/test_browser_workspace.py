"""The agent workspace page at `/`: the session panel, live updates, reloads, untrusted text."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import BrowserContext, Page, expect

from tests.browser.conftest import LiveBridge
from tests.browser.helpers import resolved
from tests.browser.workspace_page import (
    MARIA,
    NANCY,
    SCREENSHOT_SIZE,
    SUSAN,
    XSS_NAME,
    YVONNE,
    close_dialog,
    create_session,
    events,
    expect_focused,
    focus,
    open_workspace,
    post_json,
    screenshot,
    session,
    sessions,
    tab_strip,
    tooltip_of,
    visible_page,
)

pytestmark = pytest.mark.browser

MAX_SESSIONS = "Maximum sessions reached. Close a session before opening another."


def test_the_session_panel_lists_home_then_sessions_and_follows_live(
    workspace: Page, widget: Page, live_bridge: LiveBridge
) -> None:
    expect(sessions(workspace).locator(".session-title")).to_have_text(["Home"])
    expect_focused(workspace, "session-id-0")
    expect(session(workspace, "session-id-0").locator(".session-close")).to_have_count(0)

    ana = create_session(widget, "Ana")
    ben = create_session(widget, "Ben")
    expect(sessions(workspace).locator(".session-title")).to_have_text(
        ["Home", "Call from Ana", "Call from Ben"]
    )
    expect_focused(workspace, ben)
    expect(workspace.locator("#session-count")).to_have_text("2 of 10 sessions")

    # The agent switches sessions by clicking; the widget hears about it.
    focus(workspace, ana)
    events(widget, "onSessionSwitched", 4)

    # The agent closes a session with its X, confirming in the page's own dialog.
    session(workspace, ben).hover()
    session(workspace, ben).locator(".session-close").click()
    dialog = close_dialog(workspace)
    expect(dialog).to_be_visible()
    expect(dialog.locator(".dialog-message")).to_have_text(
        "Close the session \u201cCall from Ben\u201d? Unsaved changes in its tabs will be lost."
    )
    dialog.get_by_role("button", name="Close session").click()
    expect(dialog).to_be_hidden()
    expect(session(workspace, ben)).to_have_count(0)
    assert events(widget, "onSessionClosed", 1)[0]["sessionId"] == ben

    # Changes made elsewhere (here: the control API) show up without a reload.
    status, _ = live_bridge.api("DELETE", f"/api/sessions/{ana}")
    assert status == 200
    expect(sessions(workspace).locator(".session-title")).to_have_text(["Home"])
    expect_focused(workspace, "session-id-0")


def test_cancelling_the_close_dialog_keeps_the_session(workspace: Page, widget: Page) -> None:
    ana = create_session(widget, "Ana")
    session(workspace, ana).locator(".session-close").click()
    dialog = close_dialog(workspace)
    dialog.get_by_role("button", name="Cancel").click()
    expect(dialog).to_be_hidden()
    session(workspace, ana).locator(".session-close").click()
    expect(dialog).to_be_visible()
    workspace.keyboard.press("Escape")
    expect(dialog).to_be_hidden()
    expect(session(workspace, ana)).to_have_count(1)
    assert resolved(widget, "getAllSessions")["value"] == [ana]


def test_session_icons_show_the_first_two_letters_in_cycling_colours(
    workspace: Page, widget: Page
) -> None:
    # Chat sessions are titled with the customer's name alone.
    names = ["Ana", "ben", "12 Oak Street", "\u00c9lodie", "<b>x</b>", "Eve", "Finn"]
    ids = [create_session(widget, name, template="msdyn_chat_session") for name in names]
    letters = [session(workspace, i).locator(".session-letters") for i in ids]
    for icon, text in zip(letters, ["AN", "BE", "12", "\u00c9L", "BX", "EV", "FI"], strict=True):
        expect(icon).to_have_text(text)
    cycle = ["rgb(42, 117, 125)", "rgb(112, 39, 139)", "rgb(255, 140, 0)"]
    cycle += ["rgb(66, 120, 37)", "rgb(180, 0, 158)", "rgb(180, 160, 255)"]
    for session_id, colour in zip(ids, [*cycle, cycle[0]], strict=True):
        expect(session(workspace, session_id).locator(".session-icon")).to_have_css(
            "background-color", colour
        )


def test_unread_counts_show_up_to_nine_then_plus_and_clear_on_focus(
    workspace: Page, widget: Page
) -> None:
    workspace.set_viewport_size(SCREENSHOT_SIZE)
    maria = create_session(widget, "Maria Campbell", MARIA)
    nancy = create_session(widget, "Nancy Anderson", NANCY)
    yvonne = create_session(widget, "Yvonne McKay", YVONNE)
    susan = create_session(widget, "Susan Burk", SUSAN)
    resolved(widget, "notifyNewActivity", maria, 3)
    resolved(widget, "notifyNewActivity", nancy, 12)
    resolved(widget, "notifyKpiBreach", yvonne, False, "First response time")
    resolved(widget, "requestFocusSession", nancy)

    badge = session(workspace, maria).locator(".session-badge")
    expect(badge).to_have_text("3")
    expect(session(workspace, nancy).locator(".session-badge")).to_have_text("+")
    tip = tooltip_of(workspace, session(workspace, maria).locator(".session-select"))
    expect(tip).to_have_text("Call from Maria Campbell. 3 new updates in your conversation.")
    tip = tooltip_of(workspace, session(workspace, nancy).locator(".session-select"))
    expect(tip).to_have_text("Call from Nancy Anderson. 12 new updates in your conversation.")
    expect(session(workspace, nancy).locator(".session-attention")).to_be_visible()
    expect(session(workspace, susan).locator(".session-badge")).to_be_hidden()
    expect(visible_page(workspace, susan).locator('input[name="lastname"]')).to_have_value("Burk")
    screenshot(workspace, "workspace.png", keep_pointer=True)

    # A count of 0 is a blue dot ([DTS]).
    resolved(widget, "notifyNewActivity", yvonne, 0)
    dot = session(workspace, yvonne).locator(".session-badge")
    expect(dot).to_have_class(re.compile(r"\bis-dot\b"))
    expect(dot).to_have_text("")

    # Nine is the last number shown; ten and more is "+".
    resolved(widget, "notifyNewActivity", maria, 9)
    expect(badge).to_have_text("9")
    resolved(widget, "notifyNewActivity", maria, 10)
    expect(badge).to_have_text("+")

    focus(workspace, maria)
    expect(badge).to_be_hidden()
    tip = tooltip_of(workspace, session(workspace, maria).locator(".session-select"))
    expect(tip).to_have_text("Call from Maria Campbell")


def test_kpi_breach_and_attention_show_the_urgent_tooltip(workspace: Page, widget: Page) -> None:
    ana = create_session(widget, "Ana")
    ben = create_session(widget, "Ben")
    resolved(widget, "notifyKpiBreach", ana, False, "Wait time")
    alert = session(workspace, ana).locator(".session-alert")
    expect(alert).to_have_text("!")
    tip = tooltip_of(workspace, session(workspace, ana).locator(".session-select"))
    expect(tip).to_have_text("Call from Ana. Urgent attention is needed in your conversation.")
    resolved(widget, "notifyKpiBreach", ana, True)
    expect(alert).to_be_hidden()

    # requestFocusSession: an attention ring until the agent goes there; focus never moves.
    resolved(widget, "requestFocusSession", ana)
    ring = session(workspace, ana).locator(".session-attention")
    expect(ring).to_be_visible()
    expect_focused(workspace, ben)
    tip = tooltip_of(workspace, session(workspace, ana).locator(".session-select"))
    expect(tip).to_have_text("Call from Ana. Urgent attention is needed in your conversation.")
    focus(workspace, ana)
    expect(ring).to_be_hidden()


def test_a_sentiment_alert_shows_the_exclamation_mark_and_the_urgent_tooltip(
    workspace: Page, live_bridge: LiveBridge
) -> None:
    arrived = post_json(
        live_bridge, "/api/conversations", {"channel": "chat", "customer": {"name": "Ana"}}
    )
    conversation = arrived["result"]["conversationId"]
    post_json(live_bridge, f"/api/conversations/{conversation}/accept", {})
    ana = sessions(workspace).nth(1)
    expect(ana.locator(".session-title")).to_have_text("Ana")
    alert = ana.locator(".session-alert")
    expect(alert).to_be_hidden()
    post_json(
        live_bridge, f"/api/conversations/{conversation}/sentiment", {"sentiment": "negative"}
    )
    expect(alert).to_be_visible()
    tip = tooltip_of(workspace, ana.locator(".session-select"))
    expect(tip).to_have_text("Ana. Urgent attention is needed in your conversation.")
    post_json(live_bridge, f"/api/conversations/{conversation}/sentiment", {"sentiment": "neutral"})
    expect(alert).to_be_hidden()


def test_the_burger_collapses_and_expands_the_session_panel(workspace: Page, widget: Page) -> None:
    create_session(widget, "Ana")
    panel = workspace.locator("#session-panel")
    burger = workspace.locator("#session-panel-toggle")
    title = sessions(workspace).nth(1).locator(".session-title")
    expect(title).to_be_visible()
    burger.click()
    expect(panel).to_have_class(re.compile(r"\bis-collapsed\b"))
    expect(burger).to_have_attribute("aria-expanded", "false")
    expect(title).to_be_hidden()
    expect(sessions(workspace).nth(1).locator(".session-icon")).to_be_visible()
    burger.click()
    expect(burger).to_have_attribute("aria-expanded", "true")
    expect(title).to_be_visible()


def test_the_limit_message_shows_at_ten_sessions(workspace: Page, widget: Page) -> None:
    ids = [create_session(widget, f"Caller {n}") for n in range(1, 11)]
    limit = workspace.locator("#session-limit")
    expect(limit).to_be_visible()
    expect(limit).to_have_text(MAX_SESSIONS)
    assert resolved(widget, "canCreateSession")["value"] is False
    session(workspace, ids[0]).locator(".session-close").click()
    close_dialog(workspace).get_by_role("button", name="Close session").click()
    expect(limit).to_be_hidden()
    expect(workspace.locator("#session-count")).to_have_text("9 of 10 sessions")


def test_two_pages_stay_in_sync_and_a_reload_restores_the_state(
    context: BrowserContext, workspace: Page, widget: Page, live_bridge: LiveBridge
) -> None:
    other = open_workspace(context.new_page(), live_bridge)
    ana = create_session(widget, "Ana")
    ben = create_session(widget, "Ben")
    focus(workspace, ana)
    expect_focused(other, ana)
    other.locator(f'#session-list > .session[data-session-id="{ben}"] .session-close').click()
    close_dialog(other).get_by_role("button", name="Close session").click()
    expect(session(workspace, ben)).to_have_count(0)

    workspace.reload()
    expect(workspace.locator("#connection")).to_have_attribute("data-state", "live")
    expect(sessions(workspace).locator(".session-title")).to_have_text(["Home", "Call from Ana"])
    expect_focused(workspace, ana)
    expect(tab_strip(workspace)).to_have_count(2)


def test_untrusted_strings_are_shown_as_text(workspace: Page, widget: Page) -> None:
    dialogs: list[str] = []
    workspace.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    xss = create_session(widget, XSS_NAME)
    title = session(workspace, xss).locator(".session-title")
    expect(title).to_have_text(f"Call from {XSS_NAME}")
    expect(tab_strip(workspace)).to_have_count(2)
    expect(tab_strip(workspace).nth(1)).to_have_text(f"Web search: {XSS_NAME}")
    tip = tooltip_of(workspace, session(workspace, xss).locator(".session-select"))
    expect(tip).to_have_text(f"Call from {XSS_NAME}")
    widget.evaluate(
        """name => { Microsoft.CIFramework.notifyEvent({templateName:
            "msdyn_chat_incoming_authenticated", templateParameters: {customerName: name,
            queueName: name}}); }""",
        XSS_NAME,
    )
    expect(workspace.locator(".toast-title")).to_have_text(f"Incoming chat from {XSS_NAME}")
    session(workspace, xss).locator(".session-close").click()
    expect(close_dialog(workspace).locator(".dialog-message")).to_contain_text(XSS_NAME)
    workspace.keyboard.press("Escape")
    workspace.locator("#journal-toggle").click()
    expect(workspace.locator(".journal-entry .journal-args").first).to_contain_text(XSS_NAME)
    # The only image is the notification template's icon; nothing ran.
    expect(workspace.locator("img")).to_have_count(1)
    expect(workspace.locator("img.toast-icon")).to_have_attribute(
        "src", "/webresources/msdyn_chat_icon_zfp.svg"
    )
    assert dialogs == []
