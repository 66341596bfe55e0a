"""`cifbridge contracts run [PATHS...] [--paths engine,socketio,browser]`: play case files.

Without PATHS the cases bundled with cifbridge run. Exit status: 0 every case passed on every
path and the paths agree, 1 some case failed, 2 the case files or the options are unusable.
Every option has a CIFBRIDGE_* twin (`cifbridge contracts run --help` lists them).
"""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TextIO

import click

from cifbridge.api.validation import SchemaSet
from cifbridge.commandline import CONTEXT, env_option, run
from cifbridge.contracts.browser_path import DEFAULT_CHROMIUM, BrowserUnavailable
from cifbridge.contracts.cases import Case, ContractError, load_cases
from cifbridge.contracts.runner import PATH_NAMES, CaseResult, ContractRunner
from cifbridge.files.resources import data_dir


class PathNames(click.ParamType[list[str]]):
    """A comma-separated list of the paths a case is played through."""

    name = "PATH[,PATH...]"

    def convert(
        self, value: object, param: click.Parameter | None, ctx: click.Context | None
    ) -> list[str]:
        """Split the list and refuse names that are not paths."""
        if isinstance(value, list):
            return value
        names = [p.strip() for p in str(value).split(",") if p.strip()]
        unknown = [p for p in names if p not in PATH_NAMES]
        if unknown or not names:
            self.fail(f"--paths takes {', '.join(PATH_NAMES)} (got {value!r})", param, ctx)
        return names


@click.group(context_settings=CONTEXT)
def contracts() -> None:
    """Play contract case files: the CIF input format, pinned."""


@contracts.command("run")
@click.argument("files", nargs=-1, type=click.Path(path_type=Path), metavar="[PATHS]...")
@env_option(
    "--paths",
    "paths",
    env="CONTRACT_PATHS",
    type=PathNames(),
    default=",".join(PATH_NAMES),
    help="Paths to play each case through, comma-separated.",
)
@env_option(
    "--chromium",
    env="CHROMIUM",
    type=click.Path(path_type=Path, dir_okay=False),
    default=DEFAULT_CHROMIUM,
    help="Chromium for the browser path.",
)
@env_option(
    "-k",
    "keyword",
    env="CONTRACT_KEYWORD",
    default=None,
    help="Only cases whose file or description has this.",
)
@env_option("-q", "--quiet", env="QUIET", is_flag=True, help="Print failures and the summary only.")
def run_contracts(
    files: tuple[Path, ...], paths: list[str], chromium: Path, keyword: str | None, quiet: bool
) -> int:
    """Play case files (or folders of them; default: the cases bundled with cifbridge)."""
    schemas = SchemaSet(data_dir("schemas"))
    root = None if files else data_dir("contracts")
    try:
        cases = load_cases(schemas, list(files) or [data_dir("contracts")])
    except ContractError as error:
        print(error, file=sys.stderr)
        return 2
    if keyword:
        cases = [c for c in cases if keyword in f"{c.label(root)} {c.description}"]
    try:
        results = asyncio.run(_run(schemas, cases, paths, chromium, quiet, root))
    except BrowserUnavailable as error:
        print(
            f"cifbridge contracts: {error}; or leave it out: --paths engine,socketio",
            file=sys.stderr,
        )
        return 2
    failed = sum(1 for r in results if not r.passed)
    print(f"{len(results) - failed} passed, {failed} failed ({', '.join(paths)})")
    return 1 if failed else 0


def main(argv: Sequence[str] | None = None) -> int:
    """Run the `contracts` command and return the exit status."""
    return run(contracts, argv, "cifbridge contracts")


async def _run(
    schemas: SchemaSet,
    cases: list[Case],
    paths: list[str],
    chromium: Path,
    quiet: bool,
    root: Path | None,
) -> list[CaseResult]:
    results = []
    async with ContractRunner(schemas, paths, chromium) as runner:
        for case in cases:
            result = await runner.run(case)
            report(result, root, quiet, sys.stdout)
            results.append(result)
    return results


def report(result: CaseResult, root: Path | None, quiet: bool, out: TextIO) -> None:
    """Print one case's verdict, and why it failed."""
    case = result.case
    if result.passed:
        if not quiet:
            print(f"PASS {case.label(root)}  {case.description}", file=out)
        return
    print(f"FAIL {case.label(root)}  {case.description}", file=out)
    print(f"     source: {case.source}", file=out)
    for path, problems in result.problems.items():
        for problem in problems:
            print(f"     {path}: {problem}", file=out)
    for disagreement in result.disagreements:
        print(f"     {disagreement}", file=out)
