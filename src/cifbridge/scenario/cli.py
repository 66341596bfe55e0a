"""`cifbridge scenario run FILE [--url URL]`: play a scenario against a running bridge.

Exit status: 0 every step passed, 1 a step failed (an expectation that does not hold, or an
action refused unexpectedly, which also stops the run), 2 the file is unusable, an option is
wrong, or no bridge answers at the URL.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TextIO

import click

from cifbridge.api.validation import SchemaSet
from cifbridge.clients.bridge import BridgeClient, BridgeError
from cifbridge.commandline import CONTEXT, env_option, run
from cifbridge.files.resources import data_dir
from cifbridge.scenario.files import ScenarioError, load_scenario
from cifbridge.scenario.runner import ScenarioRunner, StepFailed

DEFAULT_URL = "http://127.0.0.1:8765"


@click.group(context_settings=CONTEXT)
def scenario() -> None:
    """Play customer-and-agent scenario files against a bridge."""


@scenario.command("run")
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False))
@env_option("--url", env="URL", default=DEFAULT_URL, help="The bridge to play against.")
@click.pass_obj
def run_scenario(out: TextIO | None, file: Path, url: str) -> int:
    """Play a scenario FILE (YAML or JSON) against a running bridge, one line per step."""
    out = out or sys.stdout
    try:
        story = load_scenario(SchemaSet(data_dir("schemas")), file)
    except ScenarioError as error:
        print(f"cifbridge scenario: {error}", file=sys.stderr)
        return 2
    bridge = BridgeClient(url)
    try:
        bridge.request("GET", "/healthz")
    except (OSError, BridgeError) as error:
        print(f"cifbridge scenario: no bridge answers at {url}: {error}", file=sys.stderr)
        return 2
    try:
        report = ScenarioRunner(bridge, out).run(story)
    except (OSError, StepFailed) as error:
        print(f"cifbridge scenario: the bridge stopped answering: {error}", file=sys.stderr)
        return 2
    return 0 if report.ok else 1


def main(argv: Sequence[str] | None = None, out: TextIO | None = None) -> int:
    """Run the `scenario` command and return the exit status."""
    return run(scenario, argv, "cifbridge scenario", obj=out)
