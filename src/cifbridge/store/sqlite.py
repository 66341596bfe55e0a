"""State in an embedded SQLite file: the default, survives restarts, one process at a time.

Rules:
- the process holds an exclusive lock on the file from opening to closing, so a second bridge
  pointed at the same file refuses to start (StateInUse) instead of handing out the same
  session ids from a diverging copy;
- a file that is not a usable database raises StateUnreadable when it is opened;
- each agent's workspace is one row of `state` (the default agent's key is `workspace`, the
  key it had before bridges had agents), and its answers kept for retries and analytics
  events are rows of their own (store/sqlite_parts.py), so a save writes the rest of the
  workspace and the few of those that changed, not the whole text; a row of a file from
  before (`parts` = 0) holds them inline, and is loaded as it is and split at its next save;
  the org's records are rows of `records`, one per
  changed record (a deleted one keeps a row with no data), written with the workspace of the
  call that changed them, in one transaction, and the configured ones rows of `seed_rows`:
  the bridge reads and queries them in the file (`open_records`, store/sqlite_records.py);
- each save is one transaction: when `save` returns, it is in the
  write-ahead log, written to the operating system, so it survives the bridge being killed
  (kill -9) at any later moment. `synchronous=NORMAL` skips the fsync per commit: a power cut
  may lose the last commits, a process crash cannot (https://sqlite.org/wal.html#durability);
- a failed read or write raises StoreFailed, so its call is refused, not acknowledged.
"""

from __future__ import annotations

import asyncio
import json
import sqlite3
from collections.abc import Sequence
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass
from pathlib import Path

from cifbridge.engine.base.context import DEFAULT_AGENT
from cifbridge.engine.base.json_text import compact
from cifbridge.engine.base.record_store import Change, MemoryRecords
from cifbridge.engine.base.state import SavedWorkspace
from cifbridge.engine.config.workspace import WorkspaceConfig
from cifbridge.store import sqlite_parts
from cifbridge.store.base import Saved, StateInUse, StateUnreadable, StoreFailed, agent_suffix
from cifbridge.store.sqlite_parts import FileRows
from cifbridge.store.sqlite_records import SqliteRecords, prepare

_KEY = "workspace"
# How long to wait for a bridge that is still stopping to let go of the file.
_BUSY_SECONDS = 1.0


