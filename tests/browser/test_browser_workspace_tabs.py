"""The workspace's application tabs: per-session tab sets, the "+" menu, pages by page type."""

from __future__ import annotations

import json

import pytest
from playwright.sync_api import Page, expect

from tests.browser.helpers import resolved
from tests.browser.workspace_page import (
    MARIA,
    NANCY,
    SCREENSHOT_SIZE,
    create_session,
    event_count,
    events,
    focus,
    screenshot,
    session,
    tab_strip,
    visible_page,
)

pytestmark = pytest.mark.browser


def test_switching_sessions_swaps_tabs_and_keeps_what_the_agent_typed(
    workspace: Page, widget: Page
) -> None:
    workspace.set_viewport_size(SCREENSHOT_SIZE)
    maria = create_session(widget, "Maria Campbell", MARIA)
    nancy = create_session(widget, "Nancy Anderson", NANCY)
    expect(tab_strip(workspace)).to_have_text([f"contact {NANCY}", "Web search: Nancy Anderson"])
    focus(workspace, maria)
    expect(tab_strip(workspace)).to_have_text([f"contact {MARIA}", "Web search: Maria Campbell"])
    form = visible_page(workspace, maria).locator("form.record-form")
    expect(form.locator('input[name="fullname"]')).to_have_value("Maria Campbell")
    job = form.locator('input[name="jobtitle"]')
    job.fill("Head of Purchasing")

    # Away and back: the typed text is still there, unsaved; Nancy's form is her own.
    focus(workspace, nancy)
    expect(visible_page(workspace, nancy).locator('input[name="fullname"]')).to_have_value(
        "Nancy Anderson"
    )
    expect(job).to_be_hidden()
    focus(workspace, "session-id-0")
    expect(visible_page(workspace, "session-id-0")).to_contain_text("My sessions (2 of 10)")
    focus(workspace, maria)
    expect(job).to_have_value("Head of Purchasing")
    expect(form).to_contain_text("Unsaved changes")
    screenshot(workspace, "workspace-record.png")

    # Saving writes the record store: the widget reads the new value.
    form.get_by_role("button", name="Save").click()
    expect(visible_page(workspace, maria).locator(".record-status")).to_have_text("Saved.")
    record = resolved(widget, "retrieveRecord", "contact", MARIA, "?$select=jobtitle")["value"]
    assert json.loads(record)["jobtitle"] == "Head of Purchasing"

    # A widget's update shows in the open form, in fields the agent has not touched.
    job.fill("Typed, not saved")
    resolved(widget, "updateRecord", "contact", MARIA, json.dumps({"address1_city": "Bellevue"}))
    expect(form.locator('input[name="address1_city"]')).to_have_value("Bellevue")
    expect(job).to_have_value("Typed, not saved")


def test_the_plus_menu_opens_template_tabs_and_only_closable_tabs_close(
    workspace: Page, widget: Page
) -> None:
    maria = create_session(widget, "Maria Campbell", MARIA)
    workspace.locator("#tab-add").click()
    menu = workspace.locator("#tab-menu")
    expect(menu).to_be_visible()
    expect(menu.get_by_role("menuitem", name="Contacts")).to_be_visible()
    menu.get_by_role("menuitem", name="Contacts").click()
    expect(menu).to_be_hidden()
    expect(tab_strip(workspace)).to_have_count(3)
    expect(tab_strip(workspace).nth(2)).to_have_text("Contacts")
    expect(tab_strip(workspace).nth(2)).to_have_attribute("aria-selected", "true")
    listing = visible_page(workspace, maria)
    expect(listing.locator(".record-table tbody tr")).to_have_count(10)

    # A row opens its record in a new tab of the session.
    listing.get_by_role("button", name="Yvonne McKay").click()
    expect(tab_strip(workspace)).to_have_count(4)
    expect(visible_page(workspace, maria).locator('input[name="fullname"]')).to_have_value(
        "Yvonne McKay"
    )

    # The anchor tab has no close button; others close, and the widget sees it.
    tabs = workspace.locator("#tab-strip .tab")
    expect(tabs.nth(0).locator(".tab-close")).to_have_count(0)
    tabs.nth(3).locator(".tab-close").click()
    expect(tab_strip(workspace)).to_have_count(3)
    assert len(resolved(widget, "getTabs", "msdyn_contact_list")["value"]) == 1

    # Clicking a tab focuses it, as getFocusedTab tells the widget.
    tab_strip(workspace).nth(1).click()
    expect(tab_strip(workspace).nth(1)).to_have_attribute("aria-selected", "true")
    focused_tab = resolved(widget, "getFocusedTab")["value"]
    assert workspace.locator("#tab-strip .tab").nth(1).get_attribute("data-tab-id") == focused_tab


