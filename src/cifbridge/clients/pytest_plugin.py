"""pytest fixtures for partner widgets' CI suites (registered as the `cifbridge` plugin).

cifbridge_server          session: a bridge process on a free port (memory store), configured
                          by the `cifbridge_config` ini option or CIFBRIDGE_CONFIG, and run
                          with --strict when the `cifbridge_strict` ini option is true (every
                          diagnostic refuses its call); under pytest-xdist each worker gets
                          its own
cifbridge                 function: a BridgeClient of that bridge, reset before each test (the
                          workspace, the journal and the clock)
cifbridge_factory         function: `cifbridge_factory(config, *serve_args)` starts a bridge of
                          the test's own (config: a mapping, a file, or None); stopped after it
cifbridge_module_factory  module: the same, for a module-scoped fixture of yours
cifbridge_pages           session: serves widget HTML from http://localhost:<port>, a trusted
                          origin other than the bridge's: `page.goto(cifbridge_pages.serve(html))`

A bridge that exits while starting fails the fixture at once with the bridge's own output; a
test that fails gets the session bridge's recent output as a report section.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from cifbridge.clients.bridge import BridgeClient
from cifbridge.clients.pages import WidgetPages
from cifbridge.clients.processes import BridgeProcess, BridgeStartError, Config

OUTPUT_TAIL_CHARS = 4000
_SESSION_BRIDGE = pytest.StashKey[BridgeProcess]()


def pytest_addoption(parser: pytest.Parser) -> None:
    """Declare the ini options: the workspace configuration, and strict diagnostics."""
    parser.addini("cifbridge_config", "workspace configuration file for the cifbridge fixtures")
    parser.addini(
        "cifbridge_strict",
        "run the session bridge with --strict: every diagnostic warning refuses its call",
        type="bool",
        default=False,
    )


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
    """Start one bridge for the test session (for this worker, under pytest-xdist)."""
    configured = request.config.getini("cifbridge_config") or os.environ.get("CIFBRIDGE_CONFIG")
    config = Path(str(request.config.rootpath / configured)) if configured else None
    strict = ["--strict"] if request.config.getini("cifbridge_strict") else []
    process = BridgeProcess(tmp_path_factory.mktemp("cifbridge"), config, strict)
    request.config.stash[_SESSION_BRIDGE] = process
    try:
        yield start_or_fail(process)
    finally:
        process.stop()


@pytest.fixture
def cifbridge(cifbridge_server: BridgeClient) -> BridgeClient:
    """Give each test a fresh workspace, journal and clock on the session's bridge."""
    cifbridge_server.reset()
    return cifbridge_server


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
    process = item.config.stash.get(_SESSION_BRIDGE, None)
    uses_bridge = {"cifbridge", "cifbridge_server"} & set(getattr(item, "fixturenames", ()))
    if report.failed and process is not None and uses_bridge:
        report.sections.append(("cifbridge output", process.output()[-OUTPUT_TAIL_CHARS:]))
    return report
