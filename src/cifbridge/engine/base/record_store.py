"""The org's record store as the engine sees it: one interface, injected, shared by every agent.

Records are org-wide (every agent's workspace reads and writes the same rows, as in Dynamics),
so they live outside the per-agent workspace state, behind `RecordStore`. The engine receives
one when it is built; `MemoryRecords` is the implementation engine tests and single-process
bridges use, and the persistent stores (store/) keep its rows in their own engine.

Rules:
- a row is `{"attrs": {...}, "version": int}` and is never mutated in place: a write puts a
  new row (or None: deleted), so rows can be shared with readers without copies;
- the configured records are the seed; the store overlays what changed since;
- every write inside one engine call is logged (`begin` ... `end`), so a call that fails, or
  whose save fails, can be taken back with `revert`, and the transport knows exactly which rows
  to write (`Change`), never the whole table;
- `version` counts the writes this store has seen: the workspace page refreshes the records it
  shows when it moves;
- a query may ask `select` for the rows a `Selection` (pure data the engine extracts from a
  parsed $filter, dataverse/odata_select.py) can match: the store answers a SUPERSET in store
  order, or None ("scan every row"); the engine still runs its exact evaluator over what it
  gets, so the store never decides case, null or type rules, it only narrows. MemoryRecords
  keeps, per (entity, attribute) asked about, a value -> ids index, built on first use and
  kept current by every write.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any, Protocol

Row = dict[str, Any]
# How a selection compares an attribute's values: as the $filter evaluator does for that type.
KINDS = ("text", "number", "boolean", "lookup")


@dataclass(frozen=True)
class Change:
    """One row written by a call: what it was before (to take it back) and what it is now."""

    entity: str
    record_id: str
    before: Row | None
    after: Row | None


@dataclass(frozen=True)
class Equals:
    """`attribute` holds one of `values` (a $filter `eq` or `in`; None stands for null).

    `values` are in the evaluator's form: text case-folded, a lookup by its lower-case id.
    """

    attribute: str
    kind: str
    values: tuple[Any, ...]


@dataclass(frozen=True)
class Selection:
    """What a $filter asks of the store: a top-level AND of `equals`, over typed attributes.

    `typed` names every (attribute, kind) the filter compares: a row whose value there is not
    of that kind (a configured record may hold anything) is always a candidate, so the exact
    evaluator refuses the query as a full scan would.
    """

    equals: tuple[Equals, ...]
    typed: tuple[tuple[str, str], ...] = ()


def index_key(kind: str, value: Any) -> Any:
    """Return the value a selection compares (None: null, or a lookup that is not a reference)."""
    if value is None:
        return None
    if kind == "lookup":
        return value.get("id") if isinstance(value, Mapping) else None
    return value.casefold() if isinstance(value, str) else value


def fits(kind: str, value: Any) -> bool:
    """Tell whether a non-null value is of a kind (a lookup compares anything, as its id)."""
    if kind == "text":
        return isinstance(value, str)
    if kind == "boolean":
        return isinstance(value, bool)
    if kind == "number":
        return isinstance(value, int | float) and not isinstance(value, bool)
    return True


class RecordStore(Protocol):
    """What the engine needs of the org's records."""

    @property
    def version(self) -> int:
        """Return how many writes the store has seen (moves on every write)."""

    def find(self, entity: str, record_id: str) -> Row | None:
        """Return one row by its normalized id, or None."""

    def rows(self, entity: str) -> Iterator[tuple[str, Row]]:
        """Yield every row of an entity as (id, row)."""

    def created_count(self, entity: str) -> int:
        """Return how many rows of an entity were created beyond the configured ones."""

    def select(self, entity: str, selection: Selection) -> Iterable[tuple[str, Row]] | None:
        """Return, in store order, rows that may match (a superset), or None: scan `rows`."""

    def put(self, entity: str, record_id: str, row: Row | None) -> None:
        """Write one row (None deletes it)."""

    def begin(self) -> None:
        """Start logging the writes of one engine call."""

    def end(self) -> tuple[Change, ...]:
        """Stop logging and return the writes made since `begin`."""

    def revert(self, changes: Iterable[Change]) -> None:
        """Take back writes (a call that failed, or whose save failed)."""

    def changed_rows(self) -> Iterator[tuple[str, str, Row | None]]:
        """Yield every change over the configured rows as (entity, id, row or None)."""

    def clear(self) -> None:
        """Drop every change: back to the configured records."""


class _Index:
    """One attribute's current values: key -> ids, and the ids whose value is of another kind."""

    def __init__(self, attribute: str, kind: str) -> None:
        self.attribute = attribute
        self.kind = kind
        self.ids: dict[Any, set[str]] = {}
        self.odd: set[str] = set()
        self._keys: dict[str, Any] = {}

    def add(self, record_id: str, row: Row | None) -> None:
        if row is None:
            return
        value = row["attrs"].get(self.attribute)
        if value is not None and not fits(self.kind, value):
            self.odd.add(record_id)
            return
        key = index_key(self.kind, value)
        self._keys[record_id] = key
        self.ids.setdefault(key, set()).add(record_id)

    def remove(self, record_id: str) -> None:
        self.odd.discard(record_id)
        if record_id in self._keys:
            key = self._keys.pop(record_id)
            bucket = self.ids[key]
            bucket.discard(record_id)
            if not bucket:
                del self.ids[key]


