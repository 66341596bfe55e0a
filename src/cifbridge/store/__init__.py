"""Where the workspace state lives between calls: memory, SQLite (default) or Redis."""

from __future__ import annotations

from cifbridge.settings import Settings
from cifbridge.store.base import LockLost, StateInUse, StateUnreadable, Store, StoreFailed
from cifbridge.store.memory import MemoryStore
from cifbridge.store.sqlite import SqliteStore


def open_store(settings: Settings) -> Store:
    """Return the store the settings ask for."""
    if settings.store == "memory":
        return MemoryStore()
    if settings.store == "redis":
        from cifbridge.store.redis import RedisStore

        return RedisStore(settings.redis_url, settings.redis_key)
    return SqliteStore(settings.state_path)


__all__ = [
    "LockLost",
    "MemoryStore",
    "SqliteStore",
    "StateInUse",
    "StateUnreadable",
    "Store",
    "StoreFailed",
    "open_store",
]
