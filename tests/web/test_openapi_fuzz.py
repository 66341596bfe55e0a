"""Schemathesis against /api/openapi.json of a live bridge: no server error, answers as documented.

The bridge runs as `cifbridge serve --store memory` in a child process; schemathesis (its own
command line, in a child process too) reads the document the bridge serves and sends every
operation generated requests, valid and invalid. Every check runs but one:
positive_data_acceptance, because the engine's own rules (a width under 300, a session that is
not open, a state that forbids the action) refuse some schema-valid bodies, with the 400, 404
and 409 the document lists. The run is bounded (CIFBRIDGE_OPENAPI_FUZZ_EXAMPLES examples per
operation, 6 by default) and seeded, so it is the same run in CI; raise the number to fuzz
longer.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from cifbridge.api.control_routes import ROUTES
from cifbridge.clients.bridge import BridgeError
from cifbridge.clients.processes import BridgeProcess

EXAMPLES = int(os.environ.get("CIFBRIDGE_OPENAPI_FUZZ_EXAMPLES", "6"))
SEED = 20261202
# A path value that exists, so record queries reach the OData parser instead of a 404; the
# whole exported state is a large schema, so importState gets fewer, random examples only.
CONFIG = f"""
generation.max-examples = {EXAMPLES}
phases.examples.enabled = false
phases.stateful.enabled = false

[parameters]
entity_name = "contact"

[[operations]]
include-operation-id = "importState"
phases.coverage.enabled = false
generation.max-examples = 3
"""
OUR_FRAME = re.compile(r'File "[^"]*/cifbridge/[^"]*"')


@pytest.fixture
def bridge(tmp_path: Path) -> Iterator[BridgeProcess]:
    with BridgeProcess(tmp_path / "bridge") as running:
        yield running


def test_every_operation_answers_as_documented(bridge: BridgeProcess, tmp_path: Path) -> None:
    config = tmp_path / "schemathesis.toml"
    config.write_text(CONFIG, encoding="utf-8")
    url = bridge.client.url
    command = [
        sys.executable, "-m", "schemathesis.cli", "--config-file", str(config), "run",
        f"{url}/api/openapi.json", "--url", url,
        "--checks", "all", "--exclude-checks", "positive_data_acceptance",
        "--seed", str(SEED), "--workers", "1", "--generation-database", "none", "--no-color",
        "--report", "json", "--report-json-path", str(tmp_path / "report.json"),
    ]  # fmt: skip
    run = subprocess.run(command, capture_output=True, text=True, cwd=tmp_path, timeout=300)
    output = run.stdout + run.stderr
    assert run.returncode == 0, output
    report = json.loads((tmp_path / "report.json").read_text(encoding="utf-8"))
    assert report["failures"] == [] and report["errors"] == [], output
    # Every operation was exercised, but the one serving the document schemathesis reads,
    # which it leaves out by itself (test_openapi.py pins that one).
    operations = report["operations"]
    assert operations["tested"] == operations["total"] == len(ROUTES) - 1, operations
    assert report["test_cases"]["generated"] >= len(ROUTES) * 2, report["test_cases"]
    assert not OUR_FRAME.search(bridge.output()), bridge.output()
    assert bridge.process is not None and bridge.process.poll() is None, "the bridge died"


def test_the_clock_cannot_leave_the_calendar(bridge: BridgeProcess) -> None:
    # Found by the run above: a fast-forward of 1e20 s made every later record write fail
    # (a creation date past year 9999). The body schema bounds it; the refusal changes nothing.
    client = bridge.client
    before = client.request("GET", "/api/clock")["now"]
    with pytest.raises(BridgeError, match=r"advanceClock: \$\.seconds: .* maximum"):
        client.advance_clock(1e20)
    assert client.request("GET", "/api/clock")["now"] < before + 60
    client.advance_clock(3_155_760_000)  # the most it takes: a hundred years
    created = client.request("POST", "/api/records/contact", {"firstname": "Ana"})
    assert created["createdon"].startswith("21")
