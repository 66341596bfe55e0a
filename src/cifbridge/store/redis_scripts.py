"""The Redis store's scripts, its journal's appends and the Socket.IO publishes, pipelined.

Through redis-py's client, one script call cost about 100 µs of the process's time against
about 50 µs for the same bytes written and read on a connection (redis-py's pool, retry and
encoding layers, and a task per write for the socket timeout), and a change makes two of them.
So the store's scripts (lock with catch-up, save, catch-up, release, renew, clears) go here:

- `call` frames EVALSHA itself (the parts that never change are framed once per script) and
  queues it; the calls queued in one turn of the event loop leave in one write (calls of
  several agents at once cost Redis one wakeup, not one each), and one reader takes the
  answers in the order they were sent, as Redis gives them on one connection;
- a script Redis does not know (NOSCRIPT: Redis restarted, or SCRIPT FLUSH) is sent again
  once as EVAL, which loads it;
- an error answer fails only its own call; a lost connection, or no answer within
  `ANSWER_SECONDS`, fails every call still unanswered with RedisError (the store refuses
  those calls) and the next call opens a new connection;
- `write` writes a script call before it returns and hands back the future of its answer:
  every agent's journal appends this way (store/journal/redis.py), so a call's entry is in
  Redis before the call's answer leaves; answers nobody hurries are read together after
  `LATER_SECONDS`;
- `send` queues a plain command the same way without waiting for its answer: the Socket.IO
  manager's PUBLISH of each event (web/managers.py) leaves in order on its own channel, and
  what follows the emit does not wait for Redis to count the subscribers;
- the connection is redis-py's (`redis.asyncio.Connection`: connecting, the hiredis reply
  parser), with the store client's options.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
from collections import deque
from collections.abc import Sequence
from typing import Any

from redis.asyncio import Connection, Redis
from redis.exceptions import NoScriptError, RedisError, ResponseError

# How long an answer may take before the connection counts as lost (redis-py's default
# socket timeout, which the store's other commands keep).
ANSWER_SECONDS = 5.0
# How long the answers of calls nobody waits for at once (journal entries while no page
# watches) may wait to be read together: a loop turn and a parse per answer cost about a
# tenth of a read-only call.
LATER_SECONDS = 0.005


class Script:
    """One Lua script: its text, its SHA1, and the framed head of its EVALSHA."""

    __slots__ = ("evalsha_head", "sha", "text")

    def __init__(self, text: str) -> None:
        self.text = text.encode()
        self.sha = hashlib.sha1(self.text).hexdigest().encode()
        self.evalsha_head = _bulk(b"EVALSHA") + _bulk(self.sha)


class ScriptChannel:
    """Script calls pipelined on one connection, answered in the order they were sent."""

    def __init__(self, redis: Redis) -> None:
        self._options = {**redis.connection_pool.connection_kwargs, "socket_timeout": None}
        self._connection: Connection | None = None
        self._connecting: asyncio.Future[None] | None = None
        # Made while no connection was open, in order: sent once it is (see `_submit`).
        self._backlog: list[tuple[asyncio.Future[Any], Script | None, bytes, bytes, int]] = []
        self._out: list[bytes] = []  # framed calls of this turn, not written yet
        self._flushing: asyncio.Handle | None = None
        # Sent (or queued), not answered yet: each call's future, script and framed arguments.
        self._waiting: deque[tuple[asyncio.Future[Any], Script | None, bytes, int]] = deque()
        self._reader: asyncio.Task[None] | None = None
        self._later: asyncio.TimerHandle | None = None  # the read of answers nobody hurries
        # Tasks of its own (opening the connection, a lost connection's close), kept until
        # done: the loop holds only weak references to tasks.
        self._background: set[asyncio.Future[Any]] = set()

    async def call(self, script: Script, keys: Sequence[str], args: Sequence[Any]) -> Any:
        """Run `script` with `keys` and `args`; return its answer (RedisError when it fails)."""
        tail = _frame_tail(keys, args)  # numkeys, keys, args: after EVALSHA and the SHA1
        return await self._submit(script, script.evalsha_head, tail, 3 + len(keys) + len(args))

    async def write(
        self, script: Script, keys: Sequence[str], args: Sequence[Any], *, urgent: bool
    ) -> asyncio.Future[Any]:
        """Write a script call to Redis before returning (behind every call made before it);
        return the future of its answer, read at once when `urgent`, else within
        `LATER_SECONDS` with the others of that run, or at `hurry`."""
        await self.opened()
        connection = self._connection
        if connection is None:
            raise RedisError("the scripts' connection was lost")
        future: asyncio.Future[Any] = asyncio.get_running_loop().create_future()
        tail = _frame_tail(keys, args)
        count = 3 + len(keys) + len(args)
        self._queue(connection, future, script, script.evalsha_head, tail, count, urgent=urgent)
        if self._flushing is not None:
            self._flushing.cancel()
        self._flush(connection)
        return future

    async def opened(self) -> None:
        """Return once the connection is open (RedisError when it cannot be)."""
        while self._connection is None or self._backlog:
            if self._connecting is None:
                self._connecting = self._keep(asyncio.ensure_future(self._open()))
            await asyncio.shield(self._connecting)
            if self._connection is None:
                raise RedisError("could not connect for the scripts")

    def hurry(self) -> None:
        """Read the answers still waiting now (something waits for them)."""
        if self._later is not None:
            self._later.cancel()
            self._later = None
        if self._reader is None and self._waiting and self._connection is not None:
            self._reader = asyncio.create_task(self._read(self._connection))

    def send(self, *parts: bytes) -> asyncio.Future[Any]:
        """Queue a plain command (PUBLISH) behind the calls before it; return the future of
        its answer at once: the caller need not wait for the round trip."""
        tail = b"".join(_bulk(part) for part in parts[1:])
        return self._submit(None, _bulk(parts[0]), tail, len(parts))

    def _submit(
        self, script: Script | None, head: bytes, tail: bytes, count: int
    ) -> asyncio.Future[Any]:
        # `head`: the command and, for a script, the script (its SHA1, or its text); `count`:
        # the bulk strings of head and tail together. Every call and send
        # is queued in the order made: while the connection opens, in the backlog (the order
        # in which waiting tasks wake is not theirs), then all at once.
        future: asyncio.Future[Any] = asyncio.get_running_loop().create_future()
        if self._connection is not None and not self._backlog:
            self._queue(self._connection, future, script, head, tail, count)
            return future
        self._backlog.append((future, script, head, tail, count))
        if self._connecting is None:
            self._connecting = self._keep(asyncio.ensure_future(self._open()))
        return future

    async def _open(self) -> None:
        connection = Connection(**self._options)
        try:
            await connection.connect()  # type: ignore[no-untyped-call]
        except (RedisError, OSError) as error:
            backlog, self._backlog = self._backlog, []
            for future, *_ in backlog:
                if not future.done():
                    future.set_exception(RedisError(f"could not connect for the scripts: {error}"))
            return
        finally:
            self._connecting = None
        self._connection = connection
        backlog, self._backlog = self._backlog, []
        for future, script, head, tail, count in backlog:
            self._queue(connection, future, script, head, tail, count)

    def _queue(
        self,
        connection: Connection,
        future: asyncio.Future[Any],
        script: Script | None,
        head: bytes,
        tail: bytes,
        count: int,
        *,
        urgent: bool = True,
    ) -> None:
        self._waiting.append((future, script, tail, count))
        self._out.append(b"*%d\r\n%s%s" % (count, head, tail))
        loop = asyncio.get_running_loop()
        if self._flushing is None:
            self._flushing = loop.call_soon(self._flush, connection)
        if self._reader is not None:
            return
        if urgent:
            self.hurry()
        elif self._later is None:  # read with the others of a few milliseconds, at once
            self._later = loop.call_later(LATER_SECONDS, self.hurry)

    def _flush(self, connection: Connection) -> None:
        self._flushing = None
        out, self._out = self._out, []
        writer = connection._writer  # redis-py's stream of the connection it opened
        if writer is None:  # closed meanwhile: the calls queued for it fail
            self._lose(connection, RedisError("the scripts' connection was closed"))
            return
        writer.write(b"".join(out))  # a failed write shows as a lost connection at the read

    async def _read(self, connection: Connection) -> None:
        # The one reader of `connection`, while calls wait for its answers.
        try:
            while self._waiting and connection is self._connection:
                try:
                    answer = await connection.read_response(timeout=ANSWER_SECONDS)
                except ResponseError as error:  # the script's own error: only its call fails
                    self._answer_error(error)
                    continue
                if answer is None:  # no answer in time (redis-py returns None for that)
                    raise RedisError(f"Redis did not answer within {ANSWER_SECONDS:g} s")
                future = self._waiting.popleft()[0]
                if not future.done():
                    future.set_result(answer)
        except Exception as error:  # a lost connection, or an answer that cannot be read
            self._lose(connection, error)
        except asyncio.CancelledError:  # the loop is closing: nothing more to read
            self._reader = None
            raise
        self._reader = None
        if self._waiting and self._connection is not None:  # calls sent on a new one
            self._reader = asyncio.create_task(self._read(self._connection))

    def _answer_error(self, error: ResponseError) -> None:
        future, script, tail, count = self._waiting.popleft()
        if isinstance(error, NoScriptError) and script is not None and not future.done():
            # Redis forgot the script: send it whole once (EVAL loads it), answering this call.
            head = _bulk(b"EVAL") + _bulk(script.text)
            retry = self._submit(script, head, tail, count)  # EVAL, text: as many parts
            retry.add_done_callback(lambda done: _settle(future, done))
            return
        if not future.done():
            future.set_exception(error)

    def _lose(self, connection: Connection, error: BaseException) -> None:
        # Whether Redis ran the calls still unanswered cannot be told: each of them fails.
        # (A connection that is no longer the current one had its calls failed already.)
        if self._connection is not connection:
            self._disconnect(connection)
            return
        self._connection = None
        if self._later is not None:
            self._later.cancel()
            self._later = None
        if self._flushing is not None:  # what was queued belongs to the calls failed here
            self._flushing.cancel()
            self._flushing = None
        self._out = []
        waiting, self._waiting = self._waiting, deque()
        for future, *_ in waiting:
            if not future.done():
                future.set_exception(RedisError(f"the script call was lost: {error}"))
        self._disconnect(connection)

    def _disconnect(self, connection: Connection) -> None:
        self._keep(asyncio.ensure_future(connection.disconnect()))

    def _keep(self, task: asyncio.Future[Any]) -> asyncio.Future[Any]:
        self._background.add(task)
        task.add_done_callback(self._background.discard)
        return task

    async def close(self) -> None:
        """Wait for the answers under way, then close the connection."""
        self.hurry()
        if self._reader is not None:
            await asyncio.gather(self._reader, return_exceptions=True)
        await asyncio.gather(*self._background, return_exceptions=True)
        if self._connection is not None:
            with contextlib.suppress(RedisError, OSError):
                await self._connection.disconnect()
            self._connection = None


def _settle(future: asyncio.Future[Any], done: asyncio.Future[Any]) -> None:
    if future.done():
        return
    if done.cancelled():
        future.cancel()
    elif done.exception() is not None:
        future.set_exception(done.exception())  # type: ignore[arg-type]
    else:
        future.set_result(done.result())


def _frame_tail(keys: Sequence[str], args: Sequence[Any]) -> bytes:
    parts = [_bulk(str(len(keys)).encode())]
    parts += [_bulk(_encoded(key)) for key in keys]
    parts += [_bulk(_encoded(arg)) for arg in args]
    return b"".join(parts)


def _encoded(value: Any) -> bytes:
    if isinstance(value, bytes):
        return value
    if isinstance(value, str):
        return value.encode()
    if isinstance(value, int | float) and not isinstance(value, bool):
        return repr(value).encode()
    raise TypeError(f"a script argument must be bytes, str, int or float, not {value!r}")


def _bulk(data: bytes) -> bytes:
    return b"$%d\r\n%s\r\n" % (len(data), data)
