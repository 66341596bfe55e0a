"""The engine's tables: every CIF function is claimed once, and every claim is a real function."""

from __future__ import annotations

from collections import Counter

from cifbridge.api.catalog import APIS
from cifbridge.api.dispatcher import api_schema_id
from cifbridge.api.validation import SchemaSet
from cifbridge.engine import core

FEATURE_MODULES = [
    core.sessions,
    core.tab_api,
    core.notifications,
    core.presence,
    core.panel,
    core.context_api,
    core.indicators,
    core.analytics,
    core.custom_events,
    core.misc,
    core.record_api,
]
NOT_EMULATED = {"insertNotes", "closeNotes"}


def test_no_two_modules_claim_the_same_function() -> None:
    claims = Counter(name for module in FEATURE_MODULES for name in module.HANDLERS)
    assert [name for name, count in claims.items() if count > 1] == []
    assert set(claims) == set(core.HANDLERS)


def test_every_handler_is_a_catalogued_function_with_a_schema(schemas: SchemaSet) -> None:
    assert set(core.HANDLERS) <= set(APIS)
    assert [api for api in core.HANDLERS if not schemas.has(api_schema_id(api))] == []


def test_everything_in_the_catalog_is_emulated_but_the_notes_flap() -> None:
    assert set(APIS) - set(core.HANDLERS) == NOT_EMULATED
