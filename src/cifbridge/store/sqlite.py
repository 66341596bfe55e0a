"""State in an embedded SQLite file: the default, survives restarts, one process at a time.

Rules:
- the process holds an exclusive lock on the file from opening to closing, so a second bridge
  pointed at the same file refuses to start (StateInUse) instead of handing out the same
  session ids from a diverging copy;
- a file that is not a usable database raises StateUnreadable when it is opened;
- each save is one autocommitted statement: when `save` returns, the transaction is in the
  write-ahead log, written to the operating system, so it survives the bridge being killed
  (kill -9) at any later moment. `synchronous=NORMAL` skips the fsync per commit: a power cut
  may lose the last commits, a process crash cannot (https://sqlite.org/wal.html#durability);
- a failed read or write raises StoreFailed, so its call is refused, not acknowledged.
"""

from __future__ import annotations

import asyncio
import sqlite3
from contextlib import AbstractAsyncContextManager
from pathlib import Path

from cifbridge.store.base import StateInUse, StateUnreadable, StoreFailed

_KEY = "workspace"
# How long to wait for a bridge that is still stopping to let go of the file.
_BUSY_SECONDS = 1.0


class SqliteStore:
    """One row holding the latest snapshot as JSON.

    Writes are small (a few kB) and WAL-journaled, so they run on the event loop thread: a
    thread hop would cost more than the write and would let two saves race.
    """

    shared = False

    def __init__(self, path: Path) -> None:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            self._db = sqlite3.connect(path, isolation_level=None, timeout=_BUSY_SECONDS)
        except (OSError, sqlite3.Error) as error:
            raise StateUnreadable(str(error)) from error
        try:
            _open_exclusively(self._db)
        except sqlite3.Error as error:
            self._db.close()
            if getattr(error, "sqlite_errorname", "") in ("SQLITE_BUSY", "SQLITE_LOCKED"):
                raise StateInUse(str(error)) from error
            raise StateUnreadable(str(error)) from error
        self._lock = asyncio.Lock()

    @property
    def connection(self) -> sqlite3.Connection:
        """Return the open database, which the journal shares (store/journal/sqlite.py)."""
        return self._db

    async def load(self, known_revision: int | None = None) -> str | None:
        """Return the saved text if its revision differs from `known_revision`."""
        try:
            row = self._db.execute(
                "SELECT revision, data FROM state WHERE key = ?", (_KEY,)
            ).fetchone()
        except sqlite3.Error as error:
            raise StoreFailed(f"the state file could not be read: {error}") from error
        if row is None or row[0] == known_revision:
            return None
        text: str = row[1]
        return text

    async def save(self, state: str, revision: int) -> None:
        """Replace the snapshot in one statement, committed when this returns."""
        try:
            self._db.execute(
                "INSERT INTO state (key, revision, data) VALUES (?, ?, ?)"
                " ON CONFLICT(key)"
                " DO UPDATE SET revision = excluded.revision, data = excluded.data",
                (_KEY, revision, state),
            )
        except sqlite3.Error as error:
            raise StoreFailed(f"the state file could not be written: {error}") from error

    def exclusive(self) -> AbstractAsyncContextManager[None]:
        """Serialize calls within this process."""
        return self._lock

    async def clear(self) -> None:
        """Forget the saved state."""
        self._db.execute("DELETE FROM state WHERE key = ?", (_KEY,))

    async def close(self) -> None:
        """Close the database file (and let go of its lock)."""
        self._db.close()


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
    db.execute("COMMIT")
