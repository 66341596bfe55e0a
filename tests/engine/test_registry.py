"""The engine's tables: every CIF function is claimed once, and every claim is a real function."""

from __future__ import annotations

from collections import Counter

from cifbridge.api.catalog import APIS
from cifbridge.api.dispatcher import api_schema_id
from cifbridge.api.validation import SchemaSet
from cifbridge.engine import core
from cifbridge.engine.features import FEATURES


def test_no_two_features_claim_the_same_function() -> None:
    claims = Counter(name for feature in FEATURES for name in feature.handlers)
    assert [name for name, count in claims.items() if count > 1] == []
    assert set(claims) == set(core.HANDLERS)


def test_no_two_features_claim_the_same_agent_action() -> None:
    claims = Counter(name for feature in FEATURES for name in feature.agent_actions)
    assert [name for name, count in claims.items() if count > 1] == []
    assert set(claims) == set(core.AGENT_ACTIONS)


def test_every_feature_is_listed_once_under_its_own_name() -> None:
    names = [feature.name for feature in FEATURES]
    assert sorted(set(names)) == sorted(names)


def test_every_handler_is_a_catalogued_function_with_a_schema(schemas: SchemaSet) -> None:
    assert set(core.HANDLERS) <= set(APIS)
    assert [api for api in core.HANDLERS if not schemas.has(api_schema_id(api))] == []


def test_everything_in_the_catalog_is_emulated() -> None:
    assert set(APIS) - set(core.HANDLERS) == set()


def test_every_timer_and_hook_of_the_features_reaches_the_engine() -> None:
    assert list(core.TIMERS) == [t for f in FEATURES for t in f.timers]
    assert list(core.HOOKS.on_session_closed) == [h for f in FEATURES for h in f.on_session_closed]
    assert list(core.HOOKS.on_tab_closed) == [h for f in FEATURES for h in f.on_tab_closed]
    assert list(core.HOOKS.on_reset) == [h for f in FEATURES for h in f.on_reset]
    hosts = [name for f in FEATURES for name in f.notification_hosts]
    assert sorted(core.HOOKS.notification_hosts) == sorted(hosts)
