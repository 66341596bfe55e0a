"""20 widgets on 20 agents doing mutating calls, against a bare echo's throughput (issue 12).

    python bench/agents.py                          # memory and SQLite, 20 x 500 calls
    python bench/agents.py --store sqlite --calls 200 --agents 10

Each widget works in its own agent's workspace (`auth.agent`, as the shim sends it), so the
calls of different widgets never wait for one another's workspace; every call changes the
workspace and is saved before its answer (setClickToAct, logAnalyticsEvent, and setMode,
which also sends onModeChanged to the widget). The echo (a bare python-socketio server on
aiohttp) and each bridge (`cifbridge serve`, one process) run as processes of their own,
one after the other, driven by the same widgets (cifbridge.clients.load, one websocket
each, calls in sequence per widget, all widgets at once); the whole sequence is repeated
`--rounds` times and each server's best round is kept. Target: >= 0.5x the echo's calls/s.
Printed beside each: the server process's own CPU per call over its best round (user + system
time from /proc), steadier than the throughput on a machine whose speed drifts, and the
clearest view of what the bridge adds per call.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _environment import print_environment
from _processes import cpu_seconds, echo_server
from cifbridge.clients import BridgeProcess
from cifbridge.clients.load import Call, LoadReport, LoadWidget, drive, load_session

TARGET = 0.5


def mutating(widget: int, number: int) -> Call:
    """Return a widget's n-th call: each one changes its agent's workspace."""
    kind = number % 3
    if kind == 0:
        return "setClickToAct", [number % 2 == 0]
    if kind == 1:
        data = {"conversationId": f"c-{widget}", "providerSessionId": f"p-{widget}-{number}"}
        return "logAnalyticsEvent", [data, "bench"]
    return "setMode", [number % 2]


async def run(url: str, agents: int, calls: int, pid: int) -> tuple[LoadReport, float]:
    """Connect one widget per agent, drive them all at once, disconnect; return the report and
    the server's CPU per answered call, in µs."""
    async with load_session() as http:
        widgets = []
        for index in range(agents):
            widget = LoadWidget(url, timeout=60.0, http=http)
            widget.auth["agent"] = f"bench-{index}"
            await widget.connect()
            widgets.append(widget)
        await drive(widgets, 5, mutating)  # warm up: every agent started, caches filled
        before = cpu_seconds(pid)
        report = await drive(widgets, calls, mutating)
        used = cpu_seconds(pid) - before
        await asyncio.gather(*(w.close() for w in widgets), return_exceptions=True)
    return report, used / max(1, report.answered) * 1e6


async def main(stores: list[str], agents: int, calls: int, rounds: int) -> int:
    """Measure the echo and each store `rounds` times, interleaved; print the best rounds."""
    print_environment()
    best: dict[str, tuple[LoadReport, float]] = {}
    failed = False

    def keep(name: str, measured: tuple[LoadReport, float]) -> None:
        nonlocal failed
        report = measured[0]
        failed = failed or bool(report.errors or report.unanswered)
        if name not in best or report.seconds < best[name][0].seconds:
            best[name] = measured

    for _ in range(rounds):
        with echo_server() as (url, pid):
            keep("baseline: bare echo", await run(url, agents, calls, pid))
        for store in stores:
            with tempfile.TemporaryDirectory() as tmp:
                args = ["--store", store, "--state", str(Path(tmp) / "a.sqlite3"), "--reset"]
                args += ["--log-level", "warning"]
                with BridgeProcess(Path(tmp), args=args) as bridge:
                    assert bridge.process is not None
                    measured = await run(bridge.client.url, agents, calls, bridge.process.pid)
                    keep(f"cifbridge ({store})", measured)
    echo = best["baseline: bare echo"][0]
    echo_rate = echo.answered / echo.seconds
    print(f"{agents} widgets on {agents} agents x {calls} mutating calls, best of {rounds} rounds")
    print(f"  {'server':<24} {'answered':>8} {'errors':>6} {'p50 ms':>7} {'p99 ms':>7}"
          f" {'calls/s':>8} {'ratio':>6} {'server CPU µs/call':>19}")  # fmt: skip
    for name, (report, cpu_us) in best.items():
        rate = report.answered / report.seconds
        print(
            f"  {name:<24} {report.answered:>8} {report.errors + report.unanswered:>6}"
            f" {report.percentile(50):>7.2f} {report.percentile(99):>7.2f}"
            f" {rate:>8.0f} {rate / echo_rate:>5.2f}x {cpu_us:>19.0f}"
        )
        for sample in report.error_samples:
            print(f"    error: {sample}")
    print(f"  target: >= {TARGET}x the echo's calls/s")
    return 1 if failed else 0


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--store", action="append", choices=["memory", "sqlite", "redis"])
    parser.add_argument("--agents", type=int, default=20)
    parser.add_argument("--calls", type=int, default=500, help="calls per widget")
    parser.add_argument("--rounds", type=int, default=3)
    options = parser.parse_args()
    stores = options.store or ["memory", "sqlite"]
    sys.exit(asyncio.run(main(stores, options.agents, options.calls, options.rounds)))
