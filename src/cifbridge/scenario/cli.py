"""`cifbridge scenario run FILE [--url URL]`: play a scenario against a running bridge.

Exit status: 0 every step passed, 1 a step failed (an expectation that does not hold, or an
action refused unexpectedly, which also stops the run), 2 the file is unusable or no bridge
answers at the URL.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TextIO

from cifbridge.api.validation import SchemaSet
from cifbridge.clients.bridge import BridgeClient, BridgeError
from cifbridge.files.resources import data_dir
from cifbridge.scenario.files import ScenarioError, load_scenario
from cifbridge.scenario.runner import ScenarioRunner, StepFailed

DEFAULT_URL = "http://127.0.0.1:8765"


def build_parser() -> argparse.ArgumentParser:
    """Describe the `scenario` command line."""
    parser = argparse.ArgumentParser(
        prog="cifbridge scenario",
        description="Scenario files: customer-and-agent stories played against a bridge.",
    )
    commands = parser.add_subparsers(dest="command", required=True)
    run = commands.add_parser("run", help="play a scenario file against a running bridge")
    run.add_argument("file", type=Path, metavar="FILE", help="the scenario (YAML or JSON)")
    run.add_argument("--url", default=DEFAULT_URL, help=f"the bridge (default {DEFAULT_URL})")
    return parser


def main(argv: Sequence[str] | None = None, out: TextIO | None = None) -> int:
    """Run the `scenario` command and return the exit status."""
    args = build_parser().parse_args(argv)
    out = out or sys.stdout
    try:
        scenario = load_scenario(SchemaSet(data_dir("schemas")), args.file)
    except ScenarioError as error:
        print(f"cifbridge scenario: {error}", file=sys.stderr)
        return 2
    bridge = BridgeClient(args.url)
    try:
        bridge.request("GET", "/healthz")
    except (OSError, BridgeError) as error:
        print(f"cifbridge scenario: no bridge answers at {args.url}: {error}", file=sys.stderr)
        return 2
    try:
        report = ScenarioRunner(bridge, out).run(scenario)
    except (OSError, StepFailed) as error:
        print(f"cifbridge scenario: the bridge stopped answering: {error}", file=sys.stderr)
        return 2
    return 0 if report.ok else 1
