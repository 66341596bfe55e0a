"""Browser tests: real bridge processes, a widget site on a second origin, Debian's Chromium.

A partner widget is never served by Dynamics itself, so the widget pages here come from
`http://localhost:<port>` (a plain static server) while the bridge listens on
`http://127.0.0.1:<other port>`: every call crosses origins the way it does in production.
"""

from __future__ import annotations

import contextlib
import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, Playwright, sync_playwright

from cifbridge.contracts.browser import CHROMIUM, CHROMIUM_ARGS

STARTUP_SECONDS = 30.0
LOG_TAIL_CHARS = 6000

# What every generated widget page records, so tests can wait on conditions instead of time:
# CIFInitDone's detail, the events its handlers saw, and `settle`, which turns a CIF promise
# into plain data that survives the trip back to Python (a Map would arrive as {}).
WIDGET_HARNESS = """
window.cifTest = {
  init: null,
  events: [],
  describe: function (value) {
    if (value instanceof Map) return {kind: "Map", value: Object.fromEntries(value)};
    return {kind: value === null ? "null" : typeof value, value: value};
  },
  settle: function (promise) {
    return promise.then(
      function (value) { return {ok: true, result: cifTest.describe(value)}; },
      function (error) { return {ok: false, result: cifTest.describe(error)}; });
  },
  record: function (name) {
    return function (data) { cifTest.events.push({name: name, data: data}); };
  }
};
window.addEventListener("CIFInitDone", function (event) { cifTest.init = event.detail; });
"""