class SqliteStore:
    """One row per agent holding its latest snapshot as JSON (without the answers and the
    analytics events, one row each); one row per changed record.

    Writes are small (a few kB) and WAL-journaled, so they run on the event loop thread: a
    thread hop would cost more than the write and would let two saves race. The saves of one
    turn of the loop (other agents' calls) share a transaction; every other method of this
    store commits them first, so its tables see the writes in the order they were asked for.
    The journal's tables are its own, and a record read meanwhile finds a pending save's rows
    in SqliteRecords' pending writes, which stay until the commit (`committed`).
    """

    shared = False
    durable = True

    def __init__(self, path: Path) -> None:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            self._db = sqlite3.connect(path, isolation_level=None, timeout=_BUSY_SECONDS)
        except (OSError, sqlite3.Error) as error:
            raise StateUnreadable(str(error)) from error
        try:
            _open_exclusively(self._db)
            prepare(self._db)  # the records' tables, and the function their indexes use
        except sqlite3.Error as error:
            self._db.close()
            if getattr(error, "sqlite_errorname", "") in ("SQLITE_BUSY", "SQLITE_LOCKED"):
                raise StateInUse(str(error)) from error
            raise StateUnreadable(str(error)) from error
        self._locks: dict[str, asyncio.Lock] = {}
        self._records: SqliteRecords | None = None
        # Each agent's answer and event rows as committed (read once, then kept up to date):
        # a save writes only the difference.
        self._rows: dict[str, FileRows] = {}
        self._batch: list[_Save] = []  # saves of this turn of the loop, not committed yet
        self._batch_turn: asyncio.Handle | None = None

    @property
    def connection(self) -> sqlite3.Connection:
        """Return the open database, which the journal shares (store/journal/sqlite.py)."""
        return self._db

    async def load(self, agent: str, known_revision: int | None = None) -> str | None:
        """Return the saved text if its revision differs from `known_revision`."""
        key = _key(agent)
        self._commit_batch()  # what was saved before this read is read back
        try:
            row = self._db.execute(
                "SELECT revision, data, parts FROM state WHERE key = ?", (key,)
            ).fetchone()
            if row is None or row[0] == known_revision:
                return None
            rows = self._rows[agent] = sqlite_parts.read(self._db, key)
        except sqlite3.Error as error:
            raise StoreFailed(f"the state file could not be read: {error}") from error
        text: str = row[1]
        if not row[2]:
            return text  # saved before the answers had rows of their own: all inline
        return SavedWorkspace(text, rows.answers, rows.analytics).text

    async def save(
        self, agent: str, state: Saved, revision: int, changes: Sequence[Change] = ()
    ) -> None:
        """Replace the snapshot and write the changed rows, committed when this returns.

        Given in parts, the answers and events that changed are written as rows and the
        `state` row holds the rest; a whole text is kept whole (with no rows beside it).
        Saves made in the same turn of the event loop (other agents' calls) are committed in
        one transaction (see `_commit_batch`).
        """
        loop = asyncio.get_running_loop()
        done: asyncio.Future[None] = loop.create_future()
        self._batch.append(_Save(agent, state, revision, tuple(changes), done))
        if self._batch_turn is None:
            self._batch_turn = loop.call_soon(self._commit_batch)
        await done

    def _commit_batch(self) -> None:
        # One transaction for the saves of this turn: a commit writes each page the batch
        # touched once (agents' state rows share pages). If it fails, each save is tried in
        # a transaction of its own, so only a save that cannot be written is refused.
        if self._batch_turn is not None:
            self._batch_turn.cancel()
            self._batch_turn = None
        batch, self._batch = self._batch, []
        if not batch:
            return
        try:
            self._write(batch)
        except sqlite3.Error as error:
            if len(batch) == 1:
                _settle(batch[0], error)
                return
            for one in batch:
                try:
                    self._write([one])
                except sqlite3.Error as alone:
                    _settle(one, alone)
                else:
                    _settle(one, None)
            return
        for one in batch:
            _settle(one, None)

    def _write(self, batch: list[_Save]) -> None:
        """Write the saves in one transaction; note what the file holds once it committed."""
        written: list[FileRows] = []
        try:
            self._db.execute("BEGIN")
            try:
                for one in batch:
                    written.append(self._write_one(one))
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            self._db.execute("COMMIT")
        except sqlite3.Error:
            if self._db.in_transaction:  # a failed COMMIT may leave it open
                self._db.execute("ROLLBACK")
            for one in batch:
                self._rows.pop(one.agent, None)  # read again from the file at the next save
            raise
        for one, rows in zip(batch, written, strict=True):
            self._rows[one.agent] = rows
            if self._records is not None:
                self._records.committed(one.changes)

    def _write_one(self, one: _Save) -> FileRows:
        key = _key(one.agent)
        held = self._rows.get(one.agent)
        if held is None:
            held = sqlite_parts.read(self._db, key)
        if isinstance(one.state, str):
            text, parts, rows = one.state, 0, FileRows()
            sqlite_parts.delete(self._db, key)
        else:
            text, parts = one.state.rest, 1
            rows = sqlite_parts.write(self._db, key, held, one.state)
        self._db.execute(
            "INSERT INTO state (key, revision, data, parts, answers_from, events_from)"
            " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT(key) DO UPDATE SET"
            " revision = excluded.revision, data = excluded.data,"
            " parts = excluded.parts, answers_from = excluded.answers_from,"
            " events_from = excluded.events_from",
            (key, one.revision, text, parts, rows.first_answer, rows.first_event),
        )
        if one.changes:
            self._db.executemany(
                "INSERT INTO records (entity, id, data) VALUES (?, ?, ?)"
                " ON CONFLICT(entity, id) DO UPDATE SET data = excluded.data",
                [(c.entity, c.record_id, _row_text(c.after)) for c in one.changes],
            )
        return rows

    def exclusive(self, agent: str) -> AbstractAsyncContextManager[None]:
        """Serialize one agent's calls within this process."""
        lock = self._locks.get(agent)
        if lock is None:  # not setdefault: that would build a Lock for every call
            lock = self._locks[agent] = asyncio.Lock()
        return lock

    async def clear(self, agent: str) -> None:
        """Forget the agent's saved state (its answer and event rows too)."""
        key = _key(agent)
        self._commit_batch()  # a save made before the clear is cleared too
        self._rows.pop(agent, None)
        self._db.execute("BEGIN")
        try:
            self._db.execute("DELETE FROM state WHERE key = ?", (key,))
            sqlite_parts.delete(self._db, key)
        except BaseException:
            self._db.execute("ROLLBACK")
            raise
        self._db.execute("COMMIT")

    async def agents(self) -> list[str]:
        """Return the agents with a saved workspace, the default one first."""
        self._commit_batch()
        keys = [row[0] for row in self._db.execute("SELECT key FROM state")]
        prefix = _KEY + agent_suffix("x")[: -len("x")]
        found = [k[len(prefix) :] for k in keys if k.startswith(prefix)]
        return ([DEFAULT_AGENT] if _KEY in keys else []) + sorted(found)

    def open_records(self, config: WorkspaceConfig) -> SqliteRecords:
        """Return the org's records as rows of this file, seeded from `config` where it changed."""
        try:
            self._records = SqliteRecords(
                self._db, config.records, config.entities, config.source_digest
            )
            self._records.seed()
        except sqlite3.Error as error:
            raise StateUnreadable(f"the saved records cannot be read: {error}") from error
        return self._records

    async def load_records(self, records: MemoryRecords) -> None:
        """Fill a process's copy with the saved rows (open_records needs none)."""
        self._commit_batch()
        try:
            for entity, rid, data in self._db.execute("SELECT entity, id, data FROM records"):
                records.apply(entity, rid, None if data is None else json.loads(data))
        except sqlite3.Error as error:
            raise StateUnreadable(f"the saved records cannot be read: {error}") from error

    async def catch_up(self, agent: str, known_revision: int, records: MemoryRecords) -> str | None:
        """Only this process writes the file: nothing to catch up with."""
        return None

    async def clear_records(self) -> None:
        """Forget every saved row."""
        self._commit_batch()  # rows a save wrote before the clear are cleared too
        self._db.execute("DELETE FROM records")

    async def close(self) -> None:
        """Close the database file (and let go of its lock)."""
        self._commit_batch()  # what was saved is written before the file is let go
        self._db.close()


