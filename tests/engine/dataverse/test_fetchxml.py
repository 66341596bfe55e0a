"""FetchXML over the record store: conditions, nested filters, order, paging, links, errors."""

from __future__ import annotations

from typing import Any

import pytest

from cifbridge.engine.dataverse.webapi import fetch_xml_text
from tests.conftest import Bridge


def contacts(bridge: Bridge, conditions: str, fetch: str = "<fetch>", **kw: Any) -> list[str]:
    xml = (
        f'{fetch}<entity name="contact"><attribute name="fullname" />'
        f'<order attribute="fullname" />{conditions}</entity></fetch>'
    )
    rows = bridge.ok("executeFetchQuery", "contacts", xml)["value"]
    return [row["fullname"] for row in rows]


def where(attribute: str, operator: str, value: str | None = None) -> str:
    given = "" if value is None else f' value="{value}"'
    return f'<filter><condition attribute="{attribute}" operator="{operator}"{given} /></filter>'


def failure(bridge: Bridge, xml: str, entity_set: str = "contacts") -> str:
    message: str = bridge.error("executeFetchQuery", entity_set, xml)["value"]["errorMsg"]
    return message


@pytest.mark.parametrize(
    ("condition", "expected"),
    [
        (where("lastname", "eq", "CAMPBELL"), ["Maria Campbell"]),
        (where("address1_city", "ne", "London"), 8),
        (where("address1_city", "neq", "London"), 8),
        (where("createdon", "gt", "2024-03-01"), ["Alex O'Neil", "Jonas Weber"]),
        (where("createdon", "ge", "2024-03-07T08:00:00Z"), ["Alex O'Neil", "Jonas Weber"]),
        (where("createdon", "lt", "2024-01-01"), ["Scott Konersmann"]),
        (where("preferredcontactmethodcode", "le", "1"), ["Scott Konersmann", "Yvonne McKay"]),
        (
            where("lastname", "like", "%an%"),
            ["Nancy Anderson", "Patrick Sands", "Scott Konersmann"],
        ),
        (where("lastname", "like", "s_nds"), ["Patrick Sands"]),
        (where("emailaddress1", "not-like", "%contoso%"), 7),
        (where("lastname", "begins-with", "Mc"), ["Yvonne McKay"]),
        (where("lastname", "not-begin-with", "m"), 9),
        (where("emailaddress1", "ends-with", ".de"), ["Jonas Weber"]),
        (where("emailaddress1", "not-end-with", ".com"), ["Jonas Weber"]),
        (where("emailaddress1", "null"), ["Scott Konersmann"]),
        (where("emailaddress1", "not-null"), 9),
        (where("statecode", "eq", "1"), ["Scott Konersmann"]),
    ],
)
def test_each_condition_operator(bridge: Bridge, condition: str, expected: Any) -> None:
    found = contacts(bridge, condition)
    assert (len(found) if isinstance(expected, int) else found) == expected


def test_in_and_not_in_take_value_children(bridge: Bridge) -> None:
    listed = '<condition attribute="address1_city" operator="{op}"><value>Berlin</value>'
    listed += "<value>chicago</value></condition>"
    assert contacts(bridge, f"<filter>{listed.format(op='in')}</filter>") == [
        "Jonas Weber",
        "Sidney Higa",
    ]
    assert len(contacts(bridge, f"<filter>{listed.format(op='not-in')}</filter>")) == 8


def test_filters_nest_with_and_and_or(bridge: Bridge) -> None:
    nested = """<filter type="and">
      <condition attribute="statecode" operator="eq" value="0" />
      <filter type="or">
        <condition attribute="address1_city" operator="eq" value="Boston" />
        <condition attribute="address1_city" operator="eq" value="Dublin" />
        <condition attribute="jobtitle" operator="eq" value="Buyer" />
      </filter>
    </filter>"""
    assert contacts(bridge, nested) == ["Alex O'Neil", "Yvonne McKay"]


def test_a_lookup_condition_takes_the_referenced_id(bridge: Bridge) -> None:
    fabrikam = "{DADA85C5-8E11-4AE1-8F5E-18CB76DC73A1}"
    found = contacts(bridge, where("parentcustomerid", "eq", fabrikam))
    assert found == ["Susan Burk", "Yvonne McKay"]


def test_order_descending_top_count_and_page(bridge: Bridge) -> None:
    everyone = contacts(bridge, "")
    assert len(everyone) == 10 and everyone == sorted(everyone)
    assert contacts(bridge, "", '<fetch top="2">') == everyone[:2]
    assert contacts(bridge, "", '<fetch count="3" page="2">') == everyone[3:6]
    descending = '<order attribute="lastname" descending="true" />'
    xml = f'<fetch top="1"><entity name="contact"><attribute name="lastname" />{descending}'
    rows = bridge.ok("executeFetchQuery", "contacts", xml + "</entity></fetch>")["value"]
    assert [r["lastname"] for r in rows] == ["Weber"]


