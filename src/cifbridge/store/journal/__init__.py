"""Journal backends, chosen with the store: memory, the SQLite file, or a shared Redis stream."""

from __future__ import annotations

from cifbridge.settings import Settings
from cifbridge.store.base import Store
from cifbridge.store.journal.base import Entry, JournalBackend, Slice
from cifbridge.store.journal.memory import MemoryJournal
from cifbridge.store.sqlite import SqliteStore


def open_journal(settings: Settings, store: Store) -> JournalBackend:
    """Return the journal backend that goes with the store the settings chose."""
    size = settings.journal_size
    if isinstance(store, SqliteStore):
        from cifbridge.store.journal.sqlite import SqliteJournal

        return SqliteJournal(store.connection, size)
    if settings.store == "redis":
        from cifbridge.store.journal.redis import RedisJournal

        return RedisJournal(settings.redis_url, settings.redis_key, size)
    return MemoryJournal(size)


__all__ = ["Entry", "JournalBackend", "MemoryJournal", "Slice", "open_journal"]
