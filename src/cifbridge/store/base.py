"""The interface every store implements, and the errors a store raises.

A store keeps one saved workspace per agent (each with its own revision and its own hold, so
calls of different agents never wait on each other) and the org's record rows, which every
agent shares. `AgentStore` is one agent's view of it: what a hub works with.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from contextlib import AbstractAsyncContextManager
from typing import Protocol, runtime_checkable

from cifbridge.engine.base.context import DEFAULT_AGENT
from cifbridge.engine.base.record_store import Change, MemoryRecords, RecordStore
from cifbridge.engine.base.state import SavedAnswers, SavedEvents, SavedWorkspace
from cifbridge.engine.config.workspace import WorkspaceConfig


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


class SaveConflict(StoreFailed):
    """A hold without the lock (a shared store's `tentative`) could not save: another process
    holds the workspace or saved it since, or this copy was not known to be current. Nothing
    was written; the hub runs the change again under the lock."""


# What a save takes: a workspace's whole JSON text, or the same text in parts (a hub's saves).
Saved = str | SavedWorkspace


# What a hub saves to a store whose saves do not outlive the process (`durable` False: the
# memory store): there the hub's engine is the workspace's only copy and nothing reads a text
# of it back, so none is made (it was a fifth of a createSession + close in process); the
# revision still counts. Compared by identity.
IN_ENGINE = SavedWorkspace(rest="{}", answers=SavedAnswers([], []), analytics=SavedEvents([]))


def whole_text(state: Saved) -> str:
    """Return the whole JSON text of what a save was given (a store that keeps one text)."""
    return state if isinstance(state, str) else state.text


class Store(Protocol):
    """Keeps each agent's latest workspace and the org's records; `shared`: other processes too.

    `durable`: what it keeps outlives the process (a hub then hands it the workspace's text;
    otherwise IN_ENGINE, the engine being the only copy). Only a durable store may fail a
    save (StoreFailed): the text it was handed last is what the hub rolls back to.
    """

    shared: bool
    durable: bool

    async def load(self, agent: str, known_revision: int | None = None) -> str | None:
        """Return the agent's saved JSON text, or None when nothing but `known_revision` is."""

    async def save(
        self, agent: str, state: Saved, revision: int, changes: Sequence[Change] = ()
    ) -> None:
        """Replace the agent's text and revision and write the changed rows, together.

        `state` is the whole text or its parts (`SavedWorkspace`); `load` gives back the
        whole text either way."""

    def exclusive(self, agent: str) -> AbstractAsyncContextManager[None]:
        """Hold one agent's workspace for one load-call-save cycle."""

    async def clear(self, agent: str) -> None:
        """Forget the agent's saved workspace."""

    async def agents(self) -> list[str]:
        """Return the agents with a saved workspace, the default one first."""

    def open_records(self, config: WorkspaceConfig) -> RecordStore:
        """Return the org's records: the process's MemoryRecords, or the store's own rows."""

    async def load_records(self, records: MemoryRecords) -> None:
        """Fill the process's copy of the org's records with the saved rows."""

    async def catch_up(self, agent: str, known_revision: int, records: MemoryRecords) -> str | None:
        """Apply the rows other processes wrote since the last look, and return the agent's
        saved text if its revision is not `known_revision` (shared stores; others: None)."""

    async def clear_records(self) -> None:
        """Forget every saved row (back to the configured records)."""

    async def close(self) -> None:
        """Release connections and files."""


@runtime_checkable
class PageCounting(Protocol):
    """A shared store that counts each agent's open workspace pages across processes."""

    def pages_open(self, agent: str) -> bool:
        """Tell whether a page of the agent was open at its latest save."""

    async def page_opened(self, agent: str, page: str) -> None:
        """Count one page open."""

    async def page_closed(self, agent: str, page: str) -> None:
        """Stop counting one page."""


class AgentStore:
    """One agent's side of a store: the interface the agent's hub uses."""

    def __init__(self, store: Store, agent: str) -> None:
        self.store = store
        self.agent = agent
        # Read on every call: a store's kind does not change while it is open.
        self.shared: bool = store.shared  # other processes write this store too
        self.durable: bool = store.durable  # what the store keeps outlives the process
        # A shared store that can hold a workspace without its lock while the copy is current.
        self._tentative: Callable[[str], AbstractAsyncContextManager[None]] | None = getattr(
            store, "tentative", None
        )
        # Checked once: an isinstance of a runtime protocol costs microseconds, and
        # `pages_open` is asked at every change.
        self._counting: PageCounting | None = store if isinstance(store, PageCounting) else None

    async def load(self, known_revision: int | None = None) -> str | None:
        """Return the saved text if its revision differs from `known_revision`."""
        return await self.store.load(self.agent, known_revision)

    async def catch_up(self, known_revision: int, records: MemoryRecords) -> str | None:
        """Take the rows other processes wrote; return this agent's text if it is newer."""
        return await self.store.catch_up(self.agent, known_revision, records)

    async def save(self, state: Saved, revision: int, changes: Iterable[Change] = ()) -> None:
        """Save the workspace text and the record rows the call wrote."""
        await self.store.save(self.agent, state, revision, tuple(changes))

    def exclusive(self, *, tentative: bool = False) -> AbstractAsyncContextManager[None]:
        """Hold this agent's workspace; `tentative`: without the cross-process lock where the
        store can (its catch-up and save may then raise SaveConflict)."""
        if tentative and self._tentative is not None:
            return self._tentative(self.agent)
        return self.store.exclusive(self.agent)

    @property
    def holds_tentatively(self) -> bool:
        """Tell whether `exclusive(tentative=True)` skips the lock (and may conflict)."""
        return self._tentative is not None

    def pages_open(self) -> bool:
        """Tell whether a page of this agent may be open on another process (shared stores
        that count pages know; others say yes)."""
        return self._counting is None or self._counting.pages_open(self.agent)

    async def page_opened(self, page: str) -> None:
        """Count a workspace page of this agent (shared stores that count them)."""
        if self._counting is not None:
            await self._counting.page_opened(self.agent, page)

    async def page_closed(self, page: str) -> None:
        """Stop counting a workspace page of this agent."""
        if self._counting is not None:
            await self._counting.page_closed(self.agent, page)

    async def clear(self) -> None:
        """Forget this agent's saved workspace."""
        await self.store.clear(self.agent)


def agent_suffix(agent: str) -> str:
    """Return what an agent's keys carry after the store's own: nothing for the default agent.

    The default agent keeps the keys a bridge used before it had agents, so saved state resumes.
    """
    return "" if agent == DEFAULT_AGENT else f":agent:{agent}"
