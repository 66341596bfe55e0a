"""Every save to a Redis store is announced on a channel; a process that follows it answers
reads from its own copy without asking Redis, for as long as nothing newer was announced.

Why a read answered from the copy is never older than a change already answered elsewhere:
- Redis writes a notice to the followers' sockets after the save's own reply, in the same turn
  of its loop, but may be preempted in between: a writer that answered at once could be read
  from a follower that had not heard yet (seen here within a few hundred microseconds). So a
  change is answered only after Redis has answered one more command of the writer, sent after
  the save's reply (`delivered`, one PING shared by the saves it follows): Redis takes it in a
  later turn, once the notices are in every follower's socket. Nothing waits when no other
  process follows the channel.
- On the follower, a notice already in the socket is taken in one loop turn (the follower's
  task waits on that socket), while a call that arrives later needs more than one (Socket.IO
  and aiohttp hand it on through tasks), so the notice is applied before the call is read. On
  one machine this holds as stated; across machines it holds while Redis reaches a follower
  sooner than the writer's answer can reach that follower through a client.
- A copy is trusted only once a catch-up (a round trip) was made after the subscription was
  confirmed, so a change saved before that is in what the catch-up brought, and every later
  one is announced. Revisions only grow for an agent, so comparing numbers is enough, in
  whatever order a notice and a catch-up's answer arrive. When the subscription is lost, every
  copy stops being trusted until the next subscription and catch-up: reads go back to one
  round trip each, nothing else changes.

A notice is one line: `s <revision> <last record write or -> <agent>` for a save,
`c - - <agent>` for an agent forgotten, `r - <record write> -` for the org's records reset.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable

from redis.asyncio import Redis
from redis.asyncio.client import PubSub
from redis.exceptions import RedisError

log = logging.getLogger("cifbridge")

# How long a process waits before following the channel again after losing it.
RESUBSCRIBE_SECONDS = 0.5
# The protocol of a client that follows a channel (these notices, the Socket.IO manager's
# events). redis-py 8 speaks RESP3 by default, where each message arrives as a push and its
# handler builds a debug line of the whole message whether or not debug is logged (about 2 µs
# a message, measured); on RESP2 a message is a plain reply. Only subscriptions use it: the
# other commands' answers keep the shapes the store reads.
SUBSCRIBER_PROTOCOL = 2


class SaveNotices:
    """What this process heard on a store's channel: the newest revision of each agent, the
    newest record write, and which agents' copies it may answer reads from."""

    def __init__(self, redis: Redis, channel: str, ping: Callable[[], Awaitable[object]]) -> None:
        self.channel = channel
        self._redis = redis
        # The barrier's command (the store's: a PING on its pipelined scripts' connection).
        self._send_ping = ping
        self._task: asyncio.Task[None] | None = None
        self._live = False
        self._epoch = 0  # grows on every subscription confirmed and every one lost
        self._revisions: dict[str, int] = {}  # agent → the newest revision announced
        self._records = (0, 0)  # the newest record write announced, in stream order
        self._trusted: set[str] = set()
        self._announced = 0  # saves whose notices Redis had sent when a PING came back
        self._saves = 0  # saves of this process that other processes heard of
        self._ping: asyncio.Task[None] | None = None
        self.subscription: PubSub | None = None  # the one following the channel now

    def start(self) -> None:
        """Follow the channel from now on (once; needs the running loop)."""
        if self._task is None:
            self._task = asyncio.get_running_loop().create_task(self._follow())

    def epoch(self) -> int | None:
        """Return the subscription a catch-up is sent under (None: not following now)."""
        return self._epoch if self._live else None

    def trust(self, agent: str, epoch: int | None) -> None:
        """Trust the agent's copy: a catch-up sent under `epoch` brought it up to date."""
        if epoch is not None and self._live and epoch == self._epoch:
            self._trusted.add(agent)

    def current(self, agent: str, revision: int, records_seen: tuple[int, int]) -> bool:
        """Tell whether the process's copy (at `revision`, record writes up to
        `records_seen`) is the newest: trusted, and nothing newer announced since."""
        return (
            agent in self._trusted
            and self._revisions.get(agent, 0) <= revision
            and self._records <= records_seen
        )

    async def delivered(self, heard: int) -> None:
        """Return once the notice of a save just answered (`heard`: how many followers Redis
        counted) is in every follower's socket (see above)."""
        if heard == 0 or (heard == 1 and self._live):
            return  # nobody follows, or only this process: no other copy to keep current
        self._saves += 1
        save = self._saves
        while self._announced < save:
            if self._ping is None:  # sent now, after this save's reply: it covers it
                self._ping = asyncio.create_task(self._round_trip(self._saves))
            await asyncio.shield(self._ping)

    async def _round_trip(self, covers: int) -> None:
        try:
            await self._send_ping()
        except RedisError as error:  # the save stands; its notice is out or lost with Redis
            log.warning("cifbridge could not confirm the notices on %s: %s", self.channel, error)
        finally:
            self._announced = max(self._announced, covers)
            self._ping = None

    def heard(self, line: str) -> None:
        """Take one notice."""
        kind, revision, write, agent = line.split(" ", 3)
        if write != "-":
            self._records = max(self._records, stream_order(write))
        if kind == "s":
            self._revisions[agent] = max(self._revisions.get(agent, 0), int(revision))
        elif kind == "c":  # forgotten: its numbering starts over, so start over with it
            self._revisions.pop(agent, None)
            self._trusted.discard(agent)

    def _lost(self) -> None:
        self._live = False
        self._epoch += 1
        self._trusted.clear()

    async def _follow(self) -> None:
        while True:
            pubsub = self.subscription = self._redis.pubsub()
            try:
                await pubsub.subscribe(self.channel)
                async for message in pubsub.listen():
                    if message["type"] == "subscribe":
                        # From here on every save is heard; earlier ones are in the next
                        # catch-up's answer (which is why nothing is trusted before it).
                        self._lost()
                        self._revisions.clear()
                        self._records = (0, 0)
                        self._live = True
                    elif message["type"] == "message":
                        data = message["data"]
                        self.heard(data.decode() if isinstance(data, bytes) else str(data))
            except asyncio.CancelledError:
                raise
            except (RedisError, OSError, ValueError) as error:
                log.warning("cifbridge stopped hearing saves on %s: %s", self.channel, error)
            finally:
                self._lost()
                with contextlib.suppress(RedisError, OSError):
                    await pubsub.aclose()  # type: ignore[no-untyped-call]
            await asyncio.sleep(RESUBSCRIBE_SECONDS)

    async def close(self) -> None:
        """Stop following the channel."""
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None


def stream_order(entry_id: str) -> tuple[int, int]:
    """Return a Redis stream entry id (`<ms>-<seq>`) as a pair that sorts as the stream does."""
    milliseconds, _, sequence = entry_id.partition("-")
    return int(milliseconds), int(sequence or 0)
