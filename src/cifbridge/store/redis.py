"""State in Redis, shared by several bridge processes behind a load balancer.

Rules:
- calls of one agent in one process queue on an asyncio lock first, so only processes compete
  for Redis;
- a change to a copy the saves channel says is current (store/redis_notices.py) is held
  `tentative`ly: no lock, no catch-up, and one script that saves only if no other process
  holds the lock and the revision is still the one the copy had (optimistic concurrency, like
  WATCH/MULTI but in one round trip). Refused, it wrote nothing (SaveConflict): the hub puts
  its copy back and runs the change again the locked way. A copy not known to be current goes
  the locked way at once, without asking Redis first;
- the locked way runs catch up → engine → save while holding a lock on `key:lock` (a random
  token set with NX and an expiry), so two processes never apply calls to diverging copies;
- taking the lock and catching up are one round trip: the script that sets the lock answers,
  when it got it, the revision, the text when the revision is not the one this process last
  saved or read, and the record writes since the last look. The hub's catch-up right after
  uses that answer (or asks again, when its engine holds another revision than the store
  thought). A mutating call costs one round trip (tentative) or two (lock with catch-up,
  save), and one more while another process follows the saves (a PING,
  store/redis_notices.py); the journal's entry is
  sent without waiting (store/journal/redis.py). The save script releases the lock (a hold
  saves once, at its end); a hold that saved nothing (a snapshot, a refused call) sends its
  release after its answer, and the next hold of the same agent in this process waits for it;
- the lock expires (`lock_seconds`) so that a killed process cannot hold the workspace for
  ever; while a call runs, a timer renews it every third of that time;
- a save commits only while the lock is still this call's: the save script compares the lock's
  token with this call's and writes snapshot, revision and rows only if they match. If the
  process was frozen past the expiry and another process took over, the save fails with
  LockLost instead of overwriting newer work, and the call is refused. (WATCH on the lock key
  would miss a takeover that happened before the WATCH, and needs a GET after it.)
- catching up outside the lock (reads) is one round trip too (a script): the revision, the
  text only when the revision is not the process's own, and the record writes since the last
  look, so a process answers reads from its copy revalidated by revision; and none at all
  while the saves channel says nothing newer was saved (store/redis_notices.py);
- the workspace pages open for an agent, on any process, are counted in `key:pages`; the
  save script answers that count after writing, and the journal's append script likewise, so
  a process sends a view or a journal entry through the Socket.IO Redis manager (which every
  process receives and decodes) only when a page may show it. A page is counted before it
  reads the state and the backlog, so a change or entry counted as unwatched is in what it
  reads;
- the scripts (lock, save, catch-up, release, renew, clears) go pipelined on one connection
  of their own (store/redis_scripts.py): the calls of several agents sent in one turn of the
  loop leave in one write, without redis-py's per-command layers;
- Redis errors surface as StoreFailed, so a call is never acknowledged without its save;
- every agent has its own keys (`key` for the default agent, `key:agent:<agent>` for the
  others), its own lock and its own queue in a process, so calls of different agents never
  wait on each other;
- an agent's workspace is kept in parts (store/redis_parts.py): the rest under `key:rest`,
  its remembered answers and analytics events as the lists `key:answers` and `key:events`,
  so a save sends the rest and the entries added since this process's last save, not the
  whole text; a whole text (the routing state) stays under `key`, and a workspace saved there
  before is split at its next save;
- the org's records are one hash field per row (`key:records`, field `<entity> <id>`), written
  with the workspace by the same script; each write also goes on a bounded stream
  (`key:records:log`), from which every process catches up, in stream order, before a call.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import os
from collections.abc import AsyncIterator, Sequence
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from typing import Any, NamedTuple

from redis.asyncio import Redis
from redis.exceptions import RedisError

from cifbridge.engine.base.context import DEFAULT_AGENT
from cifbridge.engine.base.json_text import compact
from cifbridge.engine.base.record_store import Change, MemoryRecords
from cifbridge.engine.config.entities import built
from cifbridge.engine.config.workspace import WorkspaceConfig
from cifbridge.store.base import (
    LockLost,
    SaveConflict,
    Saved,
    StoreFailed,
    agent_suffix,
)
from cifbridge.store.redis_notices import SUBSCRIBER_PROTOCOL, SaveNotices
from cifbridge.store.redis_notices import stream_order as _stream_order
from cifbridge.store.redis_parts import (
    FUNCTIONS,
    LISTS_MOVED,
    Held,
    joined,
    part_keys,
    text_block,
)
from cifbridge.store.redis_parts import text_of as _text
from cifbridge.store.redis_scripts import Script, ScriptChannel

log = logging.getLogger("cifbridge")

LOCK_SECONDS = 5.0
# What an agent's hold keeps in place of its token once its save released the lock (a token
# is 32 hex digits, so a save that sends this finds another value and is refused).
_RELEASED = b"released with the save"

# A process waits this long for another one's call before refusing its own.
WAIT_SECONDS = 30.0
# How often a waiting process asks again for a lock another one holds.
RETRY_SECONDS = 0.002
# How many record writes the catch-up stream keeps (a process further behind reloads them all).
RECORD_LOG_SIZE = 100_000

# A text is kept in parts or whole (store/redis_parts.py): "text" below is the key of a whole
# one, "parts" the four keys of one in parts (`part_keys`), and a text a script answers is
# either (`joined` reads it).
# KEYS: text, revision, records log, then the parts. ARGV: the revision the process has, the
# last write seen. Answers the text (only if its revision is another) and the record writes
# since.
_CATCH_UP = """
local revision = redis.call('GET', KEYS[2])
local text = false
if revision and revision ~= ARGV[1] then text = saved_text(KEYS[1], KEYS[4], KEYS[5], KEYS[6]) end
return {text, redis.call('XRANGE', KEYS[3], '(' .. ARGV[2], '+')}
"""
# KEYS: text, revision, then the parts. ARGV: the revision the process has ('' for none).
# Answers {revision, text (only if the revision is another)}.
_LOAD = """
local revision = redis.call('GET', KEYS[2])
local text = false
if revision and revision ~= ARGV[1] then text = saved_text(KEYS[1], KEYS[3], KEYS[4], KEYS[5]) end
return {revision, text}
"""
# KEYS: lock, text, revision, records log, then the parts. ARGV: token, expiry in ms, the
# revision the process last saved or read ('' for none), the last record write seen. Answers
# {0} when another call holds the lock, else {1, revision, text (only if the revision is
# another), record writes}.
_LOCK_AND_CATCH_UP = """
if not redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then return {0} end
local revision = redis.call('GET', KEYS[3])
local text = false
if revision and revision ~= ARGV[3] then text = saved_text(KEYS[2], KEYS[5], KEYS[6], KEYS[7]) end
return {1, revision, text, redis.call('XRANGE', KEYS[4], '(' .. ARGV[4], '+')}
"""
# KEYS: lock. ARGV: token, then the expiry in ms (renew) or nothing (release).
_RENEW = """
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
return redis.call('PEXPIRE', KEYS[1], ARGV[2])
"""
_RELEASE = """
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
return redis.call('DEL', KEYS[1])
"""
# KEYS: lock, text, revision, records hash, records log, pages, notices channel, then the parts.
# ARGV: the lock token ('' when the caller holds no lock), revision, log size, agent, the text
# block (`text_block`, store/redis_parts.py), then (field, row) per record written. Answers
# -1 when the lists the text block adds to moved on, 0 when the lock is not the caller's
# (writing nothing either way), else the agent's open pages + 1 and how many processes the
# save was announced to (store/redis_notices.py). The save is its hold's last use of the lock,
# so the lock is released with it.
_LISTS_GUARD = """
if not lists_current(KEYS[11], 5) then return -1 end
"""
_SAVE_GUARD = """
if ARGV[1] ~= '' then
  if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
  redis.call('DEL', KEYS[1])
