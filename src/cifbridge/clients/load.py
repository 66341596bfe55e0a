"""Many concurrent widgets against one bridge: for load runs, soaks and crash tests.

    report = await run_load(url, widgets=1000, calls=100)
    report.errors, report.unanswered, report.percentile(99)

Each `LoadWidget` is one Socket.IO connection to `/widget` speaking the shim's protocol (one
acknowledged `cif` event per call, a client-made requestId), without reconnection, so a
connection that drops is seen as unanswered calls rather than hidden by retries. Its calls run
one after another, as a widget awaiting each promise does; the widgets run concurrently.
"""

from __future__ import annotations

import asyncio
import statistics
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import socketio

# One call of a widget: the API and its positional arguments.
Call = tuple[str, list[Any]]
Plan = Callable[[int, int], Call]
CONNECTS_AT_ONCE = 50  # handshakes in flight together while widgets connect


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
    """One widget connection; `call` returns the acknowledgement as the shim receives it."""

    def __init__(self, url: str, provider: str | None = None, timeout: float = 10.0) -> None:
        self.url = url.rstrip("/")
        self.timeout = timeout
        self.client = socketio.AsyncClient(reconnection=False)
        self.auth = {"provider": provider, "href": f"{self.url}/samples/softphone.html"}
        self._late: dict[str, asyncio.Future[Any]] = {}
        self.client.on("cif:result", self._on_late_answer, namespace="/widget")

    def _on_late_answer(self, answer: Any) -> None:
        # Every widget of the provider hears a late answer; only the one that asked waits.
        if isinstance(answer, dict) and isinstance(answer.get("requestId"), str):
            future = self._future(answer["requestId"])
            if not future.done():
                future.set_result(answer)

    def _future(self, request_id: str) -> asyncio.Future[Any]:
        return self._late.setdefault(request_id, asyncio.get_running_loop().create_future())

    async def late_answer(self, request_id: str) -> Any:
        """Wait for the `cif:result` that answers a deferred call (notifyEvent)."""
        return await asyncio.wait_for(self._future(request_id), self.timeout)

    async def connect(self) -> None:
        """Open the connection to the widget namespace."""
        await self.client.connect(
            self.url,
            namespaces=["/widget"],
            auth=self.auth,
            transports=["websocket"],
            wait_timeout=self.timeout,
        )

    async def call(self, api: str, args: list[Any], request_id: str | None = None) -> Any:
        """Send one call and return its acknowledgement (raises TimeoutError without one)."""
        packet = {"api": api, "args": args, "requestId": request_id or uuid.uuid4().hex}
        return await self.client.call("cif", packet, namespace="/widget", timeout=self.timeout)

    async def close(self) -> None:
        """Disconnect."""
        await self.client.disconnect()


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


async def connect_all(url: str, count: int, call_seconds: float = 30.0) -> list[LoadWidget]:
    """Connect `count` widgets, a bounded number of handshakes at a time."""
    widgets = [LoadWidget(url, timeout=call_seconds) for _ in range(count)]
    for start in range(0, count, CONNECTS_AT_ONCE):
        await asyncio.gather(*(w.connect() for w in widgets[start : start + CONNECTS_AT_ONCE]))
    return widgets


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
        except (TimeoutError, socketio.exceptions.SocketIOError) as error:
            report.unanswered += 1
            report.note_error(f"{api}: no answer ({type(error).__name__})")
            continue
        report.latencies_ms.append((time.perf_counter() - began) * 1000)
        report.answered += 1
        if not (isinstance(ack, dict) and ack.get("ok")):
            report.note_error(f"{api}: {ack!r}")


async def run_load(url: str, widgets: int, calls: int, plan: Plan = steady_mix) -> LoadReport:
    """Connect the widgets, drive them, disconnect them."""
    connected = await connect_all(url, widgets)
    try:
        return await drive(connected, calls, plan)
    finally:
        await asyncio.gather(*(w.close() for w in connected), return_exceptions=True)
