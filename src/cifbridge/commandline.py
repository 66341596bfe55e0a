"""What every cifbridge command shares: click settings, environment twins, one-line errors.

Rules:
- every option has an environment twin, CIFBRIDGE_<NAME>, shown in --help with its default;
- a usage error (unknown option, a value that is not allowed, from a flag or from the
  environment) is one line on stderr naming the allowed values and where --help is;
- sub-command groups are imported on first use, so `cifbridge --version` stays quick.
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, TypeVar

import click

F = TypeVar("F", bound=Callable[..., Any])

CONTEXT: dict[str, Any] = {
    "show_default": True,
    "help_option_names": ["-h", "--help"],
    "max_content_width": 100,
}
USAGE_STATUS = 2
FilePath = click.Path(path_type=Path, dir_okay=False)


def env_option(*decls: str, env: str, **settings: Any) -> Callable[[F], F]:
    """Declare an option with its CIFBRIDGE_<env> twin, both shown in --help."""
    return click.option(*decls, envvar=f"CIFBRIDGE_{env}", show_envvar=True, **settings)


def store_options(command: F) -> F:
    """Declare where the workspace lives (--store, --state, --redis-url, --redis-key), as
    serve reads them (the state commands read a stopped bridge's store with the same ones)."""
    for option in reversed(
        (
            env_option(
                "--store",
                env="STORE",
                type=click.Choice(["memory", "sqlite", "redis"]),
                default="sqlite",
                help="Where the workspace lives between calls.",
            ),
            env_option(
                "--state",
                env="STATE",
                type=FilePath,
                default=Path(".cifbridge/workspace.sqlite3"),
                help="SQLite file for --store sqlite; one bridge at a time.",
            ),
            env_option(
                "--redis-url",
                env="REDIS_URL",
                default="redis://127.0.0.1:6379/0",
                help="Redis for --store redis.",
            ),
            env_option(
                "--redis-key",
                env="REDIS_KEY",
                default="cifbridge:workspace",
                help="Key of the workspace in Redis: bridges with the same key share one"
                " workspace.",
            ),
        )
    ):
        command = option(command)
    return command


class LazyGroup(click.Group):
    """A group whose sub-commands are `module:attribute` names, imported when used."""

    def __init__(self, *args: Any, lazy: dict[str, str] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.lazy = dict(lazy or {})

    def list_commands(self, ctx: click.Context) -> list[str]:
        """List eager and lazy sub-commands together."""
        return sorted([*super().list_commands(ctx), *self.lazy])

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        """Return a sub-command, importing it if it is a lazy one."""
        if cmd_name in self.lazy:
            module, _, attribute = self.lazy[cmd_name].partition(":")
            command: click.Command = getattr(importlib.import_module(module), attribute)
            return command
        return super().get_command(ctx, cmd_name)


class UsageStatus(click.Command):
    """A command whose usage errors exit with `usage_status` (serve: 64, see startup)."""

    usage_status = USAGE_STATUS


def run(command: click.Command, argv: Sequence[str] | None, prog_name: str, **extra: Any) -> int:
    """Run a click command as a function: return its exit status instead of exiting."""
    args = list(argv) if argv is not None else sys.argv[1:]
    try:
        result = command.main(args, prog_name=prog_name, standalone_mode=False, **extra)
    except click.UsageError as error:
        print(usage_line(error, prog_name), file=sys.stderr)
        return getattr(error.ctx.command if error.ctx else None, "usage_status", USAGE_STATUS)
    except click.Abort:
        print(f"{prog_name}: aborted", file=sys.stderr)
        return 130
    except click.ClickException as error:
        print(f"{prog_name}: {error.format_message()}", file=sys.stderr)
        return error.exit_code
    return result if isinstance(result, int) else 0


def usage_line(error: click.UsageError, prog_name: str) -> str:
    """Return a usage error as one line that says where the help is."""
    where = error.ctx.command_path if error.ctx else prog_name
    message = " ".join(error.format_message().split())
    return f"{where}: {message} (see `{where} --help`)"
