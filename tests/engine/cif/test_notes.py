"""insertNotes and closeNotes: the notes flap, the agent's note, the annotation it saves."""

from __future__ import annotations

import pytest

from cifbridge.engine import AgentActionRefused
from cifbridge.engine.views.workspace import workspace_view
from tests.conftest import Bridge
from tests.engine.cif.deferred import Waiting

MARIA = "d8378461-2f3a-4cd2-8048-1451d3dbef2e"
CASE = "8f78ab89-12ce-45f0-83aa-856763bc7573"
FOR_MARIA = ("contact", "contacts", MARIA, "")


@pytest.fixture
def desk(bridge: Bridge) -> Waiting:
    return Waiting(bridge)


def flap(desk: Waiting) -> object:
    return workspace_view(desk.bridge.engine)["overlays"]["notes"]


def note(desk: Waiting, annotation_id: str) -> dict[str, object]:
    query = "?$select=notetext,_objectid_value&$expand=objectid_contact($select=fullname)"
    found: dict[str, object] = desk.agent(
        "getRecord", entity_name="annotation", record_id=annotation_id, query=query
    ).value
    return found


def test_saving_creates_an_annotation_of_the_record_and_resolves_its_id(desk: Waiting) -> None:
    session = desk.bridge.create("Ana")
    rid = desk.start("insertNotes", *FOR_MARIA)
    shown = flap(desk)
    assert isinstance(shown, dict)
    assert (shown["entityName"], shown["entityId"], shown["sessionId"]) == (
        "contact",
        MARIA,
        session,
    )
    saved = desk.agent("saveNotes", text="Wants a callback at 5").value
    assert desk.answer(rid) == {"value": saved["annotationId"]}
    record = note(desk, saved["annotationId"])
    assert record["notetext"] == "Wants a callback at 5"
    assert record["_objectid_value"] == MARIA
    assert record["objectid_contact"]["fullname"] == "Maria Campbell"
    assert flap(desk) is None


def test_with_an_annotation_id_the_text_is_added_to_that_note(desk: Waiting) -> None:
    desk.start("insertNotes", *FOR_MARIA)
    first = desk.agent("saveNotes", text="Called.").value["annotationId"]
    rid = desk.start("insertNotes", "contact", "contacts", MARIA, first)
    assert desk.agent("getNotes").value["existingText"] == "Called."
    desk.agent("saveNotes", text="Called back.")
    assert desk.answer(rid) == {"value": first}
    assert note(desk, first)["notetext"] == "Called. Called back."


def test_cancel_and_close_notes_resolve_nothing_saved(desk: Waiting) -> None:
    cancelled = desk.start("insertNotes", *FOR_MARIA)
    desk.agent("cancelNotes")
    closed = desk.start("insertNotes", *FOR_MARIA)
    assert desk.call("closeNotes") is None
    assert desk.call("closeNotes") is None  # nothing open: nothing to do
    assert desk.answer(cancelled) == {"value": ""} == desk.answer(closed)
    assert desk.agent("listRecords", entity_name="annotation").value == {"value": []}


def test_a_second_insert_notes_while_open_is_the_flap_error(desk: Waiting) -> None:
    desk.start("insertNotes", *FOR_MARIA)
    assert desk.bridge.error("insertNotes", "incident", "incidents", CASE, "") == {
        "value": "Flap already expanded",
        "errorCode": 101,
    }
    assert flap(desk)["entityName"] == "contact"  # type: ignore[index]


def test_closing_the_session_answers_the_flap_as_closed(desk: Waiting) -> None:
    session = desk.bridge.create("Ana")
    rid = desk.start("insertNotes", *FOR_MARIA)
    desk.collect(desk.bridge.engine.close_session(session))
    assert desk.answer(rid) == {"value": ""}
    assert flap(desk) is None


def test_insert_notes_waits_without_a_timeout_and_a_reset_answers_it(desk: Waiting) -> None:
    rid = desk.start("insertNotes", *FOR_MARIA)
    desk.bridge.clock.advance(3600)
    desk.collect(desk.bridge.engine.advance())
    assert desk.answer(rid) is None
    desk.collect(desk.bridge.engine.reset())
    assert desk.answer(rid)["ok"] is False


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ((None, "contacts", MARIA, ""), "The entityName parameter is blank."),
        (("contact", None, MARIA, ""), "The entitySetName parameter is blank."),
        (("contact", "contacts", None, ""), "The entityId parameter is blank."),
        (("widget", "widgets", MARIA, ""), "The entity with a name = 'widget'"),
        (("contact", "accounts", MARIA, ""), "The entitySetName accounts is not the entity set"),
        (("contact", "contacts", "8a8aad82-0000-4b11-8c49-5e02854fab4e", ""), "Does Not Exist"),
        (("contact", "contacts", MARIA, "8a8aad82-0000-4b11-8c49-5e02854fab4e"), "annotation"),
    ],
)
def test_bad_arguments_are_refused_and_open_nothing(
    desk: Waiting, args: tuple[object, ...], message: str
) -> None:
    error = desk.bridge.error("insertNotes", *args)
    assert message in error["message"]
    assert flap(desk) is None


def test_the_agent_cannot_save_without_a_flap(desk: Waiting) -> None:
    with pytest.raises(AgentActionRefused) as refused:
        desk.agent("saveNotes", text="x")
    assert refused.value.kind == "not_found"
