"""The `cifbridge` command: `serve` runs the bridge, `contracts run` plays contract cases.

`scenario run FILE` plays a scenario file (the customer and agent side) against a running bridge.

Every `serve` flag has an environment twin (CIFBRIDGE_HOST, CIFBRIDGE_PORT, CIFBRIDGE_CONFIG,
CIFBRIDGE_STORE, CIFBRIDGE_STATE, CIFBRIDGE_REDIS_URL, CIFBRIDGE_FIDELITY); a flag wins.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from cifbridge.settings import Settings


def _env(name: str, default: str) -> str:
    return os.environ.get(f"CIFBRIDGE_{name}", default)


def build_parser() -> argparse.ArgumentParser:
    """Describe the command line."""
    parser = argparse.ArgumentParser(prog="cifbridge", description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    serve = commands.add_parser("serve", help="run the bridge and the agent workspace")
    serve.add_argument("--host", default=_env("HOST", "127.0.0.1"), help="[CIFBRIDGE_HOST]")
    serve.add_argument(
        "--port", type=int, default=int(_env("PORT", "8765")), help="[CIFBRIDGE_PORT]"
    )
    serve.add_argument(
        "--config",
        type=Path,
        default=Path(p) if (p := _env("CONFIG", "")) else None,
        help="workspace configuration (YAML or JSON) merged into the defaults [CIFBRIDGE_CONFIG]",
    )
    serve.add_argument(
        "--store",
        choices=("memory", "sqlite", "redis"),
        default=_env("STORE", "sqlite"),
        help="where the workspace lives between calls [CIFBRIDGE_STORE]",
    )
    serve.add_argument(
        "--state",
        type=Path,
        default=Path(_env("STATE", ".cifbridge/workspace.sqlite3")),
        help="SQLite file for --store sqlite [CIFBRIDGE_STATE]",
    )
    serve.add_argument(
        "--redis-url",
        default=_env("REDIS_URL", "redis://127.0.0.1:6379/0"),
        help="[CIFBRIDGE_REDIS_URL]",
    )
    serve.add_argument(
        "--fidelity",
        choices=("library", "docs"),
        default=_env("FIDELITY", "library"),
        help="error forms of the real library (default) or the docs [CIFBRIDGE_FIDELITY]",
    )
    serve.add_argument("--reset", action="store_true", help="start from an empty workspace")
    contracts = commands.add_parser("contracts", help="contract case files")
    contracts.add_argument("rest", nargs=argparse.REMAINDER, help="run [PATHS...] [--paths ...]")
    scenario = commands.add_parser("scenario", help="customer-and-agent scenario files")
    scenario.add_argument("rest", nargs=argparse.REMAINDER, help="run FILE [--url URL]")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line and return the exit status."""
    args = build_parser().parse_args(argv)
    if args.command == "contracts":
        from cifbridge.contracts.cli import main as contracts_main

        status: int = contracts_main(args.rest)
        return status
    if args.command == "scenario":
        from cifbridge.scenario.cli import main as scenario_main

        return scenario_main(args.rest)
    settings = Settings(
        host=args.host,
        port=args.port,
        config_path=args.config,
        store=args.store,
        state_path=args.state,
        redis_url=args.redis_url,
        fidelity=args.fidelity,
        reset=args.reset,
    )
    return serve(settings)


def serve(settings: Settings) -> int:
    """Run the bridge until interrupted."""
    from aiohttp import web

    from cifbridge.files.config import ConfigError
    from cifbridge.web.app import create_app

    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    logging.getLogger("aiohttp.access").setLevel(logging.WARNING)
    try:
        app = create_app(settings)
    except (ConfigError, FileNotFoundError) as error:
        print(f"cifbridge: {error}", file=sys.stderr)
        return 2
    web.run_app(
        app,
        host=settings.host,
        port=settings.port,
        print=lambda _: print(banner(settings), flush=True),
    )
    return 0


def banner(settings: Settings) -> str:
    """Say where the workspace is and what to paste into a widget."""
    url = settings.public_url
    return (
        f"cifbridge is serving on {url}\n"
        f"  agent workspace: {url}/\n"
        f"  sample widget:   {url}/samples/softphone.html\n"
        "  paste into your widget page:\n"
        f'    <script src="{url}/webresources/Widget/msdyn_ciLibrary.js"'
        f' data-crmurl="{url}" data-cifid="CIFMainLibrary"></script>\n'
        "  (Ctrl+C to stop)"
    )
