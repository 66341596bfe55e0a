"""A bounded, ordered record of what crossed the bridge, for the workspace drawer and CI asserts.

Every entry has `seq` (only grows), `at` (the bridge's clock) and `kind`:
- "call": a widget's CIF call (`provider`, `api`, `args`, `requestId`, `ok`, `value` or
  `error`, `latencyMs`; `deferred` when its answer comes later; `fault` when a fault made it);
- "answer": the late answer of a deferred call (`settled: true`, its `requestId`, envelope);
- "event": an event the bridge sent to widgets (`name`, `payload`, `provider` or "*" for every
  provider, `connections` that were in the room here; `fault` and `dropped`/`delayMs` when a
  fault touched it);
- "fault": a fault set, fired or cleared (web/faults.py).
Entries stay open dictionaries: other features add fields. Where entries live is the
backend's business (store/journal/): the process, the SQLite file, or a Redis stream.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Collection
from typing import Any

from cifbridge.store.journal import Entry, JournalBackend, MemoryJournal, Slice

CALL_KINDS = frozenset({"call", "answer"})  # what the journal held before it had kinds
KINDS = frozenset({"call", "answer", "event", "fault"})


class Journal:
    """Stamps entries with the time and hands them to the backend; filters what is read."""

    def __init__(self, clock: Callable[[], float], backend: JournalBackend | None = None) -> None:
        self._clock = clock
        self.backend: JournalBackend = backend or MemoryJournal(10_000)
        self._listeners: list[Callable[[Entry], Awaitable[None]]] = []

    def on_entry(self, listener: Callable[[Entry], Awaitable[None]]) -> None:
        """Have `listener` hear every entry once it is kept (the hub shows them live)."""
        self._listeners.append(listener)

    @property
    def size(self) -> int:
        """Return how many entries are kept at most."""
        return self.backend.size

    async def record(self, kind: str = "call", **fields: Any) -> Entry:
        """Add one entry and return it with its sequence number and time."""
        entry = {"at": self._clock(), "kind": kind, **fields}
        seq = await self.backend.append(entry)
        kept = {"seq": seq, **entry}
        for listener in self._listeners:
            await listener(kept)
        return kept

    async def page(
        self, seq: int = 0, api: str | None = None, kinds: Collection[str] | None = CALL_KINDS
    ) -> Slice:
        """Return entries after `seq` of these kinds (None: all), optionally of one API."""
        found = await self.backend.read(seq)
        entries = [
            e
            for e in found.entries
            if (kinds is None or e.get("kind", "call") in kinds)
            and (api is None or e.get("api") == api)
        ]
        return Slice(entries, found.dropped)

    async def since(
        self, seq: int = 0, api: str | None = None, kinds: Collection[str] | None = CALL_KINDS
    ) -> list[Entry]:
        """Return entries after `seq` (calls and answers unless other kinds are asked)."""
        return (await self.page(seq, api, kinds)).entries

    async def clear(self) -> None:
        """Forget every entry (numbering goes on, so pollers never miss a new one)."""
        await self.backend.clear()

    async def close(self) -> None:
        """Let go of the backend's own connections."""
        await self.backend.close()


def parse_kinds(text: str | None) -> frozenset[str] | None:
    """Return the kinds a `?kind=` query asks for: absent → calls, "all" → None (every kind).

    Raises ValueError naming an unknown kind.
    """
    if text is None or text == "":
        return CALL_KINDS
    if text == "all":
        return None
    asked = frozenset(part.strip() for part in text.split(",") if part.strip())
    unknown = sorted(asked - KINDS)
    if unknown or not asked:
        known = ", ".join(sorted(KINDS))
        raise ValueError(f"kind must be all or a comma-separated list of {known}; not {text!r}")
    return asked
