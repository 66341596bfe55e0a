"""`cifbridge state export FILE` / `cifbridge state import FILE`: carry the workspace in a file.

Two ways, as a user reaches for them:
- `--url URL` (CIFBRIDGE_URL): the running bridge at URL, through its control API. The file
  then holds everything: the workspace, the clock and the journal; an import replaces all
  three at once (calls still waiting are answered with an error, as on reset).
- no --url: the store a stopped bridge left, chosen as `serve` chooses it (--store, --state,
  --redis-url, --redis-key and their CIFBRIDGE_ twins), and one agent's workspace in it
  (--agent; with --url, the agent is named in the URL, `.../agents/<agent>/`, as everywhere
  else). Only the workspace lives there: the clock's fast-forward and the journal live in a
  running bridge, so an export has an empty journal and an import leaves them out (`serve
  --import FILE` starts a bridge with all three).

A bad file is refused with one line naming the file and the JSON path, and changes nothing.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Callable, Coroutine
from pathlib import Path
from typing import Any

import click

from cifbridge.api.validation import SchemaSet
from cifbridge.clients.bridge import BridgeClient, BridgeError
from cifbridge.commandline import CONTEXT, FilePath, env_option, store_options
from cifbridge.engine.base.context import DEFAULT_AGENT, BadAgentName, checked_agent
from cifbridge.engine.base.record_store import Change, MemoryRecords
from cifbridge.engine.base.state import dumps, from_json
from cifbridge.files.resources import data_dir
from cifbridge.files.state_file import (
    Document,
    StateFileError,
    read_state_file,
    record_rows,
    state_document,
    write_state_file,
)
from cifbridge.settings import Settings
from cifbridge.store import StateUnreadable, StoreFailed, open_store


def _checked_agent(context: click.Context, parameter: click.Parameter, name: str) -> str:
    try:
        return checked_agent(name)
    except BadAgentName as error:
        raise click.BadParameter(str(error)) from None


def _where(command: Any) -> Any:
    """Declare the bridge (--url, --token) or the store (as serve's options, and --agent) to
    act on."""
    command = click.option(
        "--agent",
        default=DEFAULT_AGENT,
        show_default=True,
        callback=_checked_agent,
        help="Whose workspace in a stopped bridge's store (with --url: name it in the URL,"
        " .../agents/<agent>/).",
    )(command)
    command = store_options(command)
    command = env_option(
        "--token", env="TOKEN", default=None, help="The bridge's access token, with --url."
    )(command)
    return env_option(
        "--url",
        env="URL",
        default=None,
        help="A running bridge to act on; without it, the store a stopped bridge left.",
    )(command)


@click.group(context_settings=CONTEXT)
def state() -> None:
    """Export the workspace to a JSON file, or import one (see `state export --help`)."""


@state.command("export")
@click.argument("file", type=FilePath)
@_where
def export_command(file: Path, **where: Any) -> None:
    """Write the whole state to FILE: sessions, tabs, notifications, presence, records,
    conversations, the clock and the journal (the last two only from a running bridge)."""
    _no_agent_with_url(where)
    if where["url"]:
        document = _over_http(where, lambda client: client.export_state())
    else:
        document = _on_store(_export_store(_settings(where, existing=True), where["agent"]))
    _checked(write_state_file, file, document)
    sessions = len(document["workspace"]["sessions"]) - 1  # the Home session is always there
    entries = len(document["journal"]["entries"])
    click.echo(f"exported {sessions} session(s) and {entries} journal entries to {file}")


@state.command("import")
@click.argument("file", type=FilePath)
@_where
def import_command(file: Path, **where: Any) -> None:
    """Replace the state with the one FILE holds (a file `state export` wrote)."""
    _no_agent_with_url(where)
    document = _checked(read_state_file, file, SchemaSet(data_dir("schemas")))
    if where["url"]:
        _over_http(where, lambda client: client.import_state(document))
    else:
        _on_store(_import_store(_settings(where), document, where["agent"]))
        if document["journal"]["entries"]:
            click.echo("the journal and the clock stay out of a store: use --url or serve --import")
    click.echo(f"imported {file}")


def _over_http(where: dict[str, Any], action: Callable[[BridgeClient], Any]) -> Any:
    client = BridgeClient(where["url"], token=where["token"] or None)
    try:
        return action(client)
    except BridgeError as error:
        raise click.ClickException(f"the bridge refused: {error.message}") from None
    except OSError as error:
        raise click.ClickException(f"no bridge answers at {client.url} ({error})") from None


def _on_store(work: Coroutine[Any, Any, Any]) -> Any:
    import sqlite3

    from redis.exceptions import ConnectionError as RedisConnectionError

    try:
        return asyncio.run(work)
    except RedisConnectionError as error:
        raise click.ClickException(f"Redis does not answer ({error})") from None
    except StoreFailed as error:  # the store's own words: Redis unreachable, a failed write
        raise click.ClickException(str(error)) from None
    except (StateUnreadable, sqlite3.DatabaseError) as error:
        raise click.ClickException(
            f"the store cannot be used ({error}); a running bridge holds its state file:"
            " give its --url instead"
        ) from None


def _settings(where: dict[str, Any], existing: bool = False) -> Settings:
    if where["store"] == "memory":
        raise click.ClickException(
            "--store memory keeps the workspace only inside a running bridge: give its --url"
        )
    if existing and where["store"] == "sqlite" and not where["state"].exists():
        raise click.ClickException(f"there is no state file {where['state']} (see --state)")
    return Settings(
        store=where["store"],
        state_path=where["state"],
        redis_url=where["redis_url"],
        redis_key=where["redis_key"],
    )


def _no_agent_with_url(where: dict[str, Any]) -> None:
    if where["url"] and where["agent"] != DEFAULT_AGENT:
        raise click.UsageError("with --url, name the agent in the URL: .../agents/<agent>/")


async def _export_store(settings: Settings, agent: str) -> Document:
    store = open_store(settings)
    try:
        async with store.exclusive(agent):
            saved = await store.load(agent)
        records = MemoryRecords({})  # only the changes: the configured records are the config's
        await store.load_records(records)
    finally:
        await store.close()
    if saved is None:
        whose = "" if agent == DEFAULT_AGENT else f" for agent {agent}"
        raise click.ClickException(f"the {settings.store} store holds no workspace{whose} yet")
    document = state_document(json.loads(saved), time.time(), 0.0, [])
    document["records"] = {"rows": [list(row) for row in records.changed_rows()]}
    return document


async def _import_store(settings: Settings, document: Document, agent: str) -> None:
    store = open_store(settings)
    try:
        async with store.exclusive(agent):
            saved = await store.load(agent)
            known = int(json.loads(saved).get("revision", 0)) if saved else 0
            workspace = from_json(document["workspace"])
            # Newer than what was saved, so bridges sharing the store load it.
            workspace.revision = max(workspace.revision, known) + 1
            rows = record_rows(document)
            workspace.records.pop("changed", None)
            await store.clear_records()
            changes = [Change(entity, rid, None, row) for entity, rid, row in rows]
            await store.save(agent, dumps(workspace), workspace.revision, changes)
    finally:
        await store.close()


def _checked(action: Any, *args: Any) -> Any:
    try:
        return action(*args)
    except StateFileError as error:
        raise click.ClickException(str(error)) from None
