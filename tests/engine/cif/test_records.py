"""The record store and the record functions: seeding, writes, forms, navigation, slugs."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from cifbridge.api.validation import SchemaSet
from cifbridge.engine import Engine
from cifbridge.engine.base.record_store import MemoryRecords
from cifbridge.engine.config.entities import derived_guid
from cifbridge.files.config import ConfigError, load_config
from tests.conftest import CHAT, Bridge, BridgeFactory

MARIA = "d8378461-2f3a-4cd2-8048-1451d3dbef2e"
CONTOSO = "58a6bfe6-b281-4eb7-8bb5-a14678268380"
PORTAL_CASE = "2872ed1d-0bcc-4890-8816-782f67c9fb94"


def parse(value: Any) -> Any:
    """Return a JSON-encoded result as the widget sees it after JSON.parse."""
    return json.loads(json.dumps(value))


def created_id(entity: str, number: int) -> str:
    return derived_guid("cifbridge", entity, number)


def test_bundled_store_has_enough_realistic_records(bridge: Bridge) -> None:
    counts = {
        name: len(bridge.engine.config.records[name])
        for name in ("contact", "account", "incident", "phonecall")
    }
    assert sum(counts.values()) >= 20 and all(counts.values())
    case = bridge.ok("retrieveRecord", "incident", PORTAL_CASE, "?$select=ticketnumber")
    assert case["ticketnumber"] == "CAS-01003-P3B7G1"


def test_changes_round_trip_through_the_rows_and_reset_records_drops_them(
    bridge: Bridge,
) -> None:
    bridge.ok("createRecord", "contact", '{"lastname":"Lee"}')
    bridge.ok("updateRecord", "contact", MARIA, '{"jobtitle":"Buyer"}')
    bridge.ok("deleteRecord", "account", CONTOSO)
    # What a persistent store writes: the changed rows (as JSON) and the agent's workspace.
    rows = json.loads(json.dumps(list(bridge.engine.records.changed_rows())))
    saved = json.loads(json.dumps(bridge.engine.snapshot()))
    store = MemoryRecords(bridge.engine.config.records)
    for entity, rid, row in rows:
        store.apply(entity, rid, row)
    restored = Engine(bridge.engine.config, clock=bridge.clock, records=store)
    restored.restore(saved)
    assert restored.snapshot() == bridge.engine.snapshot()
    bridge.engine, bridge.dispatcher.engine = restored, restored
    assert bridge.ok("retrieveRecord", "contact", MARIA, "?$select=jobtitle")["jobtitle"] == "Buyer"
    assert "value" in bridge.error("retrieveRecord", "account", CONTOSO)
    # The counter continues: the next record does not reuse the first one's id.
    second = bridge.ok("createRecord", "contact", '{"lastname":"Kim"}')
    assert second["id"] == created_id("contact", 3)  # one counter: creates and updates
    restored.reset()  # the agent starts over; the org's records are not the agent's
    assert "value" in bridge.error("retrieveRecord", "account", CONTOSO)
    restored.reset_records()
    assert bridge.ok("retrieveRecord", "account", CONTOSO, "?$select=name")["name"]
    assert "value" in bridge.error("retrieveRecord", "contact", created_id("contact", 1))


def test_agents_share_records_and_never_hand_out_the_same_id(bridge: Bridge) -> None:
    other = Engine(bridge.engine.config, clock=bridge.clock, records=bridge.engine.records,
                   agent_id="alice")  # fmt: skip
    mine = bridge.ok("createRecord", "contact", '{"lastname":"Lee"}')["id"]
    theirs = other.call("cont_phone", "createRecord", {"entityName": "contact",
                        "data": '{"lastname":"Kim"}'}).value  # fmt: skip
    assert theirs["id"] != mine
    shown = other.call("cont_phone", "retrieveRecord", {"entityName": "contact",
                       "entityId": mine, "query": "?$select=lastname"}).value  # fmt: skip
    assert shown["lastname"] == "Lee"
    assert other.snapshot()["sessions"] == bridge.engine.snapshot()["sessions"]  # both Home only
    # Each agent is its own user of the org.
    env = other.call("cont_phone", "getEnvironment", {}).value
    assert env["username"] == "alice"
    assert env["userId"] != bridge.ok("getEnvironment")["userId"]


def test_create_fills_what_dataverse_fills(bridge: Bridge) -> None:
    result = bridge.ok("createRecord", "incident", '{"title":"Noisy line"}')
    case = bridge.ok("retrieveRecord", "incident", result["id"])
    assert case["statecode"] == 0 and case["statecode@OData.Community.Display.V1.FormattedValue"]
    assert case["createdon"] == case["modifiedon"] == "2027-01-15T08:00:00Z"  # the FakeClock
    assert case["ticketnumber"].startswith("CAS-01007-")
    bridge.clock.advance(60)
    bridge.ok("updateRecord", "incident", result["id"], '{"prioritycode":1}')
    updated = bridge.ok("retrieveRecord", "incident", result["id"])
    assert updated["modifiedon"] == "2027-01-15T08:01:00Z"
    assert updated["createdon"] == case["createdon"]
    assert updated["@odata.etag"] != case["@odata.etag"]


def test_a_given_primary_id_is_kept_and_a_duplicate_refused(bridge: Bridge) -> None:
    wanted = "0A0B0C0D-0000-4000-8000-000000000001"
    result = bridge.ok("createRecord", "account", json.dumps({"accountid": wanted, "name": "X"}))
    assert result["id"] == wanted.lower()
    error = bridge.error("createRecord", "account", json.dumps({"accountid": wanted, "name": "Y"}))
    assert error["value"]["errorMsg"] == "A record with matching key values already exists."


def test_report_time_is_the_utc_string_of_the_injected_clock(bridge: Bridge) -> None:
    error = bridge.error("retrieveRecord", "contact", "00000000-0000-0000-0000-000000000001")
    assert error["value"]["reportTime"] == "Fri, 15 Jan 2027 08:00:00 GMT"
    assert set(error) == {"value"}  # no message: the record functions stringify it as it is


def test_config_records_merge_by_primary_id_and_need_metadata(
    schemas: SchemaSet, tmp_path: Path
) -> None:
    path = tmp_path / "ws.yaml"
    path.write_text(
        "records:\n"
        "  contact:\n"
        f"    - {{contactid: {MARIA}, fullname: Maria C., lastname: C.}}\n"
        "    - {fullname: New Person, lastname: Person}\n"
    )
    config = load_config(schemas, path)
    contacts = config.records["contact"]
    assert contacts[MARIA]["attrs"]["fullname"] == "Maria C."
    assert len(contacts) == 11 and derived_guid("contact", 10) in contacts
    path.write_text("records:\n  widget:\n    - {name: x}\n")
    with pytest.raises(ConfigError, match="records are configured for widget"):
        load_config(schemas, path)


def test_an_entity_without_declared_attributes_takes_any(make_bridge: BridgeFactory) -> None:
    bridge = make_bridge(
        {
            "entities": [
                {
                    "logicalName": "cont_ticket",
                    "entitySetName": "cont_tickets",
                    "primaryIdAttribute": "cont_ticketid",
                    "primaryNameAttribute": "cont_name",
                }
            ]
        }
    )
    result = bridge.ok("createRecord", "cont_ticket", '{"cont_name":"T-1","cont_level":3}')
    found = bridge.ok("searchAndOpenRecords", "cont_ticket", "?$filter=cont_level ge 3", True)
    assert [r["cont_name"] for r in found] == ["T-1"]
    assert found[0]["cont_ticketid"] == result["id"]


def test_search_results_stop_at_the_configured_maximum(make_bridge: BridgeFactory) -> None:
    bridge = make_bridge({"limits": {"maxSearchRecords": 3}})
    assert len(bridge.ok("searchAndOpenRecords", "contact", "?$select=fullname", True)) == 3
    assert len(bridge.ok("searchAndOpenRecords", "contact", "?$top=2", True)) == 2


def focused_tab(bridge: Bridge) -> Any:
    session = bridge.engine.workspace.sessions[bridge.engine.workspace.focused]
    return next(t for t in session.tabs if t.id == session.focused_tab)


def test_one_hit_opens_the_record_by_its_primary_id(bridge: Bridge) -> None:
    bridge.create("Ana")
    query = "?$filter=subject eq 'Portal sign-in help'"
    hits = bridge.ok("searchAndOpenRecords", "phonecall", query, False)
    tab = focused_tab(bridge)
    # phonecall's id is activityid, not "phonecallid" (which the 2020 host would have read).
    assert tab.template == "msdyn_entityrecord"
    assert tab.parameters["entityName"] == "phonecall"
    assert tab.parameters["entityId"] == hits[0]["activityid"]


def test_several_hits_open_the_search_page_with_the_search_text(bridge: Bridge) -> None:
    bridge.create("Ana")
    bridge.ok("searchAndOpenRecords", "contact", "?$search=son&$select=fullname", False)
    tab = focused_tab(bridge)
    assert tab.template == "msdyn_search"
    assert tab.parameters["searchText"] == "son"
    assert tab.parameters["entityName"] == "contact"
    assert tab.title == "Search: son"


def test_navigation_is_refused_in_another_providers_session(two_providers: Bridge) -> None:
    two_providers.create("Ana", provider=CHAT)
    error = two_providers.error("renderSearchPage", "contact", "x")
    assert error == {
        "message": "This operation can be performed from the active provider",
        "msdyn_name": "renderSearchPage",
    }
    assert len(two_providers.engine.workspace.sessions["session-id-1"].tabs) == 2


def test_anchor_slugs_reach_additional_tabs(make_bridge: BridgeFactory) -> None:
    bridge = make_bridge(
        {
            "applicationTabTemplates": [
                {
                    "uniqueName": "cifb_case_web",
                    "name": "Case lookup",
                    "title": "Look up {anchor.ticketnumber}",
                    "pageType": "thirdpartywebsite",
                    "parameters": {
                        "url": {"value": "https://www.bing.com/search?q="},
                        "data": {"value": "{anchor.ticketnumber}"},
                    },
                }
            ],
            "sessionTemplates": [
                {
                    "uniqueName": "cifb_case_session",
                    "name": "Case",
                    "title": "{anchor.title}",
                    "anchorTab": "msdyn_entityrecord",
                    "additionalTabs": ["cifb_case_web"],
                }
            ],
        }
    )
    anchor = {"entityName": "incident", "entityId": PORTAL_CASE}
    session_id = bridge.ok(
        "createSession",
        {"templateName": "cifb_case_session", "templateParameters": {"msdyn_entityrecord": anchor}},
    )
    session = bridge.engine.workspace.sessions[session_id]
    assert session.title == "Cannot sign in to the portal"
    web = session.tabs[1]
    assert web.parameters["data"] == "CAS-01003-P3B7G1"
    assert web.title == "Look up CAS-01003-P3B7G1"


def test_seeded_rows_get_their_composed_name_like_dataverse_rows(
    make_bridge: BridgeFactory,
) -> None:
    # A partner's own contact entity says nothing about fullname being computed; Dataverse
    # computes it anyway, for configured rows as for created and updated ones.
    contact = {
        "logicalName": "contact",
        "entitySetName": "contacts",
        "primaryIdAttribute": "contactid",
        "primaryNameAttribute": "fullname",
        "attributes": {"fullname": {}, "firstname": {}, "lastname": {}},
    }
    seeded = {"contactid": MARIA, "firstname": "Maria", "lastname": "Campbell"}
    bridge = make_bridge({"entities": [contact], "records": {"contact": [seeded]}})
    found = bridge.ok("retrieveRecord", "contact", MARIA, "?$select=fullname")
    assert found["fullname"] == "Maria Campbell"
    created = bridge.ok("createRecord", "contact", '{"firstname":"Ida","lastname":"Quist"}')
    bridge.ok("updateRecord", "contact", MARIA, '{"lastname":"Lee"}')
    query = "?$select=fullname&$filter=lastname in ('Quist','Lee')&$orderby=fullname"
    names = bridge.ok("searchAndOpenRecords", "contact", query, True)
    assert [r["fullname"] for r in names] == ["Ida Quist", "Maria Lee"]
    assert names[0]["contactid"] == created["id"]


def test_a_name_given_on_create_stays_until_a_part_changes(bridge: Bridge) -> None:
    created = bridge.ok(
        "createRecord", "contact", '{"fullname":"Dr. Ida Quist","lastname":"Quist"}'
    )
    bridge.ok("updateRecord", "contact", created["id"], '{"jobtitle":"Surgeon"}')
    row = bridge.ok("retrieveRecord", "contact", created["id"], "?$select=fullname")
    assert row["fullname"] == "Dr. Ida Quist"
    bridge.ok("updateRecord", "contact", created["id"], '{"firstname":"Ida"}')
    row = bridge.ok("retrieveRecord", "contact", created["id"], "?$select=fullname")
    assert row["fullname"] == "Ida Quist"
