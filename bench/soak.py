"""A long soak: widgets keep calling a bridge process; its memory must stay flat.

    python bench/soak.py                       # 20 widgets for 300 s, SQLite store
    python bench/soak.py --seconds 3600 --widgets 50

Each widget loops over a mix that touches every per-call memory: createSession (the agent
closes it at once over the control API), logAnalyticsEvent, setClickToAct, raiseEvent and
reads, each with a fresh requestId (so the answers kept for retries turn over), and
reconnects every 200 calls (so connections come and go). Prints the bridge's RSS over time,
the ratio of the last sample to the one taken once the run warmed up (10% in), and the size
of the workspace view at both points.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import aiohttp

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _processes import MemorySampler
from cifbridge.clients import BridgeProcess
from cifbridge.clients.load import LoadWidget

CHAT = {"templateName": "msdyn_chat_session"}
RECONNECT_EVERY = 200


class Soak:
    """Counts what the widgets saw while they run until the deadline."""

    def __init__(self, url: str, deadline: float) -> None:
        self.url = url
        self.deadline = deadline
        self.answered = 0
        self.errors: list[str] = []

    async def widget(self, index: int, http: aiohttp.ClientSession) -> None:
        number = 0
        while time.monotonic() < self.deadline:
            widget = LoadWidget(self.url)
            await widget.connect()
            for _ in range(RECONNECT_EVERY // 5):
                if time.monotonic() >= self.deadline:
                    break
                await self.round(widget, index, number, http)
                number += 1
            await widget.close()

    async def round(
        self, widget: LoadWidget, index: int, number: int, http: aiohttp.ClientSession
    ) -> None:
        data = {"conversationId": f"c-{index}", "providerSessionId": f"p-{number}"}
        calls: list[tuple[str, list[Any]]] = [
            ("createSession", [CHAT]),
            ("logAnalyticsEvent", [data, "soak"]),
            ("setClickToAct", [number % 2 == 0]),
            ("raiseEvent", [f"soak-{index}", {"n": number}]),
            ("getFocusedSession", []),
        ]
        for api, args in calls:
            ack = await widget.call(api, args)
            self.answered += 1
            if not ack.get("ok"):
                self.errors.append(f"{api}: {ack}")
            elif api == "createSession":
                async with http.delete(f"{self.url}/api/sessions/{ack['value']}") as answer:
                    if answer.status != 200:
                        self.errors.append(f"closeSession: {answer.status}")


async def view_size(http: aiohttp.ClientSession, url: str) -> int:
    async with http.get(f"{url}/api/workspace") as answer:
        return len(json.dumps(await answer.json()))


async def main(seconds: float, widgets: int, every: float) -> int:
    """Soak one bridge and print its memory over time."""
    with tempfile.TemporaryDirectory() as tmp:
        args = ["--store", "sqlite", "--state", str(Path(tmp) / "soak.sqlite3")]
        # Every widget holds one session for a moment: more than the real limit of 10.
        config = {"limits": {"maxSessions": max(10, 2 * widgets)}}
        with BridgeProcess(Path(tmp), config=config, args=args) as bridge:
            assert bridge.process is not None
            soak = Soak(bridge.client.url, time.monotonic() + seconds)
            async with aiohttp.ClientSession() as http:
                async with MemorySampler(bridge.process.pid, every) as memory:
                    warm = asyncio.create_task(asyncio.sleep(seconds / 10))
                    runs = asyncio.gather(*(soak.widget(i, http) for i in range(widgets)))
                    await warm
                    warm_rss, warm_view = memory.samples[-1][1], await view_size(http, soak.url)
                    await runs
                end_view = await view_size(http, soak.url)
    last_rss = memory.samples[-1][1]
    print(f"soak: {widgets} widgets for {seconds:.0f} s, {soak.answered} calls answered,"
          f" {len(soak.errors)} errors")  # fmt: skip
    print(f"  bridge RSS: {memory.timeline(12)}")
    print(f"  RSS at the end / after warm-up: {last_rss:.0f} / {warm_rss:.0f} MB"
          f" = {last_rss / warm_rss:.2f}x")  # fmt: skip
    print(f"  workspace view: {warm_view} bytes after warm-up, {end_view} at the end")
    for error in soak.errors[:5]:
        print(f"  error: {error}")
    return 1 if soak.errors else 0


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=300.0)
    parser.add_argument("--widgets", type=int, default=20)
    parser.add_argument("--every", type=float, default=10.0, help="seconds between samples")
    options = parser.parse_args()
    sys.exit(asyncio.run(main(options.seconds, options.widgets, options.every)))
