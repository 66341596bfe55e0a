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

A Redis stream numbers entries in Redis, a round trip away. There `add` sends the entry (it is
in Redis's hands before the call's answer leaves, so entries of several processes keep the
order of cause and effect) but does not wait for its number: a widget call's answer and its
events do not wait for that round trip (on the other backends an entry is numbered at once and
`add` is `record`). Listeners hear entries in the order they were sent, once numbered.
Whatever reads or clears the journal in this process first waits for the numbers under way.
"""

from __future__ import annotations

import asyncio
import logging
from collections import deque
from collections.abc import Awaitable, Callable, Collection
from typing import Any

from cifbridge.store.journal import Entry, JournalBackend, MemoryJournal, Slice
from cifbridge.store.journal.base import NumberedElsewhere

log = logging.getLogger("cifbridge")

CALL_KINDS = frozenset({"call", "answer"})  # what the journal held before it had kinds
KINDS = frozenset({"call", "answer", "event", "fault"})


class Journal:
    """Stamps entries with the time and hands them to the backend; filters what is read."""

    def __init__(self, clock: Callable[[], float], backend: JournalBackend | None = None) -> None:
        self._clock = clock
        self.backend: JournalBackend = backend or MemoryJournal(10_000)
        self._listeners: list[Callable[[Entry], Awaitable[None]]] = []
        # Checked once: an isinstance of a runtime protocol costs microseconds per call.
        self._elsewhere = self.backend if isinstance(self.backend, NumberedElsewhere) else None
        # Entries sent and not numbered yet, in the order sent, each with the future of its
        # number and, for a `record` awaiting it, the future of the numbered entry.
        self._sent: deque[tuple[Entry, asyncio.Future[int], asyncio.Future[Entry] | None]] = deque()
        self._numbering: asyncio.Task[None] | None = None

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
        if self._elsewhere is not None:
            kept: asyncio.Future[Entry] = asyncio.get_running_loop().create_future()
            await self._send(entry, kept)
            self._hurry()
            return await kept
        numbered = {"seq": await self.backend.append(entry), **entry}
        await self._tell(numbered)
        return numbered

    async def add(self, kind: str = "call", **fields: Any) -> None:
        """Add one entry; with a Redis stream, without waiting for its number (see above)."""
        if self._elsewhere is None:
            await self.record(kind, **fields)
            return
        try:
            await self._send({"at": self._clock(), "kind": kind, **fields}, None)
        except Exception as error:  # the call is done: its answer must not fail for this
            log.error("a journal entry could not be written: %s", error)

    async def _send(self, entry: Entry, kept: asyncio.Future[Entry] | None) -> None:
        assert self._elsewhere is not None
        numbered = await self._elsewhere.send([entry])
        self._sent.append((entry, numbered, kept))
        if self._numbering is None:
            self._numbering = asyncio.create_task(self._number())

    def _hurry(self) -> None:
        if self._elsewhere is not None:
            self._elsewhere.hurry()

    async def _number(self) -> None:
        # In the order sent: listeners hear entries in the order of their numbers.
        try:
            while self._sent:
                entry, numbered, kept = self._sent[0]
                try:
                    seq = await numbered
                except Exception as error:  # sent but lost: the calls were answered already
                    self._sent.popleft()
                    log.error("a journal entry could not be written: %s", error)
                    if kept is not None and not kept.done():
                        kept.set_exception(error)
                    continue
                self._sent.popleft()
                entry = {"seq": seq, **entry}
                await self._tell(entry)
                if kept is not None and not kept.done():
                    kept.set_result(entry)
        finally:
            self._numbering = None

    async def _tell(self, kept: Entry) -> None:
        for listener in self._listeners:
            try:
                await listener(kept)
            except Exception:  # one page's trouble must not lose the entry
                log.exception("cifbridge could not show journal entry %s", kept.get("seq"))

    async def written(self) -> None:
        """Return once every entry recorded so far in this process is numbered and kept."""
        while self._numbering is not None:
            self._hurry()
            await asyncio.shield(self._numbering)

    async def page(
        self, seq: int = 0, api: str | None = None, kinds: Collection[str] | None = CALL_KINDS
    ) -> Slice:
        """Return entries after `seq` of these kinds (None: all), optionally of one API."""
        await self.written()
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
        await self.written()  # an entry recorded before the clear must not outlive it
        await self.backend.clear()

    async def close(self) -> None:
        """Write what is queued, then let go of the backend's own connections."""
        await self.written()
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
