"""The Socket.IO path: a `socketio.AsyncClient` per provider, speaking the shim's protocol."""

from __future__ import annotations

import itertools
from typing import Any

import socketio

from cifbridge.api.catalog import APIS
from cifbridge.contracts.bridge import Bridges, ServedBridge
from cifbridge.contracts.cases import Call, Case
from cifbridge.contracts.configs import CaseConfigs
from cifbridge.contracts.outcome import Outcome, pending, rejected, resolved
from cifbridge.contracts.served import BARRIER, WidgetError, decode_event, play_served

NAMESPACE = "/widget"
PAGE_HREF = "http://127.0.0.1/contract"
# Not a timing assertion: only how long to wait before declaring a call unanswered.
ACK_TIMEOUT_SECONDS = 30


class SocketWidget:
    """One provider's widget as a bare Socket.IO client; records the events it receives."""

    def __init__(self, provider: str) -> None:
        self.provider = provider
        self.client = socketio.AsyncClient(reconnection=False)
        self._events: list[Any] = []
        self._request_ids = itertools.count(1)
        self._started: dict[str, str] = {}  # request id of a started call -> its API
        self._answers: dict[str, Any] = {}  # request id -> its ack, or its late `cif:result`
        self.client.on("cif:event", self._events.append, namespace=NAMESPACE)
        self.client.on("cif:result", self._late_answer, namespace=NAMESPACE)

    @classmethod
    async def open(cls, bridge: ServedBridge, provider: str, case: Case) -> SocketWidget:
        """Connect a widget for `provider` to the bridge."""
        widget = cls(provider)
        auth = {"provider": provider, "href": PAGE_HREF}
        try:
            await widget.client.connect(
                bridge.url, namespaces=[NAMESPACE], auth=auth, transports=["websocket"]
            )
        except socketio.exceptions.ConnectionError as error:
            await widget.close()
            raise WidgetError(f"{provider}: the bridge refused the connection: {error}") from error
        return widget

    async def call(self, call: Call) -> Outcome:
        """Send one call as the shim does and normalize the acknowledgement."""
        ack = await self._send(call)
        if isinstance(ack, dict) and ack.get("deferred"):
            raise WidgetError(f"{call.api} answered later: start it instead of calling it")
        return _normalize(call.api, ack)

    async def start(self, call: Call) -> str:
        """Send a call that may be answered later; return its handle once it is acknowledged."""
        request_id = f"{self.provider}-{next(self._request_ids)}"
        ack = await self._send(call, request_id)
        self._started[request_id] = call.api
        if not (isinstance(ack, dict) and ack.get("deferred")):
            self._answers[request_id] = ack
        return request_id

    async def outcome_of(self, handle: str) -> Outcome:
        """Return a started call's outcome so far (after a barrier: every answer sent is in)."""
        await self._send(BARRIER)
        if handle not in self._answers:
            return pending([])
        return _normalize(self._started[handle], self._answers[handle])

    def _late_answer(self, message: Any) -> None:
        if isinstance(message, dict) and isinstance(message.get("requestId"), str):
            self._answers[message["requestId"]] = message

    async def take_events(self) -> list[dict[str, Any]]:
        """Return the events received so far (after a barrier call) and forget them."""
        await self._send(BARRIER)
        received = [_event(e) for e in self._events]
        self._events.clear()
        return received

    async def close(self) -> None:
        """Disconnect."""
        await self.client.disconnect()

    async def _send(self, call: Call, request_id: str | None = None) -> Any:
        packet = {
            "api": call.api,
            "args": call.wire_args(),
            "requestId": request_id or f"{self.provider}-{next(self._request_ids)}",
            "correlationId": None,
        }
        try:
            return await self.client.call(
                "cif", packet, namespace=NAMESPACE, timeout=ACK_TIMEOUT_SECONDS
            )
        except socketio.exceptions.TimeoutError as error:
            raise WidgetError(f"{call.api}: no acknowledgement") from error


def _normalize(api: str, ack: Any) -> Outcome:
    # An acknowledgement and a late `cif:result` share the envelope {ok, value | error, origin}.
    if not isinstance(ack, dict):
        raise WidgetError(f"{api}: the acknowledgement is not an object: {ack!r}")
    if ack.get("ok"):
        return resolved(ack.get("value"), APIS[api].encoding, [])
    return rejected(ack.get("error"), str(ack.get("origin")), [])


def _event(message: Any) -> dict[str, Any]:
    if not isinstance(message, dict):
        return {"name": None, "data": {"$notAnEvent": message}}
    return decode_event(message.get("name"), message.get("data"))


class SocketIOPath:
    """Plays cases against a served bridge through Socket.IO clients."""

    name = "socketio"

    def __init__(self, configs: CaseConfigs, bridges: Bridges) -> None:
        self.configs = configs
        self.bridges = bridges

    async def run(self, case: Case) -> Outcome:
        """Play one case and return its normalized outcome."""
        return await play_served(case, self.configs, self.bridges, SocketWidget.open)

    async def close(self) -> None:
        """Nothing of its own to release (the bridges are shared)."""
