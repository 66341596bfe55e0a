"""State in Redis, shared by several bridge processes behind a load balancer.

Rules:
- each change runs catch up → engine → save while holding redis-py's `Lock` on `key:lock`, so
  two processes never apply calls to diverging copies; calls of one process queue on an
  asyncio lock first, so only processes compete for the Redis one;
- the lock expires (`lock_seconds`) so that a killed process cannot hold the workspace for
  ever; while a call runs, a keeper task renews it every third of that time;
- a save commits only while the lock is still this call's: one script compares the lock's
  token with this call's and writes snapshot, revision and rows only if they match (the check
  redis-py's Lock makes in its own release and extend scripts). If the process was frozen past
  the expiry and another process took over, the save fails with LockLost instead of
  overwriting newer work, and the call is refused. (WATCH on the lock key would miss a
  takeover that happened before the WATCH, and needs a GET after it: three round trips.)
- catching up is one round trip (a script): the revision, the text only when the revision is
  not the process's own, and the record writes since the last look. Reads (`catch_up` outside
  the lock) use it too, so a process answers them from its copy revalidated by revision;
- the workspace pages open for an agent, on any process, are counted in `key:pages`; the
  save script answers that count after writing, and the journal's append script likewise, so
  a process sends a view or a journal entry through the Socket.IO Redis manager (which every
  process receives and decodes) only when a page may show it. A page is counted before it
  reads the state and the backlog, so a change or entry counted as unwatched is in what it
  reads;
- Redis errors surface as StoreFailed, so a call is never acknowledged without its save;
- every agent has its own keys (`key` for the default agent, `key:agent:<agent>` for the
  others), its own lock and its own queue in a process, so calls of different agents never
  wait on each other;
- the org's records are one hash field per row (`key:records`, field `<entity> <id>`), written
  with the workspace by the same script; each write also goes on a bounded stream
  (`key:records:log`), from which every process catches up, in stream order, before a call.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from collections.abc import AsyncIterator, Sequence
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from typing import Any

from redis.asyncio import Redis
from redis.asyncio.lock import Lock
from redis.exceptions import LockError, RedisError

from cifbridge.engine.base.context import DEFAULT_AGENT
from cifbridge.engine.base.record_store import Change, MemoryRecords
from cifbridge.engine.config.entities import built
from cifbridge.engine.config.workspace import WorkspaceConfig
from cifbridge.store.base import LockLost, Saved, StoreFailed, agent_suffix, whole_text

log = logging.getLogger("cifbridge")

LOCK_SECONDS = 5.0
# A process waits this long for another one's call before refusing its own.
WAIT_SECONDS = 30.0
# How often a waiting process asks again (redis-py's Lock polls; this keeps waits short).
RETRY_SECONDS = 0.002
# How many record writes the catch-up stream keeps (a process further behind reloads them all).
RECORD_LOG_SIZE = 100_000

# KEYS: text, revision, records log. ARGV: the revision the process has, the last write seen.
# Answers the text (only if its revision is another) and the record writes since.
_CATCH_UP = """
local revision = redis.call('GET', KEYS[2])
local text = false
if revision and revision ~= ARGV[1] then text = redis.call('GET', KEYS[1]) end
return {text, redis.call('XRANGE', KEYS[3], '(' .. ARGV[2], '+')}
"""
# KEYS: lock, text, revision, records hash, records log, pages. ARGV: the lock token (''
# when the caller holds no lock), text, revision, log size, then (field, row) per record
# written. Answers 0 when the lock is not the caller's, else the agent's open pages + 1.
_SAVE = """
if ARGV[1] ~= '' and redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
redis.call('SET', KEYS[2], ARGV[2])
redis.call('SET', KEYS[3], ARGV[3])
for i = 5, #ARGV, 2 do
  redis.call('HSET', KEYS[4], ARGV[i], ARGV[i + 1])
  redis.call('XADD', KEYS[5], 'MAXLEN', '~', ARGV[4], '*', 'field', ARGV[i], 'row', ARGV[i + 1])
