"""pytest fixtures for partner widgets' CI suites (registered as the `cifbridge` plugin).

cifbridge_server          session: a client of the run's one bridge (a process on a free port,
                          memory store), as the default agent; configured by the
                          `cifbridge_config` ini option or CIFBRIDGE_CONFIG, run with --strict
                          when the `cifbridge_strict` ini option is true (every diagnostic
                          refuses its call). With CIFBRIDGE_URL set, the bridge at that URL
                          instead (its configuration is its own; nothing is started)
cifbridge                 function: a BridgeClient of that bridge as an agent of the test's own
                          (docs/agents.md): a fresh workspace, journal and clock, removed after
                          the test. The org's records are shared by every agent, so a record one
                          test writes is there for the others
cifbridge_factory         function: `cifbridge_factory(config, *serve_args)` starts a bridge of
                          the test's own (config: a mapping, a file, or None); stopped after it
cifbridge_module_factory  module: the same, for a module-scoped fixture of yours
cifbridge_pages           session: serves widget HTML from http://localhost:<port>, a trusted
                          origin other than the bridge's: `page.goto(cifbridge_pages.serve(html))`

One bridge for the whole run, under pytest-xdist too. Each test's agent is named after its node
id and its worker (`gw0-test_call-1a2b3c4d`), so tests on all workers run side by side on one
bridge without seeing each other's sessions, notifications or journal. How the workers share
it: the controller makes a folder for the run and hands it to every worker
(`pytest_configure_node` → `workerinput`); the first worker whose test needs the bridge claims
the folder (a file created with O_EXCL, so exactly one wins, on any OS and without a lock to go
stale) and starts the bridge, whose ready file in that folder the other workers wait for. No
bridge starts in a run whose tests never ask for one. The controller stops the bridge when the
run ends (`pytest_unconfigure`), since the worker that started it may finish first.

A bridge that exits while starting fails the fixture at once with the bridge's own output (on
every worker); a test that fails gets the bridge's recent output as a report section.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import shutil
import signal
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from cifbridge.clients.bridge import BridgeClient, BridgeError
from cifbridge.clients.pages import WidgetPages
from cifbridge.clients.processes import (
    STARTUP_SECONDS,
    BridgeProcess,
    BridgeStartError,
    Config,
)

OUTPUT_TAIL_CHARS = 4000
AGENT_NAME_LENGTH = 64  # engine/base/context.py: ^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$
SHARED_DIR = "cifbridge_shared_dir"  # the workerinput key naming the run's folder
_BRIDGE_OUTPUT = pytest.StashKey[Callable[[], str]]()
_SHARED_RUN = pytest.StashKey["SharedRun"]()
_STARTED = pytest.StashKey[BridgeProcess]()
_UNSAFE = re.compile(r"[^A-Za-z0-9_.-]+")


def pytest_addoption(parser: pytest.Parser) -> None:
    """Declare the ini options: the workspace configuration, and strict diagnostics."""
    parser.addini("cifbridge_config", "workspace configuration file for the cifbridge fixtures")
    parser.addini(
        "cifbridge_strict",
        "run the session bridge with --strict: every diagnostic warning refuses its call",
        type="bool",
        default=False,
    )


class SharedRun:
    """The controller's side of an xdist run: the folder the workers share, and the end."""

    def __init__(self) -> None:
        self.folder = Path(tempfile.mkdtemp(prefix="cifbridge-run-"))

    def close(self) -> None:
        """Stop the bridge a worker started in the folder, then remove the folder."""
        pid_file = self.folder / "bridge.pid"
        if pid_file.exists():
            stop_pid(int(pid_file.read_text(encoding="utf-8")))
        shutil.rmtree(self.folder, ignore_errors=True)


@pytest.hookimpl(optionalhook=True)
def pytest_configure_node(node: Any) -> None:
    """Tell each xdist worker the run's folder, where the one bridge is started and found."""
    shared = node.config.stash.get(_SHARED_RUN, None)
    if shared is None:
        shared = node.config.stash[_SHARED_RUN] = SharedRun()
    node.workerinput[SHARED_DIR] = str(shared.folder)


