"""State in an embedded SQLite file: the default, survives restarts, one process at a time."""

from __future__ import annotations

import asyncio
import sqlite3
from contextlib import AbstractAsyncContextManager
from pathlib import Path

_KEY = "workspace"


class SqliteStore:
    """One row holding the latest snapshot as JSON.

    Writes are small (a few kB) and WAL-journaled, so they run on the event loop thread: a
    thread hop would cost more than the write and would let two saves race.
    """

    shared = False

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(path, isolation_level=None)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=NORMAL")
        self._db.execute(
            "CREATE TABLE IF NOT EXISTS state"
            " (key TEXT PRIMARY KEY, revision INTEGER NOT NULL, data TEXT NOT NULL)"
        )
        self._lock = asyncio.Lock()

    async def load(self, known_revision: int | None = None) -> str | None:
        """Return the saved text if its revision differs from `known_revision`."""
        row = self._db.execute("SELECT revision, data FROM state WHERE key = ?", (_KEY,)).fetchone()
        if row is None or row[0] == known_revision:
            return None
        text: str = row[1]
        return text

    async def save(self, state: str, revision: int) -> None:
        """Replace the snapshot in one statement."""
        self._db.execute(
            "INSERT INTO state (key, revision, data) VALUES (?, ?, ?)"
            " ON CONFLICT(key) DO UPDATE SET revision = excluded.revision, data = excluded.data",
            (_KEY, revision, state),
        )

    def exclusive(self) -> AbstractAsyncContextManager[None]:
        """Serialize calls within this process."""
        return self._lock

    async def clear(self) -> None:
        """Forget the saved state."""
        self._db.execute("DELETE FROM state WHERE key = ?", (_KEY,))

    async def close(self) -> None:
        """Close the database file."""
        self._db.close()