class MemoryRecords:
    """The configured rows plus the changes since, in the process, indexed on demand."""

    def __init__(self, seeds: Mapping[str, Mapping[str, Row]]) -> None:
        self._seeds = seeds
        self._changed: dict[str, dict[str, Row | None]] = {}
        self._log: list[Change] | None = None
        self._version = 0
        self._indexes: dict[str, dict[tuple[str, str], _Index]] = {}
        self._seed_positions: dict[str, dict[str, int]] = {}
        self._created_positions: dict[str, dict[str, int]] = {}

    @property
    def version(self) -> int:
        """Return how many writes the store has seen."""
        return self._version

    def find(self, entity: str, record_id: str) -> Row | None:
        """Return one row by its normalized id, or None."""
        changed = self._changed.get(entity)
        if changed is not None and record_id in changed:
            return changed[record_id]
        return self._seeds.get(entity, {}).get(record_id)

    def rows(self, entity: str) -> Iterator[tuple[str, Row]]:
        """Yield the configured rows with the changes applied, then the created ones."""
        changed = self._changed.get(entity, {})
        seeds = self._seeds.get(entity, {})
        for rid, row in seeds.items():
            current: Row | None = changed.get(rid, row)
            if current is not None:
                yield rid, current
        for rid, created in changed.items():
            if rid not in seeds and created is not None:
                yield rid, created

    def created_count(self, entity: str) -> int:
        """Return how many rows of an entity were created beyond the configured ones."""
        seeds = self._seeds.get(entity, {})
        return sum(1 for rid in self._changed.get(entity, {}) if rid not in seeds)

    def select(self, entity: str, selection: Selection) -> list[tuple[str, Row]] | None:
        """Return the rows every `equals` may hold for, in store order (None: no equals)."""
        chosen: set[str] | None = None
        for equals in selection.equals:
            index = self._index(entity, equals.attribute, equals.kind)
            found: set[str] = set()
            for value in equals.values:
                found |= index.ids.get(value, set())
            chosen = found if chosen is None else chosen & found
        if chosen is None:
            return None
        for attribute, kind in selection.typed:
            chosen |= self._index(entity, attribute, kind).odd
        ordered = sorted(chosen, key=self._position(entity))
        return [(rid, row) for rid in ordered if (row := self.find(entity, rid)) is not None]

    def _index(self, entity: str, attribute: str, kind: str) -> _Index:
        indexes = self._indexes.setdefault(entity, {})
        index = indexes.get((attribute, kind))
        if index is None:
            index = indexes[(attribute, kind)] = _Index(attribute, kind)
            for rid, row in self.rows(entity):
                index.add(rid, row)
        return index

    def _position(self, entity: str) -> Callable[[str], tuple[int, int]]:
        # Store order, as `rows` yields it: the configured rows, then the created ones in the
        # order they were first written (a dict keeps its keys' first insertion order).
        seeds = self._seed_positions.get(entity)
        if seeds is None:
            table = self._seeds.get(entity, {})
            seeds = self._seed_positions[entity] = {rid: i for i, rid in enumerate(table)}
        created = self._created_positions.get(entity, {})
        return lambda rid: (0, seeds[rid]) if rid in seeds else (1, created.get(rid, 0))

    def _write(self, entity: str, record_id: str, row: Row | None) -> None:
        table = self._changed.setdefault(entity, {})
        if record_id not in table and record_id not in self._seeds.get(entity, {}):
            created = self._created_positions.setdefault(entity, {})
            created[record_id] = len(created)
        table[record_id] = row
        self._version += 1
        for index in self._indexes.get(entity, {}).values():
            index.remove(record_id)
            index.add(record_id, row)

    def put(self, entity: str, record_id: str, row: Row | None) -> None:
        """Write one row (None deletes it), logged for `end` and `revert`."""
        if self._log is not None:
            self._log.append(Change(entity, record_id, self.find(entity, record_id), row))
        self._write(entity, record_id, row)

    def begin(self) -> None:
        """Start logging the writes of one engine call."""
        self._log = []

    def end(self) -> tuple[Change, ...]:
        """Stop logging and return the writes made since `begin`."""
        log, self._log = self._log or [], None
        return tuple(log)

    def revert(self, changes: Iterable[Change]) -> None:
        """Take back writes, newest first."""
        for change in reversed(tuple(changes)):
            self._write(change.entity, change.record_id, change.before)

    # What persistent stores use to fill the process's copy and to write it out.

    def apply(self, entity: str, record_id: str, row: Row | None) -> None:
        """Take a row another process (or an earlier run) wrote, without logging it."""
        self._write(entity, record_id, row)

    def changed_rows(self) -> Iterator[tuple[str, str, Row | None]]:
        """Yield every change over the seed as (entity, id, row or None)."""
        for entity, table in self._changed.items():
            for rid, row in table.items():
                yield entity, rid, row

    def clear(self) -> None:
        """Drop every change: back to the configured records (no change: nothing moves)."""
        if any(self._changed.values()):
            self._version += 1
            self._indexes.clear()  # rebuilt on use
        self._changed.clear()
        self._created_positions.clear()