def pytest_unconfigure(config: pytest.Config) -> None:
    """At the controller's end: stop the run's bridge, once every worker is done."""
    shared = config.stash.get(_SHARED_RUN, None)
    if shared is not None:
        shared.close()


def worker_id(config: pytest.Config) -> str:
    """Return the xdist worker's id (gw0, gw1, ...), or "main" outside xdist."""
    workerinput = getattr(config, "workerinput", None)
    return str(workerinput["workerid"]) if workerinput else "main"


def agent_name_for_test(nodeid: str, worker: str) -> str:
    """Return an agent name of one test on one worker: readable, unique, at most 64 characters.

    The worker and the test's own name (with its parameters) make it readable in GET
    /api/agents and in the journal; a hash of the whole node id makes it unique.
    """
    digest = hashlib.sha256(nodeid.encode("utf-8")).hexdigest()[:10]
    head = _UNSAFE.sub("-", worker).strip("-._") or "main"
    readable = _UNSAFE.sub("-", nodeid.rsplit("::", 1)[-1]).strip("-._")
    room = AGENT_NAME_LENGTH - len(head) - len(digest) - 2
    readable = readable[: max(room, 0)].rstrip("-._")
    return "-".join(part for part in (head, readable, digest) if part)


def _session_bridge(config: pytest.Config, tmp: pytest.TempPathFactory) -> Iterator[BridgeClient]:
    url = os.environ.get("CIFBRIDGE_URL")
    if url:
        client = BridgeClient(url)
        client.wait_until_ready()
        yield client
        return
    configured = config.getini("cifbridge_config") or os.environ.get("CIFBRIDGE_CONFIG")
    bridge_config = Path(str(config.rootpath / configured)) if configured else None
    strict = ["--strict"] if config.getini("cifbridge_strict") else []
    workerinput = getattr(config, "workerinput", None)
    if workerinput and SHARED_DIR in workerinput:
        yield shared_bridge(Path(workerinput[SHARED_DIR]), config, bridge_config, strict)
        return  # the controller stops it: other workers may still be using it
    process = BridgeProcess(tmp.mktemp("cifbridge"), bridge_config, strict)
    config.stash[_BRIDGE_OUTPUT] = process.output
    try:
        yield start_or_fail(process)
    finally:
        process.stop()


def shared_bridge(
    folder: Path, config: pytest.Config, bridge_config: Config, args: list[str]
) -> BridgeClient:
    """Return the client of the run's one bridge: start it if this worker claims the folder,
    else wait for the worker that did."""
    workdir = folder / "bridge"
    log = workdir / "bridge.log"
    config.stash[_BRIDGE_OUTPUT] = lambda: log.read_text("utf-8", "replace") if log.exists() else ""
    failed = folder / "failed"
    try:
        claim = os.open(folder / "starter", os.O_CREAT | os.O_EXCL | os.O_WRONLY)
    except FileExistsError:
        return _wait_for_bridge(workdir / "bridge.url", failed)
    os.write(claim, worker_id(config).encode("utf-8"))
    os.close(claim)
    process = BridgeProcess(workdir, bridge_config, args)
    config.stash[_STARTED] = process  # kept referenced: it outlives this worker's tests
    try:
        client = process.start()
    except BridgeStartError as error:
        failed.write_text(str(error), encoding="utf-8")
        pytest.fail(str(error), pytrace=False)
    assert process.process is not None
    (folder / "bridge.pid").write_text(str(process.process.pid), encoding="utf-8")
    return client


def _wait_for_bridge(ready_file: Path, failed: Path) -> BridgeClient:
    deadline = time.monotonic() + STARTUP_SECONDS + 5
    while True:
        # The ready file appears whole (written aside, then renamed), once the bridge answers.
        if ready_file.exists():
            return BridgeClient(ready_file.read_text(encoding="utf-8").strip())
        if failed.exists():
            pytest.fail(failed.read_text(encoding="utf-8"), pytrace=False)
        if time.monotonic() > deadline:
            pytest.fail(f"no cifbridge bridge appeared in {ready_file.parent}", pytrace=False)
        time.sleep(0.05)  # waiting for another worker's child process to start


