"""Many concurrent widgets against a bridge process, beside the same load on a bare echo.

    python bench/load.py                       # 1,000 widgets x 100 calls, SQLite store
    python bench/load.py --widgets 200 --calls 50 --store memory

Both servers run as processes of their own, driven one after the other by the same widgets
(cifbridge.clients.load: one Socket.IO connection each, calls in sequence per widget, all
widgets at once; three reads for each change). Prints, for each: widgets, calls answered,
errors, calls never answered, p50 and p99 latency, throughput, the server's memory over the
run, and the bridge's ratios to the echo.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _processes import MemorySampler, echo_server
from cifbridge.clients import BridgeProcess
from cifbridge.clients.load import LoadReport, connect_all, drive, load_session


async def measure(url: str, pid: int, widgets: int, calls: int) -> tuple[LoadReport, str]:
    """Connect, drive and disconnect the widgets while sampling the server's memory."""
    async with MemorySampler(pid) as memory, load_session() as http:
        connected = await connect_all(url, widgets, http)
        report = await drive(connected, calls)
        await asyncio.gather(*(w.close() for w in connected), return_exceptions=True)
    return report, memory.timeline()


def line(name: str, report: LoadReport) -> str:
    rate = report.answered / report.seconds if report.seconds else 0.0
    return (
        f"  {name:<22} {report.widgets:>7} {report.answered:>8} {report.errors:>6}"
        f" {report.unanswered:>10} {report.percentile(50):>8.1f} {report.percentile(99):>8.1f}"
        f" {rate:>9.0f}"
    )


async def main(widgets: int, calls: int, store: str) -> int:
    """Run the baseline, then the bridge; print both and the ratios."""
    rows: dict[str, tuple[LoadReport, str]] = {}
    with echo_server() as (url, pid):
        rows["baseline: bare echo"] = await measure(url, pid, widgets, calls)
    with tempfile.TemporaryDirectory() as tmp:
        args = ["--store", store, "--state", str(Path(tmp) / "load.sqlite3"), "--reset"]
        with BridgeProcess(Path(tmp), args=args) as bridge:
            assert bridge.process is not None
            rows[f"cifbridge ({store})"] = await measure(
                bridge.client.url, bridge.process.pid, widgets, calls
            )
    print(f"{widgets} concurrent widgets x {calls} calls (websocket, loopback)")
    print(f"  {'server':<22} {'widgets':>7} {'answered':>8} {'errors':>6} {'unanswered':>10}"
          f" {'p50 ms':>8} {'p99 ms':>8} {'calls/s':>9}")  # fmt: skip
    for name, (report, _) in rows.items():
        print(line(name, report))
    (base, _), (bridge_report, _) = rows.values()
    print(
        f"  ratios to the echo: p50 {bridge_report.percentile(50) / base.percentile(50):.2f}x,"
        f" p99 {bridge_report.percentile(99) / base.percentile(99):.2f}x,"
        f" throughput {base.seconds / bridge_report.seconds:.2f}x the echo's"
    )
    print("server memory (RSS) over the run:")
    for name, (_, timeline) in rows.items():
        print(f"  {name}: {timeline}")
    for sample in bridge_report.error_samples:
        print(f"  error: {sample}")
    return 1 if bridge_report.errors or bridge_report.unanswered else 0


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--widgets", type=int, default=1000)
    parser.add_argument("--calls", type=int, default=100)
    parser.add_argument("--store", choices=["memory", "sqlite", "redis"], default="sqlite")
    options = parser.parse_args()
    sys.exit(asyncio.run(main(options.widgets, options.calls, options.store)))
