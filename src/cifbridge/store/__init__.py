"""Where the workspace state lives between calls: memory, SQLite (default) or Redis."""

from __future__ import annotations

from ..settings import Settings
from .base import Store
from .memory import MemoryStore
from .sqlite import SqliteStore


def open_store(settings: Settings) -> Store:
    """Return the store the settings ask for."""
    if settings.store == "memory":
        return MemoryStore()
    if settings.store == "redis":
        from .redis import RedisStore  # only processes that use Redis need the client loaded

        return RedisStore(settings.redis_url, settings.redis_key)
    return SqliteStore(settings.state_path)


__all__ = ["MemoryStore", "SqliteStore", "Store", "open_store"]