def stop_pid(pid: int, timeout: float = 10.0) -> None:
    """Stop a bridge this process did not start (SIGTERM, then SIGKILL after `timeout`)."""
    try:
        os.kill(pid, signal.SIGTERM)
    except (ProcessLookupError, PermissionError):
        return
    if sys.platform == "win32":
        return  # SIGTERM is TerminateProcess there: already gone
    deadline = time.monotonic() + timeout
    while _alive(pid):
        if time.monotonic() > deadline:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
            return
        time.sleep(0.05)  # waiting for a process to exit


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    with contextlib.suppress(OSError):  # Linux: an exited child not yet reaped counts as gone
        stat = Path(f"/proc/{pid}/stat").read_text(encoding="ascii")
        return stat.rsplit(")", 1)[-1].split()[0] != "Z"
    return True


class BridgeFactory:
    """Starts bridges with a given configuration and stops them all on `close`."""

    def __init__(self, tmp_path_factory: pytest.TempPathFactory) -> None:
        self._tmp = tmp_path_factory
        self.processes: list[BridgeProcess] = []

    def __call__(self, config: Config = None, *serve_args: str) -> BridgeClient:
        """Start a bridge (extra `cifbridge serve` flags allowed) and return its client."""
        process = BridgeProcess(self._tmp.mktemp("cifbridge"), config, serve_args)
        self.processes.append(process)
        return start_or_fail(process)

    def close(self) -> None:
        """Stop every bridge this factory started."""
        for process in self.processes:
            process.stop()


def start_or_fail(process: BridgeProcess) -> BridgeClient:
    """Start the bridge, or fail the fixture with what the bridge said."""
    try:
        return process.start()
    except BridgeStartError as error:
        pytest.fail(str(error), pytrace=False)


@pytest.fixture(scope="session")
def cifbridge_server(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[BridgeClient]:
    """The run's one bridge (shared by every xdist worker), as the default agent."""
    yield from _session_bridge(request.config, tmp_path_factory)


@pytest.fixture
def cifbridge(
    cifbridge_server: BridgeClient, request: pytest.FixtureRequest
) -> Iterator[BridgeClient]:
    """Give each test an agent of its own on the run's bridge, removed after the test."""
    agent = agent_name_for_test(request.node.nodeid, worker_id(request.config))
    client = cifbridge_server.for_agent(agent)
    client.reset()  # names the agent (it appears on first use) and starts it fresh if it was kept
    yield client
    with contextlib.suppress(BridgeError, OSError):  # gone with the bridge, or removed by the test
        cifbridge_server.remove_agent(agent)


@pytest.fixture
def cifbridge_factory(tmp_path_factory: pytest.TempPathFactory) -> Iterator[BridgeFactory]:
    """Start bridges of the test's own configuration; they stop after the test."""
    factory = BridgeFactory(tmp_path_factory)
    yield factory
    factory.close()


@pytest.fixture(scope="module")
def cifbridge_module_factory(tmp_path_factory: pytest.TempPathFactory) -> Iterator[BridgeFactory]:
    """Start bridges shared by a module's tests; they stop after the module."""
    factory = BridgeFactory(tmp_path_factory)
    yield factory
    factory.close()


@pytest.fixture(scope="session")
def cifbridge_pages() -> Iterator[WidgetPages]:
    """Serve widget pages from a trusted loopback origin other than the bridge's."""
    with WidgetPages() as pages:
        yield pages


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Any:
    """Attach the session bridge's recent output to a failing test that used it."""
    report = yield
    output = item.config.stash.get(_BRIDGE_OUTPUT, None)
    uses_bridge = {"cifbridge", "cifbridge_server"} & set(getattr(item, "fixturenames", ()))
    if report.failed and output is not None and uses_bridge:
        report.sections.append(("cifbridge output", output()[-OUTPUT_TAIL_CHARS:]))
    return report
