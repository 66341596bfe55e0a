"""TypeScript against the real shim: compiled widgets from a second origin drive the bridge.

The typed sample widget (npm/examples/typed-widget) and the README's TypeScript example are
compiled with the pinned tsc, served from http://localhost:<port> while the bridge listens on
127.0.0.1, and must do in Chromium what their types promise: createSession resolves the session
id, getSession a Map, CIFInitDone's detail lists the bridge, onSessionClosed data is JSON text.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page

from tests.browser.conftest import LiveBridge, WidgetSite
from tests.npm import tools
from tests.npm.declarations import NPM_DIR

pytestmark = pytest.mark.browser

LIBRARY_PATH = "/webresources/Widget/msdyn_ciLibrary.js"
TYPED_WIDGET = NPM_DIR / "examples" / "typed-widget"


@pytest.fixture(scope="module")
def compiled(pytestconfig: pytest.Config, widget_site: WidgetSite) -> Path:
    """Compile both widgets into the widget site: typed/ and readme-example.js."""
    tools.ensure_installed(tools.say_through(pytestconfig))
    typed = widget_site.root / "typed"
    result = tools.compile_typed_widget(typed / "dist")
    assert result.returncode == 0, tools.report(result)
    shutil.copy(TYPED_WIDGET / "index.html", typed / "index.html")
    project = tools.consumer_project(
        widget_site.root.parent / "readme-project", tools.readme_typescript_example()
    )
    (project / "node_modules").mkdir()
    (project / "node_modules" / "cifbridge").symlink_to(NPM_DIR)
    result = tools.run_tool("tsc", "-p", str(project), cwd=project)
    assert result.returncode == 0, tools.report(result)
    shutil.copy(project / "dist" / "example.js", widget_site.root / "readme-example.js")
    return typed


def field(page: Page, name: str) -> str:
    text: str = page.locator(f'[data-field="{name}"]').inner_text()
    return text


def sessions(bridge: LiveBridge) -> list[dict[str, Any]]:
    status, view = bridge.api("GET", "/api/workspace")
    assert status == 200, view
    listed: list[dict[str, Any]] = view["sessions"]
    return listed


def test_the_typed_widget_creates_a_session_and_reads_its_map(
    page: Page, live_bridge: LiveBridge, widget_site: WidgetSite, compiled: Path
) -> None:
    library = live_bridge.url + LIBRARY_PATH
    page.goto(f"{widget_site.url}/typed/index.html?ucilib={library}&customer=Maria")
    page.wait_for_function("document.body.dataset.state !== 'loading'")
    assert page.evaluate("document.body.dataset.state") == "ready", field(page, "status")
    assert page.evaluate("location.origin") == widget_site.url
    assert field(page, "origins") == live_bridge.url
    assert field(page, "agent") == "Alex Wu"
    # Read from getSession's Map: the new session, focused, with no conversation.
    assert field(page, "session-id") == "session-id-1"
    assert field(page, "focused") == "true"
    assert field(page, "conversation") == "null"
    titles = {s["id"]: s["title"] for s in sessions(live_bridge)}
    assert titles["session-id-1"] == "Call from Maria"


def test_the_typed_widget_hears_its_session_close(
    page: Page, live_bridge: LiveBridge, widget_site: WidgetSite, compiled: Path
) -> None:
    library = live_bridge.url + LIBRARY_PATH
    page.goto(f"{widget_site.url}/typed/index.html?ucilib={library}")
    page.wait_for_function("document.body.dataset.state === 'ready'")
    status, _ = live_bridge.api("DELETE", "/api/sessions/session-id-1")
    assert status == 200
    page.wait_for_function("document.querySelector('[data-field=closed]').textContent !== ''")
    assert field(page, "closed") == "session-id-1"


def test_the_readme_example_runs_in_a_widget_page(
    page: Page, live_bridge: LiveBridge, widget_site: WidgetSite, compiled: Path
) -> None:
    url = widget_site.widget_page(
        "readme.html", live_bridge, head='<script src="readme-example.js"></script>'
    )
    with page.expect_console_message(lambda m: m.text.startswith("session-id-")) as opened:
        page.goto(url)
    assert opened.value.text == f"session-id-1 focused=true via {live_bridge.url}"
    with page.expect_console_message(lambda m: m.text.startswith("closed ")) as closed:
        status, _ = live_bridge.api("DELETE", "/api/sessions/session-id-1")
        assert status == 200
    assert closed.value.text == "closed session-id-1"
