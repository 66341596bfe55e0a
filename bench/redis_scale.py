"""Bridges on one Redis, beside a bare echo: does a second process add throughput?

    python bench/redis_scale.py                  # 20 clients on 20 agents, 100 cycles each
    python bench/redis_scale.py --clients 10 --cycles 50

Every server runs as a process of its own; the same client process drives them one after the
other (cifbridge.clients.load.LoadWidget: one websocket per client, each awaiting each answer).
A cycle is two changes: createSession from the widget, then the agent's close over the
control API (DELETE /agents/<agent>/api/sessions/<id>). The baseline is a bare
python-socketio echo that also answers that DELETE, so both sides do the same I/O.

Prints:
- 20 clients on 20 agents (one agent each): changes per second on the echo, on one bridge
  process, and on two bridge processes sharing one Redis key (half the clients on each port),
  with each process's CPU during each run (the servers, Redis when it runs here, and this
  client process): two processes can add throughput only while the machine has cores to
  spare beyond one bridge, Redis and the clients;
- one client alone, calls in sequence: a read (canCreateSession) and createSession + agent
  close, each against the echo doing the same (medians of 5 rounds).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import aiohttp
import redis

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _processes import cpu_seconds
from cifbridge.clients import BridgeProcess
from cifbridge.clients.load import LoadWidget, load_session

REDIS_URL = "redis://127.0.0.1:6379/0"
BRIDGE_PIDS: list[int] = []  # the processes `bridges` started last
ECHO_PIDS: list[int] = []
CREATE = {"templateName": "msdyn_chat_session", "customerName": "Ana"}

ECHO_SERVER = """
import asyncio, socketio
from aiohttp import web

sio = socketio.AsyncServer(async_mode="aiohttp")
app = web.Application()
sio.attach(app)

async def cif(sid, data):
    return {"ok": True, "value": "session-id-1"}

async def close(request):
    return web.json_response({"sessions": []})

sio.on("cif", cif, namespace="/widget")
app.router.add_delete("/agents/{agent}/api/sessions/{session_id}", close)

async def main():
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    print(f"http://127.0.0.1:{site._server.sockets[0].getsockname()[1]}", flush=True)
    await asyncio.Event().wait()

asyncio.run(main())
"""


@contextlib.contextmanager
def echo_server() -> Iterator[str]:
    """Run the bare echo (Socket.IO `cif` and the close route) in a process of its own."""
    process = subprocess.Popen(
        [sys.executable, "-c", ECHO_SERVER], stdout=subprocess.PIPE, text=True
    )
    ECHO_PIDS[:] = [process.pid]
    try:
        assert process.stdout is not None
        yield process.stdout.readline().strip()
    finally:
        process.terminate()
        process.wait(timeout=30)


def redis_pid() -> int | None:
    """Return the Redis server's process id when it runs on this machine, else None."""
    connection = redis.Redis.from_url(REDIS_URL)
    try:
        pid = int(connection.info("server")["process_id"])
    finally:
        connection.close()
    return pid if Path(f"/proc/{pid}/stat").exists() else None


@dataclass
class Shares:
    """Each process's CPU during one run, in percent of one core."""

    parts: dict[str, float]

    def line(self) -> str:
        total = sum(self.parts.values())
        named = ", ".join(f"{name} {share:.0f}%" for name, share in self.parts.items())
        cores = os.cpu_count() or 1
        return f"CPU (% of one core): {named}; in all {total:.0f}% of {cores * 100}%"


async def measured(run: Awaitable[float], processes: dict[str, int]) -> tuple[float, Shares]:
    """Await `run` (a throughput); return it with each process's CPU share meanwhile."""
    pids = {name: pid for name, pid in processes.items() if pid}
    before = {name: cpu_seconds(pid) for name, pid in pids.items()}
    started = time.perf_counter()
    rate = await run
    seconds = time.perf_counter() - started
    shares = {name: (cpu_seconds(pid) - before[name]) / seconds * 100 for name, pid in pids.items()}
    return rate, Shares(shares)


@contextlib.contextmanager
def bridges(count: int, workdir: Path) -> Iterator[list[str]]:
    """Run `count` bridge processes on one fresh Redis key; yield their URLs."""
    key = f"cifbridge:bench:{uuid.uuid4().hex}"
    shared = ["--store", "redis", "--redis-key", key]
    started: list[BridgeProcess] = []
    try:
        for number in range(count):
            flags = [*shared, "--reset"] if number == 0 else shared
            process = BridgeProcess(workdir / f"bridge{number}", args=flags)
            process.start()
            started.append(process)
        BRIDGE_PIDS[:] = [p.process.pid for p in started if p.process is not None]
        yield [p.client.url for p in started]
    finally:
        for process in started:
            process.stop()
        connection = redis.Redis.from_url(REDIS_URL)
        stale = list(connection.scan_iter(match=f"{key}*", count=1000))
        if stale:
            connection.delete(*stale)
        connection.close()


