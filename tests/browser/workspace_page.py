"""Driving the agent workspace page (`/`) from the workspace browser tests.

The page is one Playwright tab; a partner widget built from the test harness runs in a second
tab on another origin and records the events it hears, so tests can create sessions, raise
notifications and check what the agent's clicks sent to widgets.
"""

from __future__ import annotations

import json
import os
import re
import time
import urllib.request
from pathlib import Path
from typing import Any

from playwright.sync_api import BrowserContext, Frame, Locator, Page, expect

from tests.browser.conftest import LiveBridge, WidgetSite
from tests.browser.helpers import open_widget, resolved

XSS_NAME = "<img src=x onerror=alert(1)>"
MARIA = "d8378461-2f3a-4cd2-8048-1451d3dbef2e"  # a bundled contact with two phone numbers
NANCY = "f4d134d5-53fd-4fbf-8d38-0268aca5833a"
YVONNE = "d8e19acd-1e0f-439a-8e93-cafa6988b3c4"
SUSAN = "99de2fc0-b446-4bc2-8674-2cf9d449947d"
# The README's pictures live in docs/screenshots; a plain test run writes its own to the
# git-ignored tests/artifacts, and `CIFBRIDGE_SCREENSHOTS=docs/screenshots .ci/test -m browser`
# refreshes the committed ones.
_ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = _ROOT / os.environ.get("CIFBRIDGE_SCREENSHOTS", "tests/artifacts/screenshots")
SCREENSHOT_SIZE = {"width": 1400, "height": 820}
WIDGET_EVENTS = [
    "onSessionSwitched",
    "onSessionClosed",
    "onclicktoact",
    "onmodechanged",
    "onsizechanged",
    "onPresenceChange",
    "onsendkbarticle",
]


def frame_named(page: Page, name: str, timeout_s: float = 10.0) -> Frame:
    """Return the page's frame of this name once Playwright reports it: the frame of a
    cross-origin iframe (a widget on another site) is attached a moment after its element."""
    deadline = time.monotonic() + timeout_s
    while (frame := page.frame(name=name)) is None:
        if time.monotonic() > deadline:
            names = [f.name for f in page.frames]
            raise AssertionError(f"no frame named {name!r} after {timeout_s:g} s: {names}")
        page.wait_for_timeout(50)
    return frame


def open_workspace(page: Page, bridge: LiveBridge) -> Page:
    """Load the workspace and wait until it is live and shows the Home session."""
    page.goto(bridge.url + "/")
    expect(page.locator("#connection")).to_have_attribute("data-state", "live")
    expect(sessions(page)).to_have_count(1)
    return page


def open_test_widget(
    context: BrowserContext, workspace: Page, bridge: LiveBridge, site: WidgetSite
) -> Page:
    """Open a partner widget on a second origin that records the events the agent causes."""
    tab = context.new_page()
    open_widget(tab, site.widget_page("widget.html", bridge))
    tab.evaluate(
        "names => Promise.all(names.map(name =>"
        " Microsoft.CIFramework.addHandler(name, cifTest.record(name))))",
        WIDGET_EVENTS,
    )
    # The agent's tab gets the focus back: Chromium paints an unfocused tab lazily, which
    # makes every click there wait for its element to look stable.
    workspace.bring_to_front()
    return tab


def create_session(
    widget: Page,
    customer: str,
    record_id: str | None = None,
    template: str = "msdyn_voicecall_session",
) -> str:
    """Open a session ("Call from <customer>"), its anchor tab on a contact when one is given."""
    parameters: dict[str, Any] = {"customerName": customer}
    if record_id is not None:
        parameters["msdyn_entityrecord"] = {"entityName": "contact", "entityId": record_id}
    request = {"templateName": template, "templateParameters": parameters}
    session_id: str = resolved(widget, "createSession", request)["value"]
    return session_id


def events(widget: Page, name: str, count: int) -> list[Any]:
    """Wait until `count` events called `name` arrived; return their payloads, decoded."""
    widget.wait_for_function(
        "([name, count]) => cifTest.events.filter(e => e.name === name).length >= count",
        arg=[name, count],
    )
    raw: list[str] = widget.evaluate(
        "name => cifTest.events.filter(e => e.name === name).map(e => e.data)", name
    )
    return [json.loads(data) for data in raw]


def event_count(widget: Page, name: str) -> int:
    count: int = widget.evaluate("name => cifTest.events.filter(e => e.name === name).length", name)
    return count


def post_json(bridge: LiveBridge, path: str, body: dict[str, Any]) -> Any:
    """POST a JSON body to the control API and return the decoded answer (2xx only)."""
    request = urllib.request.Request(
        bridge.url + path,
        data=json.dumps(body).encode(),
        method="POST",
        headers={"Content-Type": "application/json", "Accept": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.loads(response.read() or b"null")


def sessions(page: Page) -> Locator:
    return page.locator("#session-list > .session")


def session(page: Page, session_id: str) -> Locator:
    return page.locator(f'#session-list > .session[data-session-id="{session_id}"]')


def focus(page: Page, session_id: str) -> None:
    """Click a session in the session panel and wait until it is the focused one."""
    session(page, session_id).locator(".session-select").click()
    expect_focused(page, session_id)


def expect_focused(page: Page, session_id: str) -> None:
    expect(page.locator("#session-list > .session.is-focused")).to_have_count(1)
    expect(session(page, session_id)).to_have_class(re.compile(r"\bis-focused\b"))
    expect(session(page, session_id).locator(".session-select")).to_have_attribute(
        "aria-current", "true"
    )


def tooltip_of(page: Page, target: Locator) -> Locator:
    """Hover `target` and return the page's tooltip (visible once it shows)."""
    target.hover()
    tip = page.locator("#tooltip")
    expect(tip).to_be_visible()
    return tip


def close_dialog(page: Page) -> Locator:
    return page.locator("#confirm-dialog")


def tab_strip(page: Page) -> Locator:
    return page.locator("#tab-strip .tab-select")


def visible_page(page: Page, session_id: str) -> Locator:
    """The tab page shown for a session (other sessions' pages stay in the DOM, hidden)."""
    return page.locator(f'.session-pane[data-session-id="{session_id}"] > .tab-page:visible')


def screenshot(page: Page, name: str, *, keep_pointer: bool = False) -> None:
    """Write the screenshot <name> (see SCREENSHOTS for where)."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    if not keep_pointer:
        # Rest the pointer on the app bar's title, so no hover tooltip covers the picture.
        page.locator(".app-title").hover()
        expect(page.locator("#tooltip")).to_be_hidden()
    page.screenshot(path=str(SCREENSHOTS / name))
