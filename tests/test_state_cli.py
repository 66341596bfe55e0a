"""`cifbridge state export|import` and `serve --import --export-on-exit`, as processes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import uuid
from pathlib import Path
from typing import Any

import pytest

from cifbridge.clients.bridge import WidgetClient
from cifbridge.clients.processes import BridgeProcess
from cifbridge.startup import IMPORT_FILE

CHAT_SESSION = {"templateName": "msdyn_chat_session"}


def cifbridge(
    *args: str | Path, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "cifbridge", *map(str, args)]
    return subprocess.run(command, capture_output=True, text=True, timeout=60, env=env)


def seeded(bridge: BridgeProcess) -> None:
    """Give a bridge two sessions, a record, a moved clock and journal entries."""
    with WidgetClient(bridge.client.url) as widget:
        widget.call("createSession", CHAT_SESSION)
        widget.call("createSession", CHAT_SESSION)
    bridge.client.request("POST", "/api/records/contact", {"firstname": "Ana", "lastname": "Lima"})
    bridge.client.advance_clock(60)


def sessions(bridge: BridgeProcess) -> list[str]:
    return [s["id"] for s in bridge.client.sessions()]


def test_export_from_a_running_bridge_then_serve_import_and_export_on_exit(
    tmp_path: Path,
) -> None:
    exported, on_exit = tmp_path / "seed.json", tmp_path / "after.json"
    with BridgeProcess(tmp_path / "a") as source:
        seeded(source)
        done = cifbridge("state", "export", exported, "--url", source.client.url)
        assert done.returncode == 0, done.stderr
        assert (
            done.stdout.strip() == f"exported 2 session(s) and 5 journal entries to {exported}"
        )  # 2 calls, 3 events sent
        journal = source.client.journal()
    args = ["--import", str(exported), "--export-on-exit", str(on_exit)]
    with BridgeProcess(tmp_path / "b", args=args) as target:
        assert sessions(target) == ["session-id-0", "session-id-1", "session-id-2"]
        ana = "/api/records/contact?$filter=firstname%20eq%20'Ana'"
        contacts = target.client.request("GET", ana)
        assert [c["fullname"] for c in contacts["value"]] == ["Ana Lima"]
        assert [e["api"] for e in target.client.journal()] == [e["api"] for e in journal]
        with WidgetClient(target.client.url) as widget:
            widget.call("createSession", CHAT_SESSION)  # ids go on from the imported ones
    assert not target.output().count("Traceback")
    document = json.loads(on_exit.read_text(encoding="utf-8"))
    assert list(document["workspace"]["sessions"]) == [
        "session-id-0", "session-id-1", "session-id-2", "session-id-3",
    ]  # fmt: skip
    assert document["clock"]["offset"] > 0  # the imported fast-forward went on


def test_serve_refuses_an_unfit_import_before_it_listens(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"format": "cifbridge-state", "formatVersion": 7}), encoding="utf-8")
    done = cifbridge("serve", "--port", "0", "--store", "memory", "--import", bad)
    assert done.returncode == IMPORT_FILE
    assert done.stderr.startswith(f"cifbridge: the --import file {bad}: $.")
    assert len(done.stderr.strip().splitlines()) == 1 and done.stdout == ""
    missing = cifbridge("serve", "--port", "0", "--import", tmp_path / "none.json")
    assert missing.returncode == IMPORT_FILE and "cannot be read" in missing.stderr
    folder = cifbridge("serve", "--port", "0", "--export-on-exit", tmp_path / "no" / "x.json")
    assert folder.returncode == IMPORT_FILE and "does not exist" in folder.stderr


def test_the_store_of_a_stopped_bridge_exports_and_imports(tmp_path: Path) -> None:
    state_a, state_b, out = tmp_path / "a.sqlite3", tmp_path / "b.sqlite3", tmp_path / "out.json"
    with BridgeProcess(tmp_path / "a", args=["--store", "sqlite", "--state", str(state_a)]) as a:
        seeded(a)
        held = cifbridge("state", "export", out, "--state", state_a)
        assert held.returncode == 1 and "--url" in held.stderr  # the bridge holds the file
        assert not out.exists()
    done = cifbridge("state", "export", out, "--state", state_a)
    assert done.returncode == 0, done.stderr
    document: dict[str, Any] = json.loads(out.read_text(encoding="utf-8"))
    assert document["journal"] == {"entries": []}  # the journal lives in a running bridge
    assert len(document["workspace"]["sessions"]) == 3
    done = cifbridge("state", "import", out, "--state", state_b)
    assert done.returncode == 0, done.stderr
    with BridgeProcess(tmp_path / "b", args=["--store", "sqlite", "--state", str(state_b)]) as b:
        assert sessions(b) == ["session-id-0", "session-id-1", "session-id-2"]


def test_a_bad_file_is_refused_by_name_and_path_and_changes_nothing(tmp_path: Path) -> None:
    good, bad = tmp_path / "good.json", tmp_path / "bad.json"
    with BridgeProcess(tmp_path / "a") as source:
        seeded(source)
        assert cifbridge("state", "export", good, "--url", source.client.url).returncode == 0
    document = json.loads(good.read_text(encoding="utf-8"))
    document["workspace"]["sessions"]["session-id-1"]["title"] = 5
    bad.write_text(json.dumps(document), encoding="utf-8")
    with BridgeProcess(tmp_path / "b") as target:
        before = target.client.workspace()["sessions"]
        done = cifbridge("state", "import", bad, "--url", target.client.url)
        assert done.returncode == 1
        assert done.stderr.strip() == (
            f"cifbridge: {bad}: $.workspace.sessions['session-id-1'].title:"
            " 5 is not of type 'string'"
        )
        assert target.client.workspace()["sessions"] == before
    not_json = tmp_path / "text.json"
    not_json.write_text("sessions: 1", encoding="utf-8")
    done = cifbridge("state", "import", not_json, "--state", tmp_path / "s.sqlite3")
    assert done.returncode == 1 and f"{not_json}: is not JSON" in done.stderr
    assert not (tmp_path / "s.sqlite3").exists()


@pytest.mark.redis
def test_a_stopped_redis_bridge_exports_and_imports_one_agent_under_its_own_key(
    tmp_path: Path,
) -> None:
    key, other_key = (f"cifbridge:test:{uuid.uuid4().hex}" for _ in range(2))
    out = tmp_path / "ana.json"
    args = ["--store", "redis", "--redis-key", key]
    with (
        BridgeProcess(tmp_path / "a", args=args) as bridge,
        WidgetClient(bridge.client.url, agent="ana") as ana,
    ):
        ana.call("createSession", CHAT_SESSION)
        ana.call("createSession", CHAT_SESSION)
    # The key from the environment, as `serve` takes it; the agent by name.
    environment = {**os.environ, "CIFBRIDGE_REDIS_KEY": key}
    done = cifbridge("state", "export", out, "--store", "redis", "--agent", "ana", env=environment)
    assert done.returncode == 0, done.stderr
    document: dict[str, Any] = json.loads(out.read_text(encoding="utf-8"))
    assert list(document["workspace"]["sessions"]) == [
        "session-id-0", "session-id-1", "session-id-2",
    ]  # fmt: skip
    default = cifbridge(
        "state", "export", tmp_path / "default.json", "--redis-key", key, "--store", "redis"
    )
    assert default.stdout.startswith("exported 0 session(s)")  # the default agent's: Home only
    done = cifbridge(
        "state", "import", out, "--store", "redis", "--redis-key", other_key, "--agent", "bo"
    )
    assert done.returncode == 0, done.stderr
    with BridgeProcess(tmp_path / "b", args=["--store", "redis", "--redis-key", other_key]) as b:
        bo = b.client.for_agent("bo")
        assert [s["id"] for s in bo.sessions()] == ["session-id-0", "session-id-1", "session-id-2"]
        assert [s["id"] for s in b.client.sessions()] == ["session-id-0"]  # only bo's


def test_the_agent_is_checked_and_named_in_the_url_with_url(tmp_path: Path) -> None:
    out = tmp_path / "out.json"
    bad = cifbridge("state", "export", out, "--state", tmp_path / "s.sqlite3", "--agent", "-x")
    assert bad.returncode == 2 and "'-x' is not an agent name" in bad.stderr
    with_url = cifbridge("state", "export", out, "--url", "http://127.0.0.1:9", "--agent", "bo")
    assert with_url.returncode == 2 and ".../agents/<agent>/" in with_url.stderr
    assert not out.exists()


def test_a_redis_that_does_not_answer_is_said_in_one_line(tmp_path: Path) -> None:
    out = tmp_path / "out.json"
    done = cifbridge(
        "state", "export", out, "--store", "redis", "--redis-url", "redis://127.0.0.1:1/0"
    )
    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    assert done.stderr.strip().splitlines()[-1].startswith("cifbridge: Redis did not answer")
    assert not out.exists()
