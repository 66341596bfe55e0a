"""The journal in the SQLite state file: one row per entry, written in batches.

It shares the store's connection: the store holds the file exclusively (two bridges must never
share it), so a second connection could not open it. An entry is numbered when it is
appended and written with the others of the next FLUSH_SECONDS in one transaction (the
inserts and the trim of what falls out of the bound), on the event loop thread like the
store's writes: a transaction per entry was most of a read-only call's cost (each commit
writes whole WAL pages, and the pages are fsynced at each checkpoint). Every read, clear and
close writes what is pending first, so nothing is lost but what a kill -9 takes in the last
FLUSH_SECONDS (the workspace itself is saved before each answer, as ever). AUTOINCREMENT
keeps the numbering going after a clear and a restart. Each agent has its own table
(`journal` for the default agent, the table it had before bridges had agents).
"""

from __future__ import annotations

import asyncio
import json
import logging
import sqlite3

from cifbridge.engine.base.context import DEFAULT_AGENT
from cifbridge.engine.base.json_text import compact
from cifbridge.store.base import agent_suffix
from cifbridge.store.journal.base import Entry, Slice, dropped_count, first_kept

_BASE = "base"  # journal_meta: the last sequence number before the latest clear
FLUSH_SECONDS = 0.05  # how long an entry may wait to be written with the next ones
log = logging.getLogger("cifbridge")


class SqliteJournal:
    """Rows of `journal` (seq, JSON text), the clear mark in `journal_meta`."""

    watched = True  # the hub asks Socket.IO whether a page of this process is open

    def __init__(self, db: sqlite3.Connection, size: int, agent: str = DEFAULT_AGENT) -> None:
        self.size = size
        self._db = db
        self._name = "journal" + agent_suffix(agent)
        self._table = '"' + self._name.replace('"', '""') + '"'
        self._base_key = _BASE + agent_suffix(agent)
        db.execute("BEGIN")
        db.execute(
            f"CREATE TABLE IF NOT EXISTS {self._table}"
            " (seq INTEGER PRIMARY KEY AUTOINCREMENT, entry TEXT NOT NULL)"
        )
        db.execute(
            "CREATE TABLE IF NOT EXISTS journal_meta (key TEXT PRIMARY KEY, value INTEGER NOT NULL)"
        )
        db.execute("COMMIT")
        self._last = self._last_seq()
        row = db.execute(
            "SELECT value FROM journal_meta WHERE key = ?", (self._base_key,)
        ).fetchone()
        self._base = int(row[0]) if row else 0
        self._pending: list[tuple[int, str]] = []  # numbered, not written yet
        self._flushing: asyncio.TimerHandle | None = None
        self._trim()  # a restart with a smaller --journal-size keeps only the newest

    def _last_seq(self) -> int:
        row = self._db.execute(
            "SELECT seq FROM sqlite_sequence WHERE name = ?", (self._name,)
        ).fetchone()
        return int(row[0]) if row else 0

    def _trim(self) -> None:
        oldest = first_kept(0, self._last, self.size)
        self._db.execute(f"DELETE FROM {self._table} WHERE seq < ?", (oldest,))

    async def append(self, entry: Entry) -> int:
        """Number the entry; it is written with the others of the next FLUSH_SECONDS."""
        self._last += 1
        self._pending.append((self._last, compact(entry)))
        if self._flushing is None:
            self._flushing = asyncio.get_running_loop().call_later(FLUSH_SECONDS, self._flush)
        return self._last

    def _flush(self) -> None:
        """Write the pending entries and trim the bound, in one transaction."""
        if self._flushing is not None:
            self._flushing.cancel()
            self._flushing = None
        pending, self._pending = self._pending, []
        if not pending:
            return
        try:
            self._db.execute("BEGIN")
            try:
                self._db.executemany(
                    f"INSERT INTO {self._table} (seq, entry) VALUES (?, ?)", pending
                )
                self._trim()
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            self._db.execute("COMMIT")
        except sqlite3.Error as error:  # the calls were answered; only their record is lost
            log.error("%d journal entries could not be written: %s", len(pending), error)

    async def read(self, after: int = 0) -> Slice:
        """Return the kept entries numbered above `after`."""
        self._flush()
        rows = self._db.execute(
            f"SELECT seq, entry FROM {self._table} WHERE seq > ? ORDER BY seq", (after,)
        ).fetchall()
        entries = [{"seq": seq, **json.loads(text)} for seq, text in rows]
        return Slice(entries, dropped_count(self._last, self._base, self.size))

    async def clear(self) -> None:
        """Delete every row and remember where the numbering stood."""
        self._flush()
        self._db.execute("BEGIN")
        self._db.execute(f"DELETE FROM {self._table}")
        self._db.execute(
            "INSERT INTO journal_meta (key, value) VALUES (?, ?)"
            " ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            (self._base_key, self._last),
        )
        self._db.execute("COMMIT")
        self._base = self._last

    async def close(self) -> None:
        """Write what is pending; the store closes the shared connection."""
        self._flush()