def free_port() -> int:
    """Return a TCP port nobody listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def http_json(method: str, url: str) -> tuple[int, Any]:
    """Send a body-less request and return (status, decoded JSON body)."""
    request = urllib.request.Request(url, method=method, headers={"Accept": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, json.loads(response.read() or b"null")
    except urllib.error.HTTPError as error:
        with error:
            return error.code, json.loads(error.read() or b"null")


class ServerProcess:
    """A child process whose output goes to a file, shown when a test fails."""

    def __init__(self, name: str, command: list[str], log_path: Path) -> None:
        self.name = name
        self.log_path = log_path
        env = {k: v for k, v in os.environ.items() if not k.startswith("CIFBRIDGE_")}
        if "CIFBRIDGE_NODE_MODULES" in os.environ:
            env["CIFBRIDGE_NODE_MODULES"] = os.environ["CIFBRIDGE_NODE_MODULES"]
        env["PYTHONUNBUFFERED"] = "1"
        self._log = log_path.open("wb")
        self.process = subprocess.Popen(
            command, stdout=self._log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, env=env
        )

    def wait_until_answering(self, url: str) -> None:
        """Poll `url` until it answers 200, failing early if the process dies."""
        deadline = time.monotonic() + STARTUP_SECONDS
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                self.stop()
                pytest.fail(f"{self.name} exited with {self.process.returncode}:\n{self.output()}")
            with contextlib.suppress(OSError), urllib.request.urlopen(url, timeout=1) as response:
                if response.status == 200:
                    return
            time.sleep(0.05)  # readiness polling of a child process, not test synchronization
        self.stop()
        pytest.fail(f"{self.name} did not answer {url} in {STARTUP_SECONDS}s:\n{self.output()}")

    def output(self) -> str:
        """Return the end of what the process printed."""
        if not self._log.closed:
            self._log.flush()
        text = self.log_path.read_text(encoding="utf-8", errors="replace")
        return text[-LOG_TAIL_CHARS:]

    def stop(self) -> None:
        """Terminate the process and release its log file."""
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self._log.close()


class LiveBridge:
    """A `cifbridge serve` subprocess and its control API."""

    def __init__(self, server: ServerProcess, port: int) -> None:
        self.server = server
        self.port = port
        self.url = f"http://127.0.0.1:{port}"

    def api(self, method: str, path: str) -> tuple[int, Any]:
        """Call the control API; returns (status, JSON body)."""
        return http_json(method, self.url + path)

    def reset(self) -> None:
        """Start from a workspace holding only the Home session."""
        status, body = self.api("POST", "/api/reset")
        assert status == 200, body


def start_bridge(log_dir: Path, name: str, *extra: str) -> LiveBridge:
    """Start `cifbridge serve` on a free port with an in-memory store and wait for /healthz."""
    port = free_port()
    command = [sys.executable, "-m", "cifbridge", "serve", "--host", "127.0.0.1"]
    command += ["--port", str(port), "--store", "memory", *extra]
    server = ServerProcess(name, command, log_dir / f"{name}.log")
    bridge = LiveBridge(server, port)
    server.wait_until_answering(bridge.url + "/healthz")
    return bridge


class WidgetSite:
    """A static web server on `localhost`, a second origin, serving generated widget pages."""

    def __init__(self, root: Path, server: ServerProcess, port: int) -> None:
        self.root = root
        self.server = server
        self.url = f"http://localhost:{port}"

    def widget_page(
        self, name: str, bridge: LiveBridge, *, head: str = "", attrs: str = "", tail: str = ""
    ) -> str:
        """Write a widget page loading the shim from `bridge` (`head` before the tag, `tail`
        after it); return its URL."""
        tag = (
            f'<script src="{bridge.url}/webresources/Widget/msdyn_ciLibrary.js"'
            f' data-crmurl="{bridge.url}" data-cifid="CIFMainLibrary" {attrs}></script>'
        )
        html = (
            '<!doctype html>\n<html lang="en"><head><meta charset="utf-8">'
            f'<title>{name}</title><link rel="icon" href="data:,">\n'
            f"<script>{WIDGET_HARNESS}</script>\n{head}\n{tag}\n{tail}\n"
            "</head><body><p>Test widget</p></body></html>\n"
        )
        (self.root / name).write_text(html, encoding="utf-8")
        return f"{self.url}/{name}"


@pytest.fixture(scope="session")
def bridge_process(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveBridge]:
    bridge = start_bridge(tmp_path_factory.mktemp("bridge"), "bridge")
    yield bridge
    bridge.server.stop()


@pytest.fixture
def live_bridge(bridge_process: LiveBridge) -> LiveBridge:
    """The shared bridge, reset to a fresh workspace for this test."""
    bridge_process.reset()
    return bridge_process


@pytest.fixture(scope="session")
def widget_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[WidgetSite]:
    root = tmp_path_factory.mktemp("widget-site")
    port = free_port()
    command = [sys.executable, "-m", "http.server", str(port), "--bind", "127.0.0.1"]
    server = ServerProcess(
        "widget site", [*command, "--directory", str(root)], root.parent / "site.log"
    )
    (root / "index.html").write_text("<!doctype html><title>widget site</title>\n")
    server.wait_until_answering(f"http://127.0.0.1:{port}/index.html")
    yield WidgetSite(root, server, port)
    server.stop()


@pytest.fixture(scope="module")
def playwright() -> Iterator[Playwright]:
    with sync_playwright() as driver:
        yield driver


@pytest.fixture(scope="module")
def browser(playwright: Playwright) -> Iterator[Browser]:
    chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=list(CHROMIUM_ARGS))
    yield chromium
    chromium.close()


@pytest.fixture
def context(browser: Browser) -> Iterator[BrowserContext]:
    ctx = browser.new_context()
    yield ctx
    ctx.close()


@pytest.fixture
def console(context: BrowserContext) -> list[str]:
    """Console messages and uncaught errors of every page, for failure reports."""
    lines: list[str] = []

    def watch(page: Page) -> None:
        page.on("console", lambda message: lines.append(f"{message.type}: {message.text}"))
        page.on("pageerror", lambda error: lines.append(f"pageerror: {error}"))

    context.on("page", watch)
    return lines


@pytest.fixture
def page(context: BrowserContext, console: list[str]) -> Page:
    return context.new_page()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Any:
    """Attach the bridge's output and the browser console to a failing browser test."""
    report = yield
    if report.failed:
        funcargs = getattr(item, "funcargs", {})
        bridges = {id(v): v for v in funcargs.values() if isinstance(v, LiveBridge)}
        for bridge in bridges.values():
            report.sections.append((f"{bridge.server.name} output", bridge.server.output()))
        lines = funcargs.get("console")
        if lines:
            report.sections.append(("browser console", "\n".join(lines)))
    return report


@pytest.fixture
def workspace(page: Page, live_bridge: LiveBridge) -> Page:
    """The agent workspace page, live."""
    from tests.browser.workspace_page import open_workspace

    return open_workspace(page, live_bridge)


@pytest.fixture
def widget(
    context: BrowserContext, workspace: Page, live_bridge: LiveBridge, widget_site: WidgetSite
) -> Page:
    """A test widget on the second origin, next to the workspace page (modules may override)."""
    from tests.browser.workspace_page import open_test_widget

    return open_test_widget(context, workspace, live_bridge, widget_site)
