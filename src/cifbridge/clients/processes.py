"""A `cifbridge serve` child process on a free port, for test suites and scripts.

    with BridgeProcess(tmp_path, config={"limits": {"maxSessions": 1}}) as bridge:
        client = bridge.client          # a BridgeClient of it
        ...

The bridge is started with `--port 0 --ready-file`, so no caller picks a port and races for
it: `start` waits for the ready file, and fails at once, with the bridge's own output, when
the process exits instead.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import Mapping, Sequence
from pathlib import Path
from types import TracebackType
from typing import Any

from cifbridge.clients.bridge import BridgeClient

STARTUP_SECONDS = 30.0
Config = Mapping[str, Any] | Path | str | None


class BridgeStartError(RuntimeError):
    """The bridge exited while starting, or never answered; the message holds its output."""


class BridgeProcess:
    """One bridge process (memory store unless `args` say otherwise) and a client of it."""

    def __init__(self, workdir: Path, config: Config = None, args: Sequence[str] = ()) -> None:
        workdir.mkdir(parents=True, exist_ok=True)
        self.workdir = workdir
        self.ready_file = workdir / "bridge.url"
        self.log = workdir / "bridge.log"
        self.command = [sys.executable, "-m", "cifbridge", "serve", "--host", "127.0.0.1"]
        self.command += ["--port", "0", "--store", "memory", "--ready-file", str(self.ready_file)]
        config_path = write_config(workdir, config)
        if config_path is not None:
            self.command += ["--config", str(config_path)]
        self.command += list(args)  # later flags win, so callers may override the ones above
        self.process: subprocess.Popen[bytes] | None = None
        self._client: BridgeClient | None = None

    def __enter__(self) -> BridgeProcess:
        self.start()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self.stop()

    @property
    def client(self) -> BridgeClient:
        """Return the client of the started bridge."""
        if self._client is None:
            raise RuntimeError("the bridge has not been started")
        return self._client

    def start(self, timeout: float = STARTUP_SECONDS) -> BridgeClient:
        """Start the process and wait for its ready file; raise BridgeStartError if it exits."""
        self.ready_file.unlink(missing_ok=True)
        env = {**os.environ, "PYTHONUNBUFFERED": "1"}
        with self.log.open("wb") as log:
            self.process = subprocess.Popen(
                self.command,
                stdout=log,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                env=env,
            )
        deadline = time.monotonic() + timeout
        while not self.ready_file.exists():
            status = self.process.poll()
            if status is not None:
                raise BridgeStartError(
                    f"cifbridge serve exited with status {status}:\n{self.output()}"
                )
            if time.monotonic() > deadline:
                self.stop()
                raise BridgeStartError(
                    f"cifbridge serve did not answer in {timeout:g} s:\n{self.output()}"
                )
            time.sleep(0.02)  # waiting for a child process to start, not test synchronization
        self._client = BridgeClient(self.ready_file.read_text(encoding="utf-8").strip())
        return self._client

    def output(self) -> str:
        """Return what the bridge printed so far (banner, log lines, errors)."""
        return self.log.read_text(encoding="utf-8", errors="replace") if self.log.exists() else ""

    def stop(self) -> None:
        """Stop the process (SIGTERM, then SIGKILL after 10 s)."""
        if self.process is None or self.process.poll() is not None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def write_config(workdir: Path, config: Config) -> Path | None:
    """Return a configuration file for `config`: a mapping is written as JSON next to the log."""
    if config is None:
        return None
    if isinstance(config, Mapping):
        path = workdir / "workspace.json"
        path.write_text(json.dumps(config, indent=2), encoding="utf-8")
        return path
    return Path(config)
