"""What a benchmark prints about the machine it ran on, so a figure can be read later."""

from __future__ import annotations

import datetime
import os
import platform
import subprocess
import sys
from importlib.metadata import version
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def describe() -> str:
    """Return one paragraph: date, commit, Python, packages, cores and the load average."""
    try:
        commit = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"],
            cwd=ROOT, capture_output=True, text=True, check=False,
        ).stdout.strip()  # fmt: skip
    except OSError:
        commit = "?"
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    packages = ", ".join(
        f"{name} {version(name)}" for name in ("aiohttp", "python-socketio", "python-engineio")
    )
    now = datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC")
    return (
        f"environment: {now}, commit {commit or '?'}, Python {platform.python_version()}"
        f" ({sys.implementation.name}), {packages}; {os.cpu_count()} cores"
        f" ({platform.machine()}, {platform.system()} {platform.release()}),"
        f" load average {load}"
    )


def print_environment() -> None:
    """Print `describe()`."""
    print(describe())
