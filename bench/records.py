"""Many records: $filter search and a mutating call against a bare Socket.IO echo, and start-up.

    .venv/bin/python bench/records.py                  # 100, 10,000 and 50,000 records
    .venv/bin/python bench/records.py --counts 100 50000 --skip-startup

Each configuration holds `count` generated contacts (`write_config`, JSON: a YAML file of
50,000 records is past the YAML reader's bound of 200,000 values, files/documents.py). The
search rows are in-process servers on one loop, side by side with the echo, as roundtrip.py
does; the start-up rows run `cifbridge serve` as a child process (clients/processes.py) with
the SQLite store, first on a new state file, then again on the one it left.
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

from aiohttp.test_utils import TestServer

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _timing import median_us_async, report
from cifbridge.clients.processes import BridgeProcess
from cifbridge.settings import Settings
from cifbridge.web.app import create_app
from roundtrip import CLOSE, CREATE, close_through_hub, connect, echo_app

CITIES = ("Redmond", "Seattle", "London", "Berlin", "Dublin")
INDEXED = "?$select=fullname&$filter=emailaddress1 eq 'user{n}@example.com'"
UNINDEXED = "?$select=fullname&$filter=contains(emailaddress1,'user{n}@')"


def contact_id(index: int) -> str:
    """Return the id of generated contact `index`."""
    return f"00000000-0000-4000-8000-{index:012d}"


def write_config(path: Path, count: int) -> Path:
    """Write a configuration adding `count` contacts to the bundled records."""
    rows = [
        {
            "contactid": contact_id(i),
            "firstname": f"First{i}",
            "lastname": f"Last{i % 997}",
            "emailaddress1": f"user{i}@example.com",
            "address1_city": CITIES[i % len(CITIES)],
            "statecode": i % 2,
        }
        for i in range(count)
    ]
    path.write_text(json.dumps({"records": {"contact": rows}}), encoding="utf-8")
    return path


async def search_rows(counts: list[int], tmp: Path) -> dict[str, float]:
    """Time searchAndOpenRecords and createSession at each size against the echo."""
    apps: dict[str, Any] = {"echo": echo_app()}
    for count in counts:
        config = write_config(tmp / f"records-{count}.json", count)
        for store in ("memory", "sqlite"):
            state = tmp / f"search-{count}.sqlite3"
            settings = Settings(store=store, state_path=state, config_path=config, reset=True)
            apps[f"{store}-{count}"] = create_app(settings)
            apps[f"{store}-{count}"][CLOSE] = close_through_hub(apps[f"{store}-{count}"])
    servers = {name: TestServer(app, host="127.0.0.1") for name, app in apps.items()}
    for server in servers.values():
        await server.start_server()
    clients = {name: await connect(server) for name, server in servers.items()}
    seq = iter(range(10**9))

    def cif(name: str, api: str, *args: Any) -> Any:
        packet = {"api": api, "args": list(args), "requestId": f"r{next(seq)}"}
        return clients[name].call("cif", packet, namespace="/widget", timeout=120)

    async def search(name: str, query: str, count: int) -> None:
        ack = await cif(name, "searchAndOpenRecords", "contact", query.format(n=count // 2), True)
        assert ack["ok"] and len(ack["value"]) == 1, ack

    async def create_and_close(name: str) -> None:
        ack = await cif(name, "createSession", CREATE)
        await servers[name].app[CLOSE](ack["value"])

    rows = {"baseline: bare Socket.IO echo": await median_us_async(lambda: cif("echo", "x"))}
    try:
        for count in counts:
            for store in ("memory", "sqlite"):
                name = f"{store}-{count}"
                await search(name, INDEXED, count)  # the first query builds the index
                rows[f"indexed $filter, {count:,} ({store})"] = await median_us_async(
                    lambda n=name, c=count: search(n, INDEXED, c), repeat=100
                )
            rows[f"createSession + close, {count:,} (sqlite)"] = await median_us_async(
                lambda n=f"sqlite-{count}": create_and_close(n), repeat=50
            )
            if count <= 10_000:  # a scan of 50,000 rows takes seconds a call
                rows[f"scanned $filter (contains), {count:,}"] = await median_us_async(
                    lambda n=f"memory-{count}", c=count: search(n, UNINDEXED, c),
                    repeat=5,
                    rounds=3,
                )
    finally:
        for client in clients.values():
            await client.disconnect()
        for server in servers.values():
            await server.close()
    return rows


def startup_seconds(config: Path, workdir: Path, store: str, state: Path | None = None) -> float:
    """Return the seconds from spawning `cifbridge serve` to its ready file."""
    args = ["--store", store, *(["--state", str(state)] if state else [])]
    started = time.perf_counter()
    with BridgeProcess(workdir, config=config, args=args):
        return time.perf_counter() - started


def startup_rows(counts: list[int], tmp: Path) -> dict[str, float]:
    """Time the memory store's start (the configuration alone), then SQLite's first start
    (a new state file, seeded) and a restart on it, per size."""
    rows = {}
    for count in counts:
        config = write_config(tmp / f"startup-{count}.json", count)
        state = tmp / f"startup-{count}.sqlite3"
        rows[f"memory store, {count:,} records"] = startup_seconds(config, tmp / "p", "memory")
        rows[f"sqlite first start, {count:,} records"] = startup_seconds(
            config, tmp / "p", "sqlite", state
        )
        rows[f"sqlite restart, {count:,} records stored"] = startup_seconds(
            config, tmp / "p", "sqlite", state
        )
    return rows


def main() -> None:
    """Parse the sizes, run, print."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--counts", type=int, nargs="+", default=[100, 10_000, 50_000])
    parser.add_argument("--skip-startup", action="store_true")
    parser.add_argument("--skip-search", action="store_true")
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as name:
        tmp = Path(name)
        if not options.skip_search:
            rows = asyncio.run(search_rows(options.counts, tmp))
            report(
                "One widget call over Socket.IO with many records",
                "baseline: bare Socket.IO echo",
                rows,
            )
        if not options.skip_startup:
            started = startup_rows(options.counts, tmp)
            smallest = next(iter(started.values()))
            print("Start-up of `cifbridge serve --store sqlite` (spawn to ready file)")
            for label, seconds in started.items():
                print(f"  {label:<44} {seconds:8.2f} s  {seconds / smallest:8.2f}x")


if __name__ == "__main__":
    main()
