"""The `cifbridge` command: `serve` runs the bridge, `contracts run` plays contract cases.

`scenario run FILE` plays a scenario file (the customer and agent side) against a running bridge.

Every option has an environment twin (`cifbridge serve --help` lists them: CIFBRIDGE_HOST,
CIFBRIDGE_PORT, CIFBRIDGE_STORE, ...); a flag wins over its twin, and a value that is not
allowed is refused by name whichever way it came. `serve`'s exit statuses are listed in
cifbridge.startup.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import click

from cifbridge import __version__
from cifbridge.banner import banner
from cifbridge.commandline import (
    CONTEXT,
    FilePath,
    LazyGroup,
    UsageStatus,
    env_option,
    run,
    store_options,
)
from cifbridge.settings import Settings
from cifbridge.startup import BAD_USAGE

__all__ = ["banner", "cli", "main", "parse_serve_args"]


@click.group(
    cls=LazyGroup,
    lazy={
        "contracts": "cifbridge.contracts.cli:contracts",
        "scenario": "cifbridge.scenario.cli:scenario",
        "state": "cifbridge.state_cli:state",
    },
    context_settings=CONTEXT,
)
@click.version_option(
    __version__, "--version", prog_name="cifbridge", message="%(prog)s %(version)s"
)
def cli() -> None:
    """A local Dynamics 365 agent workspace for Channel Integration Framework 2.0 widgets."""


class ServeCommand(UsageStatus):
    """`serve`: its usage errors have their own exit status among the startup failures."""

    usage_status = BAD_USAGE


@cli.command(cls=ServeCommand)
@env_option("--host", env="HOST", default="127.0.0.1", help="Interface to listen on.")
@env_option(
    "--port",
    env="PORT",
    type=click.IntRange(0, 65535),
    default=8765,
    help="Port to listen on; 0 picks a free one (the banner, ready file and /healthz say which).",
)
@env_option(
    "--config",
    env="CONFIG",
    type=FilePath,
    default=None,
    show_default="the bundled workspace",
    help="Workspace configuration (YAML or JSON) merged into the bundled defaults.",
)
@store_options
@env_option(
    "--journal-size",
    env="JOURNAL_SIZE",
    type=click.IntRange(1, 1_000_000),
    default=10_000,
    help="Journal entries kept (calls, events, faults); the oldest are dropped and counted.",
)
@env_option(
    "--fidelity",
    env="FIDELITY",
    type=click.Choice(["library", "docs"]),
    default="library",
    help="Error forms of the real library, or of the docs.",
)
@env_option("--reset", env="RESET", is_flag=True, help="Start from an empty workspace.")
@env_option(
    "--import",
    "import_file",
    env="IMPORT",
    type=FilePath,
    default=None,
    help="Start from this exported state (cifbridge state export): workspace, clock, journal.",
)
@env_option(
    "--export-on-exit",
    env="EXPORT_ON_EXIT",
    type=FilePath,
    default=None,
    help="Export the whole state to this file when the bridge stops (Ctrl+C, SIGTERM).",
)
@env_option(
    "--strict",
    env="STRICT",
    is_flag=True,
    help="Refuse every call that draws a diagnostic warning, instead of warning (for CI).",
)
@env_option(
    "--ready-file",
    env="READY_FILE",
    type=FilePath,
    default=None,
    help="Write the bridge's URL here once it answers (atomically); removed when it stops.",
)
@env_option(
    "--log-level",
    env="LOG_LEVEL",
    type=click.Choice(["debug", "info", "warning", "error"], case_sensitive=False),
    default="info",
    help="Least important log messages shown (on stderr, with timestamps).",
)
@env_option("--access-log", env="ACCESS_LOG", is_flag=True, help="Log every HTTP request.")
@env_option("--debug", env="DEBUG", is_flag=True, help="Show the traceback of a failed start.")
@env_option(
    "--token",
    env="TOKEN",
    default=None,
    help="Access token the control API and the workspace page require (docs/security.md).",
)
@env_option(
    "--allow-remote",
    env="ALLOW_REMOTE",
    is_flag=True,
    help="Allow a --host other machines can reach (prints a warning).",
)
@env_option(
    "--allowed-host",
    env="ALLOWED_HOST",
    multiple=True,
    callback=lambda _ctx, _param, values: _split_commas(values),
    help="Another host name browsers may use for the bridge (repeatable; the twin takes a"
    " comma-separated list).",
)
@env_option(
    "--allowed-origin",
    env="ALLOWED_ORIGIN",
    multiple=True,
    callback=lambda _ctx, _param, values: _split_commas(values),
    help="Another page origin that may use the control API (repeatable; the twin takes a"
    " comma-separated list).",
)
def serve(**params: Any) -> int:
    """Run the bridge and the agent workspace.

    It serves until Ctrl+C or SIGTERM. A failed start prints one line naming the cause and the
    fix, and exits with its own status: 2 configuration, 3 address taken, 4 Redis unreachable,
    5 state file unreadable, 6 state file in use, 7 incomplete installation, 8 ready file,
    9 --import file unfit, 64 bad option or environment value.
    """
    from cifbridge.serving import ServeOptions
    from cifbridge.serving import serve as run_bridge

    options = ServeOptions(
        ready_file=params["ready_file"],
        log_level=params["log_level"].lower(),
        access_log=params["access_log"],
        debug=params["debug"],
        import_file=params["import_file"],
        export_file=params["export_on_exit"],
    )
    return run_bridge(settings_from(params), options)


def _split_commas(values: tuple[str, ...]) -> tuple[str, ...]:
    # CIFBRIDGE_ALLOWED_HOST="a.test, b.test": click splits the twin on spaces, commas stay.
    return tuple(item.strip() for value in values for item in value.split(",") if item.strip())


def settings_from(params: dict[str, Any]) -> Settings:
    """Turn `serve`'s parsed options into the settings `create_app` takes."""
    return Settings(
        host=params["host"],
        port=params["port"],
        config_path=params["config"],
        store=params["store"],
        state_path=params["state"],
        redis_url=params["redis_url"],
        journal_size=params["journal_size"],
        redis_key=params["redis_key"],
        fidelity=params["fidelity"],
        reset=params["reset"],
        strict=params["strict"],
        token=params["token"] or None,
        allow_remote=params["allow_remote"],
        allowed_hosts=tuple(params["allowed_host"]),
        allowed_origins=tuple(params["allowed_origin"]),
    )


def parse_serve_args(argv: Sequence[str]) -> Settings:
    """Return the settings `cifbridge serve ARGV` would run with (flags, then environment)."""
    with serve.make_context("serve", list(argv)) as ctx:
        return settings_from(ctx.params)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line and return the exit status."""
    return run(cli, argv, "cifbridge")
