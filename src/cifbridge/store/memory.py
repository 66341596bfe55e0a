"""State kept in the process: for tests and throwaway sessions."""

from __future__ import annotations

import asyncio
from contextlib import AbstractAsyncContextManager


class MemoryStore:
    """Holds the last saved JSON text (immutable, so no copies are needed)."""

    shared = False

    def __init__(self) -> None:
        self._state: str | None = None
        self._revision: int | None = None
        self._lock = asyncio.Lock()

    async def load(self, known_revision: int | None = None) -> str | None:
        """Return the saved text if its revision differs from `known_revision`."""
        if self._state is None or self._revision == known_revision:
            return None
        return self._state

    async def save(self, state: str, revision: int) -> None:
        """Keep the text and its revision."""
        self._state, self._revision = state, revision

    def exclusive(self) -> AbstractAsyncContextManager[None]:
        """Serialize calls within this process."""
        return self._lock

    async def clear(self) -> None:
        """Forget the saved state."""
        self._state = self._revision = None

    async def close(self) -> None:
        """Nothing to release."""