@dataclass(frozen=True)
class _Save:
    """One save waiting for its batch's commit."""

    agent: str
    state: Saved
    revision: int
    changes: tuple[Change, ...]
    done: asyncio.Future[None]


def _settle(one: _Save, error: sqlite3.Error | None) -> None:
    if one.done.done():  # its caller was cancelled (the bridge is stopping): nobody waits
        return
    if error is None:
        one.done.set_result(None)
    else:
        one.done.set_exception(StoreFailed(f"the state file could not be written: {error}"))


def _open_exclusively(db: sqlite3.Connection) -> None:
    # EXCLUSIVE locking mode, set before WAL is entered, keeps the lock taken by the first
    # write until the connection closes (and keeps the WAL index in process memory).
    db.execute("PRAGMA locking_mode=EXCLUSIVE")
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA synchronous=NORMAL")
    db.execute("BEGIN EXCLUSIVE")
    db.execute(
        "CREATE TABLE IF NOT EXISTS state"
        " (key TEXT PRIMARY KEY, revision INTEGER NOT NULL, data TEXT NOT NULL)"
    )
    db.execute(
        "CREATE TABLE IF NOT EXISTS records"
        " (entity TEXT NOT NULL, id TEXT NOT NULL, data TEXT, PRIMARY KEY (entity, id))"
    )
    sqlite_parts.create_tables(db)
    db.execute("COMMIT")


def _key(agent: str) -> str:
    return _KEY + agent_suffix(agent)


def _row_text(row: dict[str, object] | None) -> str | None:
    return None if row is None else compact(row)