end
return 1 + redis.call('SCARD', KEYS[6])
"""


class RedisStore:
    """Per agent: the snapshot under `<k>`, its revision `<k>:rev`, a lock under `<k>:lock`."""

    shared = True
    durable = True

    def __init__(
        self,
        url: str,
        key: str,
        *,
        lock_seconds: float = LOCK_SECONDS,
        wait_seconds: float = WAIT_SECONDS,
    ) -> None:
        self._redis = Redis.from_url(url)
        self._key = key
        self._lock_seconds = lock_seconds
        self._wait_seconds = wait_seconds
        self._local: dict[str, asyncio.Lock] = {}
        self._held: dict[str, Lock] = {}
        self._pages_open: dict[str, bool] = {}
        self._records_seen = "0-0"  # the last record write taken from the stream
        self._records_keys = (f"{key}:records", f"{key}:records:log")
        self._save_script = self._redis.register_script(_SAVE)
        self._catch_up_script = self._redis.register_script(_CATCH_UP)

    def agent_key(self, agent: str) -> str:
        """Return the key under which an agent's workspace is kept."""
        return self._key + agent_suffix(agent)

    def lock_key(self, agent: str = DEFAULT_AGENT) -> str:
        """Return the key of an agent's cross-process lock."""
        return f"{self.agent_key(agent)}:lock"

    async def load(self, agent: str, known_revision: int | None = None) -> str | None:
        """Return the saved text if its revision differs from `known_revision`."""
        key = self.agent_key(agent)
        try:
            revision = await self._redis.get(f"{key}:rev")
            if revision is None or (known_revision is not None and int(revision) == known_revision):
                return None
            raw = await self._redis.get(key)
        except RedisError as error:
            raise StoreFailed(f"Redis did not answer the load: {error}") from error
        if raw is None:
            return None
        return raw.decode("utf-8") if isinstance(raw, bytes) else str(raw)

    async def save(
        self, agent: str, state: Saved, revision: int, changes: Sequence[Change] = ()
    ) -> None:
        """Write snapshot, revision and rows together, only while this call holds the lock."""
        lock = self._held.get(agent)
        key = self.agent_key(agent)
        token = _lock_token(lock) if lock is not None else b""
        rows: list[str] = []
        for change in changes:
            rows += [_row_field(change.entity, change.record_id), _row(change.after)]
        keys = [self.lock_key(agent), key, f"{key}:rev", *self._records_keys, f"{key}:pages"]
        try:
            saved = await self._save_script(
                keys=keys, args=[token, whole_text(state), revision, RECORD_LOG_SIZE, *rows]
            )
        except RedisError as error:
            raise StoreFailed(f"Redis did not answer the save: {error}") from error
        if not saved:
            raise LockLost(self._lost(agent))
        self._pages_open[agent] = int(saved) > 1

    def pages_open(self, agent: str) -> bool:
        """Tell whether a workspace page of the agent was open, on any process, at the latest
        save (True before one): the new view is worth sending only then."""
        return self._pages_open.get(agent, True)

    async def page_opened(self, agent: str, page: str) -> None:
        """Count a page open (before it reads the state, so no later change skips it)."""
        await self._redis.sadd(f"{self.agent_key(agent)}:pages", page)

    async def page_closed(self, agent: str, page: str) -> None:
        """Stop counting a page. A process killed with pages open leaves them counted, which
        costs only fan-out that nobody reads."""
        with contextlib.suppress(RedisError):
            await self._redis.srem(f"{self.agent_key(agent)}:pages", page)

    def _lost(self, agent: str) -> str:
        return (
            f"the workspace lock {self.lock_key(agent)} expired before the save"
            f" (held past {self._lock_seconds:g} s without renewal); the call was not applied"
        )

    def exclusive(self, agent: str) -> AbstractAsyncContextManager[None]:
        """Hold an agent's workspace for one call: this process's queue, then the Redis lock."""
        return self._locked(agent)

    @asynccontextmanager
    async def _locked(self, agent: str) -> AsyncIterator[None]:
        async with self._local.setdefault(agent, asyncio.Lock()):
            lock = self._redis.lock(
                self.lock_key(agent),
                timeout=self._lock_seconds,
                sleep=RETRY_SECONDS,
                blocking_timeout=self._wait_seconds,
                thread_local=False,  # coroutines, not threads: the token belongs to this Lock
            )
            try:
                acquired = await lock.acquire()
            except RedisError as error:
                raise StoreFailed(f"Redis did not answer the lock: {error}") from error
            if not acquired:
                raise StoreFailed(
                    f"another bridge process held the workspace lock {self.lock_key(agent)} for"
                    f" over {self._wait_seconds:g} s; the call was not applied"
                )
            keeper = asyncio.create_task(self._keep(lock, agent))
            self._held[agent] = lock
            try:
                yield
            finally:
                self._held.pop(agent, None)
                keeper.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await keeper
                with contextlib.suppress(LockError, RedisError):  # expired: nothing to release
                    await lock.release()

    async def _keep(self, lock: Lock, agent: str) -> None:
        # Renew the expiry while the call runs; a lost lock is left to the save to report.
        while True:
            await asyncio.sleep(self._lock_seconds / 3)
            try:
                await lock.reacquire()
            except (LockError, RedisError) as error:
                log.warning(
                    "the workspace lock %s could not be renewed: %s", self.lock_key(agent), error
                )
                return

    async def clear(self, agent: str) -> None:
        """Forget the agent's saved state."""
        key = self.agent_key(agent)
        await self._redis.delete(key, f"{key}:rev")

    async def agents(self) -> list[str]:
        """Return the agents with a saved workspace, the default one first."""
        found = [DEFAULT_AGENT] if await self._redis.exists(f"{self._key}:rev") else []
        prefix = f"{self._key}:agent:"
        names = []
        async for raw in self._redis.scan_iter(match=f"{prefix}*:rev", count=1000):
            key = raw.decode("utf-8") if isinstance(raw, bytes) else str(raw)
            names.append(key[len(prefix) : -len(":rev")])
        return found + sorted(names)

    def open_records(self, config: WorkspaceConfig) -> MemoryRecords:
        """Return the process's copy of the org's records (indexed in memory)."""
        return MemoryRecords(built(config.records))

    async def load_records(self, records: MemoryRecords) -> None:
        """Fill the process's copy with every saved row, then follow the stream from there."""
        try:
            last = await self._redis.xrevrange(f"{self._key}:records:log", count=1)
            rows = await self._redis.hgetall(f"{self._key}:records")
        except RedisError as error:
            raise StoreFailed(f"Redis did not answer for the records: {error}") from error
        self._records_seen = _text(last[0][0]) if last else "0-0"
        for field, text in rows.items():
            entity, rid = _text(field).split(" ", 1)
            records.apply(entity, rid, json.loads(text))

    async def catch_up(self, agent: str, known_revision: int, records: MemoryRecords) -> str | None:
        """In one round trip: apply the record writes made since the last look, and return
        the agent's saved text if its revision is not `known_revision`."""
        key = self.agent_key(agent)
        keys = [key, f"{key}:rev", self._records_keys[1]]
        try:
            text, writes = await self._catch_up_script(
                keys=keys, args=[known_revision, self._records_seen]
            )
        except RedisError as error:
            raise StoreFailed(f"Redis did not answer the catch-up: {error}") from error
        self._apply_writes(records, writes or [])
        return None if text is None else _text(text)

    def _apply_writes(self, records: MemoryRecords, writes: list[Any]) -> None:
        # Two agents' calls may catch up at once: only writes newer than those already
        # applied count, so an older answer never puts back a row a newer one replaced.
        for entry_id, fields in writes:
            seen = _text(entry_id)
            if _stream_order(seen) <= _stream_order(self._records_seen):
                continue
            self._records_seen = seen
            pairs = dict(zip(fields[::2], fields[1::2], strict=True))
            entity, rid = _text(pairs[b"field"]).split(" ", 1)
            if entity == "*":
                records.clear()  # a reset of the org's records
            else:
                records.apply(entity, rid, json.loads(pairs[b"row"]))

    async def clear_records(self) -> None:
        """Forget every saved row; other processes learn of it from the stream."""
        await self._redis.delete(f"{self._key}:records")
        await self._redis.xadd(
            f"{self._key}:records:log", {"field": "* *", "row": "null"}, maxlen=RECORD_LOG_SIZE
        )

    async def close(self) -> None:
        """Close the connection pool."""
        await self._redis.aclose()


def _row_field(entity: str, record_id: str) -> str:
    return f"{entity} {record_id}"


def _row(row: dict[str, object] | None) -> str:
    return json.dumps(row, separators=(",", ":"))


def _text(raw: object) -> str:
    return raw.decode("utf-8") if isinstance(raw, bytes) else str(raw)


def _stream_order(entry_id: str) -> tuple[int, int]:
    milliseconds, _, sequence = entry_id.partition("-")
    return int(milliseconds), int(sequence or 0)


def _lock_token(lock: Lock) -> bytes:
    token = lock.local.token
    return token if isinstance(token, bytes) else str(token).encode()
