"""The agent's record forms and record actions: create forms, quick create, edits, refusals."""

from __future__ import annotations

import pytest

from cifbridge.engine import AgentActionRefused
from tests.conftest import Bridge
from tests.engine.cif.test_records import CONTOSO, MARIA, created_id, focused_tab


def open_quick_create(bridge: Bridge) -> tuple[str, str]:
    outcome = bridge.call(
        "openForm",
        '{"entityName":"contact","useQuickCreateForm":true}',
        '{"lastname":"Lee","mobilephone":"+1 555 0100"}',
        rid="form-1",
    )
    assert outcome.ok and outcome.deferred
    return "form-1", focused_tab(bridge).id


def test_quick_create_answers_when_the_agent_saves(bridge: Bridge) -> None:
    session_id = bridge.create("Ana")
    request_id, tab_id = open_quick_create(bridge)
    form = bridge.engine.agent("getForm", tab_id=tab_id).value
    assert form["data"] == {"lastname": "Lee", "mobilephone": "+1 555 0100"}
    assert form["quickCreate"] is True
    result = bridge.engine.agent("saveForm", tab_id=tab_id, data={"firstname": "Ann"})
    reference = {"entityType": "contact", "id": created_id("contact", 1), "name": "Ann Lee"}
    assert result.value == reference
    (answer,) = bridge.dispatcher.settle(result.settlements)
    assert (answer.provider, answer.api) == ("cifb_softphone", "openForm")
    assert answer.message == {
        "requestId": request_id,
        "ok": True,
        "value": {"savedEntityReference": [reference]},
    }
    session = bridge.engine.workspace.sessions[session_id]
    assert tab_id not in [t.id for t in session.tabs]  # the quick create form closed
    saved = bridge.ok("retrieveRecord", "contact", reference["id"], "?$select=mobilephone")
    assert saved["mobilephone"] == "+1 555 0100"


def test_quick_create_cancelled_answers_nothing_saved(bridge: Bridge) -> None:
    bridge.create("Ana")
    _, tab_id = open_quick_create(bridge)
    result = bridge.engine.agent("cancelForm", tab_id=tab_id)
    (answer,) = bridge.dispatcher.settle(result.settlements)
    assert answer.message["value"] == {"savedEntityReference": []}
    with pytest.raises(AgentActionRefused) as refused:
        bridge.engine.agent("saveForm", tab_id=tab_id, data={})
    assert refused.value.kind == "not_found"


def test_a_saved_main_create_form_shows_the_new_record(bridge: Bridge) -> None:
    bridge.create("Ana")
    answer = bridge.ok("openForm", {"entityName": "account"}, {"name": "Wingtip Toys"})
    assert answer == {"savedEntityReference": []}
    tab = focused_tab(bridge)
    assert tab.parameters["data"] == {"name": "Wingtip Toys"}
    result = bridge.engine.agent("saveForm", tab_id=tab.id, data={"telephone1": "555"})
    assert result.settlements == ()
    assert tab.parameters["entityId"] == result.value["id"]


def test_a_bad_form_save_is_refused_and_the_form_stays(bridge: Bridge) -> None:
    bridge.create("Ana")
    bridge.ok("openForm", '{"entityName":"contact"}')
    tab = focused_tab(bridge)
    with pytest.raises(AgentActionRefused) as refused:
        bridge.engine.agent("saveForm", tab_id=tab.id, data={"nickname": "x"})
    assert refused.value.kind == "invalid"
    assert "nickname" in refused.value.message
    assert bridge.engine.agent("getForm", tab_id=tab.id).value["entityName"] == "contact"


def test_agent_edits_and_refusals(bridge: Bridge) -> None:
    edited = bridge.engine.agent(
        "updateRecord", entity_name="contact", record_id=MARIA, data={"jobtitle": "CEO"}
    ).value
    assert edited["jobtitle"] == "CEO" and edited["contactid"] == MARIA
    listed = bridge.engine.agent(
        "listRecords", entity_name="contact", query="$filter=jobtitle eq 'ceo'&$select=fullname"
    ).value
    assert [r["fullname"] for r in listed["value"]] == ["Maria Campbell"]
    for action, params, kind in [
        ("getRecord", {"entity_name": "nothing", "record_id": MARIA}, "not_found"),
        ("getRecord", {"entity_name": "contact", "record_id": CONTOSO}, "not_found"),
        ("listRecords", {"entity_name": "contact", "query": "$filter=x eq"}, "invalid"),
        ("createRecord", {"entity_name": "contact", "data": {"lastname": 1}}, "invalid"),
    ]:
        with pytest.raises(AgentActionRefused) as refused:
            bridge.engine.agent(action, **params)
        assert refused.value.kind == kind, action


def test_entities_are_listed_with_every_attribute(bridge: Bridge) -> None:
    entities = {e["LogicalName"]: e for e in bridge.engine.agent("listEntities").value}
    assert set(entities) == {
        "account",
        "contact",
        "incident",
        "phonecall",
        "annotation",
        "lead",
        "opportunity",
    }
    names = [a["LogicalName"] for a in entities["contact"]["Attributes"]]
    assert names[:2] == ["contactid", "fullname"] and "parentcustomerid" in names


def test_quick_create_answers_cancelled_when_its_tab_is_closed(bridge: Bridge) -> None:
    session_id = bridge.create("Ana")
    request_id, tab_id = open_quick_create(bridge)
    result = bridge.engine.agent("closeTab", session_id=session_id, tab_id=tab_id)
    [settlement] = result.settlements
    assert (settlement.request_id, settlement.value) == (request_id, {"savedEntityReference": []})


def test_quick_create_answers_cancelled_when_its_session_is_closed(bridge: Bridge) -> None:
    session_id = bridge.create("Ana")
    request_id, _ = open_quick_create(bridge)
    result = bridge.engine.close_session(session_id)
    assert [(s.request_id, s.value) for s in result.settlements] == [
        (request_id, {"savedEntityReference": []})
    ]


def test_stopping_answers_a_waiting_quick_create_form_and_leaves_the_form_open(
    bridge: Bridge,
) -> None:
    bridge.create("Ana")
    request_id, tab_id = open_quick_create(bridge)
    (answer,) = bridge.dispatcher.settle(bridge.engine.stop().settlements)
    assert answer.message == {
        "requestId": request_id,
        "ok": False,
        "error": {
            "message": "cifbridge: the bridge stopped before the agent answered",
            "msdyn_name": "openform",  # the message type, as for every host error without one
        },
        "origin": "host",
    }
    # The agent may still save the form; no widget waits for it any more.
    saved = bridge.engine.agent("saveForm", tab_id=tab_id, data={"firstname": "Ann"})
    assert saved.settlements == ()
    assert bridge.engine.stop().settlements == ()
