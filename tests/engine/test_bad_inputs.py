"""Bad input to any CIF function rejects with a clear message and changes nothing."""

from __future__ import annotations

from typing import Any

import pytest

from cifbridge.api.catalog import APIS
from cifbridge.api.dispatcher import api_schema_id
from cifbridge.api.signatures import normalize
from cifbridge.api.validation import SchemaSet
from cifbridge.engine import core
from cifbridge.files.resources import data_dir
from tests.conftest import Bridge

# Values of the wrong kind for nearly every parameter; the first that the function's schema
# refuses is used. Functions whose only parameter is the free-form correlationId have none.
WRONG_VALUES: list[Any] = [{"unexpected": [1]}, 12345, [1, 2], "", True, -5]


def bad_arguments(schemas: SchemaSet, api: str) -> list[Any] | None:
    params = [p for p in APIS[api].params if p != "correlationId"]
    for wrong in WRONG_VALUES:
        for position in range(len(params)):
            args: list[Any] = [wrong if i == position else None for i in range(position + 1)]
            if not schemas.is_valid(api_schema_id(api), normalize(api, args)):
                return args
    return None


SCHEMAS = SchemaSet(data_dir("schemas"))
CASES = [
    (api, args)
    for api in sorted(core.HANDLERS)
    if (args := bad_arguments(SCHEMAS, api)) is not None
]


def test_every_function_with_parameters_has_a_refusable_input() -> None:
    # Only functions without real parameters (getters) have nothing to refuse.
    with_parameters = {
        api for api in core.HANDLERS if any(p != "correlationId" for p in APIS[api].params)
    }
    assert {api for api, _ in CASES} == with_parameters


@pytest.mark.parametrize(("api", "args"), CASES, ids=[api for api, _ in CASES])
def test_bad_input_rejects_clearly_and_changes_nothing(
    bridge: Bridge, api: str, args: list[Any]
) -> None:
    bridge.create("Ana")  # a session to act on, so the refusal can't be about its absence
    before = bridge.engine.snapshot_text()
    outcome = bridge.call(api, *args, rid="bad-1")
    assert not outcome.ok
    assert outcome.error is not None and len(outcome.error["message"]) > 10
    assert outcome.deliveries == () and not outcome.mutated
    assert bridge.engine.snapshot_text() == before
