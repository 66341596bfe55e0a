"""One widget's calls over Socket.IO, as ratios to a bare python-socketio echo (issue 12).

    python bench/ratios.py                         # memory and SQLite stores
    python bench/ratios.py --store redis           # the same harness on a Redis store
    python bench/ratios.py --store memory --rounds 3 --repeat 100

The echo (a bare python-socketio server on aiohttp acknowledging every `cif` with its
payload) and one bridge per store run side by side in this process, each with one
python-socketio client on websocket (loopback). Each round measures every row once, one
after another, so load from other work on the machine falls on all of them alike; a row's
time is the median of its rounds' mean per call, and its ratio the median over the rounds of
its mean over that same round's echo (this machine's speed drifts by half within a minute:
many short rounds, `--rounds 21 --repeat 90`, give steadier ratios than a few long ones).
Rows:

- read-only: `canCreateSession`, against the echo's one call (target <= 1.15x);
- createSession followed by the agent closing it (in process, as the control API does),
  against the echo's one call (target <= 1.5x memory, <= 2x SQLite);
- for scale, the transport's own floor for that flow: the echo answering one call and also
  sending the two event frames the widget gets from it (onSessionSwitched when the session
  opens, onSessionClosed when the agent closes it, with the bridge's payloads), which any
  faithful host must send and the widget's client must read.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import socketio
from aiohttp import web
from aiohttp.test_utils import TestServer

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _environment import print_environment
from cifbridge.settings import Settings
from cifbridge.web.app import create_app
from cifbridge.web.keys import AGENTS

CREATE = {"templateName": "msdyn_chat_session", "customerName": "Ana"}
# What the bridge sends the widget for createSession then the agent's close (cif:event).
FLOW_EVENTS = (
    {
        "name": "onSessionSwitched",
        "data": '{"sessionId":"session-id-1","focused":true,"focussed":true,"context":null}',
    },
    {"name": "onSessionClosed", "data": '{"sessionId":"session-id-1","context":null}'},
)
TARGETS = {("read", "memory"): 1.15, ("read", "sqlite"): 1.15}
TARGETS |= {("create", "memory"): 1.5, ("create", "sqlite"): 2.0}


def echo_app() -> web.Application:
    """Return a bare python-socketio server that acknowledges every `cif` with its payload."""
    sio = socketio.AsyncServer(async_mode="aiohttp")
    app = web.Application()
    sio.attach(app)

    async def cif(sid: str, data: Any) -> Any:
        return {"ok": True, "value": data}

    async def cif_with_events(sid: str, data: Any) -> Any:
        # The acknowledgement goes first, as the bridge's does; the events follow it.
        asyncio.get_running_loop().call_soon(lambda: asyncio.ensure_future(send_events(sid)))
        return {"ok": True, "value": "session-id-1"}

    async def send_events(sid: str) -> None:
        for event in FLOW_EVENTS:
            await sio.emit("cif:event", event, to=sid, namespace="/widget")

    sio.on("cif", cif, namespace="/widget")
    sio.on("cif", cif_with_events, namespace="/events")
    return app


def bridge_app(store: str, folder: Path) -> web.Application:
    """Return a bridge on `store` with the default configuration."""
    if store == "sqlite":
        return create_app(Settings(store="sqlite", state_path=folder / "ratios.sqlite3"))
    if store == "redis":
        key = f"cifbridge:bench:{uuid.uuid4().hex[:8]}"
        return create_app(Settings(store="redis", redis_key=key, reset=True))
    return create_app(Settings(store="memory"))


class Widget:
    """One python-socketio client on /widget, sending calls as the shim does."""

    def __init__(self, namespace: str = "/widget") -> None:
        self.client = socketio.AsyncClient(reconnection=False)
        self.namespace = namespace
        self._numbers = iter(range(10**9))
        self.events = 0
        self.client.on("cif:event", self._count, namespace=namespace)

    def _count(self, data: Any) -> None:
        self.events += 1  # read like the shim reads them (each one decoded by the client)

    async def connect(self, server: TestServer) -> None:
        await self.client.connect(
            str(server.make_url("/")),
            namespaces=[self.namespace],
            transports=["websocket"],
            auth={"href": "http://127.0.0.1/samples/softphone.html"},
        )

    async def cif(self, api: str, *args: Any) -> Any:
        packet = {"api": api, "args": list(args), "requestId": f"b{next(self._numbers)}"}
        return await self.client.call("cif", packet, namespace=self.namespace)


async def mean_us(operation: Callable[[], Awaitable[object]], repeat: int) -> float:
    """Return the mean time of `repeat` awaited calls, in microseconds."""
    started = time.perf_counter()
    for _ in range(repeat):
        await operation()
    return (time.perf_counter() - started) / repeat * 1e6


async def measure(
    servers: dict[str, TestServer], stores: list[str], rounds: int, repeat: int
) -> dict[str, tuple[float, float]]:
    """Measure every row once per round, interleaved; return each row's median in µs and
    the median over the rounds of its ratio to the echo measured in the same round (the
    machine's speed drifts within a run: a ratio within one round compares like with like)."""
    widgets = {name: Widget() for name in servers}
    widgets["floor"] = Widget("/events")
    for name, widget in widgets.items():
        await widget.connect(servers["echo" if name == "floor" else name])

    def create_and_close(store: str) -> Callable[[], Awaitable[None]]:
        hub = servers[store].app[AGENTS].default

        async def run() -> None:
            ack = await widgets[store].cif("createSession", CREATE)
            await hub.agent("closeSession", {"session_id": ack["value"]})

        return run

    rows: dict[str, tuple[Callable[[], Awaitable[object]], int]] = {
        "echo": (lambda: widgets["echo"].cif("canCreateSession"), repeat),
        "floor": (lambda: widgets["floor"].cif("createSession", CREATE), max(1, repeat // 3)),
    }
    for store in stores:
        read = widgets[store]
        rows[f"read {store}"] = (lambda w=read: w.cif("canCreateSession"), repeat)  # type: ignore[misc]
        rows[f"create {store}"] = (create_and_close(store), max(1, repeat // 3))
    for operation, count in rows.values():  # warm up: first connections, caches, the JIT-less
        await mean_us(operation, max(1, count // 10))
    samples: dict[str, list[float]] = {name: [] for name in rows}
    for _ in range(rounds):
        for name, (operation, count) in rows.items():
            samples[name].append(await mean_us(operation, count))
    for widget in widgets.values():
        await widget.client.disconnect()
    echo = samples["echo"]
    return {
        name: (
            statistics.median(values),
            statistics.median(value / base for value, base in zip(values, echo, strict=True)),
        )
        for name, values in samples.items()
    }


def print_rows(rows: dict[str, tuple[float, float]], stores: list[str]) -> None:
    print("One widget over Socket.IO (websocket, loopback), ratio to a bare python-socketio echo")
    print("  (ratio: the median over the rounds of each round's time over that round's echo)")
    print(f"  {'call':<48} {'median':>10} {'ratio':>7} {'target':>8}")
    print(f"  {'baseline: bare python-socketio echo':<48} {rows['echo'][0]:>8.0f}µs {1:>6.2f}x")
    floor, floor_ratio = rows["floor"]
    name = "floor: the echo + the flow's two event frames"
    print(f"  {name:<48} {floor:>8.0f}µs {floor_ratio:>6.2f}x")
    for store in stores:
        for kind, title in (("read", "canCreateSession (read-only)"),
                            ("create", "createSession + agent close")):  # fmt: skip
            value, ratio = rows[f"{kind} {store}"]
            target = TARGETS.get((kind, store))
            wanted = f"<= {target}x" if target else ""
            name = f"{title} ({store})"
            print(f"  {name:<48} {value:>8.0f}µs {ratio:>6.2f}x {wanted:>8}")


async def main(stores: list[str], rounds: int, repeat: int) -> None:
    """Start the servers side by side, measure, print."""
    print_environment()
    with tempfile.TemporaryDirectory() as tmp:
        apps = {"echo": echo_app()} | {store: bridge_app(store, Path(tmp)) for store in stores}
        servers = {name: TestServer(app, host="127.0.0.1") for name, app in apps.items()}
        for server in servers.values():
            await server.start_server()
        try:
            rows = await measure(servers, stores, rounds, repeat)
        finally:
            for server in servers.values():
                await server.close()
    print(f"rounds {rounds}, {repeat} calls per round ({max(1, repeat // 3)} create + close)")
    print_rows(rows, stores)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--store", action="append", choices=["memory", "sqlite", "redis"],
        help="a store to measure (repeatable); memory and sqlite when left out",
    )  # fmt: skip
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--repeat", type=int, default=300, help="calls per row and round")
    options = parser.parse_args()
    asyncio.run(main(options.store or ["memory", "sqlite"], options.rounds, options.repeat))
