"""The command line: flags, their environment twins, and clear failures."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from cifbridge import __version__
from cifbridge.cli import banner, main, parse_serve_args
from cifbridge.settings import Settings


def test_environment_twins_fill_the_defaults(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CIFBRIDGE_PORT", "9123")
    monkeypatch.setenv("CIFBRIDGE_HOST", "0.0.0.0")
    monkeypatch.setenv("CIFBRIDGE_CONFIG", "/tmp/ws.yaml")
    monkeypatch.setenv("CIFBRIDGE_STORE", "memory")
    settings = parse_serve_args([])
    assert (settings.port, settings.host, settings.config_path, settings.store) == (
        9123,
        "0.0.0.0",
        Path("/tmp/ws.yaml"),
        "memory",
    )


def test_flags_win_over_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CIFBRIDGE_PORT", "9123")
    assert parse_serve_args(["--port", "9200"]).port == 9200


def test_banner_gives_the_workspace_url_and_the_script_tag() -> None:
    text = banner(Settings(host="0.0.0.0", port=9300))
    assert "agent workspace: http://127.0.0.1:9300/" in text
    assert (
        '<script src="http://127.0.0.1:9300/webresources/Widget/msdyn_ciLibrary.js"'
        ' data-crmurl="http://127.0.0.1:9300" data-cifid="CIFMainLibrary"></script>'
    ) in text


def test_invalid_config_exits_2_with_the_json_path(tmp_path: Path) -> None:
    config = tmp_path / "ws.yaml"
    config.write_text("providers: [{uniqueName: 'bad name', landingUrl: /x}]\n")
    done = subprocess.run(
        [sys.executable, "-m", "cifbridge", "serve", "--config", str(config), "--store", "memory"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 2
    assert "$.providers[0].uniqueName" in done.stderr


def test_version_and_help_show_every_option_with_its_twin_and_default(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["--version"]) == 0
    assert capsys.readouterr().out == f"cifbridge {__version__}\n"
    assert main(["serve", "--help"]) == 0
    text = " ".join(capsys.readouterr().out.split())
    for twin in ("[env var: CIFBRIDGE_STORE; default: sqlite]", "CIFBRIDGE_READY_FILE"):
        assert twin in text
    assert main(["contracts", "run", "--help"]) == 0
    assert "[env var: CIFBRIDGE_CONTRACT_PATHS; default: engine,socketio,browser]" in " ".join(
        capsys.readouterr().out.split()
    )
    assert main(["scenario", "run", "--help"]) == 0
    assert "[env var: CIFBRIDGE_URL; default: http://127.0.0.1:8765]" in " ".join(
        capsys.readouterr().out.split()
    )


def test_a_value_from_the_environment_is_checked_like_a_flag(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("CIFBRIDGE_CONTRACT_PATHS", "engine,carrier-pigeon")
    assert main(["contracts", "run"]) == 2
    error = capsys.readouterr().err
    assert error.count("\n") == 1
    assert "--paths takes engine, socketio, browser (got 'engine,carrier-pigeon')" in error


def test_the_scenario_url_has_an_environment_twin(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    story = tmp_path / "story.yaml"
    story.write_text("name: x\nsteps:\n  - advance: 1\n")
    monkeypatch.setenv("CIFBRIDGE_URL", "http://127.0.0.1:9")
    assert main(["scenario", "run", str(story)]) == 2
    assert "no bridge answers at http://127.0.0.1:9" in capsys.readouterr().err


def test_the_journal_size_comes_from_its_flag_or_its_twin_and_must_be_positive(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    assert parse_serve_args([]).journal_size == 10_000
    monkeypatch.setenv("CIFBRIDGE_JOURNAL_SIZE", "250")
    assert parse_serve_args([]).journal_size == 250
    assert parse_serve_args(["--journal-size", "3"]).journal_size == 3
    assert main(["serve", "--journal-size", "0"]) == 64
    assert "--journal-size" in capsys.readouterr().err
