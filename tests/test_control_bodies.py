"""Control-API bodies: the schemas refuse malformed ones naming the field; the rest become keywords.

The malformed shapes the engine used to refuse itself (missing, unknown or mistyped
parameters) are checked here, where the rule now lives: the schemas in schemas/control/.
"""

from __future__ import annotations

from typing import Any

import pytest

from cifbridge.api.control_bodies import action_keywords, body_problem, keyword, keywords
from cifbridge.api.control_routes import route
from cifbridge.api.validation import SchemaSet

MALFORMED: list[tuple[str, Any, str]] = [
    ("setPanel", {}, "setPanel: $: give at least 1 of: mode, width"),
    ("setPanel", {"width": "wide"}, "setPanel: $.width: 'wide' is not of type 'integer'"),
    ("setPanel", {"mode": True}, "setPanel: $.mode: True is not of type 'integer'"),
    ("setPanel", {"size": 400}, "setPanel: $.size: is not expected (this takes mode, width)"),
    ("setPresence", {}, "setPresence: $: give at least 1 of: presenceText, presenceId"),
    ("setPresence", {"presenceText": "Busy", "presenceId": "p-1"},
     "setPresence: $: give at most 1 of: presenceText, presenceId"),
    ("clickToAct", {"value": "123"}, "clickToAct: $.name: is required"),
    ("raiseEvent", {"data": 1, "colour": "red"},
     "raiseEvent: $.colour: is not expected (this takes data, provider)"),
    ("arriveConversation", {}, "arriveConversation: $.channel: is required"),
    ("arriveConversation", {"channel": "chat", "customer": {"contact": "x", "account": "y"}},
     "arriveConversation: $.customer: give at most 1 of: contact, account, name"),
    ("arriveConversation", {"channel": "chat", "colour": "red"},
     "arriveConversation: $.colour: is not expected"
     " (this takes channel, customer, case, details, provider)"),
    ("arriveConversation", {"channel": "chat", "case": 5},
     "arriveConversation: $.case: 5 is not of type 'string', 'null'"),
    ("followReconnectLink", {"colour": "red"},
     "followReconnectLink: $.colour: is not expected"
     " (this takes link, reconnectId, conversationId, choice)"),
    ("customerMessage", {"text": ""}, "customerMessage: $.text: '' should be non-empty"),
    ("acceptConversation", {"x": 1},
     "acceptConversation: $.x: is not expected (this takes no fields)"),
    ("advanceClock", {"seconds": -1}, "advanceClock: $.seconds: -1 is less than the minimum of 0"),
    ("advanceClock", {"seconds": True}, "advanceClock: $.seconds: True is not of type 'number'"),
    ("openTab", [], "openTab: $: [] is not of type 'object'"),
    ("createRecord", "x", "createRecord: $: 'x' is not of type 'object'"),
]  # fmt: skip
WELL_FORMED: list[tuple[str, Any]] = [
    ("setPanel", {"mode": 5}),  # out of range is the engine's to refuse: a rule, not a shape
    ("setPresence", {"presenceId": "p-1"}),
    ("clickToAct", {"value": "1", "name": "telephone1", "entityLogicalName": "contact"}),
    ("raiseEvent", {}),
    ("arriveConversation", {"channel": "chat", "customer": None, "details": {"a": 1}}),
    ("arriveConversation", {"channel": "chat", "customer": {}}),
    ("followReconnectLink", {"reconnectId": "x", "choice": "maybe"}),
    ("acceptConversation", {}),
    ("openTab", {"templateName": "msdyn_search", "templateParameters": None}),
    ("createRecord", {"lastname": 1}),  # Dataverse's own checks come after
]


@pytest.mark.parametrize(("name", "body", "message"), MALFORMED)
def test_malformed_bodies_are_refused_naming_the_field(
    schemas: SchemaSet, name: str, body: Any, message: str
) -> None:
    assert body_problem(schemas, route(name), body) == message


@pytest.mark.parametrize(("name", "body"), WELL_FORMED)
def test_well_formed_bodies_pass(schemas: SchemaSet, name: str, body: Any) -> None:
    assert body_problem(schemas, route(name), body) is None


@pytest.mark.parametrize(("name", "body"), [(n, b) for n, b, _ in MALFORMED] + WELL_FORMED)
def test_compiled_and_reference_validators_agree(schemas: SchemaSet, name: str, body: Any) -> None:
    schema_id = route(name).schema_id
    assert schema_id is not None
    assert schemas.is_valid(schema_id, body) == schemas.is_valid_reference(schema_id, body)


def test_routes_without_a_body_schema_read_no_body(schemas: SchemaSet) -> None:
    assert body_problem(schemas, route("focusSession"), ["anything"]) is None


def test_wire_names_become_python_keywords() -> None:
    assert keyword("conversationId") == "conversation_id"
    assert keyword("entityLogicalName") == "entity_logical_name"
    assert keyword("text") == "text"
    nested = {"customer": {"contactId": "x"}}
    assert keywords({"presenceText": "Busy", **nested}) == {"presence_text": "Busy", **nested}


def test_path_values_and_bodies_make_the_actions_keywords() -> None:
    path = {"conversation_id": "c-1"}
    assert action_keywords(route("agentReply"), path, {"text": "hi"}) == {
        "conversation_id": "c-1",
        "text": "hi",
    }
    attributes = {"firstName": "Ana"}  # a record's attributes stay as they are, under data
    record = {"entity_name": "contact"}
    assert action_keywords(route("createRecord"), record, attributes) == {
        "entity_name": "contact",
        "data": {"firstName": "Ana"},
    }
