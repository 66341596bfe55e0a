"""Every contract case file on every path (engine, Socket.IO, the shim in Chromium), and agreement.

One runner for the session: bridges start once per configuration, Chromium once; each path's
outcome of a case is computed once and shared by the expectation and the agreement tests.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
import pytest_asyncio

from cifbridge.api.validation import SchemaSet
from cifbridge.contracts import (
    Call,
    ContractError,
    ContractRunner,
    case_files,
    load_cases,
    load_file,
)
from cifbridge.contracts.cli import main as contracts_main
from cifbridge.contracts.outcome import disagreements
from cifbridge.engine import core
from cifbridge.files.resources import data_dir

CONTRACTS = data_dir("contracts")
FILES = case_files([CONTRACTS])

PATHS = ["engine", "socketio", pytest.param("browser", marks=pytest.mark.browser)]


def file_id(path: Path) -> str:
    return path.relative_to(CONTRACTS).as_posix()


@pytest_asyncio.fixture(scope="session", loop_scope="session")
async def runner(schemas: SchemaSet) -> AsyncIterator[ContractRunner]:
    async with ContractRunner(schemas) as contract_runner:
        yield contract_runner


def test_there_are_case_files_for_every_implemented_api(schemas: SchemaSet) -> None:
    cases = load_cases(schemas, [CONTRACTS])
    called = {c.subject.api for c in cases if isinstance(c.subject, Call)}
    implemented = set(core.HANDLERS)  # every function the engine emulates
    assert implemented <= called
    assert all(c.source.strip() for c in cases)


@pytest.mark.asyncio(loop_scope="session")
@pytest.mark.parametrize("path_name", PATHS)
@pytest.mark.parametrize("case_file", FILES, ids=file_id)
async def test_cases_meet_their_expectations(
    runner: ContractRunner, schemas: SchemaSet, case_file: Path, path_name: str
) -> None:
    problems = []
    for case in load_file(schemas, case_file):
        outcome = await runner.outcome(path_name, case)
        label = f"{case.label(CONTRACTS)} {case.description}"
        problems.extend(f"{label}: {problem}" for problem in runner.check(case, outcome))
    assert not problems, "\n".join(problems)


@pytest.mark.asyncio(loop_scope="session")
@pytest.mark.parametrize(
    "path_names",
    [
        pytest.param(("engine", "socketio"), id="engine-socketio"),
        pytest.param(("engine", "socketio", "browser"), id="all-three", marks=pytest.mark.browser),
    ],
)
@pytest.mark.parametrize("case_file", FILES, ids=file_id)
async def test_paths_agree(
    runner: ContractRunner, schemas: SchemaSet, case_file: Path, path_names: tuple[str, ...]
) -> None:
    found: list[str] = []
    for case in load_file(schemas, case_file):
        outcomes = {name: await runner.outcome(name, case) for name in path_names}
        unplayable = {name: o["error"] for name, o in outcomes.items() if "error" in o}
        assert not unplayable, f"{case.label(CONTRACTS)}: {unplayable}"
        found.extend(f"{case.label(CONTRACTS)}: {d}" for d in disagreements(outcomes))
    assert not found, "\n".join(found)


BAD_CASES = """
cases:
  - description: two expectations
    source: test
    call: {api: getSession, args: [session-id-1]}
    expect: {resolves: 1, rejects: {message: x, form: host}}
  - description: no source, unknown agent action
    agent: {action: blur, sessionId: session-id-1}
    expect: {events: []}
  - description: an API that does not exist
    source: test
    call: {api: getSesion, args: []}
    expect: {resolves: null}
"""


def test_loader_names_the_file_and_json_path_of_each_problem(
    schemas: SchemaSet, tmp_path: Path
) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(BAD_CASES, encoding="utf-8")
    with pytest.raises(ContractError) as raised:
        load_file(schemas, path)
    lines = str(raised.value).splitlines()
    assert all(line.startswith(f"{path}: $.cases[") for line in lines), lines
    assert any(
        "$.cases[0].expect: expect holds exactly one of resolves, resolvesLike, rejects" in line
        for line in lines
    )
    assert any("$.cases[1]: 'source' is a required property" in line for line in lines)
    assert any("$.cases[1].agent.action: 'blur' is not one of" in line for line in lines)


def test_loader_rejects_unknown_apis(schemas: SchemaSet, tmp_path: Path) -> None:
    path = tmp_path / "unknown.yaml"
    path.write_text(
        "description: d\nsource: s\ncall: {api: getSesion}\nexpect: {resolves: null}\n",
        encoding="utf-8",
    )
    with pytest.raises(ContractError, match=r"\$\.call\.api: getSesion is not a CIF function"):
        load_file(schemas, path)


def test_loader_reports_yaml_syntax_errors(schemas: SchemaSet, tmp_path: Path) -> None:
    path = tmp_path / "broken.yaml"
    path.write_text("cases: [\n", encoding="utf-8")
    with pytest.raises(ContractError, match=r"broken\.yaml: not valid YAML"):
        load_file(schemas, path)


USER_CASES = """
description: a user's own cases, one passing and one failing
cases:
  - description: a fresh workspace has room
    source: reference §2.7
    call: {api: canCreateSession, args: []}
    expect: {resolves: true, events: []}
  - description: deliberately wrong
    source: test
    call: {api: getFocusedSession, args: []}
    expect: {resolves: session-id-7}
"""


def test_cli_runs_a_users_case_files(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "mine.yaml"
    path.write_text(USER_CASES, encoding="utf-8")
    status = contracts_main(["run", str(path), "--paths", "engine,socketio"])
    out = capsys.readouterr().out
    assert status == 1
    assert f"PASS {path}[0]" in out
    assert f"FAIL {path}[1]" in out
    assert 'engine: resolves: expected "session-id-7", got "session-id-0"' in out
    assert "1 passed, 1 failed (engine, socketio)" in out


def test_cli_exit_status_two_for_invalid_files(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(BAD_CASES, encoding="utf-8")
    assert contracts_main(["run", str(path), "--paths", "engine"]) == 2
    assert "$.cases[0].expect" in capsys.readouterr().err
    assert contracts_main(["run", str(path), "--paths", "engine,carrier-pigeon"]) == 2
