"""The communication panel's widgets: the sample softphone end to end, and two providers."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import LiveBridge, WidgetSite, start_bridge
from tests.browser.workspace_page import (
    expect_focused,
    focus,
    frame_named,
    open_workspace,
    sessions,
)

pytestmark = pytest.mark.browser

SOFTPHONE = "cifbridge-provider:cifb_softphone"
CHAT = "cifbridge-provider:cont_chat"


@pytest.fixture(scope="module")
def two_providers(
    tmp_path_factory: pytest.TempPathFactory, widget_site: WidgetSite
) -> Iterator[LiveBridge]:
    """A bridge whose workspace has a second provider, a chat widget on the widget site."""
    folder = tmp_path_factory.mktemp("two-providers")
    config = folder / "workspace.yaml"
    landing = f"{widget_site.url}/chat.html"
    config.write_text(
        "providers:\n"
        "  - uniqueName: cont_chat\n"
        "    label: Contoso Chat\n"
        f"    landingUrl: {landing}\n"
        "    order: 2\n",
        encoding="utf-8",
    )
    bridge = start_bridge(Path(folder), "two-provider bridge", "--config", str(config))
    widget_site.widget_page("chat.html", bridge)
    yield bridge
    bridge.server.stop()


def test_the_communication_panel_embeds_the_sample_softphone(
    page: Page, live_bridge: LiveBridge
) -> None:
    workspace = open_workspace(page, live_bridge)
    iframe = workspace.locator("#widget-host iframe")
    expect(iframe).to_have_count(1)
    expect(iframe).to_have_attribute("name", SOFTPHONE)
    expect(iframe).to_have_attribute("src", "/samples/softphone.html")
    expect(iframe).to_have_attribute("allow", "microphone; camera; geolocation")
    expect(iframe).to_have_attribute(
        "sandbox", "allow-forms allow-popups allow-scripts allow-same-origin allow-modals"
    )
    expect(iframe).to_have_attribute("title", "Contoso Softphone (sample)")
    expect(workspace.locator("#panel-title")).to_have_text("Contoso Softphone (sample)")

    # The sample softphone inside works end to end: an incoming call opens a session.
    softphone = workspace.frame_locator(f'iframe[name="{SOFTPHONE}"]')
    expect(softphone.locator("#status")).to_have_text("Ready")
    softphone.locator("#customer-name").fill("Maria Campbell")
    softphone.locator("#incoming-call").click()
    expect(sessions(workspace).locator(".session-title")).to_have_text(
        ["Home", "Call from Maria Campbell"]
    )
    expect_focused(workspace, "session-id-1")
    expect(softphone.locator("#sessions li .meta")).to_have_text("session-id-1 · focused")

    # The agent closes it; the softphone hears onSessionClosed and updates its list.
    status, _ = live_bridge.api("DELETE", "/api/sessions/session-id-1")
    assert status == 200
    expect(softphone.locator("#sessions li")).to_have_count(0)
    expect(softphone.locator("#log li strong").first).to_have_text("onSessionClosed")
    frame = frame_named(workspace, SOFTPHONE)
    assert frame.evaluate("window.name") == SOFTPHONE


def test_each_provider_has_its_widget_and_the_panel_follows_the_active_one(
    page: Page, two_providers: LiveBridge
) -> None:
    two_providers.reset()
    workspace = open_workspace(page, two_providers)
    softphone, chat = (
        workspace.locator(f'iframe[name="{SOFTPHONE}"]'),
        workspace.locator(f'iframe[name="{CHAT}"]'),
    )
    expect(workspace.locator("#widget-host iframe")).to_have_count(2)
    tabs = workspace.locator("#provider-tabs .provider-tab")
    expect(tabs).to_have_text(["Contoso Softphone (sample)", "Contoso Chat"])
    # Home: the default provider (the first by order) is the active one.
    expect(softphone).to_be_visible()
    expect(chat).to_be_hidden()

    # The chat widget opens a session: its widget comes forward with it.
    frame = frame_named(workspace, CHAT)
    frame.wait_for_function("window.cifTest && window.cifTest.init !== null")
    session_id = frame.evaluate(
        """() => Microsoft.CIFramework.createSession({templateName: "msdyn_chat_session",
            templateParameters: {customerName: "Ana"}})"""
    )
    expect(sessions(workspace).locator(".session-title")).to_have_text(["Home", "Ana"])
    expect(chat).to_be_visible()
    expect(softphone).to_be_hidden()
    expect(tabs.nth(1)).to_have_attribute("aria-selected", "true")

    # The agent may look at another provider's widget; going Home brings the default back.
    tabs.nth(0).click()
    expect(softphone).to_be_visible()
    expect(chat).to_be_hidden()
    focus(workspace, "session-id-0")
    expect(softphone).to_be_visible()
    expect(chat).to_be_hidden()
    focus(workspace, session_id)
    expect(chat).to_be_visible()
    # Both iframes lived through every switch: the chat widget still knows its session.
    assert frame.evaluate("() => Microsoft.CIFramework.getAllSessions()") == [session_id]