@dataclass
class Client:
    """One widget and the agent's HTTP session, both for one agent on one server."""

    url: str
    agent: str
    widget: LoadWidget
    http: aiohttp.ClientSession

    async def cycle(self) -> None:
        """createSession, then the agent closes it: two changes."""
        ack = await self.widget.call("createSession", [CREATE])
        if not ack.get("ok"):
            raise RuntimeError(f"createSession failed: {ack}")
        path = f"{self.url}/agents/{self.agent}/api/sessions/{ack['value']}"
        async with self.http.delete(path) as response:
            if response.status != 200:
                raise RuntimeError(f"close failed: {response.status} {await response.text()}")

    async def read(self) -> None:
        """One read-only call."""
        ack = await self.widget.call("canCreateSession", [])
        if not ack.get("ok"):
            raise RuntimeError(f"canCreateSession failed: {ack}")


async def connected(urls: list[str], clients: int, http: aiohttp.ClientSession) -> list[Client]:
    """Connect `clients` widgets, agent `agent-<n>` each, spread over the servers' URLs."""
    made = []
    for number in range(clients):
        url, agent = urls[number % len(urls)], f"agent-{number}"
        widget = LoadWidget(url, timeout=60.0, http=http, agent=agent)
        await widget.connect()
        made.append(Client(url, agent, widget, http))
    return made


async def throughput(urls: list[str], clients: int, cycles: int) -> float:
    """Return the changes per second of `clients` clients doing `cycles` cycles each."""
    async with load_session() as http:
        connected_clients = await connected(urls, clients, http)
        for client in connected_clients:
            await client.cycle()  # every agent started, every script loaded
        started = time.perf_counter()
        await asyncio.gather(*(_cycles(c, cycles) for c in connected_clients))
        seconds = time.perf_counter() - started
        await asyncio.gather(*(c.widget.close() for c in connected_clients))
    return 2 * clients * cycles / seconds


async def _cycles(client: Client, cycles: int) -> None:
    for _ in range(cycles):
        await client.cycle()


async def median_us(
    operation: Callable[[], Awaitable[None]], repeat: int, rounds: int = 5
) -> float:
    """Return the median over `rounds` of the mean time of `repeat` operations, in µs."""
    samples = []
    for _ in range(rounds):
        started = time.perf_counter()
        for _ in range(repeat):
            await operation()
        samples.append((time.perf_counter() - started) / repeat * 1e6)
    return statistics.median(samples)


async def alone(url: str) -> tuple[float, float]:
    """Return one client's read and createSession + close times, in µs."""
    async with load_session() as http:
        (client,) = await connected([url], 1, http)
        await client.cycle()
        read = await median_us(client.read, repeat=200)
        change = await median_us(client.cycle, repeat=50)
        await client.widget.close()
    return read, change


async def main(clients: int, cycles: int) -> None:
    others = {"Redis": redis_pid() or 0, "clients": os.getpid()}
    with tempfile.TemporaryDirectory() as tmp:
        with echo_server() as url:
            echo_rate, echo_cpu = await measured(
                throughput([url], clients, cycles), {"echo": ECHO_PIDS[0], **others}
            )
            echo_read, echo_change = await alone(url)
        with bridges(1, Path(tmp) / "one") as urls:
            one_rate, one_cpu = await measured(
                throughput(urls, clients, cycles), {"bridge": BRIDGE_PIDS[0], **others}
            )
            read, change = await alone(urls[0])
        with bridges(2, Path(tmp) / "two") as urls:
            named = {f"bridge {n + 1}": pid for n, pid in enumerate(BRIDGE_PIDS)}
            two_rate, two_cpu = await measured(
                throughput(urls, clients, cycles), {**named, **others}
            )

    print(f"{clients} clients on {clients} agents, {cycles} cycles each (createSession + close)")
    print(f"  {'server':<44} {'changes/s':>10} {'ratio':>8}")
    print(f"  {'baseline: bare echo':<44} {echo_rate:>10.0f} {1.0:>7.2f}x")
    print(f"  {'cifbridge, 1 process, Redis':<44} {one_rate:>10.0f} {one_rate / echo_rate:>7.2f}x")
    print(
        f"  {'cifbridge, 2 processes, one Redis':<44} {two_rate:>10.0f}"
        f" {two_rate / echo_rate:>7.2f}x  ({two_rate / one_rate:.2f}x one process)"
    )
    print("  during those runs (a second process can add only what the machine has left):")
    for name, shares in (("echo", echo_cpu), ("1 process", one_cpu), ("2 processes", two_cpu)):
        print(f"    {name:<12} {shares.line()}")
    print("one client, calls in sequence (median µs)")
    print(f"  {'baseline: bare echo, one call':<44} {echo_read:>10.0f} {1.0:>7.2f}x")
    print(f"  {'canCreateSession (Redis, no lock)':<44} {read:>10.0f} {read / echo_read:>7.2f}x")
    print(f"  {'baseline: echo, call + DELETE':<44} {echo_change:>10.0f} {1.0:>7.2f}x")
    print(
        f"  {'createSession + agent close (Redis)':<44} {change:>10.0f}"
        f" {change / echo_change:>7.2f}x  ({change / echo_read:.2f}x one echo call)"
    )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--cycles", type=int, default=100)
    options = parser.parse_args()
    asyncio.run(main(options.clients, options.cycles))
