"""OData options over the record store: splitting, $filter semantics, ordering, shaping."""

from __future__ import annotations

from typing import Any

import pytest

from cifbridge.engine.dataverse.odata import split
from tests.conftest import Bridge

MARIA = "d8378461-2f3a-4cd2-8048-1451d3dbef2e"


def names(bridge: Bridge, query: str, entity: str = "contact", key: str = "fullname") -> list[Any]:
    return [row[key] for row in bridge.ok("searchAndOpenRecords", entity, query, True)]


def failure(bridge: Bridge, query: str, entity: str = "contact") -> str:
    message: str = bridge.error("searchAndOpenRecords", entity, query, True)["value"]["errorMsg"]
    return message


def test_split_ignores_separators_in_quotes_and_parentheses() -> None:
    text = "$filter=name eq 'A&B (x, y)'&$expand=a($select=b,c;$top=1),d"
    assert split(text, "&") == ["$filter=name eq 'A&B (x, y)'", "$expand=a($select=b,c;$top=1),d"]
    assert split("a($select=b,c),d", ",") == ["a($select=b,c)", "d"]


def test_options_may_be_percent_encoded_and_the_question_mark_is_optional(bridge: Bridge) -> None:
    encoded = "$select=fullname&$filter=lastname%20eq%20%27Campbell%27"
    assert names(bridge, encoded) == ["Maria Campbell"]
    # '+' stays a plus sign: phone numbers keep theirs.
    assert names(bridge, "?$filter=mobilephone eq '+1 425 555 0142'") == ["Maria Campbell"]


def test_ne_excludes_nulls_as_dataverse_does(bridge: Bridge) -> None:
    # Scott Konersmann has no email address: `ne` never matches a null, `eq null` does.
    with_email = names(bridge, "?$filter=emailaddress1 ne 'nobody@example.com'")
    assert "Scott Konersmann" not in with_email and len(with_email) == 9
    assert names(bridge, "?$filter=emailaddress1 eq null") == ["Scott Konersmann"]
    assert len(names(bridge, "?$filter=emailaddress1 ne null")) == 9
    assert names(bridge, "?$filter=not (emailaddress1 ne null)") == ["Scott Konersmann"]


def test_text_functions_ignore_case(bridge: Bridge) -> None:
    assert names(bridge, "?$filter=startswith(fullname,'MAR')") == ["Maria Campbell"]
    assert names(bridge, "?$filter=endswith(emailaddress1,'@LITWARE.DE')") == ["Jonas Weber"]
    assert names(bridge, "?$filter=contains(jobtitle,'manager') and address1_city eq 'Berlin'") == [
        "Jonas Weber"
    ]


def test_or_binds_looser_than_and_and_parentheses_regroup(bridge: Bridge) -> None:
    loose = "?$filter=address1_city eq 'Boston' or address1_city eq 'Dublin' and statecode eq 1"
    grouped = "?$filter=(address1_city eq 'Boston' or address1_city eq 'Dublin') and statecode eq 1"
    assert sorted(names(bridge, loose)) == ["Scott Konersmann"]
    assert names(bridge, grouped) == ["Scott Konersmann"]
    either = "?$filter=address1_city eq 'Boston' or address1_city eq 'Dublin'"
    assert sorted(names(bridge, either)) == ["Alex O'Neil", "Scott Konersmann"]


def test_guids_compare_without_case_and_booleans_and_dates_compare(bridge: Bridge) -> None:
    upper = MARIA.upper()
    assert names(bridge, f"?$filter=contactid eq {upper}") == ["Maria Campbell"]
    incoming = names(bridge, "?$filter=directioncode eq false", "phonecall", "subject")
    assert incoming == ["Call about the damaged shipment", "Portal sign-in help"]
    due = names(bridge, "?$filter=scheduledend lt 2024-06-01", "phonecall", "subject")
    assert due == ["Follow up on invoice INV-2291"]


def test_orderby_several_keys_with_nulls_first_ascending(bridge: Bridge) -> None:
    ordered = names(bridge, "?$orderby=address1_city asc,lastname desc&$top=4")
    assert ordered == ["Jonas Weber", "Scott Konersmann", "Sidney Higa", "Alex O'Neil"]
    emails = names(bridge, "?$orderby=emailaddress1", key="emailaddress1")
    assert emails[0] is None
    emails = names(bridge, "?$orderby=emailaddress1 desc", key="emailaddress1")
    assert emails[-1] is None


def test_select_keeps_the_primary_id_and_expand_gives_null_for_no_lookup(bridge: Bridge) -> None:
    row = bridge.ok(
        "searchAndOpenRecords",
        "contact",
        "?$select=lastname&$filter=lastname eq 'O''Neil'&$expand=parentcustomerid_account",
        True,
    )[0]
    assert set(row) == {"@odata.etag", "contactid", "lastname", "parentcustomerid_account"}
    assert row["parentcustomerid_account"] is None


def test_expand_without_select_gives_the_whole_target(bridge: Bridge) -> None:
    case = bridge.ok(
        "retrieveRecord",
        "incident",
        "2872ed1d-0bcc-4890-8816-782f67c9fb94",
        "?$select=title&$expand=customerid_contact",
    )
    assert case["customerid_contact"]["fullname"] == "Jonas Weber"
    assert case["customerid_contact"]["emailaddress1"] == "jonas.weber@litware.de"


def test_search_drops_wildcards_and_looks_in_text_attributes(bridge: Bridge) -> None:
    assert names(bridge, "?$search=*litware*") == ["Jonas Weber"]
    assert names(bridge, "?$search=INV-2291", "incident", "title") == ["Invoice amount disputed"]
    assert names(bridge, "?$search=camp&$filter=statecode eq 1") == []


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("?$filter=fullname eq 'x", "Syntax error at position 12 in 'fullname eq 'x'."),
        ("?$filter=tolower(fullname) eq 'x'", "the function 'tolower' is not supported"),
        ("?$filter=numberofemployees add 1 eq 2", "BinOp is not supported"),
        ("?$filter=parentcustomerid eq null", "Could not find a property named 'parentcustomerid'"),
        ("?$filter=parentcustomerid_account/nickname eq 'x'", "named 'nickname' on type"),
        ("?$expand=parentcustomerid_account($select=nickname)", "named 'nickname' on type"),
        (
            "?$expand=parentcustomerid_account($top=1)",
            "The query parameter '$top' is not supported",
        ),
        ("?$expand=contact_customer_accounts", "named 'contact_customer_accounts'"),
        ("?$orderby=fullname sideways", "$orderby: 'fullname sideways' must end in asc or desc"),
        ("?$filter=contains(fullname,3)", "Found operand types 'Edm.String' and 'Edm.Int32'"),
    ],
)
def test_bad_queries_name_the_problem(bridge: Bridge, query: str, message: str) -> None:
    assert message in failure(bridge, query)


def test_a_misspelt_property_fails_even_where_the_other_side_decides(bridge: Bridge) -> None:
    # The store is checked before any record is looked at, and both sides of `or` are checked.
    assert "named 'fulname'" in failure(bridge, "?$filter=statecode eq 0 or fulname eq 'x'")
