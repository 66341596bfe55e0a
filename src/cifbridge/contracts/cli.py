"""`cifbridge contracts run [PATHS...] [--paths engine,socketio,browser]`: play case files.

Without PATHS the cases bundled with cifbridge run. Exit status: 0 every case passed on every
path and the paths agree, 1 some case failed, 2 the case files or the options are unusable.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TextIO

from cifbridge.api.validation import SchemaSet
from cifbridge.contracts.browser_path import DEFAULT_CHROMIUM, BrowserUnavailable
from cifbridge.contracts.cases import Case, ContractError, load_cases
from cifbridge.contracts.runner import PATH_NAMES, CaseResult, ContractRunner
from cifbridge.files.resources import data_dir


def build_parser() -> argparse.ArgumentParser:
    """Describe the `contracts` command line."""
    parser = argparse.ArgumentParser(
        prog="cifbridge contracts", description="Contract case files: the CIF input format."
    )
    commands = parser.add_subparsers(dest="command", required=True)
    run = commands.add_parser("run", help="play case files through the engine, Socket.IO, Chromium")
    run.add_argument(
        "files",
        nargs="*",
        type=Path,
        metavar="PATHS",
        help="case files or folders of them (default: the cases bundled with cifbridge)",
    )
    run.add_argument(
        "--paths",
        default=",".join(PATH_NAMES),
        help=f"comma-separated paths to play each case through (default: {','.join(PATH_NAMES)})",
    )
    run.add_argument(
        "--chromium", type=Path, default=DEFAULT_CHROMIUM, help="Chromium for the browser path"
    )
    run.add_argument("-k", dest="keyword", help="only cases whose file or description has this")
    run.add_argument("-q", "--quiet", action="store_true", help="print failures and the summary")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the `contracts` command and return the exit status."""
    args = build_parser().parse_args(argv)
    paths = [p.strip() for p in args.paths.split(",") if p.strip()]
    unknown = [p for p in paths if p not in PATH_NAMES]
    if unknown or not paths:
        print(f"cifbridge contracts: --paths takes {', '.join(PATH_NAMES)}", file=sys.stderr)
        return 2
    schemas = SchemaSet(data_dir("schemas"))
    root = None if args.files else data_dir("contracts")
    try:
        cases = load_cases(schemas, args.files or [data_dir("contracts")])
    except ContractError as error:
        print(error, file=sys.stderr)
        return 2
    if args.keyword:
        cases = [c for c in cases if args.keyword in f"{c.label(root)} {c.description}"]
    try:
        results = asyncio.run(_run(schemas, cases, paths, args.chromium, args.quiet, root))
    except BrowserUnavailable as error:
        print(
            f"cifbridge contracts: {error}; or leave it out: --paths engine,socketio",
            file=sys.stderr,
        )
        return 2
    failed = sum(1 for r in results if not r.passed)
    print(f"{len(results) - failed} passed, {failed} failed ({', '.join(paths)})")
    return 1 if failed else 0


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
