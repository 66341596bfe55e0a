"""Scenario files: the example plays end to end on an in-process bridge; failures read clearly."""

from __future__ import annotations

import asyncio
import io
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from aiohttp.test_utils import TestServer

from cifbridge.api.validation import SchemaSet
from cifbridge.cli import main as cifbridge_main
from cifbridge.clients.bridge import BridgeClient
from cifbridge.scenario.cli import main as scenario_main
from cifbridge.scenario.files import ScenarioError, load_scenario
from cifbridge.scenario.runner import ScenarioRunner
from cifbridge.settings import Settings
from cifbridge.web.app import create_app

EXAMPLE = Path(__file__).resolve().parents[1] / "docs" / "scenarios" / "two-chats-and-a-call.yaml"


@pytest.fixture
async def bridge_url(tmp_path: Path) -> AsyncIterator[str]:
    settings = Settings(store="memory", state_path=tmp_path / "state.sqlite3")
    server = TestServer(create_app(settings), host="127.0.0.1")
    await server.start_server()
    yield str(server.make_url("")).rstrip("/")
    await server.close()


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "scenario.yaml"
    path.write_text(text, encoding="utf-8")
    return path


async def run_cli(*argv: str) -> tuple[int, str]:
    """Run `scenario` in a thread (its client blocks) while the bridge serves on this loop."""
    out = io.StringIO()
    status = await asyncio.to_thread(scenario_main, list(argv), out)
    return status, out.getvalue()


async def test_the_example_scenario_plays_end_to_end(bridge_url: str, schemas: SchemaSet) -> None:
    scenario = load_scenario(schemas, EXAMPLE)
    out = io.StringIO()
    runner = ScenarioRunner(BridgeClient(bridge_url), out)
    report = await asyncio.to_thread(runner.run, scenario)
    assert report.ok, out.getvalue()
    assert report.passed == len(scenario.steps)
    lines = out.getvalue().splitlines()
    assert lines[0].startswith("scenario: Two chats and a voice call")
    assert any("ok   elevate maria to='phone'" in line for line in lines)
    assert lines[-1] == f"{len(scenario.steps)} steps passed, 0 failed"
    # What the steps did is in the workspace too.
    view = await asyncio.to_thread(BridgeClient(bridge_url).workspace)
    statuses = [s["omnichannel"]["status"] for s in view["sessions"] if s["omnichannel"]]
    assert statuses == ["completed", "wrapup", "active"]


async def test_the_cli_runs_the_example(bridge_url: str) -> None:
    status, out = await run_cli("run", str(EXAMPLE), "--url", bridge_url)
    assert status == 0, out


FAILING = """
name: A failing expectation
steps:
  - arrive: {as: ana, channel: chat, customer: {name: Ana Ruiz}}
  - expect: {conversation: ana, state: closed, customer.name: Ana Ruiz}
  - accept: ana
  - expect: {session: ana, title: Ana, unread: {atLeast: 1}}
"""


async def test_a_failed_expectation_is_reported_and_exits_1(
    bridge_url: str, tmp_path: Path
) -> None:
    status, out = await run_cli("run", str(write(tmp_path, FAILING)), "--url", bridge_url)
    assert status == 1
    lines = out.splitlines()
    assert "  1 ok   arrive ana: chat from Ana Ruiz" in lines
    assert "  2 FAIL expect conversation ana: state='closed', customer.name='Ana Ruiz'" in lines
    assert "           state: expected 'closed', got 'open'" in lines
    assert "  3 ok   accept ana" in lines  # a failed expectation does not stop the run
    assert "           title: expected 'Ana', got 'Ana Ruiz'" in lines
    assert "           unread: expected at least 1, got 0" in lines
    assert lines[-1] == "2 steps passed, 2 failed"


REFUSED = """
name: An action the bridge refuses
steps:
  - arrive: {as: ana, channel: chat}
  - end: ana
  - expect: {conversation: ana, state: open}
"""


