"""The README's OpenAPI and state examples run as written, against a live bridge."""

from __future__ import annotations

import json
import re
import shlex
import subprocess
import sys
from pathlib import Path

from cifbridge.clients.bridge import WidgetClient
from cifbridge.clients.processes import BridgeProcess

README = Path(__file__).resolve().parents[1] / "README.md"
README_URL = "http://127.0.0.1:8765"


def example(marker: str) -> str:
    """Return the code block that follows `<!-- marker -->` in the README."""
    found = re.search(rf"<!-- {marker} -->\n```\w+\n(.*?)```", README.read_text("utf-8"), re.S)
    assert found, marker
    return found.group(1)


def test_the_openapi_example_prints_what_it_says(tmp_path: Path) -> None:
    code = example("readme-openapi")
    expected = code.strip().splitlines()[-1].removeprefix("# ")
    with BridgeProcess(tmp_path) as bridge:
        script = code.replace(README_URL, bridge.client.url)
        done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == expected


def test_the_state_example_carries_a_workspace(tmp_path: Path) -> None:
    export_line, import_line, serve_line = [
        shlex.split(line.split("#")[0]) for line in example("readme-state").strip().splitlines()
    ]
    with BridgeProcess(tmp_path / "a") as bridge:
        with WidgetClient(bridge.client.url) as widget:
            widget.call("createSession", {"templateName": "msdyn_chat_session"})
        for line in (export_line, import_line):
            args = [bridge.client.url if a == README_URL else a for a in line[1:]]
            done = subprocess.run(
                [sys.executable, "-m", "cifbridge", *args],
                capture_output=True,
                text=True,
                cwd=tmp_path,
            )
            assert done.returncode == 0, done.stderr
        assert len(bridge.client.sessions()) == 2
    flags = [str(tmp_path / a) if a.endswith(".json") else a for a in serve_line[2:]]
    with BridgeProcess(tmp_path / "b", args=flags) as resumed:
        assert [s["id"] for s in resumed.client.sessions()] == ["session-id-0", "session-id-1"]
    saved = json.loads((tmp_path / "after.json").read_text("utf-8"))
    assert list(saved["workspace"]["sessions"]) == ["session-id-0", "session-id-1"]


def test_the_agents_example_prints_what_it_says(tmp_path: Path) -> None:
    code = example("readme-agents")
    expected = [
        line.removeprefix("# ") for line in code.strip().splitlines() if line.startswith("# ")
    ]
    with BridgeProcess(tmp_path) as bridge:
        url = bridge.client.url
        done = subprocess.run(
            [sys.executable, "-c", code.replace(README_URL, url)], capture_output=True, text=True
        )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().splitlines() == [line.replace(README_URL, url) for line in expected]