def test_tab_pages_follow_their_page_type(workspace: Page, widget: Page) -> None:
    # Home shows the dashboard.
    expect(tab_strip(workspace)).to_have_text(["Dashboard"])
    expect(visible_page(workspace, "session-id-0")).to_contain_text("My sessions (0 of 10)")

    maria = create_session(widget, "Maria Campbell", MARIA)
    expect(tab_strip(workspace)).to_have_count(2)
    # Third-party website: the template URL with the data appended, in an iframe.
    tab_strip(workspace).nth(1).click()
    frame = visible_page(workspace, maria).locator("iframe.tab-frame")
    expect(frame).to_have_attribute("src", "https://www.bing.com/search?q=Maria Campbell")

    # Search: records of every entity matching the search text.
    tab_id = resolved(
        widget,
        "createTab",
        {"templateName": "msdyn_search", "templateParameters": {"searchText": "Campbell"}},
    )["value"]
    resolved(widget, "focusTab", tab_id)
    results = visible_page(workspace, maria)
    expect(results.locator(".page-type")).to_have_text("Search results for \u201cCampbell\u201d")
    expect(results.get_by_role("button", name="Maria Campbell")).to_be_visible()

    # Knowledge search (a web resource): Send fires onsendkbarticle to the widget.
    kb = resolved(widget, "createTab", {"templateName": "msdyn_kbsearch", "isFocused": True})
    assert kb["kind"] == "string"
    articles = visible_page(workspace, maria).locator(".kb-article")
    expect(articles.first).to_be_visible()
    title = articles.first.locator(".kb-title").inner_text()
    articles.first.get_by_role("button", name="Send").click()
    sent = events(widget, "onsendkbarticle", 1)[0]
    assert sent["title"] == title
    assert sent["link"].endswith("/kb/KA-01001")


def test_phone_fields_click_to_act_while_the_provider_allows_it(
    workspace: Page, widget: Page
) -> None:
    maria = create_session(widget, "Maria Campbell", MARIA)
    form = visible_page(workspace, maria).locator("form.record-form")
    call = form.locator('.form-row[data-attribute="mobilephone"] .click-to-act')
    expect(call).to_be_enabled()
    call.click()
    payload = events(widget, "onclicktoact", 1)[0]
    assert payload == {
        "value": "+1 425 555 0142",
        "name": "mobilephone",
        "format": "phone",
        "entityLogicalName": "contact",
        "entityId": MARIA,
        "recordTitle": "Maria Campbell",
    }
    # The provider turns click-to-act off: the buttons disable and no event is sent.
    resolved(widget, "setClickToAct", False)
    expect(call).to_be_disabled()
    assert event_count(widget, "onclicktoact") == 1
    resolved(widget, "setClickToAct", True)
    expect(call).to_be_enabled()
    expect(session(workspace, maria)).to_have_count(1)


def test_open_form_without_a_record_is_a_create_form_the_agent_saves(
    workspace: Page, widget: Page
) -> None:
    options = json.dumps({"entityName": "contact"})
    resolved(widget, "openForm", options, json.dumps({"firstname": "Ann"}))
    expect(tab_strip(workspace)).to_have_text(["Dashboard", "contact"])
    form = visible_page(workspace, "session-id-0").locator("form.record-form")
    expect(form).to_have_attribute("data-mode", "create")
    expect(form.locator('input[name="firstname"]')).to_have_value("Ann")
    form.locator('input[name="lastname"]').fill("Lee")
    form.get_by_role("button", name="Save").click()
    # The tab now holds the saved record, which the widget can search for.
    expect(visible_page(workspace, "session-id-0").locator(".page-title")).to_have_text("Ann Lee")
    found = resolved(widget, "searchAndOpenRecords", "contact", "?$filter=lastname eq 'Lee'", True)
    assert json.loads(found["value"])["0"]["fullname"] == "Ann Lee"
