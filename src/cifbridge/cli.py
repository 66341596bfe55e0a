"""The `cifbridge` command: `serve` runs the bridge, `contracts run` plays contract cases.

`scenario run FILE` plays a scenario file (the customer and agent side) against a running bridge.

Every `serve` flag has an environment twin (CIFBRIDGE_HOST, CIFBRIDGE_PORT, CIFBRIDGE_CONFIG,
CIFBRIDGE_STORE, CIFBRIDGE_STATE, CIFBRIDGE_REDIS_URL, CIFBRIDGE_FIDELITY, CIFBRIDGE_TOKEN,
CIFBRIDGE_ALLOW_REMOTE, CIFBRIDGE_ALLOWED_HOST, CIFBRIDGE_ALLOWED_ORIGIN); a flag wins.
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
    _add_security_arguments(serve)
    contracts = commands.add_parser("contracts", help="contract case files")
    contracts.add_argument("rest", nargs=argparse.REMAINDER, help="run [PATHS...] [--paths ...]")
    scenario = commands.add_parser("scenario", help="customer-and-agent scenario files")
    scenario.add_argument("rest", nargs=argparse.REMAINDER, help="run FILE [--url URL]")
    return parser


def _add_security_arguments(serve: argparse.ArgumentParser) -> None:
    # Who may reach the bridge (docs/security.md); list twins are comma-separated.
    serve.add_argument(
        "--token",
        default=_env("TOKEN", "") or None,
        help="access token the control API and workspace page require [CIFBRIDGE_TOKEN]",
    )
    serve.add_argument(
        "--allow-remote",
        action="store_true",
        default=_env("ALLOW_REMOTE", "").lower() in ("1", "true", "yes"),
        help="allow a --host other machines can reach (prints a warning) [CIFBRIDGE_ALLOW_REMOTE]",
    )
    serve.add_argument(
        "--allowed-host",
        action="append",
        default=_env_list("ALLOWED_HOST"),
        help="another host name browsers may use for the bridge (repeatable)"
        " [CIFBRIDGE_ALLOWED_HOST]",
    )
    serve.add_argument(
        "--allowed-origin",
        action="append",
        default=_env_list("ALLOWED_ORIGIN"),
        help="another page origin that may use the control API (repeatable)"
        " [CIFBRIDGE_ALLOWED_ORIGIN]",
    )


def _env_list(name: str) -> list[str]:
    return [item.strip() for item in _env(name, "").split(",") if item.strip()]


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
        token=args.token,
        allow_remote=args.allow_remote,
        allowed_hosts=tuple(args.allowed_host),
        allowed_origins=tuple(args.allowed_origin),
    )
    return serve(settings)


def serve(settings: Settings) -> int:
    """Run the bridge until interrupted."""
    from aiohttp import web

    from cifbridge.files.config import ConfigError
    from cifbridge.web.access import binding_problem, binding_warning
    from cifbridge.web.app import create_app

    refused = binding_problem(settings)
    if refused:
        print(refused, file=sys.stderr)
        return 2
    warning = binding_warning(settings)
    if warning:
        print(warning, file=sys.stderr, flush=True)
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
    page = f"{url}/?token={settings.token}" if settings.token else f"{url}/"
    return (
        f"cifbridge is serving on {url}\n"
        f"  agent workspace: {page}\n"
        f"  sample widget:   {url}/samples/softphone.html\n"
        "  paste into your widget page:\n"
        f'    <script src="{url}/webresources/Widget/msdyn_ciLibrary.js"'
        f' data-crmurl="{url}" data-cifid="CIFMainLibrary"></script>\n'
        "  (Ctrl+C to stop)"
    )
