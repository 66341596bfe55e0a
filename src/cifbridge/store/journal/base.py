"""What every journal backend does: append numbered entries, read them back, forget them.

Rules:
- sequence numbers only grow, also across a clear and (for SQLite and Redis) a restart, so a
  poller asking for entries after N never misses a new one nor sees one twice;
- a backend keeps at most `size` entries, dropping the oldest; `dropped` counts the entries
  recorded since the last clear that are no longer kept;
- entries are open dictionaries (other features add fields); the backend stores them whole.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Protocol, runtime_checkable

Entry = dict[str, Any]


@dataclass(frozen=True)
class Slice:
    """Entries after a sequence number, oldest first, and how many the bound has dropped."""

    entries: list[Entry]
    dropped: int


class JournalBackend(Protocol):
    """Where journal entries live: the process (memory), the SQLite file or a Redis stream."""

    size: int
    # Whether a workspace page may be reading the entries live, as of the latest append: a
    # shared backend that tracks pages can say no (then nobody is sent the entry); others
    # cannot tell and say yes.
    watched: bool

    async def append(self, entry: Entry) -> int:
        """Keep one entry (without its `seq`) and return the sequence number it was given."""

    async def read(self, after: int = 0) -> Slice:
        """Return the kept entries numbered above `after`, each with its `seq`."""

    async def clear(self) -> None:
        """Forget every entry; numbering goes on."""

    async def close(self) -> None:
        """Release what the backend holds of its own."""


@runtime_checkable
class NumberedElsewhere(Protocol):
    """A backend whose numbers come from a round trip (Redis, shared by processes): an entry
    is sent at once and numbered when the answer comes, so a call's own entry need not hold
    up its answer (web/journal.py)."""

    async def send(self, entries: Sequence[Entry]) -> asyncio.Future[int]:
        """Send the entries, in order; return the future of the first one's number."""

    def hurry(self) -> None:
        """Have the numbers of the entries sent so far come without delay."""


def dropped_count(last: int, base: int, size: int) -> int:
    """Return how many of the entries numbered base+1..last a bound of `size` has dropped."""
    return max(0, last - base - size)


def first_kept(after: int, last: int, size: int) -> int:
    """Return the lowest sequence number to read: past `after` and within the bound."""
    return max(after, last - size) + 1