def test_all_attributes_and_null_columns_left_out(bridge: Bridge) -> None:
    xml = '<fetch><entity name="contact"><all-attributes />'
    xml += where("lastname", "eq", "Konersmann") + "</entity></fetch>"
    [scott] = bridge.ok("executeFetchQuery", "contacts", xml)["value"]
    assert scott["jobtitle"] == "Researcher"
    assert scott["preferredcontactmethodcode@OData.Community.Display.V1.FormattedValue"] == "Any"
    assert "emailaddress1" not in scott and "telephone1" not in scott


def test_a_condition_may_point_at_a_link_alias(bridge: Bridge) -> None:
    xml = """<fetch><entity name="contact"><attribute name="fullname" />
      <filter><condition entityname="acc" attribute="address1_city" operator="eq"
        value="Seattle" /></filter>
      <link-entity name="account" from="accountid" to="parentcustomerid" alias="acc"
        link-type="outer" />
    </entity></fetch>"""
    rows = bridge.ok("executeFetchQuery", "contacts", xml)["value"]
    assert sorted(r["fullname"] for r in rows) == ["Susan Burk", "Yvonne McKay"]


def test_a_link_filter_is_part_of_the_join(bridge: Bridge) -> None:
    xml = """<fetch><entity name="account"><attribute name="name" />
      <order attribute="name" />
      <link-entity name="contact" from="parentcustomerid" to="accountid" alias="c">
        <attribute name="fullname" />
        <filter><condition attribute="jobtitle" operator="eq" value="Buyer" /></filter>
      </link-entity></entity></fetch>"""
    rows = bridge.ok("executeFetchQuery", "accounts", xml)["value"]
    assert [(r["name"], r["c.fullname"]) for r in rows] == [("Fabrikam Inc.", "Yvonne McKay")]


def contact_fetch(inside: str, fetch: str = "<fetch>") -> str:
    return f"{fetch}<entity name='contact'>{inside}</entity></fetch>"


NESTED_LINK = (
    '<link-entity name="account" from="accountid" to="parentcustomerid">'
    '<link-entity name="contact" from="contactid" to="primarycontactid" /></link-entity>'
)


@pytest.mark.parametrize(
    ("xml", "message"),
    [
        ("<fetch><entity name='contact'>", "Invalid FetchXML: no element found: line 1, column"),
        ("<query />", "Invalid FetchXML: the root element is <query>, not <fetch>"),
        ("<fetch />", "Invalid FetchXML: <fetch> must hold exactly one <entity>"),
        (
            '<fetch><entity name="account" /></fetch>',
            "The FetchXML queries account, but the request is on contacts: use accounts",
        ),
        (
            contact_fetch(where("lastname", "sounds-like", "x")),
            "The condition operator 'sounds-like' is not valid",
        ),
        (
            contact_fetch(where("createdon", "gt", "yesterday")),
            "Cannot convert the literal 'yesterday' to the expected type 'Edm.DateTimeOffset'.",
        ),
        (
            contact_fetch(where("statecode", "like", "1%")),
            "The condition operator 'like' works on text; 'statecode' is not a text attribute",
        ),
        (
            contact_fetch(where("lastname", "eq")),
            "Invalid FetchXML: the condition operator 'eq' needs a value",
        ),
        (
            contact_fetch("", '<fetch top="2" count="2">'),
            "The top attribute can't be specified with paging attribute count.",
        ),
        (
            contact_fetch("", '<fetch aggregate="true">'),
            "cifbridge does not emulate FetchXML aggregates (aggregate='true')",
        ),
        (contact_fetch(NESTED_LINK), "cifbridge emulates link-entity one level deep"),
        (contact_fetch("", '<fetch page="0">'), "Invalid FetchXML: page='0' must be a positive"),
        (
            contact_fetch("<filter>" * 40 + "</filter>" * 40),
            "Invalid FetchXML: filters nest more than 32 deep",
        ),
    ],
)
def test_bad_fetch_xml_is_refused_with_a_clear_message(
    bridge: Bridge, xml: str, message: str
) -> None:
    assert failure(bridge, xml).startswith(message)


def test_options_carry_fetch_xml_encoded_raw_or_bare() -> None:
    xml = '<fetch><entity name="contact"><filter><condition attribute="lastname" '
    xml += 'operator="like" value="%25a%" /></filter></entity></fetch>'
    assert fetch_xml_text("?fetchXml=" + xml) == xml  # raw: a % stays as written
    assert fetch_xml_text("fetchXml=%3Cfetch%3E%25%3C%2Ffetch%3E") == "<fetch>%</fetch>"
    assert fetch_xml_text("  <fetch/>") == "<fetch/>"
    assert fetch_xml_text("?$select=fullname") is None
