"""Socket.IO packets that every peer frame turns into, however malformed or deep it is.

python-socketio parses an incoming frame before any handler runs; when that fails (JSON too
deep for Python's parser, not JSON at all, an event that is not `[name, ...]`), it logs a
traceback and drops the frame, and the widget's promise hangs until its timeout. This packet
class parses payloads with `loads_bounded` and turns every frame it cannot make sense of into
a `cifbridge_malformed` event, so the namespace can still acknowledge it (its ack id is
known by then) with an error.

Rules:
- Passed to `socketio.AsyncServer(serializer=...)`; never assigned to python-socketio's own
  Packet class, so other servers and clients in the process are untouched.
- Outgoing packets are encoded exactly as python-socketio encodes them.
"""

from __future__ import annotations

import json as _json
from typing import Any

from socketio import packet

from cifbridge.api.limits import loads_bounded
from cifbridge.engine.base.json_text import compact

MALFORMED_EVENT = "cifbridge_malformed"
RESERVED_EVENTS = frozenset({"connect", "connect_error", "disconnect"})
_EVENTS = (packet.EVENT, packet.BINARY_EVENT)
_FROM_CLIENTS = (packet.CONNECT, packet.DISCONNECT, *_EVENTS, packet.ACK, packet.BINARY_ACK)


class _BoundedJson:
    """The `json` module interface python-socketio's packets use, with a bounded parser."""

    @staticmethod
    def dumps(value: Any, **options: Any) -> str:
        # python-socketio asks for compact text (separators only): every frame sent is one.
        if options.keys() <= {"separators"}:
            return compact(value)
        return _json.dumps(value, **options)

    @staticmethod
    def loads(text: str | bytes, **options: Any) -> Any:
        if isinstance(text, bytes):
            text = text.decode("utf-8")
        return loads_bounded(text)


class BoundedPacket(packet.Packet):  # type: ignore[misc]
    """A packet that always decodes; frames it cannot use become `cifbridge_malformed`."""

    json = _BoundedJson

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        encoded = kwargs.get("encoded_packet")
        if encoded is not None and len(encoded) == 0:  # python-socketio would not decode it
            self._malformed("the frame is empty")

    def decode(self, encoded_packet: str | bytes) -> int:
        """Decode a frame; a malformed one becomes an event naming what is wrong with it."""
        try:
            attachments: int = super().decode(encoded_packet) or 0
        except Exception as error:  # whatever a peer sends must end as a packet
            return self._malformed(f"the frame could not be read: {error}")
        if self.packet_type not in _FROM_CLIENTS:
            return self._malformed(f"packet type {self.packet_type!r} is not one clients send")
        if self.packet_type in _EVENTS and not _is_event(self.data):
            return self._malformed("an event must be an array starting with its name")
        if self.packet_type in _EVENTS and self.data[0] in RESERVED_EVENTS:
            # Sent as an event, "disconnect" would run the namespace's disconnect handler.
            return self._malformed(f"the event name {self.data[0]!r} is reserved")
        return attachments

    def _malformed(self, reason: str) -> int:
        self.packet_type = packet.EVENT
        self.data = [MALFORMED_EVENT, reason]
        return 0


def _is_event(data: Any) -> bool:
    return isinstance(data, list) and bool(data) and isinstance(data[0], str)
