"""Socket.IO client managers that send a message to a room's connections one after another.

python-socketio's manager sends an emit to each connection of a room from a task of its own
and waits for all of them (`asyncio.wait`), and the bridge emits to rooms of one or a few
widgets: measured with one widget, the task, the wait and the extra turns of the event loop
they take cost more than the rest of createSession, the engine included (bench/ratios.py).
These managers encode the packet once and hand it to each connection's Engine.IO queue in
turn (`eio.send_packet`, which only queues it: the connection's own writer sends it), so an
emit is done in the call that made it and what follows it is queued behind it.

Rules:
- same packets, same order per connection, same rooms and skips as python-socketio's own;
- an emit that asks for an acknowledgement (`callback`) goes the library's way;
- with Redis, the pub/sub manager's delivery on this process (its own emits and those relayed
  from other processes) goes through the same path: `DirectRedisManager` puts
  `DirectAsyncManager` between the pub/sub manager and the plain one in the MRO;
- a connection that fails to take the packet is logged and skipped, as a failed task was.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

import socketio
from engineio import packet as eio_packet
from socketio import packet

from cifbridge.store.redis_notices import SUBSCRIBER_PROTOCOL
from cifbridge.store.redis_scripts import ScriptChannel

log = logging.getLogger("cifbridge")


class DirectAsyncManager(socketio.AsyncManager):  # type: ignore[misc]
    """An in-process manager whose emits queue the packet on each connection in turn."""

    async def emit(
        self,
        event: str,
        data: Any,
        namespace: str,
        room: Any = None,
        skip_sid: Any = None,
        callback: Any = None,
        to: Any = None,
        **kwargs: Any,
    ) -> None:
        """Emit to a client, a room or the namespace (a coroutine, as the library's)."""
        if callback is not None:
            await super().emit(event, data, namespace, room=room, skip_sid=skip_sid,
                               callback=callback, to=to, **kwargs)  # fmt: skip
            return
        room = to or room
        if namespace not in self.rooms:
            return
        if isinstance(data, tuple):
            data = list(data)  # a tuple is several arguments, anything else one
        elif data is not None:
            data = [data]
        else:
            data = []
        skipped = skip_sid if isinstance(skip_sid, list) else [skip_sid]
        encoded = self.server.packet_class(
            packet.EVENT, namespace=namespace, data=[event, *data]
        ).encode()
        frames = [
            eio_packet.Packet(eio_packet.MESSAGE, part)
            for part in (encoded if isinstance(encoded, list) else [encoded])
        ]
        for sid, eio_sid in list(self.get_participants(namespace, room)):
            if sid in skipped:
                continue
            for frame in frames:
                try:
                    await self.server.eio.send_packet(eio_sid, frame)
                except Exception:  # one connection's failure must not stop the others
                    log.exception("cifbridge could not send %s to connection %s", event, sid)


def room_has_connections(manager: socketio.AsyncManager, namespace: str, room: str) -> bool:
    """Tell whether a room of this process has a connection, without copying the room (as
    `get_participants` does: it is asked at every journal entry)."""
    return bool(manager.rooms.get(namespace, {}).get(room))


class DirectRedisManager(socketio.AsyncRedisManager, DirectAsyncManager):  # type: ignore[misc]
    """The Redis pub/sub manager, delivering on this process as DirectAsyncManager does and
    publishing for the other processes without waiting for each PUBLISH's answer.

    The library awaits each PUBLISH (a round trip per event, on the path of the next event of
    the agent and of an agent action's answer) and, when it fails, logs it and goes on. Here
    the publishes queue in order on one pipelined connection (store/redis_scripts.py): each
    leaves in the turn of the event loop that emitted it, and one that fails is logged the
    same way; the next one opens a new connection.
    """

    _publishes: ScriptChannel | None = None

    def __init__(self, url: str, channel: str) -> None:
        super().__init__(url, channel=channel, redis_options={"protocol": SUBSCRIBER_PROTOCOL})

    async def _listen(self) -> Any:
        # Every process hears its own publishes back; the library decodes each one only to
        # drop it for its `host_id`, the last key of every message a process publishes about
        # itself (a callback addressed to this process names it second: it is kept). Framed
        # here, once the server set the JSON module its messages are written with.
        own_tail = self.json.dumps({"host_id": self.host_id})[1:].encode()
        async for message in super()._listen():
            if isinstance(message, bytes) and message.endswith(own_tail):
                continue
            yield message

    async def _publish(self, data: Any) -> None:
        if self._publishes is None:
            if not self.connected:
                self._redis_connect()
            self._publishes = ScriptChannel(self.redis)
        text = self.json.dumps(data)
        sent = self._publishes.send(b"PUBLISH", self.channel.encode(), text.encode())
        sent.add_done_callback(_log_failed_publish)

    async def close_publishes(self) -> None:
        """Wait for the publishes' answers, then close their connection (at shutdown)."""
        if self._publishes is not None:
            await self._publishes.close()
            self._publishes = None


def _log_failed_publish(sent: asyncio.Future[Any]) -> None:
    if not sent.cancelled() and sent.exception() is not None:
        log.error("cifbridge could not publish an event to Redis: %s", sent.exception())