end
"""
# The same keys; ARGV[1] is the revision the process's copy had when its hold began, which
# took no lock (`tentative`). Answers 0, writing nothing, when another process holds the lock
# or saved since; else what the save answers.
_SAVE_IF_UNCHANGED_GUARD = """
if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
if redis.call('GET', KEYS[3]) ~= ARGV[1] then return 0 end
"""
_SAVE_WRITES = """
local rows = write_text(KEYS[2], KEYS[8], KEYS[9], KEYS[10], KEYS[11], 5)
redis.call('SET', KEYS[3], ARGV[2])
local last = '-'
for i = rows, #ARGV, 2 do
  redis.call('HSET', KEYS[4], ARGV[i], ARGV[i + 1])
  last = redis.call('XADD', KEYS[5], 'MAXLEN', '~', ARGV[3], '*', 'field', ARGV[i], 'row',
    ARGV[i + 1])
end
local heard = redis.call('PUBLISH', KEYS[7], 's ' .. ARGV[2] .. ' ' .. last .. ' ' .. ARGV[4])
return {1 + redis.call('SCARD', KEYS[6]), heard}
"""
# KEYS: text, revision, notices channel, then the parts. ARGV: agent. Answers how many heard it.
_CLEAR = """
redis.call('DEL', KEYS[1], KEYS[2], KEYS[4], KEYS[5], KEYS[6], KEYS[7])
return redis.call('PUBLISH', KEYS[3], 'c - - ' .. ARGV[1])
"""
# KEYS: records hash, records log, notices channel. ARGV: log size. Answers how many heard it.
_CLEAR_RECORDS = """
redis.call('DEL', KEYS[1])
local write = redis.call('XADD', KEYS[2], 'MAXLEN', '~', ARGV[1], '*', 'field', '* *', 'row',
  'null')
