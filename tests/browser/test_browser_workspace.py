"""The agent workspace page at `/`: live session panel, agent actions, embedded widgets."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import BrowserContext, Dialog, Frame, Locator, Page, expect

from .conftest import LiveBridge, WidgetSite
from .helpers import create_session, open_widget, resolved, wait_for_events

pytestmark = pytest.mark.browser

XSS_NAME = "<img src=x onerror=alert(1)>"


@pytest.fixture
def workspace(page: Page, live_bridge: LiveBridge) -> Page:
    """The workspace page, connected and showing the bridge's state."""
    page.goto(live_bridge.url + "/")
    expect(page.locator("#connection")).to_have_attribute("data-state", "live")
    expect(sessions(page)).to_have_count(1)
    return page


@pytest.fixture
def widget(
    context: BrowserContext, page: Page, live_bridge: LiveBridge, widget_site: WidgetSite
) -> Page:
    """A partner widget on a second origin, in its own tab beside the workspace."""
    tab = context.new_page()
    open_widget(tab, widget_site.widget_page("widget.html", live_bridge))
    tab.evaluate(
        """() => ["onSessionSwitched", "onSessionClosed"].forEach(name =>
            Microsoft.CIFramework.addHandler(name, cifTest.record(name)))"""
    )
    # The agent's tab gets the focus back: Chromium paints an unfocused tab lazily, which
    # makes every click there wait for its element to look stable.
    page.bring_to_front()
    return tab


def sessions(page: Page) -> Locator:
    return page.locator("#session-list > .session")


def session(page: Page, session_id: str) -> Locator:
    return page.locator(f'#session-list > .session[data-session-id="{session_id}"]')


def expect_focused(page: Page, session_id: str) -> None:
    expect(page.locator("#session-list > .session.is-focused")).to_have_count(1)
    expect(session(page, session_id)).to_have_class(re.compile(r"\bis-focused\b"))
    expect(session(page, session_id).locator(".session-select")).to_have_attribute(
        "aria-current", "true"
    )


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
    session(workspace, ana).locator(".session-select").click()
    expect_focused(workspace, ana)
    wait_for_events(widget, "onSessionSwitched", 4)

    # The agent closes a session with its X after confirming.
    dialogs: list[str] = []

    def accept(dialog: Dialog) -> None:
        dialogs.append(dialog.message)
        dialog.accept()

    workspace.on("dialog", accept)
    session(workspace, ben).locator(".session-close").click()
    expect(session(workspace, ben)).to_have_count(0)
    assert dialogs == ["Close the session \u201cCall from Ben\u201d?"]
    wait_for_events(widget, "onSessionClosed", 1)

    # Changes made elsewhere (here: the control API) show up without a reload.
    status, _ = live_bridge.api("DELETE", f"/api/sessions/{ana}")
    assert status == 200
    expect(sessions(workspace).locator(".session-title")).to_have_text(["Home"])
    expect_focused(workspace, "session-id-0")


def test_dismissing_the_close_confirmation_keeps_the_session(workspace: Page, widget: Page) -> None:
    ana = create_session(widget, "Ana")
    workspace.on("dialog", lambda dialog: dialog.dismiss())
    session(workspace, ana).locator(".session-close").click()
    # The dialog has been answered once the click returns; nothing was sent.
    expect(session(workspace, ana)).to_have_count(1)
    assert resolved(widget, "getAllSessions")["value"] == [ana]


def test_attention_indicator_shows_until_the_agent_focuses_the_session(
    workspace: Page, widget: Page
) -> None:
    ana = create_session(widget, "Ana")
    create_session(widget, "Ben")
    resolved(widget, "requestFocusSession", ana)
    indicator = session(workspace, ana).locator(".session-indicator.attention")
    expect(indicator).to_have_count(1)
    expect(indicator).to_have_attribute(
        "title", "Call from Ana. Urgent attention is needed in your conversation."
    )
    session(workspace, ana).locator(".session-select").click()
    expect_focused(workspace, ana)
    expect(indicator).to_have_count(0)


def test_session_titles_are_shown_as_text(workspace: Page, widget: Page) -> None:
    dialogs: list[str] = []
    workspace.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    xss = create_session(widget, XSS_NAME)
    title = session(workspace, xss).locator(".session-title")
    expect(title).to_have_text(f"Call from {XSS_NAME}")
    expect(workspace.locator("#tab-strip .tab")).to_have_count(2)
    expect(workspace.locator("#tab-strip .tab").nth(1)).to_have_text(f"Web search: {XSS_NAME}")
    assert workspace.locator("img").count() == 0
    assert dialogs == []


def embedded_softphone(workspace: Page) -> Frame:
    frame = workspace.frame(name="cifbridge-provider:cifb_softphone")
    assert frame is not None
    return frame


def test_the_communication_panel_embeds_each_provider_widget(
    workspace: Page, live_bridge: LiveBridge
) -> None:
    iframe = workspace.locator("#widget-host iframe")
    expect(iframe).to_have_count(1)
    expect(iframe).to_have_attribute("name", "cifbridge-provider:cifb_softphone")
    expect(iframe).to_have_attribute("src", "/samples/softphone.html")
    expect(iframe).to_have_attribute("allow", "microphone; camera; geolocation")
    expect(iframe).to_have_attribute(
        "sandbox", "allow-forms allow-popups allow-scripts allow-same-origin allow-modals"
    )
    expect(iframe).to_have_attribute("title", "Contoso Softphone (sample)")

    # The sample softphone inside works end to end: an incoming call opens a session.
    softphone = workspace.frame_locator('iframe[name="cifbridge-provider:cifb_softphone"]')
    expect(softphone.locator("#status")).to_have_text("Ready")
    softphone.locator("#customer-name").fill("Maria Campbell")
    softphone.locator("#incoming-call").click()
    expect(sessions(workspace).locator(".session-title")).to_have_text(
        ["Home", "Call from Maria Campbell"]
    )
    expect_focused(workspace, "session-id-1")
    expect(softphone.locator("#sessions li")).to_have_count(1)
    expect(softphone.locator("#sessions li .meta")).to_have_text("session-id-1 · focused")

    # The agent closes it; the softphone hears onSessionClosed and updates its list.
    status, _ = live_bridge.api("DELETE", "/api/sessions/session-id-1")
    assert status == 200
    expect(softphone.locator("#sessions li")).to_have_count(0)
    expect(softphone.locator("#log li strong").first).to_have_text("onSessionClosed")
    assert embedded_softphone(workspace).evaluate("window.name") == (
        "cifbridge-provider:cifb_softphone"
    )
