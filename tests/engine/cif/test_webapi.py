"""executeFetchQuery and executeAction, the library's data helpers (reference §2.11)."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import quote

from tests.conftest import Bridge, BridgeFactory

MARIA = "d8378461-2f3a-4cd2-8048-1451d3dbef2e"
KIM_LEAD = "3c1f6a2e-8d4b-4f7a-9e21-5b0c7d8e9f10"
API = "https://contoso.crm.dynamics.com/api/data/v9.2/"
LONDON_WITH_COMPANY = """
<fetch>
  <entity name="contact">
    <attribute name="fullname" />
    <order attribute="lastname" descending="true" />
    <filter><condition attribute="address1_city" operator="eq" value="London" /></filter>
    <link-entity name="account" from="accountid" to="parentcustomerid" alias="company">
      <attribute name="name" />
    </link-entity>
  </entity>
</fetch>
"""


def fetch(bridge: Bridge, xml: str, entity_set: str = "contacts") -> list[dict[str, Any]]:
    body = bridge.ok("executeFetchQuery", entity_set, "?fetchXml=" + quote(xml))
    rows: list[dict[str, Any]] = body["value"]
    return rows


def records_state(bridge: Bridge) -> str:
    return json.dumps(bridge.engine.workspace.records, sort_keys=True)


def xrm_message(bridge: Bridge, api: str, *args: Any) -> str:
    error = bridge.error(api, *args)
    assert error["value"]["errorType"] == 2
    message: str = error["value"]["errorMsg"]
    return message


def test_fetch_xml_with_a_link_entity_answers_the_web_api_body(bridge: Bridge) -> None:
    body = bridge.ok("executeFetchQuery", "contacts", "?fetchXml=" + quote(LONDON_WITH_COMPANY))
    assert body["@odata.context"] == f"{API}$metadata#contacts(contactid,fullname)"
    assert [(r["fullname"], r["company.name"]) for r in body["value"]] == [
        ("Rene Valdes", "Adventure Works Cycles"),
        ("Patrick Sands", "Adventure Works Cycles"),
    ]
    assert body["value"][0]["contactid"] == "a3254199-05f6-4e0b-85ba-d0498fd87b8a"


def test_bare_and_unencoded_fetch_xml_and_logical_names_are_accepted(bridge: Bridge) -> None:
    bare = bridge.ok("executeFetchQuery", "contact", LONDON_WITH_COMPANY)
    raw = bridge.ok("executeFetchQuery", "contacts", "?fetchXml=" + LONDON_WITH_COMPANY)
    assert bare["value"] == raw["value"] == fetch(bridge, LONDON_WITH_COMPANY)


def test_odata_options_read_the_entity_set_too(bridge: Bridge) -> None:
    body = bridge.ok(
        "executeFetchQuery", "contacts", "?$select=fullname&$filter=lastname eq 'Burk'"
    )
    assert [r["fullname"] for r in body["value"]] == ["Susan Burk"]
    assert body["@odata.context"].endswith("$metadata#contacts(contactid,fullname)")


def test_an_outer_link_keeps_rows_without_a_match(bridge: Bridge) -> None:
    xml = """<fetch><entity name="account"><attribute name="name" />
      <filter><condition attribute="address1_city" operator="in">
        <value>Chicago</value><value>Redmond</value></condition></filter>
      <link-entity name="contact" from="contactid" to="primarycontactid" alias="pc"
                   link-type="{kind}"><attribute name="fullname" /></link-entity>
    </entity></fetch>"""
    outer = fetch(bridge, xml.format(kind="outer"), "accounts")
    assert [(r["name"], r.get("pc.fullname")) for r in outer] == [
        ("Contoso Pharmaceuticals", "Maria Campbell"),
        ("Northwind Traders", None),
    ]
    inner = fetch(bridge, xml.format(kind="inner"), "accounts")
    assert [r["name"] for r in inner] == ["Contoso Pharmaceuticals"]


def test_a_one_to_many_link_gives_a_row_per_match(bridge: Bridge) -> None:
    xml = """<fetch><entity name="account"><attribute name="name" />
      <filter><condition attribute="name" operator="eq" value="Fabrikam Inc." /></filter>
      <link-entity name="contact" from="parentcustomerid" to="accountid" alias="c">
        <attribute name="fullname" /><order attribute="fullname" />
      </link-entity></entity></fetch>"""
    rows = fetch(bridge, xml, "accounts")
    assert sorted(r["c.fullname"] for r in rows) == ["Susan Burk", "Yvonne McKay"]
    assert {r["name"] for r in rows} == {"Fabrikam Inc."}


def test_fetch_reads_created_records_with_their_composed_name(bridge: Bridge) -> None:
    created = bridge.ok("createRecord", "contact", '{"firstname":"Ida","lastname":"Quist"}')
    xml = """<fetch><entity name="contact"><attribute name="fullname" />
      <filter><condition attribute="lastname" operator="begins-with" value="qui" /></filter>
    </entity></fetch>"""
    assert [(r["contactid"], r["fullname"]) for r in fetch(bridge, xml)] == [
        (created["id"], "Ida Quist")
    ]


def test_an_unknown_entity_set_or_attribute_fails_like_dataverse(bridge: Bridge) -> None:
    assert xrm_message(bridge, "executeFetchQuery", "people", LONDON_WITH_COMPANY) == (
        "Resource not found for the segment 'people'."
    )
    bad = LONDON_WITH_COMPANY.replace('"fullname"', '"nickname"')
    assert xrm_message(bridge, "executeFetchQuery", "contacts", bad) == (
        "Could not find a property named 'nickname' on type 'Microsoft.Dynamics.CRM.contact'."
    )
    linked = LONDON_WITH_COMPANY.replace('name="account"', 'name="company"')
    assert "name = 'company'" in xrm_message(bridge, "executeFetchQuery", "contacts", linked)
    error = bridge.error("executeFetchQuery", "people", LONDON_WITH_COMPANY)
    assert error["value"]["sourceFunc"] == (
        "client.executeFetchQuery - Xrm.WebApi.retrieveMultipleRecords"
    )


def test_a_file_column_read_is_refused_saying_so(bridge: Bridge) -> None:
    message = xrm_message(bridge, "executeFetchQuery", "contacts", f"/({MARIA})/entityimage")
    assert message.startswith("cifbridge does not emulate reading one record's file or image")


def test_an_xml_bomb_is_refused(bridge: Bridge) -> None:
    bomb = (
        '<?xml version="1.0"?><!DOCTYPE fetch [<!ENTITY a "aaaaaaaaaa">'
        '<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>'
        '<fetch><entity name="contact"><attribute name="fullname" />'
        '<filter><condition attribute="lastname" operator="eq" value="&b;" /></filter>'
        "</entity></fetch>"
    )
    message = xrm_message(bridge, "executeFetchQuery", "contacts", bomb)
    assert message.startswith("Invalid FetchXML: DTDs, entity declarations and external")
    external = '<!DOCTYPE fetch SYSTEM "http://example.com/x.dtd"><fetch/>'
    assert "refused" in xrm_message(bridge, "executeFetchQuery", "contacts", external)


def test_malformed_fetch_xml_says_where(bridge: Bridge) -> None:
    message = xrm_message(bridge, "executeFetchQuery", "contacts", "<fetch><entity></fetch>")
    assert message.startswith("Invalid FetchXML: mismatched tag: line 1")


def test_the_request_must_name_an_entity_set_and_options(bridge: Bridge) -> None:
    assert bridge.error("executeFetchQuery", "", "?$top=1")["message"].startswith(
        "executeFetchQuery: $.entityName"
    )
    assert "options" in bridge.error("executeFetchQuery", "contacts")["message"]


def test_who_am_i_answers_the_signed_in_user_and_org(bridge: Bridge) -> None:
    answer = bridge.ok("executeAction", {"operationName": "WhoAmI", "operationType": 1})
    assert answer["@odata.context"] == f"{API}$metadata#Microsoft.Dynamics.CRM.WhoAmIResponse"
    assert answer["UserId"] == "a1b2c3d4-e5f6-4a5b-8c7d-9e0f1a2b3c4d"
    assert answer["OrganizationId"] == "7b3e9f0c-2a41-4d6e-9c58-1f2a3b4c5d6e"
    again = bridge.ok("executeAction", {"operationName": "WhoAmI"})
    assert again["BusinessUnitId"] == answer["BusinessUnitId"]  # stable, derived from the org


def test_version_and_organization_come_from_the_configuration(make_bridge: BridgeFactory) -> None:
    bridge = make_bridge(
        {"organization": {"url": "https://fabrikam.crm4.dynamics.com", "crmVersion": "9.1.0.1"}}
    )
    version = bridge.ok("executeAction", {"operationName": "RetrieveVersion"})
    assert version["Version"] == "9.1.0.1"
    assert version["@odata.context"].startswith("https://fabrikam.crm4.dynamics.com/api/data/v9.1/")
    request = {"operationName": "RetrieveCurrentOrganization", "operationType": 1}
    request["parameters"] = [{"name": "AccessType", "value": "Default"}]
    detail = bridge.ok("executeAction", request)["Detail"]
    assert (detail["UrlName"], detail["Geo"], detail["OrganizationVersion"]) == (
        "fabrikam",
        "NAM",
        "9.1.0.1",
    )
    assert detail["Endpoints"]["Values"][0] == "https://fabrikam.crm4.dynamics.com/"


def qualify(bridge: Bridge, **parameters: Any) -> dict[str, Any]:
    given = {"CreateAccount": True, "CreateContact": True, "CreateOpportunity": True, "Status": 3}
    request = {
        "operationName": "QualifyLead",
        "operationType": 0,
        "entity": {"entityType": "lead", "id": KIM_LEAD},
        "parameters": [{"name": k, "value": v} for k, v in {**given, **parameters}.items()],
    }
    answer: dict[str, Any] = bridge.ok("executeAction", request)
    return answer


def test_qualify_lead_creates_linked_records_and_closes_the_lead(bridge: Bridge) -> None:
    answer = qualify(bridge)
    types = [row["@odata.type"] for row in answer["value"]]
    assert types == [f"#Microsoft.Dynamics.CRM.{n}" for n in ("account", "contact", "opportunity")]
    account, contact, opportunity = (
        row[key]
        for row, key in zip(
            answer["value"], ("accountid", "contactid", "opportunityid"), strict=True
        )
    )
    person = bridge.ok("retrieveRecord", "contact", contact, "?$select=fullname,emailaddress1")
    assert (person["fullname"], person["emailaddress1"]) == (
        "Kim Abercrombie",
        "kim@tailspintoys.com",
    )
    company = bridge.ok("retrieveRecord", "account", account, "?$select=name")
    assert company["name"] == "Tailspin Toys"
    deal = bridge.ok("retrieveRecord", "opportunity", opportunity, "")
    assert (deal["name"], deal["_customerid_value"]) == ("20 lab benches for the new site", account)
    assert deal["_originatingleadid_value"] == KIM_LEAD
    lead = bridge.ok("retrieveRecord", "lead", KIM_LEAD, "?$select=statecode,statuscode")
    assert (lead["statecode"], lead["statuscode@OData.Community.Display.V1.FormattedValue"]) == (
        1,
        "Qualified",
    )


def test_parameters_may_be_properties_of_the_request_as_on_xrm_requests(bridge: Bridge) -> None:
    request = {"operationName": "QualifyLead", "boundParameter": "entity", "Status": 3}
    request |= {"entity": {"entityType": "lead", "id": KIM_LEAD}, "CreateAccount": True}
    request |= {"CreateContact": False, "CreateOpportunity": False}
    [account] = bridge.ok("executeAction", request)["value"]
    assert account["@odata.type"] == "#Microsoft.Dynamics.CRM.account"


def test_qualify_lead_creates_only_what_is_asked(bridge: Bridge) -> None:
    answer = qualify(bridge, CreateAccount=False, CreateOpportunity=False)
    [contact] = answer["value"]
    person = bridge.ok("retrieveRecord", "contact", contact["contactid"], "")
    assert person["_parentcustomerid_value"] is None


def test_a_qualified_lead_cannot_be_qualified_again_and_nothing_changes(bridge: Bridge) -> None:
    qualify(bridge, CreateAccount=False, CreateContact=False, CreateOpportunity=False)
    before = records_state(bridge)
    request = {
        "operationName": "QualifyLead",
        "entity": {"entityType": "lead", "id": KIM_LEAD},
        "parameters": {"CreateAccount": True, "CreateContact": True},
    }
    request["parameters"] |= {"CreateOpportunity": True, "Status": 3}
    assert xrm_message(bridge, "executeAction", request) == (
        "The lead is closed. You cannot convert or qualify a lead that is already closed."
    )
    assert records_state(bridge) == before


def test_qualify_lead_refuses_missing_parameters_before_writing(bridge: Bridge) -> None:
    before = records_state(bridge)
    request = {"operationName": "QualifyLead", "entity": {"entityType": "lead", "id": KIM_LEAD}}
    request["parameters"] = {"CreateAccount": True}
    assert xrm_message(bridge, "executeAction", request) == (
        "The parameter 'CreateContact' is required: a bool value"
    )
    unbound = {"operationName": "QualifyLead", "parameters": {}}
    assert "bound to lead" in xrm_message(bridge, "executeAction", unbound)
    assert records_state(bridge) == before


def test_unknown_actions_and_wrong_operation_types_reject(bridge: Bridge) -> None:
    error = bridge.error("executeAction", {"operationName": "sample_DoMagic", "operationType": 0})
    assert error["value"]["errorMsg"] == "Resource not found for the segment 'sample_DoMagic'."
    assert error["value"]["sourceFunc"] == "client.executeAction - Xrm.WebApi.online.execute"
    wrong = xrm_message(bridge, "executeAction", {"operationName": "WhoAmI", "operationType": 0})
    assert wrong == "WhoAmI is a function: its operationType is 1, not 0"
    assert "operationName" in bridge.error("executeAction", {"operationType": 1})["message"]