return redis.call('PUBLISH', KEYS[3], 'r - ' .. write .. ' -')
"""
_SAVE_SCRIPT, _SAVE_IF_UNCHANGED_SCRIPT = (
    Script(FUNCTIONS + _LISTS_GUARD + _SAVE_GUARD + _SAVE_WRITES),
    Script(FUNCTIONS + _LISTS_GUARD + _SAVE_IF_UNCHANGED_GUARD + _SAVE_WRITES),
)
_CATCH_UP_SCRIPT, _LOCK_SCRIPT, _LOAD_SCRIPT = (
    Script(FUNCTIONS + _CATCH_UP),
    Script(FUNCTIONS + _LOCK_AND_CATCH_UP),
    Script(FUNCTIONS + _LOAD),
)
_RENEW_SCRIPT, _RELEASE_SCRIPT = Script(_RENEW), Script(_RELEASE)
_CLEAR_SCRIPT, _CLEAR_RECORDS_SCRIPT = Script(_CLEAR), Script(_CLEAR_RECORDS)


class RedisStore:
    """Per agent: the snapshot in parts under `<k>:rest`, `<k>:answers` and `<k>:events` (or
    whole under `<k>`), its revision `<k>:rev`, a lock under `<k>:lock`."""

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
        self._held: dict[str, bytes] = {}  # agent → the token of the lock its hold has
        self._releasing: dict[str, asyncio.Task[None]] = {}
        # What taking an agent's lock answered, for the hold's catch-up right after it.
        self._prefetched: dict[str, _CaughtUp] = {}
        self._known: dict[str, str] = {}  # agent → the revision last saved or read here
        # Agents held without the lock (`tentative`) → the revision their copy had when its
        # catch-up found it current (None before that), which their save requires.
        self._tentative: dict[str, str | None] = {}
        self._pages_open: dict[str, bool] = {}
        # Agent → the answers' and events' lists this process last wrote (store/redis_parts.py).
        self._lists: dict[str, Held] = {}
        self._records_seen = "0-0"  # the last record write taken from the stream
        self._records_keys = (f"{key}:records", f"{key}:records:log")
        self._scripts = ScriptChannel(self._redis)  # pipelined (store/redis_scripts.py)
        # The saves channel is followed on a client of its own speaking RESP2 (see
        # `SUBSCRIBER_PROTOCOL`); the store's commands keep redis-py's default protocol.
        self._subscriber = Redis.from_url(url, protocol=SUBSCRIBER_PROTOCOL)
        self._notices = SaveNotices(self._subscriber, f"{key}:saved", ping=self._ping)

    @property
    def client(self) -> Redis:
        """Return the store's redis-py client (the journal reads and clears through it)."""
        return self._redis

    @property
    def scripts(self) -> ScriptChannel:
        """Return the pipelined connection of the store's scripts, which every agent's
        journal appends on too (store/journal/redis.py)."""
        return self._scripts

    def _ping(self) -> asyncio.Future[Any]:
        # The notices' barrier (redis_notices.py), sent after the save's answer came back.
        return self._scripts.send(b"PING")

    def agent_key(self, agent: str) -> str:
        """Return the key under which an agent's workspace is kept."""
        return self._key + agent_suffix(agent)

    def lock_key(self, agent: str = DEFAULT_AGENT) -> str:
        """Return the key of an agent's cross-process lock."""
        return f"{self.agent_key(agent)}:lock"

    async def load(self, agent: str, known_revision: int | None = None) -> str | None:
        """Return the saved text if its revision differs from `known_revision`."""
        fetched = self._prefetched.pop(agent, None) if agent in self._held else None
        if fetched is not None:  # under the hold (routing, start-up): the lock brought it
            # Its record writes are left to the next catch-up (the last write seen stays).
            if fetched.revision is None or fetched.revision == str(known_revision):
                return None
            if fetched.text is not None:
                self._known[agent] = fetched.revision
                return fetched.text
        key = self.agent_key(agent)
        known = "" if known_revision is None else str(known_revision)
        try:
            revision, raw = await self._scripts.call(
                _LOAD_SCRIPT, [key, f"{key}:rev", *part_keys(key)], [known]
            )
        except RedisError as error:
            raise StoreFailed(f"Redis did not answer the load: {error}") from error
        text = joined(raw)
        if revision is None or text is None:
            return None
        self._known[agent] = _text(revision)
        return text

    async def save(
        self, agent: str, state: Saved, revision: int, changes: Sequence[Change] = ()
    ) -> None:
        """Write snapshot, revision and rows together, only while this call holds the lock."""
        if agent in self._tentative:
            await self._save_if_unchanged(agent, state, revision, changes)
            return
        token = self._held.get(agent, b"")
        if token is _RELEASED:
            raise LockLost(
                f"the workspace lock {self.lock_key(agent)} was released with this hold's save;"
                " a hold saves once"
            )
        saved = await self._write(_SAVE_SCRIPT, agent, token, state, revision, changes)
        if not saved:
            raise LockLost(self._lost(agent))
        if token:
            self._held[agent] = _RELEASED  # by the script: a second save of the hold is refused
        await self._saved(agent, revision, saved)

    async def _save_if_unchanged(
        self, agent: str, state: Saved, revision: int, changes: Sequence[Change]
    ) -> None:
        # A tentative hold's save: written only if no other process holds the lock or saved
        # since the hold's catch-up, in the same script; otherwise nothing is written.
        base = self._tentative[agent]
        if base is None:
            raise SaveConflict("a hold without the lock saves only after its catch-up")
        saved = await self._write(_SAVE_IF_UNCHANGED_SCRIPT, agent, base, state, revision, changes)
        if not saved:
            raise SaveConflict(
                f"another process holds or changed agent {agent}'s workspace; run again under"
                " its lock"
            )
        self._tentative[agent] = str(revision)  # what a second save of the hold requires
        await self._saved(agent, revision, saved)

    async def _write(
        self,
        script: Script,
        agent: str,
        guard: bytes | str,
        state: Saved,
        revision: int,
        changes: Sequence[Change],
    ) -> Any:
        key = self.agent_key(agent)
        rows: list[str] = []
        for change in changes:
            rows += [_row_field(change.entity, change.record_id), _row(change.after)]
        keys = [
            self.lock_key(agent), key, f"{key}:rev", *self._records_keys, f"{key}:pages",
            self._notices.channel, *part_keys(key),
        ]  # fmt: skip
        # Not known again until this save is (a failed one may or may not have written).
        held = self._lists.pop(agent, None)
        head: list[bytes | str | int] = [guard, revision, RECORD_LOG_SIZE, agent]
        try:
            block, after = text_block(state, held)
            saved = await self._scripts.call(script, keys, [*head, *block, *rows])
            if saved == LISTS_MOVED:  # not the lists it was to add to: send them whole
                block, after = text_block(state, None)
                saved = await self._scripts.call(script, keys, [*head, *block, *rows])
        except RedisError as error:
            raise StoreFailed(f"Redis did not answer the save: {error}") from error
        if saved and after is not None:
            self._lists[agent] = after
        return saved

    async def _saved(self, agent: str, revision: int, saved: Any) -> None:
        pages, heard = saved
        self._known[agent] = str(revision)
        self._pages_open[agent] = int(pages) > 1
        await self._notices.delivered(int(heard))  # before the change is answered

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
    async def tentative(self, agent: str) -> AsyncIterator[None]:
        """Hold an agent's workspace for one change without the Redis lock, while this
        process's copy is current: its catch-up asks Redis nothing (SaveConflict when the
        copy is not known to be current), and its save writes only if no other process holds
        the lock or saved since (SaveConflict otherwise, with nothing written). A change then
        costs one round trip instead of two; the caller runs it again under `exclusive`."""
        async with self._local.setdefault(agent, asyncio.Lock()):
            await self._released(agent)
            self._tentative[agent] = None
            try:
                yield
            finally:
                del self._tentative[agent]

    async def _released(self, agent: str) -> None:
        # Under the agent's queue: the previous hold's release, sent after its answer, is done.
        releasing = self._releasing.pop(agent, None)
        if releasing is not None:
            await releasing

    @asynccontextmanager
    async def _locked(self, agent: str) -> AsyncIterator[None]:
        async with self._local.setdefault(agent, asyncio.Lock()):
            await self._released(agent)
            token = os.urandom(16).hex().encode()
            await self._acquire(agent, token)
            keeper = _Keeper(self, agent, token)
            self._held[agent] = token
            try:
                yield
            finally:
                released = self._held.pop(agent, None) is _RELEASED  # by its save
                self._prefetched.pop(agent, None)
                keeper.stop()
                if not released:  # a hold that did not save (a snapshot, a failed call)
                    self._releasing[agent] = asyncio.create_task(self._release(agent, token))

    async def _acquire(self, agent: str, token: bytes) -> None:
        # Take the lock and, in the same round trip, what the hold's catch-up needs.
        key = self.agent_key(agent)
        keys = [self.lock_key(agent), key, f"{key}:rev", self._records_keys[1], *part_keys(key)]
        expiry, known = int(self._lock_seconds * 1000), self._known.get(agent, "")
        loop = asyncio.get_running_loop()
        deadline = loop.time() + self._wait_seconds
        self._notices.start()
        while True:
            epoch = self._notices.epoch()
            try:
                answer = await self._scripts.call(
                    _LOCK_SCRIPT, keys, [token, expiry, known, self._records_seen]
                )
            except RedisError as error:
                raise StoreFailed(f"Redis did not answer the lock: {error}") from error
            if answer[0]:
                _, revision, text, writes = answer
                self._prefetched[agent] = _CaughtUp(
                    None if revision is None else _text(revision), joined(text), writes or [], epoch
                )
                return
            if loop.time() >= deadline:
                raise StoreFailed(
                    f"another bridge process held the workspace lock {self.lock_key(agent)} for"
                    f" over {self._wait_seconds:g} s; the call was not applied"
                )
            await asyncio.sleep(RETRY_SECONDS)

    async def _release(self, agent: str, token: bytes) -> None:
        # An error leaves the lock to expire: the call was saved, nothing is lost.
        with contextlib.suppress(RedisError):
            await self._scripts.call(_RELEASE_SCRIPT, [self.lock_key(agent)], [token])

    async def renew(self, agent: str, token: bytes) -> bool:
        """Extend the agent's lock if it is still `token`'s; False once it is not."""
        keys = [self.lock_key(agent)]
        try:
            renewed = await self._scripts.call(
                _RENEW_SCRIPT, keys, [token, int(self._lock_seconds * 1000)]
            )
        except RedisError as error:
            log.warning(
                "the workspace lock %s could not be renewed: %s", self.lock_key(agent), error
            )
            return False
        if not renewed:
            log.warning(
                "the workspace lock %s could not be renewed: it expired", self.lock_key(agent)
            )
        return bool(renewed)

    async def clear(self, agent: str) -> None:
        """Forget the agent's saved state."""
        key = self.agent_key(agent)
        keys = [key, f"{key}:rev", self._notices.channel, *part_keys(key)]
        self._lists.pop(agent, None)
        await self._notices.delivered(int(await self._scripts.call(_CLEAR_SCRIPT, keys, [agent])))

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
        if agent in self._tentative:
            if not self._notices.current(agent, known_revision, _stream_order(self._records_seen)):
                raise SaveConflict(f"agent {agent}'s copy here is not known to be current")
            self._tentative[agent] = str(known_revision)
            return None
        fetched = self._prefetched.pop(agent, None) if agent in self._held else None
        if fetched is not None:
            self._apply_writes(records, fetched.writes)
            if fetched.revision is None or fetched.revision == str(known_revision):
                self._notices.trust(agent, fetched.epoch)
                return None
            if fetched.text is not None:
                self._known[agent] = fetched.revision
                self._notices.trust(agent, fetched.epoch)
                return fetched.text
            # The store thought the process had this revision, its engine has another: ask.
        elif self._notices.current(agent, known_revision, _stream_order(self._records_seen)):
            return None  # nothing newer was saved anywhere: no round trip (redis_notices.py)
        self._notices.start()
        epoch = self._notices.epoch()
        key = self.agent_key(agent)
        keys = [key, f"{key}:rev", self._records_keys[1], *part_keys(key)]
        try:
            text, writes = await self._scripts.call(
                _CATCH_UP_SCRIPT, keys, [known_revision, self._records_seen]
            )
        except RedisError as error:
            raise StoreFailed(f"Redis did not answer the catch-up: {error}") from error
        self._apply_writes(records, writes or [])
        self._notices.trust(agent, epoch)  # the text, if any, is restored before the next read
        if text is None:
            self._known[agent] = str(known_revision)
            return None
        self._known.pop(agent, None)  # the script does not say which revision the text has
        return joined(text)

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
        keys = [*self._records_keys, self._notices.channel]
        heard = await self._scripts.call(_CLEAR_RECORDS_SCRIPT, keys, [RECORD_LOG_SIZE])
        await self._notices.delivered(int(heard))

    async def close(self) -> None:
        """Send the releases still under way, then close the connection pool."""
        await asyncio.gather(*self._releasing.values())
        self._releasing.clear()
        await self._notices.close()
        await self._scripts.close()
        await self._subscriber.aclose()
        await self._redis.aclose()


