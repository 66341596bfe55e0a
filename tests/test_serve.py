"""`cifbridge serve` as a process: free ports, the ready file, and starts that fail clearly.

Each failing start must print exactly one line on stderr naming the cause and the fix, exit
with the status of its cause (the table in cifbridge.startup and the README), show no
traceback, and leave no state file behind.
"""

from __future__ import annotations

import asyncio
import json
import os
import socket
import subprocess
import sys
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
import socketio

from cifbridge.clients import BridgeProcess, WidgetClient

SERVE = [sys.executable, "-m", "cifbridge", "serve"]


def serve(cwd: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    """Run `cifbridge serve` expecting it to fail fast; return what it did."""
    environment = {k: v for k, v in os.environ.items() if not k.startswith("CIFBRIDGE_")}
    return subprocess.run(
        [*SERVE, *args],
        cwd=cwd,
        env={**environment, **env},
        capture_output=True,
        text=True,
        timeout=60,
        stdin=subprocess.DEVNULL,
    )


def one_line(done: subprocess.CompletedProcess[str]) -> str:
    """Return the single stderr line of a failed start, checking there is no more."""
    lines = done.stderr.splitlines()
    assert len(lines) == 1, done.stderr
    assert "Traceback" not in done.stderr
    return lines[0]


@pytest.fixture
def taken_port() -> Iterator[int]:
    """A port something else listens on for the test's duration."""
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen()
        yield listener.getsockname()[1]


def test_a_port_in_use_exits_3_and_creates_no_state_file(tmp_path: Path, taken_port: int) -> None:
    done = serve(tmp_path, "--port", str(taken_port))
    assert done.returncode == 3
    assert one_line(done) == (
        f"cifbridge: port {taken_port} on 127.0.0.1 is already in use (another cifbridge?);"
        " stop what listens there, or choose another port with --port N"
        " (CIFBRIDGE_PORT; --port 0 picks a free one)"
    )
    assert list(tmp_path.iterdir()) == []  # no .cifbridge/workspace.sqlite3


def test_unreachable_redis_exits_4(tmp_path: Path) -> None:
    with socket.socket() as probe:  # a port nothing listens on
        probe.bind(("127.0.0.1", 0))
        url = f"redis://127.0.0.1:{probe.getsockname()[1]}/0"
    done = serve(tmp_path, "--port", "0", "--store", "redis", "--redis-url", url)
    assert done.returncode == 4
    line = one_line(done)
    assert line.startswith(f"cifbridge: Redis does not answer at {url} (")
    assert line.endswith("or use --store sqlite")


def test_an_unreadable_state_file_exits_5_and_is_left_alone(tmp_path: Path) -> None:
    state = tmp_path / "notes.sqlite3"
    state.write_text("my notes, not a database\n")
    done = serve(tmp_path, "--port", "0", "--state", str(state))
    assert done.returncode == 5
    assert one_line(done) == (
        f"cifbridge: the state file {state} cannot be used (file is not a database);"
        " move it away (the bridge then starts a new one), or choose another with --state PATH"
    )
    assert state.read_text() == "my notes, not a database\n"


def test_an_invalid_config_exits_2_and_creates_no_state_file(tmp_path: Path) -> None:
    (tmp_path / "ws.yaml").write_text("providers: [{uniqueName: 'bad name', landingUrl: /x}]\n")
    done = serve(tmp_path, "--config", "ws.yaml", "--state", "state/ws.sqlite3")
    assert done.returncode == 2
    line = one_line(done)
    assert line.startswith("cifbridge: invalid configuration: ws.yaml: $.providers[0].uniqueName")
    assert line.endswith("check the --config path (CIFBRIDGE_CONFIG) and the problems named")
    assert not (tmp_path / "state").exists()


@pytest.mark.parametrize(
    ("variable", "value", "allowed"),
    [
        ("CIFBRIDGE_STORE", "postgres", "'memory', 'sqlite', 'redis'"),
        ("CIFBRIDGE_FIDELITY", "exact", "'library', 'docs'"),
        ("CIFBRIDGE_LOG_LEVEL", "loud", "'debug', 'info', 'warning', 'error'"),
    ],
)
def test_a_bad_environment_value_exits_64_naming_the_allowed_values(
    tmp_path: Path, variable: str, value: str, allowed: str
) -> None:
    done = serve(tmp_path, **{variable: value})
    assert done.returncode == 64
    line = one_line(done)
    assert f"(env var: '{variable}'): '{value}' is not one of {allowed}." in line
    assert line.endswith("(see `cifbridge serve --help`)")
    assert list(tmp_path.iterdir()) == []


def test_a_missing_browser_bundle_exits_7(tmp_path: Path) -> None:
    done = serve(tmp_path, "--port", "0", CIFBRIDGE_NODE_MODULES=str(tmp_path / "empty"))
    assert done.returncode == 7
    assert "the socket.io-client bundle is missing" in one_line(done)
    assert list(tmp_path.iterdir()) == []  # the state file it had opened is gone again


def test_a_ready_file_in_a_missing_folder_exits_8(tmp_path: Path) -> None:
    done = serve(tmp_path, "--port", "0", "--ready-file", str(tmp_path / "nowhere" / "url"))
    assert done.returncode == 8
    assert one_line(done).startswith(f"cifbridge: the folder of the ready file {tmp_path}")


def test_debug_shows_the_traceback(tmp_path: Path) -> None:
    (tmp_path / "ws.yaml").write_text("limits: {maxSessions: many}\n")
    done = serve(tmp_path, "--port", "0", "--config", "ws.yaml", "--debug")
    assert done.returncode == 2
    assert "Traceback (most recent call last)" in done.stderr
    assert done.stderr.splitlines()[-1].startswith("cifbridge: invalid configuration:")


def test_a_second_bridge_on_the_same_state_file_refuses_to_start(tmp_path: Path) -> None:
    state = tmp_path / "shared.sqlite3"
    with BridgeProcess(tmp_path / "a", args=["--store", "sqlite", "--state", str(state)]) as first:
        done = serve(tmp_path, "--port", "0", "--state", str(state))
        assert done.returncode == 6
        assert one_line(done) == (
            f"cifbridge: the state file {state} is in use by another running cifbridge;"
            " stop that bridge, or give this one its own file with --state PATH"
            " (or --store memory)"
        )
        # The first bridge goes on alone: no second workspace hands out session-id-1 again.
        with WidgetClient(first.client.url) as widget:
            assert widget.call("createSession", {"templateName": "msdyn_chat_session"}) == (
                "session-id-1"
            )


def test_port_0_is_reported_by_the_ready_file_banner_and_healthz(tmp_path: Path) -> None:
    with BridgeProcess(tmp_path) as bridge:
        url = bridge.ready_file.read_text().strip()
        with urllib.request.urlopen(url + "/healthz", timeout=10) as response:
            health = json.loads(response.read())
        assert health["port"] == int(url.rsplit(":", 1)[1]) != 0
        assert (health["url"], health["ready"], health["store"]) == (url, True, "memory")
        banner = bridge.output()
        assert f"is serving on {url}\n" in banner
        assert f"\nready at {url} (Ctrl+C to stop)\n" in banner
        assert "store:           memory (nothing is kept when the bridge stops)" in banner
    assert not bridge.ready_file.exists()


def test_the_banner_counts_the_resumed_sessions_and_reset_starts_fresh(tmp_path: Path) -> None:
    state = ["--store", "sqlite", "--state", str(tmp_path / "ws.sqlite3")]
    with BridgeProcess(tmp_path / "1", args=state) as first:
        with WidgetClient(first.client.url) as widget:
            for _ in range(2):
                widget.call("createSession", {"templateName": "msdyn_chat_session"})
        assert "ws.sqlite3, a new workspace\n" in first.output()
    with BridgeProcess(tmp_path / "2", args=state) as again:
        assert "ws.sqlite3, 2 sessions resumed (--reset starts fresh)\n" in again.output()
        for agent in ("bob", "alice"):  # other agents' workspaces resume too, and are named
            with WidgetClient(again.client.url, agent=agent) as widget:
                widget.call("createSession", {"templateName": "msdyn_chat_session"})
    with BridgeProcess(tmp_path / "4", args=state) as third:
        assert (
            "ws.sqlite3, 2 sessions resumed, and 2 other agents (alice, bob)"
            " (--reset starts fresh)\n"
        ) in third.output()
    with BridgeProcess(tmp_path / "3", args=[*state, "--reset"]) as fresh:
        assert "ws.sqlite3, started fresh (--reset)\n" in fresh.output()
        assert [s["id"] for s in fresh.client.sessions()] == ["session-id-0"]


def test_each_widget_connection_is_logged_with_origin_provider_and_trust(tmp_path: Path) -> None:
    with BridgeProcess(tmp_path) as bridge:
        asyncio.run(_connect_from_elsewhere(bridge.client.url, "http://evil.example"))
        with WidgetClient(bridge.client.url):
            pass
        with WidgetClient(bridge.client.url, agent="alice"):
            pass
        bridge.stop()
        log = bridge.output()
    assert (
        f"INFO cifbridge: widget connected from {bridge.client.url} as cifb_softphone for agent"
        " alice (its page is under the landing URL), trusted"
    ) in log
    assert (
        "WARNING cifbridge: widget connected from http://evil.example as cifb_softphone (the only"
        " provider: no data-provider, no landing URL match) is not trusted by cifb_softphone:"
        " every call will be refused; trusted domains: localhost, 127.0.0.1, [::1], 127.0.0.1;"
        " add evil.example to trustedDomains of provider cifb_softphone in the workspace"
        " configuration (host names, ports ignored; trusted now: localhost, 127.0.0.1, [::1],"
        " 127.0.0.1)"
    ) in log
    assert (
        f"INFO cifbridge: widget connected from {bridge.client.url} as cifb_softphone"
        " (its page is under the landing URL), trusted"
    ) in log
    assert "widget disconnected from http://evil.example as cifb_softphone" in log
    assert f"widget disconnected from {bridge.client.url} as cifb_softphone" in log


async def _connect_from_elsewhere(url: str, origin: str) -> None:
    # A widget connection that says it comes from another site. aiohttp's websocket sends the
    # Origin header it is given (websocket-client, the sync client's, adds one of its own; and
    # python-socketio's client over long-polling takes 30 s to disconnect).
    stranger = socketio.AsyncClient(reconnection=False)
    await stranger.connect(
        url,
        namespaces=["/widget"],
        headers={"Origin": origin},
        auth={"href": f"{origin}/widget.html"},
        transports=["websocket"],
    )
    await stranger.disconnect()


def test_load_warnings_print_at_start_and_a_guessed_provider_is_told_what_to_set(
    tmp_path: Path,
) -> None:
    phone = {
        "uniqueName": "cb_phone",
        "landingUrl": "http://localhost:5173/phone.html",
        "trustedDomains": ["http://localhost:5173", "127.0.0.1"],
    }
    with BridgeProcess(tmp_path, {"providers": [phone]}) as bridge:
        with WidgetClient(bridge.client.url, href="http://localhost:3000/other.html") as widget:
            assert widget.call("getPresence") == "Available"
            told = widget.warnings
        (entry,) = bridge.client.journal(api="widget:connect")
        bridge.stop()
        log = bridge.output()
    assert (
        "cifbridge: warning: " + str(tmp_path / "workspace.json") + ": $.providers[0]."
        "trustedDomains[0]: trusted domain 'http://localhost:5173' is read as the host name"
        " 'localhost'"
    ) in log
    assert [w["code"] for w in told] == ["provider-guessed"]
    assert 'put data-provider="cb_phone" or data-provider="cifb_softphone"' in told[0]["message"]
    assert entry["provider"] == "cb_phone" and entry["warnings"] == told
    assert entry["value"]["rule"] == "first-provider"
    assert (
        " as cb_phone (a guess, the first of 2 providers: no data-provider, no landing URL"
        " match): this widget page (http://localhost:3000/other.html) has no data-provider"
    ) in log
