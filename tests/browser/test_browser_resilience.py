"""The shim when the connection misbehaves: lost answers, dropped requests, the 10 s timeout.

Playwright sits between the page and the bridge (`route_web_socket`) to lose exactly one
message, and drives the page's clock, so nothing here waits for real time to pass.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import Page

from tests.browser.conftest import LiveBridge, WidgetSite
from tests.browser.helpers import VOICE_TEMPLATE, open_widget, relay

pytestmark = pytest.mark.browser

TIMEOUT_MESSAGE = "Timeout occurred as no response was received from listener window"


def pause_clock(page: Page) -> None:
    """Stop the page's (installed) clock, so only run_for moves its timers."""
    page.clock.pause_at(page.evaluate("Date.now()") + 1)


def test_a_call_whose_answer_is_lost_is_resent_once_after_reconnecting(
    page: Page, live_bridge: LiveBridge, widget_site: WidgetSite
) -> None:
    cut: list[str | bytes] = []

    def first_create_answer(message: str | bytes) -> bool:
        # The bridge made the session, but the connection drops before the widget hears so.
        if cut or not str(message).startswith("43/widget,") or "session-id-1" not in str(message):
            return False
        cut.append(message)
        return True

    relay(page, cut_before=first_create_answer)
    open_widget(page, widget_site.widget_page("retry.html", live_bridge))
    session_id = page.evaluate(
        "input => Microsoft.CIFramework.createSession(input)",
        {"templateName": VOICE_TEMPLATE, "templateParameters": {"customerName": "Ana"}},
    )
    assert cut, "the relay never saw the answer it was meant to lose"
    assert session_id == "session-id-1"
    assert page.evaluate("Microsoft.CIFramework.getAllSessions()") == ["session-id-1"]

    status, body = live_bridge.api("GET", "/api/journal?api=createSession")
    assert status == 200
    # However the bridge journals the replay, there was only ever one request.
    assert len({entry["requestId"] for entry in body["entries"]}) == 1


def test_an_unanswered_call_times_out_with_the_library_message(
    page: Page, live_bridge: LiveBridge, widget_site: WidgetSite
) -> None:
    relay(page, swallow=lambda message: '"getAllSessions"' in str(message))
    page.clock.install()
    open_widget(page, widget_site.widget_page("timeout.html", live_bridge))
    pause_clock(page)
    page.evaluate(
        """() => {
            window.outcome = null;
            cifTest.settle(Microsoft.CIFramework.getAllSessions())
                .then(outcome => { window.outcome = outcome; });
        }"""
    )
    page.clock.run_for(9_999)
    assert page.evaluate("window.outcome") is None
    page.clock.run_for(1)
    page.wait_for_function("window.outcome !== null")
    outcome = page.evaluate("window.outcome")
    assert outcome == {
        "ok": False,
        "result": {"kind": "Map", "value": {"message": TIMEOUT_MESSAGE}},
    }
    # The connection is fine: the next call is answered.
    assert page.evaluate("Microsoft.CIFramework.canCreateSession()") is True


def test_notify_event_waits_for_the_agent_without_a_timeout(
    page: Page, live_bridge: LiveBridge, widget_site: WidgetSite
) -> None:
    relay(page, swallow=lambda message: '"notifyEvent"' in str(message))
    page.clock.install()
    open_widget(page, widget_site.widget_page("no-timeout.html", live_bridge))
    pause_clock(page)
    page.evaluate(
        """() => {
            window.notified = "pending";
            Microsoft.CIFramework.notifyEvent({templateName: "msdyn_chat_incoming",
                                               templateParameters: {}})
                .then(() => { window.notified = "resolved"; },
                      () => { window.notified = "rejected"; });
        }"""
    )
    page.clock.run_for(30_000)
    # A later call's answer proves the page processed everything the clock released.
    assert page.evaluate("Microsoft.CIFramework.canCreateSession()") is True
    assert page.evaluate("window.notified") == "pending"
