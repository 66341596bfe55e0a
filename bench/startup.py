"""Cold start to a first /healthz answer, with the defaults, beside a bare aiohttp app (issue 12).

    python bench/startup.py                # 7 rounds
    python bench/startup.py --rounds 15

Each round starts, one after the other, `python -m cifbridge serve --port 0 --ready-file F`
(the defaults otherwise: the bundled workspace, a SQLite file, here in a fresh folder) and a
bare aiohttp process started the same way (a /healthz route, a ready file written once the
site listens), and times from the process start to the first /healthz answer. Prints the
median of the rounds for each, the ratio, and the bridge's absolute figure against the
target (< 0.8 s: the target is absolute, so the machine's load matters; it is printed).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _environment import print_environment

TARGET_SECONDS = 0.8
BARE_APP = """
import asyncio, sys
from pathlib import Path
from aiohttp import web

async def healthz(request):
    return web.json_response({"ok": True})

async def main():
    app = web.Application()
    app.router.add_get("/healthz", healthz)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]
    Path(sys.argv[1]).write_text(f"http://127.0.0.1:{port}")
    await asyncio.Event().wait()

asyncio.run(main())
"""


def time_to_healthz(command: list[str], ready: Path, cwd: Path) -> float:
    """Start `command`, wait for its ready file, GET /healthz; return the seconds it took."""
    ready.unlink(missing_ok=True)
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "0"}
    started = time.perf_counter()
    process = subprocess.Popen(
        command, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    try:
        while not ready.exists() or not ready.read_text():
            if process.poll() is not None:
                raise RuntimeError(f"{command[:4]} exited: {process.stderr.read()!r}")  # type: ignore[union-attr]
            time.sleep(0.002)  # polling a child's ready file, as a supervisor would
        url = ready.read_text().strip()
        with urllib.request.urlopen(f"{url}/healthz", timeout=10) as answer:
            answer.read()
        return time.perf_counter() - started
    finally:
        process.terminate()
        process.wait(timeout=30)


def main(rounds: int) -> None:
    """Time both starts `rounds` times, interleaved; print medians and the ratio."""
    print_environment()
    bridge: list[float] = []
    bare: list[float] = []
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        ready = folder / "ready.url"
        bare_script = folder / "bare_app.py"
        bare_script.write_text(BARE_APP)
        serve = [sys.executable, "-m", "cifbridge", "serve", "--port", "0"]
        serve += ["--ready-file", str(ready), "--log-level", "warning"]
        time_to_healthz(serve, ready, folder)  # warm the file cache and the .pyc files once
        time_to_healthz([sys.executable, str(bare_script), str(ready)], ready, folder)
        for _ in range(rounds):
            bridge.append(time_to_healthz(serve, ready, folder))
            bare.append(
                time_to_healthz([sys.executable, str(bare_script), str(ready)], ready, folder)
            )
    bridge_s, bare_s = statistics.median(bridge), statistics.median(bare)
    print(f"Cold start to the first /healthz answer, median of {rounds} rounds")
    print(f"  {'baseline: bare aiohttp app, same start':<44} {bare_s:6.3f} s  1.00x")
    print(f"  {'cifbridge serve (defaults: SQLite, bundled)':<44} {bridge_s:6.3f} s"
          f"  {bridge_s / bare_s:.2f}x")  # fmt: skip
    print(
        f"  spread: cifbridge {min(bridge):.3f}-{max(bridge):.3f} s,"
        f" bare {min(bare):.3f}-{max(bare):.3f} s"
    )
    verdict = "met" if bridge_s < TARGET_SECONDS else "missed"
    print(f"  target: < {TARGET_SECONDS} s absolute ({verdict})")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=7)
    main(parser.parse_args().rounds)
