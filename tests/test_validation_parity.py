"""The compiled validator (hot path) and jsonschema (reference) agree on every input we know."""

from __future__ import annotations

from typing import Any

import pytest

from cifbridge.api.catalog import APIS
from cifbridge.api.dispatcher import api_schema_id
from cifbridge.api.signatures import normalize
from cifbridge.api.validation import SchemaSet
from cifbridge.contracts.cases import Call, case_files, load_file
from cifbridge.files.resources import data_dir

CRAFTED: list[tuple[str, list[Any]]] = [
    ("createSession", []),
    ("createSession", [None]),
    ("createSession", ["msdyn_chat_session"]),
    ("createSession", [{}]),
    ("createSession", [{"templateName": ""}]),
    ("createSession", [{"templateName": 5}]),
    ("createSession", [{"templateTag": "chat", "templateParameters": []}]),
    ("createSession", [{"templateName": "x", "templateParameters": {"a": {"b": [1, None]}}}]),
    ("getSession", [""]),
    ("getSession", [{"id": 1}]),
    ("requestFocusSession", ["session-id-1", -1]),
    ("requestFocusSession", ["session-id-1", 2.5]),
    ("requestFocusSession", ["session-id-1", 3, "c"]),
    ("setSessionTitle", [[]]),
    ("addHandler", ["", True]),
    ("addHandler", ["onSessionClosed", False]),
    ("removeHandler", [None, True]),
]


def known_inputs(schemas: SchemaSet) -> list[tuple[str, list[Any]]]:
    inputs = list(CRAFTED)
    for path in case_files([data_dir("contracts")]):
        for case in load_file(schemas, path):
            for step in [*case.setup, case.subject]:
                if isinstance(step, Call):
                    inputs.append((step.api, step.wire_args()))
    return [(api, args) for api, args in inputs if api in APIS]


def test_compiled_and_reference_validators_agree(schemas: SchemaSet) -> None:
    checked = 0
    for api, args in known_inputs(schemas):
        schema = api_schema_id(api)
        if not schemas.has(schema):
            continue
        named = normalize(api, args)
        fast, reference = schemas.is_valid(schema, named), schemas.is_valid_reference(schema, named)
        assert fast == reference, f"{api}{args}: compiled says {fast}, reference {reference}"
        checked += 1
    assert checked > len(CRAFTED)


@pytest.mark.parametrize(("api", "args"), CRAFTED)
def test_crafted_inputs_are_judged_alike(schemas: SchemaSet, api: str, args: list[Any]) -> None:
    named = normalize(api, args)
    schema = api_schema_id(api)
    assert schemas.is_valid(schema, named) == schemas.is_valid_reference(schema, named)
