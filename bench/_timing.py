"""Median-of-runs timing helpers shared by the benchmarks."""

from __future__ import annotations

import statistics
import time
from collections.abc import Awaitable, Callable


def median_us(operation: Callable[[], object], repeat: int = 2000, rounds: int = 5) -> float:
    """Return the median over `rounds` of the mean time of `repeat` calls, in microseconds."""
    samples = []
    for _ in range(rounds):
        started = time.perf_counter()
        for _ in range(repeat):
            operation()
        samples.append((time.perf_counter() - started) / repeat * 1e6)
    return statistics.median(samples)


async def median_us_async(
    operation: Callable[[], Awaitable[object]], repeat: int = 300, rounds: int = 5
) -> float:
    """Return the median over `rounds` of the mean time of `repeat` awaited calls, in µs."""
    samples = []
    for _ in range(rounds):
        started = time.perf_counter()
        for _ in range(repeat):
            await operation()
        samples.append((time.perf_counter() - started) / repeat * 1e6)
    return statistics.median(samples)


def report(title: str, baseline_name: str, rows: dict[str, float]) -> None:
    """Print each row's median and its ratio to the baseline row."""
    baseline = rows[baseline_name]
    print(title)
    for name, value in rows.items():
        print(f"  {name:<44} {value:10.1f} µs  {value / baseline:8.2f}x")
