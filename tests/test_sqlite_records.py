"""The org's records as rows of the SQLite file: queried there, seeded once, saved with calls."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings

from cifbridge.api.dispatcher import Caller, Dispatcher
from cifbridge.api.validation import SchemaSet
from cifbridge.engine import Engine, WorkspaceConfig, config_from_dict
from cifbridge.engine.base.context import DEFAULT_AGENT
from cifbridge.engine.base.record_store import MemoryRecords
from cifbridge.engine.dataverse import odata_filter
from cifbridge.files.config import default_config_data, load_config, merge_config
from cifbridge.store.base import StoreFailed
from cifbridge.store.sqlite import SqliteStore
from tests.conftest import SOFTPHONE, FakeClock
from tests.engine.dataverse.test_odata_select import FILTERS, MARIA, ODD, WRITES

NANCY = "f4d134d5-53fd-4fbf-8d38-0268aca5833a"


def config_with(overrides: dict[str, Any] | None = None) -> WorkspaceConfig:
    return config_from_dict(merge_config(default_config_data(), overrides or {}))


class SavedBridge:
    """An engine over a SQLite store's records, saving each call as the hub does."""

    def __init__(self, path: Path, config: WorkspaceConfig, schemas: SchemaSet) -> None:
        self.store = SqliteStore(path)
        self.records = self.store.open_records(config)
        self.engine = Engine(config, clock=FakeClock(), records=self.records)
        self.dispatcher = Dispatcher(self.engine, schemas)

    def call(self, api: str, *args: Any) -> tuple[bool, Any]:
        outcome = self.dispatcher.call(Caller(SOFTPHONE), api, list(args), None)
        if outcome.mutated or outcome.record_changes:
            text = self.engine.snapshot_text()
            save = self.store.save(
                DEFAULT_AGENT, text, self.engine.revision, outcome.record_changes
            )
            asyncio.run(save)
        return outcome.ok, outcome.value if outcome.ok else outcome.error

    def search(self, query: str) -> tuple[bool, Any]:
        return self.call("searchAndOpenRecords", "contact", query, True)

    def close(self) -> None:
        asyncio.run(self.store.close())


class MemoryBridge:
    """The same engine over MemoryRecords: the answers the SQLite rows must give."""

    def __init__(self, config: WorkspaceConfig, schemas: SchemaSet) -> None:
        records = MemoryRecords(config.records)
        engine = Engine(config, clock=FakeClock(), records=records)
        self.dispatcher = Dispatcher(engine, schemas)

    def call(self, api: str, *args: Any) -> tuple[bool, Any]:
        outcome = self.dispatcher.call(Caller(SOFTPHONE), api, list(args), None)
        return outcome.ok, outcome.value if outcome.ok else outcome.error


def update(bridge: SavedBridge, rid: str, **attrs: Any) -> None:
    ok, value = bridge.call("updateRecord", "contact", rid, json.dumps(attrs))
    assert ok, value


def lastname(bridge: SavedBridge, rid: str) -> Any:
    row = bridge.records.find("contact", rid)
    return None if row is None else row["attrs"].get("lastname")


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(writes=WRITES, query=FILTERS)
def test_the_file_answers_as_memory_does(
    schemas: SchemaSet, tmp_path_factory: pytest.TempPathFactory, writes: Any, query: str
) -> None:
    config = config_with(ODD)
    saved = SavedBridge(tmp_path_factory.mktemp("db") / "ws.sqlite3", config, schemas)
    memory = MemoryBridge(config, schemas)
    try:
        for kind, city, state in writes:
            body = json.dumps({"address1_city": city, "statecode": state, "lastname": "W"})
            args = {
                "create": ("createRecord", "contact", body),
                "update": ("updateRecord", "contact", MARIA, body),
                "delete": ("deleteRecord", "contact", MARIA),
            }[kind]
            assert saved.call(*args) == memory.call(*args)
        search = ("searchAndOpenRecords", "contact", f"?$filter={query}", True)
        assert saved.call(*search) == memory.call(*search)
    finally:
        saved.close()


def test_changes_survive_a_restart_and_seeds_are_not_written_again(
    schemas: SchemaSet, tmp_path: Path
) -> None:
    path, config = tmp_path / "ws.sqlite3", config_with()
    first = SavedBridge(path, config, schemas)
    update(first, MARIA, lastname="Changed")
    ok, created = first.call("createRecord", "contact", '{"lastname":"New"}')
    assert ok
    first.close()

    second = SavedBridge(path, config, schemas)
    assert second.store.connection.total_changes == 0  # the same configuration: no row written
    assert lastname(second, MARIA) == "Changed"
    assert lastname(second, created["id"]) == "New"
    found = second.search("?$select=lastname&$filter=lastname eq 'changed'")
    assert found == (True, [{"@odata.etag": found[1][0]["@odata.etag"], "contactid": MARIA,
                             "lastname": "Changed"}])  # fmt: skip
    second.close()


