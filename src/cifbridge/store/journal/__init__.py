"""Journal backends, chosen with the store: memory, the SQLite file, or a shared Redis stream."""

from __future__ import annotations

from cifbridge.engine.base.context import DEFAULT_AGENT
from cifbridge.settings import Settings
from cifbridge.store.base import Store
from cifbridge.store.journal.base import Entry, JournalBackend, Slice
from cifbridge.store.journal.memory import MemoryJournal
from cifbridge.store.redis import RedisStore
from cifbridge.store.sqlite import SqliteStore


def open_journal(settings: Settings, store: Store, agent: str = DEFAULT_AGENT) -> JournalBackend:
    """Return an agent's journal backend, kept where the store the settings chose keeps state."""
    size = settings.journal_size
    if isinstance(store, SqliteStore):
        from cifbridge.store.journal.sqlite import SqliteJournal

        return SqliteJournal(store.connection, size, agent)
    if isinstance(store, RedisStore):
        from cifbridge.store.journal.redis import RedisJournal

        return RedisJournal(store.client, store.scripts, store.agent_key(agent), size)
    return MemoryJournal(size)


__all__ = ["Entry", "JournalBackend", "MemoryJournal", "Slice", "open_journal"]