class _CaughtUp(NamedTuple):
    revision: str | None  # None: nothing saved yet
    text: str | None  # None: not fetched (the revision is the one the process knew)
    writes: list[Any]
    epoch: int | None  # the notices' subscription it was asked under (redis_notices.py)


class _Keeper:
    """Renews a held lock every third of its expiry, from a timer (no task per call)."""

    __slots__ = ("_agent", "_handle", "_period", "_store", "_task", "_token")

    def __init__(self, store: RedisStore, agent: str, token: bytes) -> None:
        self._store, self._agent, self._token = store, agent, token
        self._period = store._lock_seconds / 3
        self._task: asyncio.Task[None] | None = None
        self._handle = asyncio.get_running_loop().call_later(self._period, self._fire)

    def _fire(self) -> None:
        self._task = asyncio.create_task(self._renew())

    async def _renew(self) -> None:
        if self._store._held.get(self._agent) != self._token:
            return  # released with the hold's save: nothing to renew
        if await self._store.renew(self._agent, self._token):
            self._handle = asyncio.get_running_loop().call_later(self._period, self._fire)

    def stop(self) -> None:
        self._handle.cancel()
        if self._task is not None:
            self._task.cancel()


def _row_field(entity: str, record_id: str) -> str:
    return f"{entity} {record_id}"


def _row(row: dict[str, object] | None) -> str:
    return compact(row)
