"""The command line's security flags: remote binding needs a flag, the token and host lists."""

from __future__ import annotations

import subprocess
import sys
import time
import urllib.request

import pytest

from cifbridge.banner import banner
from cifbridge.cli import main, parse_serve_args
from cifbridge.settings import Settings
from tests.conftest import free_port


def test_a_non_loopback_host_needs_allow_remote(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["serve", "--host", "0.0.0.0", "--store", "memory"]) == 2
    error = capsys.readouterr().err
    assert "--host 0.0.0.0 would let other machines reach the bridge" in error
    assert "pass --allow-remote" in error


def test_security_flags_have_environment_twins(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CIFBRIDGE_TOKEN", "t0k")
    monkeypatch.setenv("CIFBRIDGE_ALLOW_REMOTE", "1")
    monkeypatch.setenv("CIFBRIDGE_ALLOWED_HOST", "bridge.test, box.lan")
    monkeypatch.setenv("CIFBRIDGE_ALLOWED_ORIGIN", "http://dash.test:3000")
    settings = parse_serve_args(["--allowed-host", "more.test"])
    assert settings.token == "t0k" and settings.allow_remote is True
    # A flag wins over its twin, as for every option.
    assert settings.allowed_hosts == ("more.test",)
    assert settings.allowed_origins == ("http://dash.test:3000",)
    assert parse_serve_args([]).allowed_hosts == ("bridge.test", "box.lan")


def test_the_banner_gives_the_page_address_with_its_token() -> None:
    assert "agent workspace: http://127.0.0.1:9300/?token=t0k" in banner(
        Settings(port=9300, token="t0k")
    )


def test_allow_remote_serves_and_warns() -> None:
    port = free_port()
    command = [sys.executable, "-m", "cifbridge", "serve", "--host", "0.0.0.0", "--port"]
    command += [str(port), "--store", "memory", "--allow-remote"]
    process = subprocess.Popen(
        command, stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True
    )
    try:
        assert process.stderr is not None
        warning = process.stderr.readline()
        assert warning.startswith("cifbridge: WARNING: serving on 0.0.0.0")
        assert "protected by nothing: no --token is set" in warning
        for _ in range(300):  # readiness polling of a child process
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1):
                    break
            except OSError:
                time.sleep(0.05)
        else:
            pytest.fail("the bridge did not start")
    finally:
        process.terminate()
        process.wait(timeout=10)
        if process.stderr is not None:
            process.stderr.close()
