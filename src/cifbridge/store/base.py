"""The interface every store implements."""

from __future__ import annotations

from contextlib import AbstractAsyncContextManager
from typing import Any, Protocol

State = dict[str, Any]


class Store(Protocol):
    """Keeps the latest workspace snapshot; `shared` stores may be written by other processes."""

    shared: bool

    async def load(self, known_revision: int | None = None) -> State | None:
        """Return the saved state, or None when nothing newer than `known_revision` is saved."""

    async def save(self, state: State) -> None:
        """Replace the saved state (it carries its own `revision`)."""

    def exclusive(self) -> AbstractAsyncContextManager[None]:
        """Hold the workspace for one load-call-save cycle."""

    async def clear(self) -> None:
        """Forget the saved state."""

    async def close(self) -> None:
        """Release connections and files."""
