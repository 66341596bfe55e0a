"""One journal for every bridge process sharing a Redis store: a bounded Redis stream.

Keys, under the store's key: `<key>:journal` the stream (entry ids `<seq>-0`), `<key>:journal:seq`
the last sequence number handed out, `<key>:journal:base` where it stood at the latest clear.
Numbering and appending happen in one script, so two processes never hand out the same number
nor append out of order. The same script counts the agent's open workspace pages (`<key>:pages`,
store/redis.py), so an entry nobody watches is not fanned out to every process.

Appends are pipelined on a connection of their own: `send` writes the script to the socket and
returns at once with a future of the entry's number, and one reader takes the answers in the
order they come (at once while a page watches, else in a run a few milliseconds later). So a
call's entry reaches Redis before the call's answer leaves (an entry recorded on another process
because of that answer is numbered after it, as when every append was awaited), without the
answer waiting for the round trip (web/journal.py). One connection keeps this process's entries
in the order they were sent.

The stream is trimmed with `MAXLEN ~` (cheap, whole nodes at a time), so it may hold a few
more than `size`; reads apply the exact bound.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections import deque
from collections.abc import Sequence
from typing import Any

from redis.asyncio import Connection, Redis
from redis.exceptions import RedisError, ResponseError

from cifbridge.engine.base.json_text import compact
from cifbridge.store.journal.base import Entry, Slice, dropped_count, first_kept

# How long an append's answer may take before its connection counts as lost.
ANSWER_SECONDS = 10.0
# While no workspace page watches the journal, answers are read this long after the first
# append of a run, all at once: a loop turn per append, and a task, cost about a tenth of a
# read-only call. Whatever waits for a number (web/journal.py) has them read at once.
UNWATCHED_READ_SECONDS = 0.005

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
        self._appends: Connection | None = None  # the pipelined connection (see above)
        self._answers: deque[asyncio.Future[int]] = deque()  # sent, not answered yet
        self._reader: asyncio.Task[None] | None = None
        self._later: asyncio.TimerHandle | None = None  # the unwatched answers' read
        self._head_parts: tuple[int, bytes] | None = None

    async def append(self, entry: Entry) -> int:
        """Number and append the entry atomically; return its number."""
        numbered = await self.send([entry])
        self.hurry()
        return await numbered

    async def send(self, entries: Sequence[Entry]) -> asyncio.Future[int]:
        """Write the append of `entries` to Redis; return the future of the first's number."""
        appends = await self._connection()
        command = self._command(entries)
        numbered: asyncio.Future[int] = asyncio.get_running_loop().create_future()
        self._answers.append(numbered)
        try:
            await appends.send_packed_command(command, check_health=False)
        except (RedisError, OSError) as error:
            await self._lost(appends, error)
            raise
        if self._reader is None and self._later is None:
            if self.watched:  # a page shows entries live: number them now
                self._read_now()
            else:  # read the answers of a few milliseconds' appends at once
                loop = asyncio.get_running_loop()
                self._later = loop.call_later(UNWATCHED_READ_SECONDS, self._read_now)
        return numbered

    def hurry(self) -> None:
        """Read the answers of the appends sent so far now (something waits for them)."""
        if self._later is not None:
            self._read_now()

    def _read_now(self) -> None:
        if self._later is not None:
            self._later.cancel()
            self._later = None
        if self._reader is None and self._answers and self._appends is not None:
            self._reader = asyncio.create_task(self._read_answers(self._appends))

    def _command(self, entries: Sequence[Entry]) -> bytes:
        # EVAL of the append script, in the protocol's own framing: the part before the
        # entries never changes (redis-py's pack_command took a tenth of a read-only call).
        if self._head_parts is None:
            parts = [b"EVAL", _APPEND.encode(), b"4", *(k.encode() for k in self._keys)]
            parts += [self._pages.encode(), str(self.size).encode()]
            self._head_parts = (len(parts), b"".join(_bulk(part) for part in parts))
        count, head = self._head_parts
        texts = [compact(entry).encode() for entry in entries]
        framed = b"".join(_bulk(text) for text in texts)
        return b"*%d\r\n%s%s" % (count + len(texts), head, framed)

    async def _connection(self) -> Connection:
        if self._appends is None:
            # No socket timeout on writes: redis-py would run each one in a task of its own
            # (asyncio.wait_for), which cost as much as the rest of a read-only call; the
            # reads of the answers keep a timeout.
            options = {**self._redis.connection_pool.connection_kwargs, "socket_timeout": None}
            appends = Connection(**options)
            await appends.connect()  # type: ignore[no-untyped-call]
            self._appends = appends
        return self._appends

    async def _read_answers(self, appends: Connection) -> None:
        try:
            while self._answers:
                answer = await appends.read_response(timeout=ANSWER_SECONDS)
                numbered = self._answers.popleft()
                if isinstance(answer, ResponseError):
                    numbered.set_exception(answer)
                    continue
                first, pages = answer
                # Counted after the append: a page that opens later reads it in its backlog.
                self.watched = int(pages) > 0
                numbered.set_result(int(first))
        except (RedisError, OSError) as error:
            await self._lost(appends, error)
        finally:
            self._reader = None

    async def _lost(self, appends: Connection, error: BaseException) -> None:
        # The connection is in an unknown state: every append still unanswered has failed
        # (whether Redis kept it cannot be told); the next one opens a new connection.
        if self._appends is appends:
            self._appends = None
        while self._answers:
            numbered = self._answers.popleft()
            if not numbered.done():
                numbered.set_exception(RedisError(f"the journal append was lost: {error}"))
        with contextlib.suppress(RedisError, OSError):
            await appends.disconnect()

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
        """Wait for the appends under way, then close the connections."""
        self.hurry()
        if self._reader is not None:
            await asyncio.gather(self._reader, return_exceptions=True)
        if self._appends is not None:
            with contextlib.suppress(RedisError, OSError):
                await self._appends.disconnect()
            self._appends = None
        await self._redis.aclose()


def _bulk(data: bytes) -> bytes:
    return b"$%d\r\n%s\r\n" % (len(data), data)


def _seq_of(entry_id: Any) -> int:
    text = entry_id.decode("ascii") if isinstance(entry_id, bytes) else str(entry_id)
    return int(text.split("-", 1)[0])
