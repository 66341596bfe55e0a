"""A short, bounded run of bench/load.py: many concurrent widgets, every call answered.

The full run (1,000 widgets x 100 calls) is `bench/load.py`; this one keeps the same shape
small enough for the suite: 50 widgets making 20 calls each against a bridge process with
the default SQLite store, reads and changes mixed.
"""

from __future__ import annotations

from pathlib import Path

from cifbridge.clients import BridgeProcess
from cifbridge.clients.load import run_load

WIDGETS, CALLS = 50, 20


async def test_fifty_concurrent_widgets_get_every_answer_without_errors(tmp_path: Path) -> None:
    state = ["--store", "sqlite", "--state", str(tmp_path / "ws.sqlite3")]
    with BridgeProcess(tmp_path, args=state) as bridge:
        report = await run_load(bridge.client.url, WIDGETS, CALLS)
        analytics = bridge.client.workspace()["analytics"]
    assert (report.widgets, report.sent, report.answered) == (50, 1000, 1000)
    assert (report.errors, report.unanswered, report.error_samples) == (0, 0, [])
    # One call in eight logged an analytics event: each was applied once.
    logged = sorted(a["data"]["providerSessionId"] for a in analytics)
    assert logged == sorted(f"p-{w}-{n}" for w in range(WIDGETS) for n in range(0, CALLS, 8))
