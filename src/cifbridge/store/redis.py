"""State in Redis, shared by several bridge processes behind a load balancer.

Rules:
- each call runs load → engine → save while holding redis-py's `Lock` on `key:lock`, so two
  processes never apply calls to diverging copies; calls of one process queue on an asyncio
  lock first, so only processes compete for the Redis one;
- the lock expires (`lock_seconds`) so that a killed process cannot hold the workspace for
  ever; while a call runs, a keeper task renews it every third of that time;
- a save commits only while the lock is still this call's (WATCH on the lock key, then
  MULTI/EXEC): if the process was frozen past the expiry and another process took over, the
  save fails with LockLost instead of overwriting newer work, and the call is refused;
- the revision key lets a process skip the load when nothing changed since its own last save;
- Redis errors surface as StoreFailed, so a call is never acknowledged without its save.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator
from contextlib import AbstractAsyncContextManager, asynccontextmanager

from redis.asyncio import Redis
from redis.asyncio.lock import Lock
from redis.exceptions import LockError, RedisError, WatchError

from cifbridge.store.base import LockLost, StoreFailed

log = logging.getLogger("cifbridge")

LOCK_SECONDS = 5.0
# A process waits this long for another one's call before refusing its own.
WAIT_SECONDS = 30.0
# How often a waiting process asks again (redis-py's Lock polls; this keeps waits short).
RETRY_SECONDS = 0.002


class RedisStore:
    """The snapshot under `key`, its revision under `key:rev`, a lock under `key:lock`."""

    shared = True

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
        self._local = asyncio.Lock()
        self._held: Lock | None = None

    @property
    def lock_key(self) -> str:
        """Return the key of the cross-process lock."""
        return f"{self._key}:lock"

    async def load(self, known_revision: int | None = None) -> str | None:
        """Return the saved text if its revision differs from `known_revision`."""
        try:
            revision = await self._redis.get(f"{self._key}:rev")
            if revision is None or (known_revision is not None and int(revision) == known_revision):
                return None
            raw = await self._redis.get(self._key)
        except RedisError as error:
            raise StoreFailed(f"Redis did not answer the load: {error}") from error
        if raw is None:
            return None
        return raw.decode("utf-8") if isinstance(raw, bytes) else str(raw)

    async def save(self, state: str, revision: int) -> None:
        """Write snapshot and revision together, only while this call holds the lock."""
        lock = self._held
        try:
            async with self._redis.pipeline(transaction=True) as pipe:
                if lock is not None:
                    await pipe.watch(self.lock_key)  # any change to the lock aborts the EXEC
                    if not await lock.owned():
                        raise LockLost(self._lost())
                    pipe.multi()  # type: ignore[no-untyped-call]
                pipe.set(self._key, state)
                pipe.set(f"{self._key}:rev", revision)
                await pipe.execute()
        except WatchError as error:
            raise LockLost(self._lost()) from error
        except RedisError as error:
            raise StoreFailed(f"Redis did not answer the save: {error}") from error

    def _lost(self) -> str:
        return (
            f"the workspace lock {self.lock_key} expired before the save"
            f" (held past {self._lock_seconds:g} s without renewal); the call was not applied"
        )

    def exclusive(self) -> AbstractAsyncContextManager[None]:
        """Hold the workspace for one call: this process's queue, then the Redis lock."""
        return self._locked()

    @asynccontextmanager
    async def _locked(self) -> AsyncIterator[None]:
        async with self._local:
            lock = self._redis.lock(
                self.lock_key,
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
                    f"another bridge process held the workspace lock {self.lock_key} for"
                    f" over {self._wait_seconds:g} s; the call was not applied"
                )
            keeper = asyncio.create_task(self._keep(lock))
            self._held = lock
            try:
                yield
            finally:
                self._held = None
                keeper.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await keeper
                with contextlib.suppress(LockError, RedisError):  # expired: nothing to release
                    await lock.release()

    async def _keep(self, lock: Lock) -> None:
        # Renew the expiry while the call runs; a lost lock is left to the save to report.
        while True:
            await asyncio.sleep(self._lock_seconds / 3)
            try:
                await lock.reacquire()
            except (LockError, RedisError) as error:
                log.warning("the workspace lock %s could not be renewed: %s", self.lock_key, error)
                return

    async def clear(self) -> None:
        """Forget the saved state."""
        await self._redis.delete(self._key, f"{self._key}:rev")

    async def close(self) -> None:
        """Close the connection pool."""
        await self._redis.aclose()
