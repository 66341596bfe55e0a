"""$filter through the store's indexes answers exactly what a scan of every row answers."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cifbridge.api.dispatcher import Caller, Dispatcher
from cifbridge.api.validation import SchemaSet
from cifbridge.engine import Engine, config_from_dict
from cifbridge.engine.base.record_store import Equals, MemoryRecords, Row, Selection
from cifbridge.engine.dataverse import odata_filter
from cifbridge.files.config import default_config_data, merge_config
from tests.conftest import SOFTPHONE, FakeClock

MARIA = "d8378461-2f3a-4cd2-8048-1451d3dbef2e"
CONTOSO = "58a6bfe6-b281-4eb7-8bb5-a14678268380"
FABRIKAM = "dada85c5-8e11-4ae1-8f5e-18cb76dc73a1"
# Configured records may hold any JSON value: these two are of the wrong type for their
# attribute, so a filter comparing that attribute fails, through the index as in a scan.
ODD = {
    "records": {
        "contact": [
            {
                "contactid": "00000000-0000-4000-8000-00000000000a",
                "lastname": "Odd",
                "statecode": "1",
            },
            {
                "contactid": "00000000-0000-4000-8000-00000000000b",
                "lastname": "Odder",
                "address1_city": 7,
            },
        ]
    }
}


class ScanRecords(MemoryRecords):
    """The store as it was before indexes: every query scans every row."""

    def select(self, entity: str, selection: Selection) -> list[tuple[str, Row]] | None:
        return None


class Pair:
    """Two engines over the same configuration: one indexed, one scanning."""

    def __init__(self, schemas: SchemaSet, overrides: dict[str, Any] | None = None) -> None:
        data = merge_config(default_config_data(), overrides or {})
        config = config_from_dict(data)
        self.indexed = Dispatcher(
            Engine(config, clock=FakeClock(), records=MemoryRecords(config.records)), schemas
        )
        self.scanning = Dispatcher(
            Engine(config, clock=FakeClock(), records=ScanRecords(config.records)), schemas
        )

    def both(self, api: str, *args: Any) -> tuple[Any, Any]:
        answers = []
        for dispatcher in (self.indexed, self.scanning):
            outcome = dispatcher.call(Caller(SOFTPHONE), api, list(args), None)
            answers.append((outcome.ok, outcome.value, outcome.error))
        return answers[0], answers[1]

    def search(self, query: str, entity: str = "contact") -> tuple[Any, Any]:
        return self.both("searchAndOpenRecords", entity, query, True)


CITIES = ["Redmond", "REDMOND", "seattle", "London", "Dublin", "Nowhere", "7"]
ATOMS = st.one_of(
    st.sampled_from(CITIES).map(lambda c: f"address1_city eq '{c}'"),
    st.lists(st.sampled_from(CITIES), min_size=1, max_size=3).map(
        lambda cs: "address1_city in (" + ",".join(f"'{c}'" for c in cs) + ")"
    ),
    st.sampled_from(["eq", "ne", "gt", "le"]).flatmap(
        lambda op: st.integers(0, 2).map(lambda n: f"statecode {op} {n}")
    ),
    st.just("statecode in (0,2)"),
    st.just("1 eq statecode"),
    st.sampled_from(["eq", "ne"]).map(lambda op: f"emailaddress1 {op} null"),
    st.sampled_from([CONTOSO, CONTOSO.upper(), FABRIKAM, "null"]).map(
        lambda g: f"_parentcustomerid_value eq {g}"
    ),
    st.sampled_from([MARIA, MARIA.upper()]).map(lambda g: f"contactid eq {g}"),
    st.sampled_from(["MAR", "s", "zz"]).map(lambda p: f"startswith(fullname,'{p}')"),
    st.just("preferredcontactmethodcode eq 3"),
    st.just("lastname eq 5"),  # refused: a number against text
    st.just("createdon gt 2024-02-01"),  # dates are not indexed: scanned
    st.just("parentcustomerid_account/name eq 'Fabrikam Inc.'"),  # navigation: scanned
)
FILTERS = st.recursive(
    ATOMS,
    lambda inner: st.one_of(
        st.tuples(inner, st.sampled_from(["and", "or"]), inner).map(
            lambda t: f"({t[0]}) {t[1]} ({t[2]})"
        ),
        inner.map(lambda f: f"not ({f})"),
    ),
    max_leaves=4,
)
WRITES = st.lists(
    st.one_of(
        st.tuples(st.just("update"), st.sampled_from(CITIES[:5]), st.integers(0, 1)),
        st.tuples(st.just("create"), st.sampled_from(CITIES[:5]), st.integers(0, 1)),
        st.tuples(st.just("delete"), st.just(""), st.just(0)),
    ),
    max_size=4,
)


def write(pair: Pair, kind: str, city: str, state: int) -> None:
    body = json.dumps({"address1_city": city, "statecode": state, "lastname": "W"})
    if kind == "create":
        indexed, scanned = pair.both("createRecord", "contact", body)
    elif kind == "update":  # fails alike once MARIA is deleted
        indexed, scanned = pair.both("updateRecord", "contact", MARIA, body)
    else:
        indexed, scanned = pair.both("deleteRecord", "contact", MARIA)
    assert indexed == scanned


@pytest.fixture(scope="module")
def odd_pair(schemas: SchemaSet) -> Pair:
    return Pair(schemas, ODD)


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(query=FILTERS, top=st.sampled_from(["", "&$top=2"]))
def test_indexed_filters_answer_as_a_scan_does(odd_pair: Pair, query: str, top: str) -> None:
    indexed, scanned = odd_pair.search(f"?$select=fullname&$filter={query}{top}")
    assert indexed == scanned


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(writes=WRITES, query=FILTERS)
def test_indexes_follow_creates_updates_and_deletes(
    schemas: SchemaSet, writes: list[tuple[str, str, int]], query: str
) -> None:
    pair = Pair(schemas)
    pair.search(f"?$filter={query}")  # builds the indexes this filter uses, before the writes
    for kind, city, state in writes:
        write(pair, kind, city, state)
    indexed, scanned = pair.search(f"?$select=fullname,address1_city&$filter={query}")
    assert indexed == scanned


def test_a_reverted_write_leaves_the_indexes_as_they_were() -> None:
    seeds = {"contact": {"a": {"attrs": {"address1_city": "Redmond"}, "version": 1}}}
    store = MemoryRecords(seeds)
    redmond = Selection((Equals("address1_city", "text", ("redmond",)),))
    assert [rid for rid, _ in store.select("contact", redmond) or []] == ["a"]
    store.begin()
    store.put("contact", "a", {"attrs": {"address1_city": "Paris"}, "version": 2})
    store.put("contact", "b", {"attrs": {"address1_city": "REDMOND"}, "version": 3})
    assert [rid for rid, _ in store.select("contact", redmond) or []] == ["b"]
    store.revert(store.end())  # the call failed, or its save did
    assert [rid for rid, _ in store.select("contact", redmond) or []] == ["a"]
    store.put("contact", "b", {"attrs": {"address1_city": "Redmond"}, "version": 4})
    store.clear()
    assert [rid for rid, _ in store.select("contact", redmond) or []] == ["a"]


def test_an_indexed_filter_evaluates_only_the_candidates(
    schemas: SchemaSet, monkeypatch: pytest.MonkeyPatch
) -> None:
    many = [
        {"contactid": f"00000000-0000-4000-8000-{i:012d}", "lastname": f"L{i}", "statecode": i % 2}
        for i in range(50_000)
    ]
    pair = Pair(schemas, {"records": {"contact": many}})
    looked_at: list[str] = []
    real = odata_filter.matches

    def counting(ctx: Any, meta: Any, tree: Any, attrs: Any) -> bool:
        if attrs:  # parse_filter first checks the names against a record with nothing set
            looked_at.append(attrs["contactid"])
        return real(ctx, meta, tree, attrs)

    monkeypatch.setattr(odata_filter, "matches", counting)
    query = "?$select=lastname&$filter=lastname eq 'l123' and statecode eq 1"
    indexed, scanned = pair.search(query)
    assert indexed == scanned
    assert [row["lastname"] for row in indexed[1]] == ["L123"]
    # Both engines evaluated the one candidate; only the scanning one every other contact.
    assert looked_at.count("00000000-0000-4000-8000-000000000123") == 2
    assert len(looked_at) == 1 + len(many) + len(default_config_data()["records"]["contact"])
