"""Server processes for the load and soak runs, and their memory as the kernel reports it."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

ECHO_SERVER = """
import sys, socketio
from aiohttp import web

sio = socketio.AsyncServer(async_mode="aiohttp")
app = web.Application()
sio.attach(app)

async def cif(sid, data):
    return {"ok": True, "value": data}

sio.on("cif", cif, namespace="/widget")

async def main():
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]
    print(f"http://127.0.0.1:{port}", flush=True)
    await __import__("asyncio").Event().wait()

__import__("asyncio").run(main())
"""


@contextmanager
def echo_server() -> Iterator[tuple[str, int]]:
    """Run a bare python-socketio server acknowledging every `cif`: the baseline."""
    process = subprocess.Popen(
        [sys.executable, "-c", ECHO_SERVER], stdout=subprocess.PIPE, text=True
    )
    try:
        assert process.stdout is not None
        url = process.stdout.readline().strip()
        yield url, process.pid
    finally:
        process.terminate()
        process.wait(timeout=30)


def cpu_seconds(pid: int) -> float:
    """Return the CPU time a process has used so far (user + system), from /proc."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def rss_mb(pid: int) -> float:
    """Return a process's resident memory in MB (Linux /proc; 0 elsewhere)."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


class MemorySampler:
    """Samples a process's RSS every `every` seconds while a run goes on."""

    def __init__(self, pid: int, every: float = 1.0) -> None:
        self.pid = pid
        self.every = every
        self.samples: list[tuple[float, float]] = []
        self._task: asyncio.Task[Any] | None = None
        self._started = 0.0

    async def __aenter__(self) -> MemorySampler:
        self._started = time.perf_counter()
        self._task = asyncio.create_task(self._sample())
        return self

    async def __aexit__(self, *exc: object) -> None:
        assert self._task is not None
        self._task.cancel()
        self.samples.append((time.perf_counter() - self._started, rss_mb(self.pid)))

    async def _sample(self) -> None:
        while True:
            self.samples.append((time.perf_counter() - self._started, rss_mb(self.pid)))
            await asyncio.sleep(self.every)

    def timeline(self, points: int = 8) -> str:
        """Return about `points` samples as `t=..s ..MB`, evenly spread over the run."""
        step = max(1, len(self.samples) // points)
        shown = self.samples[::step]
        if self.samples and shown[-1] != self.samples[-1]:
            shown.append(self.samples[-1])
        return ", ".join(f"t={t:.0f}s {mb:.0f}MB" for t, mb in shown)
