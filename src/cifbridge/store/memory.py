"""State kept in the process: for tests and throwaway sessions."""

from __future__ import annotations

import asyncio
import copy
from contextlib import AbstractAsyncContextManager

from .base import State


class MemoryStore:
    """Holds a deep copy of the last saved state."""

    shared = False

    def __init__(self) -> None:
        self._state: State | None = None
        self._lock = asyncio.Lock()

    async def load(self, known_revision: int | None = None) -> State | None:
        """Return a copy of the saved state if it is newer than `known_revision`."""
        if self._state is None or self._state.get("revision") == known_revision:
            return None
        return copy.deepcopy(self._state)

    async def save(self, state: State) -> None:
        """Keep a copy, so later changes to the engine's objects don't leak in."""
        self._state = copy.deepcopy(state)

    def exclusive(self) -> AbstractAsyncContextManager[None]:
        """Serialize calls within this process."""
        return self._lock

    async def clear(self) -> None:
        """Forget the saved state."""
        self._state = None

    async def close(self) -> None:
        """Nothing to release."""
