"""cifbridge installed as a partner's CI installs it: a wheel or an sdist, outside any checkout.

Each check runs twice, against a fresh virtualenv holding the wheel and one holding the sdist
(built by pip, without npm): the command line, a served bridge, a Chromium page on a second
local origin, and an outside sample project made of the README's examples, exactly as printed.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import tarfile
import time
import urllib.request
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from cifbridge.clients.pages import WidgetPages
from cifbridge.contracts.browser import CHROMIUM, CHROMIUM_ARGS
from tests.package.conftest import VERSION, Dist, Installed
from tests.package.readme_examples import examples, write_project

pytestmark = [pytest.mark.package, pytest.mark.timeout(900)]

STARTUP_SECONDS = 60.0
SHIPPED = (
    "cifbridge/_data/socket.io-client/socket.io.min.js",
    "cifbridge/_data/socket.io-client/LICENSE",
    "cifbridge/_data/static/shim/msdyn_ciLibrary.js",
    "cifbridge/_data/static/workspace/index.html",
    "cifbridge/_data/static/samples/softphone.html",
    "cifbridge/_data/schemas/workspace-config.json",
    "cifbridge/_data/contracts/sessions/createSession.yaml",
    "cifbridge/defaults/workspace.yaml",
    "cifbridge/contracts/widget_driver.js",
)
# What the sample project adds to the README's examples (as a plugin, so the examples stay as
# printed): every xdist worker notes the URL of its session bridge.
WORKERS_PLUGIN = """
import os
from pathlib import Path

import pytest


@pytest.fixture(scope="session", autouse=True)
def note_the_bridge(cifbridge_server):
    worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
    Path(f"bridge-{worker}.url").write_text(cifbridge_server.url)
