"""pytest fixtures for partner widgets' CI suites (registered as the `cifbridge` plugin).

cifbridge_server   session-scoped: a bridge process on a free port (memory store), its
                   configuration from the `cifbridge_config` ini option or the
                   CIFBRIDGE_CONFIG environment variable
cifbridge          function-scoped: a BridgeClient of that bridge, reset before each test

def test_incoming_call_opens_a_session(cifbridge, page):
    page.goto(my_widget_url(script_tag=cifbridge.script_tag))
    ...
    assert [s["title"] for s in cifbridge.sessions()] == ["Home", "Call from Ana"]
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from cifbridge.clients.bridge import BridgeClient


def pytest_addoption(parser: pytest.Parser) -> None:
    """Declare the ini option naming the workspace configuration."""
    parser.addini("cifbridge_config", "workspace configuration file for the cifbridge fixtures")


def free_port() -> int:
    """Return a TCP port that is free on the loopback interface right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


class BridgeProcess:
    """A `cifbridge serve` child process and a client of it."""

    def __init__(self, config: Path | None, log: Path) -> None:
        self.port = free_port()
        command = [sys.executable, "-m", "cifbridge", "serve", "--port", str(self.port)]
        command += ["--store", "memory"]
        if config is not None:
            command += ["--config", str(config)]
        self.log = log
        self._log_file = log.open("w")
        self.process = subprocess.Popen(command, stdout=self._log_file, stderr=subprocess.STDOUT)
        # A CIFBRIDGE_TOKEN in the environment reaches the child and the client alike.
        self.client = BridgeClient(
            f"http://127.0.0.1:{self.port}", token=os.environ.get("CIFBRIDGE_TOKEN")
        )

    def start(self) -> BridgeClient:
        """Wait until the bridge answers, or fail with its output."""
        try:
            self.client.wait_until_ready()
        except TimeoutError:
            self.stop()
            raise RuntimeError(f"cifbridge did not start:\n{self.log.read_text()}") from None
        return self.client

    def stop(self) -> None:
        """Terminate the process and close its log."""
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self._log_file.close()


@pytest.fixture(scope="session")
def cifbridge_server(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[BridgeClient]:
    """Start one bridge for the test session."""
    configured = request.config.getini("cifbridge_config") or os.environ.get("CIFBRIDGE_CONFIG")
    config = Path(str(request.config.rootpath / configured)) if configured else None
    bridge = BridgeProcess(config, tmp_path_factory.mktemp("cifbridge") / "bridge.log")
    yield bridge.start()
    bridge.stop()


@pytest.fixture
def cifbridge(cifbridge_server: BridgeClient) -> BridgeClient:
    """Give each test a fresh workspace on the session's bridge."""
    cifbridge_server.reset()
    return cifbridge_server