def test_a_configuration_edit_shows_and_what_agents_changed_persists(
    schemas: SchemaSet, tmp_path: Path
) -> None:
    path = tmp_path / "ws.sqlite3"
    first = SavedBridge(path, config_with(), schemas)
    update(first, MARIA, lastname="ByAgent")
    first.close()
    edited = {
        "records": {
            "contact": [
                {"contactid": MARIA, "firstname": "Maria", "lastname": "ByConfig"},
                {"contactid": NANCY, "firstname": "Nancy", "lastname": "Edited"},
            ]
        }
    }
    second = SavedBridge(path, config_with(edited), schemas)
    assert lastname(second, NANCY) == "Edited"  # the configuration's edit
    assert lastname(second, MARIA) == "ByAgent"  # the agent's change wins over the seed
    assert second.search("?$filter=lastname eq 'Anderson'") == (True, [])
    second.close()
    third = SavedBridge(path, config_with(edited), schemas)
    assert third.store.connection.total_changes == 0
    third.close()


def test_a_failed_save_takes_the_calls_rows_back(schemas: SchemaSet, tmp_path: Path) -> None:
    path = tmp_path / "ws.sqlite3"
    bridge = SavedBridge(path, config_with(), schemas)
    call = ["contact", MARIA, '{"lastname":"Lost"}']
    outcome = bridge.dispatcher.call(Caller(SOFTPHONE), "updateRecord", call, None)
    assert outcome.ok and lastname(bridge, MARIA) == "Lost"
    bridge.store.connection.execute("DROP TABLE state")  # so the save fails
    save = bridge.store.save(DEFAULT_AGENT, "{}", 1, outcome.record_changes)
    with pytest.raises(StoreFailed):
        asyncio.run(save)
    bridge.records.revert(outcome.record_changes)  # what the hub does: the call did not happen
    assert lastname(bridge, MARIA) == "Campbell"
    assert bridge.search("?$filter=lastname eq 'Lost'") == (True, [])
    bridge.close()
    again = SavedBridge(path, config_with(), schemas)
    assert lastname(again, MARIA) == "Campbell"
    again.close()


def test_a_reverted_call_leaves_the_file_and_the_answers_as_they_were(
    schemas: SchemaSet, tmp_path: Path
) -> None:
    bridge = SavedBridge(tmp_path / "ws.sqlite3", config_with(), schemas)
    bridge.records.begin()
    bridge.records.put("contact", MARIA, None)
    assert bridge.records.find("contact", MARIA) is None
    bridge.records.revert(bridge.records.end())  # the call failed
    assert lastname(bridge, MARIA) == "Campbell"
    assert len(bridge.search("?$filter=lastname eq 'campbell'")[1]) == 1
    bridge.close()


def test_the_searched_columns_are_indexed(schemas: SchemaSet, tmp_path: Path) -> None:
    bridge = SavedBridge(tmp_path / "ws.sqlite3", config_with(), schemas)
    db = bridge.store.connection
    names = {row[1] for row in db.execute("PRAGMA index_list('seed_rows')")}
    assert {"seed_rows_text_fullname", "seed_rows_lookup_parentcustomerid"} <= names
    assert "seed_rows_text_emailaddress1" not in names
    bridge.search("?$filter=emailaddress1 eq 'x@example.com'")  # first asked for: indexed
    names = {row[1] for row in db.execute("PRAGMA index_list('seed_rows')")}
    assert "seed_rows_text_emailaddress1" in names
    plan = " ".join(
        str(row[3])
        for row in db.execute(
            "EXPLAIN QUERY PLAN SELECT id FROM seed_rows WHERE entity = 'contact'"
            " AND cifbridge_fold(json_extract(data, '$.attrs.emailaddress1')) IN ('x')"
        )
    )
    assert "USING INDEX seed_rows_text_emailaddress1" in plan
    bridge.close()


