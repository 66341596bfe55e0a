"""Run one bridge process: listen, start, say where it is, stop cleanly on Ctrl+C or SIGTERM.

    bind host:port (--port 0: a free one) → create_app (configuration, store) → start it (the
    saved workspace is resumed) → serve → the banner on stdout, the ready file → wait → stop

Rules:
- the address is bound before the store is opened, so a port in use never creates a state
  file, and a start that fails later removes the state file it created;
- the ready file appears atomically (written aside, then renamed) once the bridge answers,
  and goes away when the bridge stops;
- a startup failure is one line on stderr and its own exit status (see cifbridge.startup);
- stopping answers every pending call before the connections close (Hub.drain).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import signal
import socket
import sys
import traceback
from dataclasses import dataclass, replace
from pathlib import Path

from aiohttp import web

from cifbridge.banner import BridgeFacts, banner
from cifbridge.engine.views.workspace import workspace_view
from cifbridge.files.state_file import Document
from cifbridge.serve_state import apply_import, check_export_folder, export_on_exit, read_import
from cifbridge.settings import Settings
from cifbridge.startup import (
    BAD_CONFIG,
    INTERNAL,
    READY_FILE,
    STOPPED,
    StartupFailure,
    address_failure,
)
from cifbridge.startup import explain as explain_failure
from cifbridge.web.access import binding_problem, binding_warning
from cifbridge.web.app import create_app
from cifbridge.web.hub import Hub
from cifbridge.web.keys import AGENTS, CONFIG_WARNINGS
from cifbridge.web.stopping import close_connections

LOG_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


@dataclass(frozen=True)
class ServeOptions:
    """How the process runs, beyond what `create_app` needs."""

    ready_file: Path | None = None
    log_level: str = "info"
    access_log: bool = False
    debug: bool = False
    import_file: Path | None = None  # serve_state.py: start from an exported state
    export_file: Path | None = None  # and export the whole state when stopped


def serve(settings: Settings, options: ServeOptions) -> int:
    """Run the bridge until stopped; return the exit status."""
    refused = binding_problem(settings)
    if refused:
        print(refused, file=sys.stderr)
        return BAD_CONFIG
    warning = binding_warning(settings)
    if warning:
        print(warning, file=sys.stderr, flush=True)
    configure_logging(options)
    try:
        asyncio.run(_serve(settings, options))
    except KeyboardInterrupt:  # Ctrl+C while starting
        return STOPPED
    except Exception as error:
        return _report(error, settings, options)
    return STOPPED


def configure_logging(options: ServeOptions) -> None:
    """Log with timestamps at the chosen level; the access log only when asked for."""
    logging.basicConfig(level=options.log_level.upper(), format=LOG_FORMAT, stream=sys.stderr)
    access = logging.getLogger("aiohttp.access")
    access.setLevel(logging.INFO if options.access_log else logging.WARNING)


def _report(error: Exception, settings: Settings, options: ServeOptions) -> int:
    if options.debug:
        traceback.print_exception(error)
    failure = explain_failure(error, settings)
    if failure is None:
        line = f"unexpected error: {error!r}; this is a bug: rerun with --debug and report it"
        status = INTERNAL
    else:
        line, status = str(failure), failure.status
    print("cifbridge: " + " ".join(line.split()), file=sys.stderr)
    return status


async def _serve(settings: Settings, options: ServeOptions) -> None:
    check_ready_file(options.ready_file)
    check_export_folder(options.export_file)
    imported = read_import(options.import_file)
    state = NewStateFile(settings)
    listener = listen(settings.host, settings.port)
    settings = replace(settings, port=listener.getsockname()[1])
    try:
        runner = await _start(settings, options, listener, imported)
    except BaseException:
        listener.close()
        state.remove_if_created()
        raise
    try:
        await _until_stopped()
    finally:
        if options.ready_file is not None:
            with contextlib.suppress(OSError):
                options.ready_file.unlink()
        # Before aiohttp's shutdown, which stops reading the open websockets: calls that
        # arrive meanwhile are still read, and refused rather than left unanswered, and the
        # widgets' close handshakes complete (web/stopping.py).
        await close_connections(runner.app)
        await export_on_exit(runner.app, options.export_file)
        await runner.cleanup()


async def _start(
    settings: Settings, options: ServeOptions, listener: socket.socket, imported: Document | None
) -> web.AppRunner:
    app = create_app(settings)
    for warning in app[CONFIG_WARNINGS]:
        print(f"cifbridge: warning: {warning}", file=sys.stderr, flush=True)
    access_log = logging.getLogger("aiohttp.access") if options.access_log else None
    runner = web.AppRunner(app, access_log=access_log)
    try:
        await runner.setup()
        await apply_import(app, imported)  # before the port answers: nobody sees the old state
        await web.SockSite(runner, listener).start()
        facts_hub = app[AGENTS].default
        facts = facts_of(facts_hub, settings)
        others = sorted(h.agent_id for h in app[AGENTS] if h.resumed and h is not facts_hub)
        facts = replace(facts, other_agents=others)
        print(banner(settings, facts), flush=True)
        if options.ready_file is not None:
            write_ready_file(options.ready_file, settings.public_url)
    except BaseException:
        await runner.cleanup()
        raise
    return runner


def facts_of(hub: Hub, settings: Settings) -> BridgeFacts:
    """Collect what the banner tells about a started bridge."""
    view = workspace_view(hub.engine)
    return BridgeFacts(
        providers=[p["uniqueName"] for p in view["providers"]],
        resumed=hub.resumed,
        sessions=len(view["sessions"]) - 1,  # the Home session is always there
        config_files=[settings.config_path] if settings.config_path else [],
    )


def listen(host: str, port: int) -> socket.socket:
    """Bind the listening socket now, so a taken port is known before anything else starts."""
    try:
        family, kind, proto, _, address = socket.getaddrinfo(
            host or None, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE
        )[0]
        listener = socket.socket(family, kind, proto)
    except OSError as error:
        raise address_failure(error, host, port) from error
    try:
        if os.name == "posix":  # as aiohttp does: a restart must not wait for TIME_WAIT
            listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(address)
        listener.listen(128)
    except OSError as error:
        listener.close()
        raise address_failure(error, host, port) from error
    return listener


def check_ready_file(path: Path | None) -> None:
    """Refuse to start when the ready file could not be written later."""
    if path is not None and not path.resolve().parent.is_dir():
        raise StartupFailure(
            READY_FILE,
            f"the folder of the ready file {path} does not exist",
            "create it, or give --ready-file (CIFBRIDGE_READY_FILE) a path in an existing folder",
        )


def write_ready_file(path: Path, url: str) -> None:
    """Write the URL next to the ready file, then rename it into place (readers never see half)."""
    aside = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        aside.write_text(url + "\n", encoding="utf-8")
        os.replace(aside, path)
    except OSError as error:
        with contextlib.suppress(OSError):
            aside.unlink()
        raise StartupFailure(
            READY_FILE,
            f"cannot write the ready file {path} ({error.strerror or error})",
            "give --ready-file (CIFBRIDGE_READY_FILE) a writable path",
        ) from error


class NewStateFile:
    """Remembers whether the SQLite state file (and its folder) existed before the start."""

    def __init__(self, settings: Settings) -> None:
        self.path = settings.state_path if settings.store == "sqlite" else None
        self.existed = self.path is None or self.path.exists()
        self.folder_existed = self.path is None or self.path.parent.exists()

    def remove_if_created(self) -> None:
        """Undo what a failed start created, so it leaves no state file behind."""
        if self.path is None or self.existed:
            return
        for suffix in ("", "-wal", "-shm", "-journal"):
            with contextlib.suppress(OSError):
                Path(f"{self.path}{suffix}").unlink()
        if not self.folder_existed:
            with contextlib.suppress(OSError):
                self.path.parent.rmdir()


async def _until_stopped() -> None:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    signals = (signal.SIGINT, signal.SIGTERM)
    for number in signals:
        with contextlib.suppress(NotImplementedError):  # Windows: Ctrl+C still interrupts
            loop.add_signal_handler(number, stop.set)
    try:
        await stop.wait()
    finally:
        for number in signals:
            with contextlib.suppress(NotImplementedError):
                loop.remove_signal_handler(number)
