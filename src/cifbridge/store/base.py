"""The interface every store implements, and the errors a store raises."""

from __future__ import annotations

from contextlib import AbstractAsyncContextManager
from typing import Protocol


class StateUnreadable(RuntimeError):
    """The saved state cannot be opened or restored."""


class StateInUse(StateUnreadable):
    """Another process holds the state file (two bridges must never share one SQLite file)."""


class StoreFailed(RuntimeError):
    """A load or save did not happen (the database answered an error, or the lock was lost).

    The call that needed it must not be acknowledged as done: the hub puts the workspace back
    to the last saved state and answers the widget with this message.
    """


class LockLost(StoreFailed):
    """The cross-process lock expired or was taken over before the save."""


class Store(Protocol):
    """Keeps the latest workspace snapshot; `shared` stores may be written by other processes."""

    shared: bool

    async def load(self, known_revision: int | None = None) -> str | None:
        """Return the saved JSON text, or None when nothing other than `known_revision` is saved."""

    async def save(self, state: str, revision: int) -> None:
        """Replace the saved JSON text and remember its revision (durable when it returns)."""

    def exclusive(self) -> AbstractAsyncContextManager[None]:
        """Hold the workspace for one load-call-save cycle."""

    async def clear(self) -> None:
        """Forget the saved state."""

    async def close(self) -> None:
        """Release connections and files."""
