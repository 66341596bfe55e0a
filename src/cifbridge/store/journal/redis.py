"""One journal for every bridge process sharing a Redis store: a bounded Redis stream.

Keys, under the store's key: `<key>:journal` the stream (entry ids `<seq>-0`), `<key>:journal:seq`
the last sequence number handed out, `<key>:journal:base` where it stood at the latest clear.
Numbering and appending happen in one script, so two processes never hand out the same number
nor append out of order. The same script counts the agent's open workspace pages (`<key>:pages`,
store/redis.py), so an entry nobody watches is not fanned out to every process.

Appends go on the store's pipelined connection (store/redis_scripts.py), one for every agent
of the process: `send` writes the script to the socket before it returns, with a future of
the entry's number, and the answers are read in the order sent (at once while a page
watches, else with the others of a few milliseconds). So a call's entry reaches Redis before
the call's answer leaves (an entry recorded on another process because of that answer is
numbered after it, as when every append was awaited), without the answer waiting for the
round trip (web/journal.py). One connection keeps this process's entries in the order they
were sent; a process hosting thousands of agents opens no connection per agent.

The stream is trimmed with `MAXLEN ~` (cheap, whole nodes at a time), so it may hold a few
more than `size`; reads apply the exact bound.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Sequence
from typing import Any

from redis.asyncio import Redis

from cifbridge.engine.base.json_text import compact
from cifbridge.store.journal.base import Entry, Slice, dropped_count, first_kept
from cifbridge.store.redis_scripts import Script, ScriptChannel

# KEYS: stream, seq, base, pages. ARGV: the bound, then the entries, numbered in order.
# Answers the first entry's number and the agent's open pages.
_APPEND = """
local count = #ARGV - 1
local last = redis.call('INCRBY', KEYS[2], count)
for i = 2, #ARGV do
  local seq = last - count + i - 1
  redis.call('XADD', KEYS[1], 'MAXLEN', '~', ARGV[1], seq .. '-0', 'entry', ARGV[i])
end
return {last - count + 1, redis.call('SCARD', KEYS[4])}
"""
_APPEND_SCRIPT = Script(_APPEND)
_CLEAR = """
redis.call('SET', KEYS[3], redis.call('GET', KEYS[2]) or 0)
redis.call('DEL', KEYS[1])
return 1
"""


class RedisJournal:
    """A stream shared by the processes of one Redis store."""

    def __init__(self, redis: Redis, scripts: ScriptChannel, key: str, size: int) -> None:
        self.size = size
        self.watched = True
        self._redis = redis  # the store's client (reads, clears), and its scripts' channel
        self._scripts = scripts
        self._keys = (f"{key}:journal", f"{key}:journal:seq", f"{key}:journal:base")
        self._pages = f"{key}:pages"

    async def append(self, entry: Entry) -> int:
        """Number and append the entry atomically; return its number."""
        numbered = await self.send([entry])
        self.hurry()
        return await numbered

    async def send(self, entries: Sequence[Entry]) -> asyncio.Future[int]:
        """Write the append of `entries` to Redis; return the future of the first's number."""
        keys = [*self._keys, self._pages]
        args = [self.size, *(compact(entry) for entry in entries)]
        answer = await self._scripts.write(_APPEND_SCRIPT, keys, args, urgent=self.watched)
        numbered: asyncio.Future[int] = asyncio.get_running_loop().create_future()
        answer.add_done_callback(lambda done: self._numbered(done, numbered))
        return numbered

    def _numbered(self, answer: asyncio.Future[Any], numbered: asyncio.Future[int]) -> None:
        if numbered.done():
            return
        if answer.cancelled():
            numbered.cancel()
            return
        error = answer.exception()
        if error is not None:
            numbered.set_exception(error)
            return
        first, pages = answer.result()
        # Counted after the append: a page that opens later reads it in its backlog.
        self.watched = int(pages) > 0
        numbered.set_result(int(first))

    def hurry(self) -> None:
        """Read the answers of the appends sent so far now (something waits for them)."""
        self._scripts.hurry()

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
        """Nothing of its own to close: the connections are the store's (closed with it)."""
        self.hurry()


def _seq_of(entry_id: Any) -> int:
    text = entry_id.decode("ascii") if isinstance(entry_id, bytes) else str(entry_id)
    return int(text.split("-", 1)[0])
