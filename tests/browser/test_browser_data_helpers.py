"""The library's data helpers and feature flags in Chromium, as a partner widget uses them.

A widget checks a feature flag, asks who the agent is, looks a caller up with FetchXML joined
to the caller's company, and reads the name the way production code does; every call is in the
journal. Failures come in the real forms: Dataverse's error text inside the Xrm error.
"""

from __future__ import annotations

import json

import pytest
from playwright.sync_api import Page

from tests.browser.conftest import LiveBridge, WidgetSite
from tests.browser.helpers import open_widget, rejected

pytestmark = pytest.mark.browser

CALLER_LOOKUP = """
<fetch top="1">
  <entity name="contact">
    <attribute name="fullname" />
    <attribute name="jobtitle" />
    <filter type="or">
      <condition attribute="mobilephone" operator="eq" value="+1 206 555 0163" />
      <condition attribute="telephone1" operator="eq" value="+1 206 555 0163" />
    </filter>
    <link-entity name="account" from="accountid" to="parentcustomerid" alias="company"
                 link-type="outer">
      <attribute name="name" />
    </link-entity>
  </entity>
</fetch>
"""
WIDGET_FLOW = """async fetchXml => {
    const cif = Microsoft.CIFramework;
    const enabled = await cif.isFeatureEnabled("OmnichannelCIFv2");
    const unknown = await cif.isFeatureEnabled("cont_NotAFeature");
    const me = await cif.executeAction({operationName: "WhoAmI", operationType: 1});
    const text = await cif.executeFetchQuery(
        "contacts", "?fetchXml=" + encodeURIComponent(fetchXml));
    const val = JSON.parse(text).value;
    return {enabled, unknown, userId: me.UserId, kind: typeof text,
            fullname: val[0].fullname, company: val[0]["company.name"], rows: val.length};
}"""


@pytest.fixture
def widget(page: Page, live_bridge: LiveBridge, widget_site: WidgetSite) -> Page:
    open_widget(page, widget_site.widget_page("data-helpers.html", live_bridge))
    return page


def test_a_widget_looks_up_the_caller_and_the_agent(widget: Page, live_bridge: LiveBridge) -> None:
    outcome = widget.evaluate(WIDGET_FLOW, CALLER_LOOKUP)
    assert outcome == {
        "enabled": True,
        "unknown": False,
        "userId": "a1b2c3d4-e5f6-4a5b-8c7d-9e0f1a2b3c4d",
        "kind": "string",
        "fullname": "Susan Burk",
        "company": "Fabrikam Inc.",
        "rows": 1,
    }
    for api in ("isFeatureEnabled", "executeAction", "executeFetchQuery"):
        status, body = live_bridge.api("GET", f"/api/journal?api={api}")
        assert status == 200 and body["entries"], api
    status, body = live_bridge.api("GET", "/api/journal?api=executeFetchQuery")
    assert "link-entity" in json.dumps(body["entries"][-1])


def test_a_created_contact_is_found_by_its_composed_name(widget: Page) -> None:
    found = widget.evaluate(
        """async () => {
            const cif = Microsoft.CIFramework;
            const ida = JSON.stringify({firstname: "Ida", lastname: "Quist"});
            await cif.createRecord("contact", ida);
            const text = await cif.executeFetchQuery("contacts",
                '<fetch><entity name="contact"><attribute name="fullname"/><filter>' +
                '<condition attribute="fullname" operator="eq" value="Ida Quist"/>' +
                "</filter></entity></fetch>");
            return JSON.parse(text).value.map(row => row.fullname);
        }"""
    )
    assert found == ["Ida Quist"]


def test_failures_come_in_the_real_forms(widget: Page) -> None:
    fetch_error = rejected(widget, "executeFetchQuery", "people", "<fetch/>")
    assert fetch_error["kind"] == "string"  # a JSON-encoded function rejects with JSON text
    assert json.loads(fetch_error["value"])["value"]["errorMsg"] == (
        "Resource not found for the segment 'people'."
    )
    action_error = rejected(widget, "executeAction", {"operationName": "cont_DoMagic"})
    assert action_error["kind"] == "Map"  # a plain function rejects with the host's Map
    assert action_error["value"]["value"]["errorMsg"] == (
        "Resource not found for the segment 'cont_DoMagic'."
    )
    assert widget.evaluate("Microsoft.CIFramework.getFcsValue('Omnichannel', 'Nope')") is None
