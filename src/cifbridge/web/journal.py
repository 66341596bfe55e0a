"""A bounded, ordered record of every CIF call, for the workspace drawer and for CI asserts."""

from __future__ import annotations

from collections import deque
from collections.abc import Callable
from typing import Any

Entry = dict[str, Any]


class Journal:
    """Keeps the most recent entries, each numbered in arrival order."""

    def __init__(self, clock: Callable[[], float], keep: int = 10_000) -> None:
        self._clock = clock
        self._entries: deque[Entry] = deque(maxlen=keep)
        self._seq = 0

    def record(self, **fields: Any) -> Entry:
        """Add one entry and return it with its sequence number and time."""
        self._seq += 1
        entry = {"seq": self._seq, "at": self._clock(), **fields}
        self._entries.append(entry)
        return entry

    def since(self, seq: int = 0, api: str | None = None) -> list[Entry]:
        """Return entries after `seq`, optionally only those of one API."""
        return [e for e in self._entries if e["seq"] > seq and (api is None or e["api"] == api)]

    def clear(self) -> None:
        """Forget every entry (numbering goes on, so pollers never miss a new one)."""
        self._entries.clear()
