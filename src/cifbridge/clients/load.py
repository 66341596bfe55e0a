"""Many concurrent widgets against one bridge: for load runs, soaks and crash tests.

    report = await run_load(url, widgets=1000, calls=100)
    report.errors, report.unanswered, report.percentile(99)

Each `LoadWidget` is one Socket.IO connection to `/widget` speaking the shim's protocol (one
acknowledged `cif` event per call, a client-made requestId), without reconnection, so a
connection that drops is seen as unanswered calls (ConnectionError) rather than hidden by
retries. Its calls run
one after another, as a widget awaiting each promise does; the widgets run concurrently.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import statistics
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import aiohttp

# One call of a widget: the API and its positional arguments.
Call = tuple[str, list[Any]]
Plan = Callable[[int, int], Call]
CONNECTS_AT_ONCE = 50  # handshakes in flight together while widgets connect
NAMESPACE = "/widget"
EVENT, ACK = f"42{NAMESPACE},", f"43{NAMESPACE},"


def steady_mix(widget: int, number: int) -> Call:
    """Return a widget's n-th call: mostly reads, one in four a change that notifies nobody.

    Changes that raise events (setMode, createSession...) are left out on purpose: a thousand
    widgets of one provider would each hear every one of them, which measures the fan-out,
    not the calls.
    """
    kind = number % 8
    if kind == 0:
        data = {"conversationId": f"c-{widget}", "providerSessionId": f"p-{widget}-{number}"}
        return "logAnalyticsEvent", [data, "load"]
    if kind == 4:
        return "setClickToAct", [number % 16 != 4]
    reads = ("canCreateSession", "getFocusedSession", "getEnvironment", "getPresence")
    return reads[kind % len(reads)], []


class LoadWidget:
    """One widget connection; `call` returns the acknowledgement as the shim receives it.

    It speaks the Socket.IO wire format itself over one aiohttp websocket (`40/widget,` to
    join, `42/widget,<id>["cif",...]` per call, `43/widget,<id>[ack]` back, pings answered):
    a thousand python-socketio clients, each with its own session and three tasks, would
    load the measuring process more than the bridge.
    """

    def __init__(
        self,
        url: str,
        provider: str | None = None,
        timeout: float = 10.0,
        http: aiohttp.ClientSession | None = None,
        agent: str | None = None,
    ) -> None:
        self.url = url.rstrip("/")
        self.timeout = timeout
        self.auth = {"provider": provider, "href": f"{self.url}/samples/softphone.html"}
        if agent is not None:  # whose workspace (the shim's auth.agent); else the default one
            self.auth["agent"] = agent
        self._http = http
        self._own_http = http is None
        self._ws: aiohttp.ClientWebSocketResponse | None = None
        self._reader: asyncio.Task[None] | None = None
        self._acks: dict[int, asyncio.Future[Any]] = {}
        self._late: dict[str, asyncio.Future[Any]] = {}
        self._numbers = itertools.count(1)

    async def connect(self) -> None:
        """Open the websocket and join the widget namespace."""
        if self._http is None:
            self._http = aiohttp.ClientSession()
        url = f"{self.url}/socket.io/?EIO=4&transport=websocket"
        self._ws = await self._http.ws_connect(url, timeout=aiohttp.ClientWSTimeout(ws_close=5.0))
        await self._expect("0{")
        await self._ws.send_str(f"40{NAMESPACE}," + json.dumps(self.auth))
        await self._expect(f"40{NAMESPACE},")
        self._reader = asyncio.create_task(self._read())

    async def _expect(self, prefix: str) -> None:
        assert self._ws is not None
        message = await self._ws.receive(timeout=self.timeout)
        if message.type != aiohttp.WSMsgType.TEXT or not message.data.startswith(prefix):
            raise ConnectionError(f"the bridge answered {message.data!r}, not {prefix}...")

    async def _read(self) -> None:
        assert self._ws is not None
        try:
            async for message in self._ws:
                if message.type == aiohttp.WSMsgType.TEXT:
                    await self._take(message.data)
        except (aiohttp.ClientError, ConnectionError):
            pass  # the bridge went away: every call waiting learns it below
        finally:
            gone = ConnectionError("the connection to the bridge closed")
            for future in self._acks.values():
                if not future.done():
                    future.set_exception(gone)

    async def _take(self, frame: str) -> None:
        assert self._ws is not None
        if frame == "2":  # engine.io ping
            await self._ws.send_str("3")
        elif frame == "1":  # engine.io close: the bridge is stopping
            await self._ws.close()
        elif frame.startswith(ACK):
            number, _, rest = frame[len(ACK) :].partition("[")
            future = self._acks.pop(int(number), None)
            if future is not None and not future.done():
                future.set_result(json.loads("[" + rest)[0])
        elif frame.startswith(EVENT):
            name, *data = json.loads(frame[len(EVENT) :])
            if name == "cif:result" and data and isinstance(data[0], dict):
                self._on_late_answer(data[0])

    def _on_late_answer(self, answer: dict[str, Any]) -> None:
        # Every widget of the provider hears a late answer; only the one that asked waits.
        if isinstance(answer.get("requestId"), str):
            future = self._future(answer["requestId"])
            if not future.done():
                future.set_result(answer)

    def _future(self, request_id: str) -> asyncio.Future[Any]:
        return self._late.setdefault(request_id, asyncio.get_running_loop().create_future())

    async def late_answer(self, request_id: str) -> Any:
        """Wait for the `cif:result` that answers a deferred call (notifyEvent)."""
        return await asyncio.wait_for(self._future(request_id), self.timeout)

    async def send(self, api: str, args: list[Any], request_id: str | None = None) -> int:
        """Send one call without waiting; return the number its acknowledgement carries."""
        if self._ws is None or self._ws.closed:
            raise ConnectionError("not connected to the bridge")
        number = next(self._numbers)
        packet = {"api": api, "args": args, "requestId": request_id or uuid.uuid4().hex}
        self._acks[number] = asyncio.get_running_loop().create_future()
        await self._ws.send_str(f"{EVENT}{number}" + json.dumps(["cif", packet]))
        return number

    async def call(self, api: str, args: list[Any], request_id: str | None = None) -> Any:
        """Send one call and return its acknowledgement (TimeoutError without one)."""
        number = await self.send(api, args, request_id)
        try:
            return await asyncio.wait_for(self._acks[number], self.timeout)
        finally:
            self._acks.pop(number, None)

    async def close(self) -> None:
        """Leave as engine.io does, so the bridge forgets the connection at once."""
        if self._ws is not None and not self._ws.closed:
            with contextlib.suppress(ConnectionError, RuntimeError):
                await self._ws.send_str("1")
            await self._ws.close()
        if self._reader is not None:
            await asyncio.gather(self._reader, return_exceptions=True)
        if self._own_http and self._http is not None:
            await self._http.close()


@dataclass
class LoadReport:
    """What the widgets saw: answered calls, rejections, calls never answered, latencies."""

    widgets: int = 0
    sent: int = 0
    answered: int = 0
    errors: int = 0
    unanswered: int = 0
    latencies_ms: list[float] = field(default_factory=list)
    error_samples: list[str] = field(default_factory=list)
    seconds: float = 0.0

    def percentile(self, percent: float) -> float:
        """Return a latency percentile in milliseconds (0 when nothing was answered)."""
        if len(self.latencies_ms) < 2:
            return self.latencies_ms[0] if self.latencies_ms else 0.0
        return statistics.quantiles(self.latencies_ms, n=100, method="inclusive")[
            max(0, min(98, round(percent) - 1))
        ]

    def note_error(self, text: str) -> None:
        """Count a rejection or failure, keeping the first few messages."""
        self.errors += 1
        if len(self.error_samples) < 5:
            self.error_samples.append(text)


async def connect_all(
    url: str, count: int, http: aiohttp.ClientSession, call_seconds: float = 60.0
) -> list[LoadWidget]:
    """Connect `count` widgets over one HTTP session, a bounded number of handshakes at once."""
    widgets = [LoadWidget(url, timeout=call_seconds, http=http) for _ in range(count)]
    for start in range(0, count, CONNECTS_AT_ONCE):
        await asyncio.gather(*(w.connect() for w in widgets[start : start + CONNECTS_AT_ONCE]))
    return widgets


def load_session() -> aiohttp.ClientSession:
    """Return an HTTP session without a connection limit, for many widgets at once."""
    return aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=0))


async def drive(widgets: list[LoadWidget], calls: int, plan: Plan = steady_mix) -> LoadReport:
    """Make every widget send `calls` calls, concurrently; return what they saw."""
    report = LoadReport(widgets=len(widgets))
    started = time.perf_counter()
    await asyncio.gather(*(_one_widget(w, i, calls, plan, report) for i, w in enumerate(widgets)))
    report.seconds = time.perf_counter() - started
    return report


async def _one_widget(
    widget: LoadWidget, index: int, calls: int, plan: Plan, report: LoadReport
) -> None:
    for number in range(calls):
        api, args = plan(index, number)
        report.sent += 1
        began = time.perf_counter()
        try:
            ack = await widget.call(api, args)
        except (TimeoutError, ConnectionError) as error:
            report.unanswered += 1
            report.note_error(f"{api}: no answer ({type(error).__name__})")
            continue
        report.latencies_ms.append((time.perf_counter() - began) * 1000)
        report.answered += 1
        if not (isinstance(ack, dict) and ack.get("ok")):
            report.note_error(f"{api}: {ack!r}")


async def run_load(url: str, widgets: int, calls: int, plan: Plan = steady_mix) -> LoadReport:
    """Connect the widgets, drive them, disconnect them."""
    async with load_session() as http:
        connected = await connect_all(url, widgets, http)
        try:
            return await drive(connected, calls, plan)
        finally:
            await asyncio.gather(*(w.close() for w in connected), return_exceptions=True)
