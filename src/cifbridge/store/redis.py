"""State in Redis, shared by several bridge processes behind a load balancer.

Each call runs load → engine → save while holding a short Redis lock, so two processes never
apply calls to diverging copies; the revision key lets a process skip the load when nothing
changed since its own last save.
"""

from __future__ import annotations

import asyncio
import secrets
from collections.abc import AsyncIterator
from contextlib import AbstractAsyncContextManager, asynccontextmanager

from redis.asyncio import Redis

_LOCK_MS = 10_000
_RELEASE = """
if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) end
return 0
"""


class RedisStore:
    """The snapshot under `key`, its revision under `key:rev`, a lock under `key:lock`."""

    shared = True

    def __init__(self, url: str, key: str) -> None:
        self._redis = Redis.from_url(url)
        self._key = key

    async def load(self, known_revision: int | None = None) -> str | None:
        """Return the saved text if its revision differs from `known_revision`."""
        revision = await self._redis.get(f"{self._key}:rev")
        if revision is None or (known_revision is not None and int(revision) == known_revision):
            return None
        raw = await self._redis.get(self._key)
        if raw is None:
            return None
        return raw.decode("utf-8") if isinstance(raw, bytes) else str(raw)

    async def save(self, state: str, revision: int) -> None:
        """Write snapshot and revision together."""
        async with self._redis.pipeline(transaction=True) as pipe:
            pipe.set(self._key, state)
            pipe.set(f"{self._key}:rev", revision)
            await pipe.execute()

    def exclusive(self) -> AbstractAsyncContextManager[None]:
        """Hold the cross-process lock for one call."""
        return self._locked()

    @asynccontextmanager
    async def _locked(self) -> AsyncIterator[None]:
        token = secrets.token_hex(8)
        lock = f"{self._key}:lock"
        delay = 0.001
        while not await self._redis.set(lock, token, nx=True, px=_LOCK_MS):
            await asyncio.sleep(delay)  # back off: another process is mid-call
            delay = min(delay * 2, 0.05)
        try:
            yield
        finally:
            await self._redis.eval(_RELEASE, 1, lock, token)

    async def clear(self) -> None:
        """Forget the saved state."""
        await self._redis.delete(self._key, f"{self._key}:rev")

    async def close(self) -> None:
        """Close the connection pool."""
        await self._redis.aclose()
