"""What one SQLite save costs: the whole workspace text against its parts (answers as rows).

    python bench/sqlite_save.py                    # a busy agent: 256 answers, 200 events
    python bench/sqlite_save.py --saves 5000 --answers 0

Two SqliteStores in this process, each on a file of its own, get the same saves interleaved:
each step keeps one more answer for retries (the oldest beyond 256 forgotten, as the
engine does) and, every other step, one more analytics event, then both save. "whole text"
saves the workspace's text as one row (what the store did before the rows, and still does
for a text given whole); "parts" saves the rest of the workspace as the row and the answers
and events that changed as rows. Printed: the median and mean of a save (commits and WAL
checkpoints included), and the bytes written per save: the write-ahead log's pages and what
the checkpoints copy back (each checkpoint fsyncs both files).

    python bench/sqlite_save.py --agents 20        # 20 busy agents, 4 saves per commit

With `--agents`, that many busy agents' engines take turns, four at a time saved in one turn of
the event loop (one transaction, as concurrent calls of different agents are), as parts only;
printed: the snapshot (`snapshot_parts`) and the save, each per agent's change. Many agents'
answers and events do not fit the processor's caches, so copies that touch every one of them
cost several times what they cost for one agent.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _environment import print_environment
from cifbridge.engine import Engine
from cifbridge.engine.base.context import DEFAULT_AGENT
from cifbridge.engine.config.workspace import config_from_dict
from cifbridge.files.config import default_config_data
from cifbridge.store.sqlite import SqliteStore


def busy_engine(answers: int, events: int) -> Engine:
    """Return an engine whose workspace keeps `answers` answers and `events` events."""
    engine = Engine(config_from_dict(default_config_data()), clock=time.time)
    for number in range(answers):
        engine.remember("softphone", "setMode", f"warm-{number}", {"ok": True, "value": None})
    for number in range(events):
        step(engine, number, answer=False)
    return engine


def step(engine: Engine, number: int, *, answer: bool = True) -> None:
    """Make one change as a widget's call would: an answer kept, sometimes an event."""
    if answer:
        engine.remember("softphone", "setMode", f"call-{number}", {"ok": True, "value": number})
    if not answer or number % 2:
        events = engine.workspace.analytics
        data = {"conversationId": "c-1", "providerSessionId": f"p-{number}"}
        events.append({"api": "logAnalyticsEvent", "eventName": "bench", "data": data})
        del events[:-200]
    engine.workspace.revision += 1


async def run(saves: int, answers: int) -> None:
    engine = busy_engine(answers, 200 if answers else 0)
    with tempfile.TemporaryDirectory() as folder:
        stores = {
            "whole text": SqliteStore(Path(folder) / "whole.sqlite3"),
            "parts": SqliteStore(Path(folder) / "parts.sqlite3"),
        }
        times: dict[str, list[float]] = {name: [] for name in stores}
        written: dict[str, int] = dict.fromkeys(stores, 0)
        for number in range(saves):
            step(engine, number)
            parts = engine.snapshot_parts()
            for name, store in stores.items():
                state = parts.text if name == "whole text" else parts
                before = _bytes_written()
                started = time.perf_counter()
                await store.save(DEFAULT_AGENT, state, engine.revision)
                times[name].append(time.perf_counter() - started)
                written[name] += _bytes_written() - before
        print(f"{saves} saves, {len(engine.workspace.recent_requests)} answers kept,"
              f" {len(engine.workspace.analytics)} events; whole text {len(parts.text):,} B,"
              f" the rest {len(parts.rest):,} B")  # fmt: skip
        print("  save as            median µs    mean µs   bytes written per save")
        for name in stores:
            median = statistics.median(times[name]) * 1e6
            mean = statistics.fmean(times[name]) * 1e6
            print(f"  {name:<16} {median:>11.0f} {mean:>10.0f} {written[name] / saves:>16,.0f}")
        for store in stores.values():
            await store.close()


async def run_agents(saves: int, agents: int) -> None:
    engines = [busy_engine(256, 200) for _ in range(agents)]
    with tempfile.TemporaryDirectory() as folder:
        store = SqliteStore(Path(folder) / "agents.sqlite3")
        for number, engine in enumerate(engines):  # each agent's rows read once, then kept
            await store.save(f"agent-{number}", engine.snapshot_parts(), engine.revision)
        snapshots: list[float] = []
        started = time.perf_counter()

        async def change(number: int, step_number: int) -> None:
            engine = engines[number]
            step(engine, step_number)
            begun = time.perf_counter()
            parts = engine.snapshot_parts()
            snapshots.append(time.perf_counter() - begun)
            await store.save(f"agent-{number}", parts, engine.revision)

        for turn in range(saves // 4):
            first = turn * 4 % agents
            await asyncio.gather(*(change((first + k) % agents, turn) for k in range(4)))
        seconds = time.perf_counter() - started
        done = len(snapshots)
        print(f"{agents} agents (256 answers, 200 events each), {done} changes, 4 per commit")
        print(f"  snapshot: median {statistics.median(snapshots) * 1e6:.1f} µs,"
              f" mean {statistics.fmean(snapshots) * 1e6:.1f} µs;"
              f" change and save, all in: {seconds / done * 1e6:.1f} µs each")  # fmt: skip
        await store.close()


def _bytes_written() -> int:
    # What this process handed to write(): the WAL frames, and the pages each checkpoint
    # copies back into the database file (Linux: /proc/self/io).
    for line in Path("/proc/self/io").read_text().splitlines():
        if line.startswith("wchar:"):
            return int(line.split()[1])
    return 0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--saves", type=int, default=3000)
    parser.add_argument("--answers", type=int, default=256, help="answers kept before the run")
    parser.add_argument("--agents", type=int, default=0, help="agents taking turns (see above)")
    arguments = parser.parse_args()
    print_environment()
    if arguments.agents:
        asyncio.run(run_agents(arguments.saves, arguments.agents))
    else:
        asyncio.run(run(arguments.saves, arguments.answers))


if __name__ == "__main__":
    main()
