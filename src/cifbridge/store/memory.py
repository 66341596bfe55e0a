"""State kept in the process: for tests and throwaway sessions."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from contextlib import AbstractAsyncContextManager

from cifbridge.engine.base.context import DEFAULT_AGENT
from cifbridge.engine.base.record_store import Change, MemoryRecords
from cifbridge.engine.config.entities import built
from cifbridge.engine.config.workspace import WorkspaceConfig
from cifbridge.store.base import IN_ENGINE, Saved, whole_text


class MemoryStore:
    """Holds each agent's revision, and the JSON texts saved whole (immutable: no copies).

    A hub's engine is its workspace's only copy (a hub runs until its agent is removed, and
    then the agent is forgotten here too), so a hub saves IN_ENGINE: no text. The org's
    records need no saving either: the process's MemoryRecords is the only copy.
    """

    shared = False
    durable = False

    def __init__(self) -> None:
        self._saved: dict[str, tuple[str | None, int]] = {}  # None: the text is the engine's
        self._locks: dict[str, asyncio.Lock] = {}

    async def load(self, agent: str, known_revision: int | None = None) -> str | None:
        """Return the saved text if its revision differs from `known_revision`."""
        saved = self._saved.get(agent)
        if saved is None or saved[1] == known_revision:
            return None
        return saved[0]  # None for a hub's own saves: nothing but the engine holds them

    async def save(
        self, agent: str, state: Saved, revision: int, changes: Sequence[Change] = ()
    ) -> None:
        """Keep the revision, and the text unless it is the engine's (IN_ENGINE)."""
        self._saved[agent] = (None if state is IN_ENGINE else whole_text(state), revision)

    def exclusive(self, agent: str) -> AbstractAsyncContextManager[None]:
        """Serialize one agent's calls within this process."""
        lock = self._locks.get(agent)
        if lock is None:  # not setdefault: that would build a Lock for every call
            lock = self._locks[agent] = asyncio.Lock()
        return lock

    async def clear(self, agent: str) -> None:
        """Forget the agent's saved state."""
        self._saved.pop(agent, None)

    async def agents(self) -> list[str]:
        """Return the agents with a saved workspace, the default one first."""
        return sorted(self._saved, key=lambda name: (name != DEFAULT_AGENT, name))

    def open_records(self, config: WorkspaceConfig) -> MemoryRecords:
        """Return the process's copy of the org's records (indexed in memory)."""
        return MemoryRecords(built(config.records))

    async def load_records(self, records: MemoryRecords) -> None:
        """Nothing is saved apart from the process's own copy."""

    async def catch_up(self, agent: str, known_revision: int, records: MemoryRecords) -> str | None:
        """No other process writes here: nothing to catch up with."""
        return None

    async def clear_records(self) -> None:
        """Nothing is saved apart from the process's own copy."""

    async def close(self) -> None:
        """Nothing to release."""