def test_a_filter_on_50000_rows_evaluates_only_the_candidates(
    schemas: SchemaSet, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    many = [
        {"contactid": f"00000000-0000-4000-8000-{i:012d}", "lastname": f"L{i}", "statecode": i % 2}
        for i in range(50_000)
    ]
    bridge = SavedBridge(
        tmp_path / "ws.sqlite3", config_with({"records": {"contact": many}}), schemas
    )
    looked_at: list[str] = []
    real = odata_filter.matches

    def counting(ctx: Any, meta: Any, tree: Any, attrs: Any) -> bool:
        if attrs:  # parse_filter first checks the names against a record with nothing set
            looked_at.append(attrs["contactid"])
        return real(ctx, meta, tree, attrs)

    monkeypatch.setattr(odata_filter, "matches", counting)
    ok, found = bridge.search("?$select=lastname&$filter=lastname eq 'l4321' and statecode eq 1")
    assert ok and [row["lastname"] for row in found] == ["L4321"]
    assert looked_at == ["00000000-0000-4000-8000-000000004321"]
    bridge.close()


def test_an_export_lists_the_changed_rows_of_the_file(schemas: SchemaSet, tmp_path: Path) -> None:
    bridge = SavedBridge(tmp_path / "ws.sqlite3", config_with(), schemas)
    update(bridge, MARIA, lastname="Changed")
    assert bridge.call("deleteRecord", "contact", NANCY)[0]
    rows = {(entity, rid): row for entity, rid, row in bridge.records.changed_rows()}
    assert set(rows) == {("contact", MARIA), ("contact", NANCY)}
    assert rows[("contact", MARIA)]["attrs"]["lastname"] == "Changed"  # type: ignore[index]
    assert rows[("contact", NANCY)] is None
    bridge.records.clear()
    assert list(bridge.records.changed_rows()) == []
    bridge.close()


# A configuration read from a file: its seed rows are keyed on the file's text.

C1 = "00000000-0000-4000-8000-0000000000c1"
C2 = "00000000-0000-4000-8000-0000000000c2"


def from_file(schemas: SchemaSet, path: Path, data: dict[str, Any]) -> WorkspaceConfig:
    path.write_text(json.dumps(data), encoding="utf-8")
    return load_config(schemas, path)


def seed_table(bridge: SavedBridge) -> list[Any]:
    return bridge.store.connection.execute("SELECT * FROM seed_rows ORDER BY 1, 2").fetchall()


def test_a_restart_on_the_same_file_writes_nothing_and_an_edited_file_shows(
    schemas: SchemaSet, tmp_path: Path
) -> None:
    db, path = tmp_path / "ws.sqlite3", tmp_path / "ws.json"
    ann = {"contactid": C1, "firstname": "Ann", "lastname": "First"}
    first = SavedBridge(db, from_file(schemas, path, {"records": {"contact": [ann]}}), schemas)
    update(first, MARIA, lastname="ByAgent")
    first.close()

    second = SavedBridge(db, load_config(schemas, path), schemas)
    assert second.store.connection.total_changes == 0
    assert lastname(second, C1) == "First" and lastname(second, MARIA) == "ByAgent"
    ok, found = second.search("?$select=fullname&$filter=lastname eq 'first'")
    assert ok and [row["fullname"] for row in found] == ["Ann First"]
    second.close()

    edited = {"records": {"contact": [{**ann, "lastname": "Second"}, {"contactid": C2}]}}
    third = SavedBridge(db, from_file(schemas, path, edited), schemas)
    assert lastname(third, C1) == "Second"  # the edit shows
    assert third.records.find("contact", C2) is not None  # and the added row
    assert third.search("?$filter=lastname eq 'first'") == (True, [])
    assert lastname(third, MARIA) == "ByAgent"  # what an agent changed persists
    rows = seed_table(third)
    third.close()

    # An edit outside the records rewrites no seed row: only the fingerprint moves.
    fourth = SavedBridge(
        db, from_file(schemas, path, {**edited, "limits": {"maxSessions": 5}}), schemas
    )
    assert fourth.store.connection.total_changes <= 1
    assert seed_table(fourth) == rows
    fourth.close()


def test_values_of_another_type_fail_a_filter_after_a_restart_as_in_memory(
    schemas: SchemaSet, tmp_path: Path
) -> None:
    db = tmp_path / "ws.sqlite3"
    config = from_file(schemas, tmp_path / "ws.json", ODD)
    SavedBridge(db, config, schemas).close()
    restarted = SavedBridge(db, load_config(schemas, tmp_path / "ws.json"), schemas)
    memory = MemoryBridge(load_config(schemas, tmp_path / "ws.json"), schemas)
    for query in ("statecode eq 1", "address1_city eq 'Redmond'", "lastname eq 'odd'"):
        search = ("searchAndOpenRecords", "contact", f"?$filter={query}", True)
        assert restarted.call(*search) == memory.call(*search)
    assert not restarted.search("?$filter=statecode eq 1")[0]
    restarted.close()