async def test_an_unexpected_refusal_stops_the_run(bridge_url: str, tmp_path: Path) -> None:
    status, out = await run_cli("run", str(write(tmp_path, REFUSED)), "--url", bridge_url)
    assert status == 1
    lines = out.splitlines()
    assert "  2 FAIL end ana" in lines
    assert any(
        line.strip().startswith("refused (409): Conversation ") and "so it cannot be ended" in line
        for line in lines
    )
    assert "stopped after step 2" in lines
    assert not any(line.startswith("  3 ") for line in lines)


EXPECTED_REFUSAL = """
name: Refusals a scenario expects
steps:
  - arrive: {as: ana, channel: sms}
  - accept: ana
  - elevate: {conversation: ana, to: email}
    refused: SMS contacts cannot be elevated
  - reply: {conversation: ana, text: Hi}
    refused: something else entirely
"""


async def test_refused_steps_pass_only_when_refused(bridge_url: str, tmp_path: Path) -> None:
    path = write(tmp_path, EXPECTED_REFUSAL)
    status, out = await run_cli("run", str(path), "--url", bridge_url)
    assert status == 1
    assert "  3 ok   elevate ana to='email'" in out
    assert "  4 FAIL reply ana text='Hi'" in out
    assert "expected a refusal containing 'something else entirely', but it was done" in out


def test_an_invalid_file_names_the_problem_and_exits_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write(tmp_path, "name: x\nsteps:\n  - arrive: {as: ana, channel: fax}\n")
    assert cifbridge_main(["scenario", "run", str(path)]) == 2
    error = capsys.readouterr().err
    assert "$.steps[0].arrive.channel: 'fax' is not one of" in error


def test_a_missing_bridge_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write(tmp_path, "name: x\nsteps:\n  - advance: 1\n")
    assert scenario_main(["run", str(path), "--url", "http://127.0.0.1:9"]) == 2
    assert "no bridge answers at http://127.0.0.1:9" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("steps: []", "'name' is a required property"),
        ("name: x\nsteps:\n  - {accept: a, end: a}\n", "$.steps[0]"),
        ("name: x\nsteps:\n  - expect: {conversation: a}\n", "$.steps[0].expect"),
        ("name: x\nsteps:\n  - advance: -1\n", "$.steps[0].advance"),
        ("- just a list", "a scenario is a mapping"),
    ],
)
def test_malformed_scenarios_are_refused(
    schemas: SchemaSet, tmp_path: Path, text: str, problem: str
) -> None:
    with pytest.raises(ScenarioError) as caught:
        load_scenario(schemas, write(tmp_path, text))
    assert problem in str(caught.value)


ROUTING_EXAMPLE = EXAMPLE.parent / "routing-across-agents.yaml"


async def test_the_routing_example_plays_across_agents(bridge_url: str, schemas: SchemaSet) -> None:
    scenario = load_scenario(schemas, ROUTING_EXAMPLE)
    out = io.StringIO()
    runner = ScenarioRunner(BridgeClient(bridge_url), out)
    report = await asyncio.to_thread(runner.run, scenario)
    assert report.ok, out.getvalue()
    assert report.passed == len(scenario.steps)
    assert "ok   [bob] advance 120 s" in out.getvalue()
    bob = await asyncio.to_thread(BridgeClient(f"{bridge_url}/agents/bob").workspace)
    assert [s["title"] for s in bob["sessions"][1:]] == ["Maria Campbell"]
    # The conversations live in the agents' own workspaces.
    alice = await asyncio.to_thread(BridgeClient(f"{bridge_url}/agents/alice").workspace)
    assert [s["title"] for s in alice["sessions"][1:]] == ["Visitor 1"]


async def test_a_routed_alias_names_nobody_while_it_is_queued(
    bridge_url: str, tmp_path: Path
) -> None:
    path = write(
        tmp_path,
        """
name: Queued
steps:
  - presence: Away
  - route: {as: ana, channel: chat}
  - accept: ana
""",
    )
    status, out = await run_cli("run", str(path), "--url", bridge_url)
    assert status == 1
    assert "ana is queued: no agent holds it" in out