"""


def test_the_wheel_carries_everything_it_serves(dist: Dist) -> None:
    names = set(zipfile.ZipFile(dist.wheel).namelist())
    assert set(SHIPPED) <= names
    assert not [n for n in names if "node_modules" in n or n.startswith("tests/")]
    bundle = zipfile.ZipFile(dist.wheel).read(SHIPPED[0]).decode()
    assert bundle.startswith("/*!\n * Socket.IO v4.8.4")


def test_the_sdist_carries_the_bundle_so_its_wheel_needs_no_npm(dist: Dist) -> None:
    with tarfile.open(dist.sdist) as sdist:
        names = set(sdist.getnames())
    root = f"cifbridge-{VERSION}"
    for name in ("socket.io.min.js", "LICENSE", "package.json"):
        assert f"{root}/vendor/socket.io-client/{name}" in names
    assert {f"{root}/hatch_build.py", f"{root}/package-lock.json"} <= names
    assert not [n for n in names if "node_modules" in n]


def test_the_command_line_runs_from_the_virtualenv(installed: Installed, tmp_path: Path) -> None:
    version = run_in(installed, [installed.command("cifbridge"), "--version"], tmp_path)
    assert version == f"cifbridge {VERSION}\n"
    where = run_in(
        installed,
        [str(installed.python), "-c", "import cifbridge.files.resources as r;"
         "print(r.__file__); print(r.socket_io_client_path())"],
        tmp_path,
    )  # fmt: skip
    assert all(line.startswith(str(installed.venv)) for line in where.splitlines())
    helped = run_in(installed, [installed.command("cifbridge"), "serve", "--help"], tmp_path)
    assert "CIFBRIDGE_READY_FILE" in helped


@dataclass
class Served:
    """A bridge served from the virtualenv."""

    url: str
    banner: str


@pytest.fixture(scope="module")
def served(installed: Installed, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    """Run `cifbridge serve --port 0 --ready-file` from the virtualenv, as a new user would."""
    home = tmp_path_factory.mktemp(f"first-run-{installed.kind}")
    ready = home / "bridge.url"
    command = [installed.command("cifbridge"), "serve", "--port", "0", "--ready-file", str(ready)]
    with (home / "bridge.log").open("wb") as log:
        process = subprocess.Popen(
            command, cwd=home, env=installed.env, stdout=log, stderr=subprocess.STDOUT
        )
    try:
        wait_for(ready, process, home / "bridge.log")
        yield Served(ready.read_text().strip(), (home / "bridge.log").read_text())
    finally:
        process.terminate()
        process.wait(timeout=30)
    assert process.returncode == 0
    assert not ready.exists()  # the ready file goes when the bridge stops


def test_serve_on_a_free_port_reports_it_everywhere(served: Served) -> None:
    port = int(served.url.rsplit(":", 1)[1])
    health = json.loads(fetch(served.url + "/healthz"))
    assert health == {
        "status": "ok",
        "ready": True,
        "version": VERSION,
        "store": "sqlite",
        "url": served.url,
        "port": port,
    }
    assert f"cifbridge {VERSION} is serving on {served.url}" in served.banner
    assert f"ready at {served.url} (Ctrl+C to stop)" in served.banner
    assert "a new workspace" in served.banner
    assert "Socket.IO v4.8.4" in fetch(served.url + "/webresources/Widget/msdyn_ciLibrary.js")
    assert "<title>" in fetch(served.url + "/")
    assert served.url in fetch(served.url + "/samples/softphone.html")


@pytest.mark.browser
def test_a_widget_page_on_another_origin_creates_a_session(served: Served) -> None:
    from playwright.sync_api import sync_playwright

    html = (
        "<!doctype html><html><head><script>"
        "window.addEventListener('CIFInitDone', () => Microsoft.CIFramework.createSession("
        "{templateName: 'msdyn_chat_session'}).then(id => { window.created = id; }));"
        f"</script>{script_tag(served.url)}</head><body></body></html>"
    )
    with WidgetPages() as pages, sync_playwright() as driver:
        browser = driver.chromium.launch(executable_path=CHROMIUM, args=list(CHROMIUM_ARGS))
        try:
            page = browser.new_page()
            page.goto(pages.serve(html))
            page.wait_for_function("window.created !== undefined")
            assert page.evaluate("window.created") == "session-id-1"
        finally:
            browser.close()
    workspace = json.loads(fetch(served.url + "/api/workspace"))
    assert [s["id"] for s in workspace["sessions"]] == ["session-id-0", "session-id-1"]


@pytest.mark.browser
def test_the_readme_examples_pass_in_an_outside_project(
    installed: Installed, tmp_path: Path
) -> None:
    project = tmp_path / "partner-widget"
    project.mkdir()
    scripts = write_project(project)
    (project / "note_workers.py").write_text(WORKERS_PLUGIN, encoding="utf-8")
    for script in scripts:
        run_in(installed, ["bash", "-euo", "pipefail", "-c", script.text], project, script.line)
    pytest_command = [str(installed.python), "-m", "pytest", "-p", "note_workers", "-n", "2"]
    tests = run_in(installed, [*pytest_command, "-q"], project, env={"PYTHONPATH": str(project)})
    expected = sum(e.text.count("\ndef test_") for e in examples() if e.target.endswith(".py"))
    assert f"{expected} passed" in tests
    urls = {p.name: p.read_text() for p in project.glob("bridge-*.url")}
    assert sorted(urls) == ["bridge-gw0.url", "bridge-gw1.url"]
    assert len(set(urls.values())) == 1  # one bridge for both workers, an agent per test


def run_in(
    installed: Installed,
    command: list[str],
    cwd: Path,
    line: int = 0,
    env: dict[str, str] | None = None,
) -> str:
    """Run a command in the virtualenv's environment, in its own process group."""
    process = subprocess.Popen(
        command,
        cwd=cwd,
        env={**installed.env, **(env or {})},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,  # so a bridge it left running can be stopped with it
    )
    try:
        out, _ = process.communicate(timeout=600)
    finally:
        with_group_stopped(process)
    where = f" (README.md:{line})" if line else ""
    assert process.returncode == 0, f"{command}{where} exited {process.returncode}:\n{out}"
    return out


def with_group_stopped(process: subprocess.Popen[str]) -> None:
    """Stop whatever the command left running in its process group."""
    try:
        os.killpg(process.pid, signal.SIGTERM)
    except ProcessLookupError:
        return
    if process.poll() is None:
        process.kill()
        process.wait()


def wait_for(ready: Path, process: subprocess.Popen[bytes], log: Path) -> None:
    """Wait for the ready file; fail at once with the bridge's output if it exits."""
    deadline = time.monotonic() + STARTUP_SECONDS
    while not ready.exists():
        if process.poll() is not None or time.monotonic() > deadline:
            pytest.fail(f"cifbridge serve did not start ({process.poll()}):\n{log.read_text()}")
        time.sleep(0.05)  # waiting for a child process to start, not test synchronization


def fetch(url: str) -> str:
    """Return the body of a GET."""
    with urllib.request.urlopen(url, timeout=10) as response:
        body: bytes = response.read()
        return body.decode("utf-8")


def script_tag(url: str) -> str:
    """Return the CIF script tag of the bridge at `url`."""
    return (
        f'<script src="{url}/webresources/Widget/msdyn_ciLibrary.js"'
        f' data-crmurl="{url}" data-cifid="CIFMainLibrary"></script>'
    )
