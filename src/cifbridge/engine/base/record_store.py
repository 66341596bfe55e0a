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
  shows when it moves.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any, Protocol

Row = dict[str, Any]


@dataclass(frozen=True)
class Change:
    """One row written by a call: what it was before (to take it back) and what it is now."""

    entity: str
    record_id: str
    before: Row | None
    after: Row | None


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

    def put(self, entity: str, record_id: str, row: Row | None) -> None:
        """Write one row (None deletes it)."""

    def begin(self) -> None:
        """Start logging the writes of one engine call."""

    def end(self) -> tuple[Change, ...]:
        """Stop logging and return the writes made since `begin`."""

    def revert(self, changes: Iterable[Change]) -> None:
        """Take back writes (a call that failed, or whose save failed)."""

    def clear(self) -> None:
        """Drop every change: back to the configured records."""


class MemoryRecords:
    """The configured rows plus the changes since, in the process."""

    def __init__(self, seeds: Mapping[str, Mapping[str, Row]]) -> None:
        self._seeds = seeds
        self._changed: dict[str, dict[str, Row | None]] = {}
        self._log: list[Change] | None = None
        self._version = 0

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

    def put(self, entity: str, record_id: str, row: Row | None) -> None:
        """Write one row (None deletes it), logged for `end` and `revert`."""
        if self._log is not None:
            self._log.append(Change(entity, record_id, self.find(entity, record_id), row))
        self._changed.setdefault(entity, {})[record_id] = row
        self._version += 1

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
            self._changed.setdefault(change.entity, {})[change.record_id] = change.before
            self._version += 1

    # What persistent stores use to fill the process's copy and to write it out.

    def apply(self, entity: str, record_id: str, row: Row | None) -> None:
        """Take a row another process (or an earlier run) wrote, without logging it."""
        self._changed.setdefault(entity, {})[record_id] = row
        self._version += 1

    def changed_rows(self) -> Iterator[tuple[str, str, Row | None]]:
        """Yield every change over the seed as (entity, id, row or None)."""
        for entity, table in self._changed.items():
            for rid, row in table.items():
                yield entity, rid, row

    def clear(self) -> None:
        """Drop every change: back to the configured records (no change: nothing moves)."""
        if any(self._changed.values()):
            self._version += 1
        self._changed.clear()
