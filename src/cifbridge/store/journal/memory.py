"""A journal kept in the process: for the memory store (tests, throwaway sessions)."""

from __future__ import annotations

from collections import deque

from cifbridge.store.journal.base import Entry, Slice, dropped_count


class MemoryJournal:
    """The most recent `size` entries in a deque."""

    watched = True  # the hub asks Socket.IO whether a page of this process is open

    def __init__(self, size: int) -> None:
        self.size = size
        self._entries: deque[Entry] = deque(maxlen=size)
        self._last = 0
        self._base = 0  # the last sequence number before the latest clear

    async def append(self, entry: Entry) -> int:
        """Number the entry and keep it, dropping the oldest beyond the bound."""
        self._last += 1
        self._entries.append({"seq": self._last, **entry})
        return self._last

    async def read(self, after: int = 0) -> Slice:
        """Return the kept entries numbered above `after`."""
        entries = [e for e in self._entries if e["seq"] > after]
        return Slice(entries, dropped_count(self._last, self._base, self.size))

    async def clear(self) -> None:
        """Forget every entry; numbering goes on."""
        self._entries.clear()
        self._base = self._last

    async def close(self) -> None:
        """Nothing to release."""
