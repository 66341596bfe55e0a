"""One journal for every bridge process sharing a Redis store: a bounded Redis stream.

Keys, under the store's key: `<key>:journal` the stream (entry ids `<seq>-0`), `<key>:journal:seq`
the last sequence number handed out, `<key>:journal:base` where it stood at the latest clear.
Numbering and appending happen in one script, so two processes never hand out the same number
nor append out of order. The same script counts the agent's open workspace pages
(`<key>:pages`, store/redis.py), so an entry nobody watches is not fanned out to every
process. The stream is trimmed with `MAXLEN ~` (cheap, whole nodes at a time), so it may hold
a few more than `size`; reads apply the exact bound.
"""

from __future__ import annotations

import json
from typing import Any

from redis.asyncio import Redis

from cifbridge.engine.base.json_text import compact
from cifbridge.store.journal.base import Entry, Slice, dropped_count, first_kept

_APPEND = """
local seq = redis.call('INCR', KEYS[2])
redis.call('XADD', KEYS[1], 'MAXLEN', '~', ARGV[2], seq .. '-0', 'entry', ARGV[1])
return {seq, redis.call('SCARD', KEYS[4])}
"""
_CLEAR = """
redis.call('SET', KEYS[3], redis.call('GET', KEYS[2]) or 0)
redis.call('DEL', KEYS[1])
return 1
"""


class RedisJournal:
    """A stream shared by the processes of one Redis store."""

    def __init__(self, url: str, key: str, size: int) -> None:
        self.size = size
        self.watched = True
        self._redis = Redis.from_url(url)
        self._keys = (f"{key}:journal", f"{key}:journal:seq", f"{key}:journal:base")
        self._pages = f"{key}:pages"
        self._append = self._redis.register_script(_APPEND)

    async def append(self, entry: Entry) -> int:
        """Number and append the entry atomically; return its number."""
        text = compact(entry)
        seq, pages = await self._append(keys=[*self._keys, self._pages], args=[text, self.size])
        # Counted after the append: a page that opens later reads this entry in its backlog.
        self.watched = int(pages) > 0
        return int(seq)

    async def read(self, after: int = 0) -> Slice:
        """Return the kept entries numbered above `after`."""
        stream, seq_key, base_key = self._keys
        async with self._redis.pipeline(transaction=True) as pipe:
            pipe.get(seq_key)
            pipe.get(base_key)
            pipe.xrange(stream, f"{after + 1}-0", "+")
            last_raw, base_raw, rows = await pipe.execute()
        last, base = int(last_raw or 0), int(base_raw or 0)
        start = first_kept(after, last, self.size)
        entries = []
        for entry_id, fields in rows:
            seq = _seq_of(entry_id)
            if seq >= start:
                entries.append({"seq": seq, **json.loads(fields[b"entry"])})
        return Slice(entries, dropped_count(last, base, self.size))

    async def clear(self) -> None:
        """Delete the stream and remember where the numbering stood."""
        await self._redis.eval(_CLEAR, 3, *self._keys)

    async def close(self) -> None:
        """Close the connection pool."""
        await self._redis.aclose()


def _seq_of(entry_id: Any) -> int:
    text = entry_id.decode("ascii") if isinstance(entry_id, bytes) else str(entry_id)
    return int(text.split("-", 1)[0])
