"""Agents in Chromium (docs/agents.md): each agent's workspace page, and the shim's agent rule.

The pages are the bridge's `/agents/<agent>/`; the standalone widgets come from the widget site,
a second origin, and name their agent the ways the rule lists: data-agent, /agents/<agent>/ in
the library URL, in data-crmurl or in ?ucilib=, else the default agent.
"""

from __future__ import annotations

import uuid

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import WIDGET_HARNESS, LiveBridge, WidgetSite
from tests.browser.helpers import create_session, open_widget
from tests.browser.workspace_page import sessions

pytestmark = pytest.mark.browser

LIBRARY = "/webresources/Widget/msdyn_ciLibrary.js"


def fresh(name: str) -> str:
    """Return an agent name no other test uses."""
    return f"{name}-{uuid.uuid4().hex[:8]}"


def open_agent_workspace(page: Page, bridge: LiveBridge, agent: str) -> Page:
    page.goto(f"{bridge.url}/agents/{agent}/")
    expect(page.locator("#connection")).to_have_attribute("data-state", "live")
    expect(sessions(page)).to_have_count(1)
    return page


def session_titles(bridge: LiveBridge, agent: str) -> list[str]:
    prefix = "" if agent == "default" else f"/agents/{agent}"
    status, view = bridge.api("GET", f"{prefix}/api/workspace")
    assert status == 200, view
    return [s["title"] for s in view["sessions"]]


def test_each_agents_page_shows_its_own_workspace(page: Page, bridge_process: LiveBridge) -> None:
    alice, bob = fresh("alice"), fresh("bob")
    alice_page = open_agent_workspace(page, bridge_process, alice)
    bob_page = open_agent_workspace(page.context.new_page(), bridge_process, bob)
    expect(alice_page.locator("#agent-name")).to_have_text(alice)
    expect(bob_page.locator("#agent-name")).to_have_text(bob)

    # The sample softphone in alice's panel inherits her agent through its window name.
    frame_name = f"cifbridge-provider:cifb_softphone;agent={alice}"
    expect(alice_page.locator(f'#widget-host iframe[name="{frame_name}"]')).to_have_count(1)
    softphone = alice_page.frame_locator(f'iframe[name="{frame_name}"]')
    expect(softphone.locator("#status")).to_have_text("Ready")
    softphone.locator("#customer-name").fill("Maria Campbell")
    softphone.locator("#incoming-call").click()
    expect(sessions(alice_page).locator(".session-title")).to_have_text(
        ["Home", "Call from Maria Campbell"]
    )

    # Bob's page, live all along, shows his Home only; the control API agrees.
    bob_page.bring_to_front()
    expect(sessions(bob_page).locator(".session-title")).to_have_text(["Home"])
    assert session_titles(bridge_process, bob) == ["Home"]
    assert session_titles(bridge_process, alice) == ["Home", "Call from Maria Campbell"]


def widget_html(tag: str) -> str:
    return (
        '<!doctype html>\n<html lang="en"><head><meta charset="utf-8"><title>agent widget</title>'
        f'<link rel="icon" href="data:,">\n<script>{WIDGET_HARNESS}</script>\n{tag}\n'
        "</head><body><p>Test widget</p></body></html>\n"
    )


# How a standalone widget names its agent: (script src path, data-crmurl path, extra attributes,
# page query), each with {agent} and {other} filled in; {bridge} is the bridge's URL.
RULE = {
    "data-agent": ("", "", 'data-agent="{agent}"', ""),
    "data-agent before the library URL": ("/agents/{other}", "", 'data-agent="{agent}"', ""),
    "the library URL": ("/agents/{agent}", "", "", ""),
    "data-crmurl": ("", "/agents/{agent}", "", ""),
    "ucilib": ("", None, "", "?ucilib={bridge}/agents/{agent}"),
}


@pytest.mark.parametrize("way", list(RULE))
def test_a_standalone_widget_names_its_agent(
    page: Page, bridge_process: LiveBridge, widget_site: WidgetSite, way: str
) -> None:
    agent, other = fresh("agent"), fresh("other")
    src_path, crm_path, attrs, query = RULE[way]
    bridge = bridge_process.url

    def fill(text: str) -> str:
        return text.format(agent=agent, other=other, bridge=bridge)

    crmurl = "" if crm_path is None else f' data-crmurl="{bridge}{fill(crm_path)}"'
    tag = (
        f'<script src="{bridge}{fill(src_path)}{LIBRARY}"{crmurl}'
        f' data-cifid="CIFMainLibrary" {fill(attrs)}></script>'
    )
    name = f"agent-rule-{uuid.uuid4().hex[:8]}.html"
    (widget_site.root / name).write_text(widget_html(tag), encoding="utf-8")
    open_widget(page, f"{widget_site.url}/{name}{fill(query)}")
    create_session(page, "Ana")
    assert session_titles(bridge_process, agent) == ["Home", "Call from Ana"]
    status, listed = bridge_process.api("GET", "/api/agents")
    assert status == 200
    assert other not in [a["agent"] for a in listed["agents"]]


def test_a_widget_naming_no_agent_works_in_the_default_agents_workspace(
    page: Page, live_bridge: LiveBridge, widget_site: WidgetSite
) -> None:
    open_widget(page, widget_site.widget_page("default-agent.html", live_bridge))
    create_session(page, "Ana")
    assert session_titles(live_bridge, "default") == ["Home", "Call from Ana"]
