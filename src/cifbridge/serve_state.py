"""`serve --import FILE --export-on-exit FILE`: start from an exported state, export on the way out.

As the Firebase emulators do: a team shares a seeded workspace, or a bug report carries the
state that shows the bug, and `serve --import` starts right there.

Rules:
- both files are checked before the bridge binds its port: an unfit import file (schema,
  then rebuilding the workspace) or a missing export folder is one line and exit status 9,
  and nothing is started;
- the import replaces whatever the store had saved (it is saved at once, as any change);
- the export is written when the bridge stops (Ctrl+C, SIGTERM), before the store closes;
  a failure to write it is logged and the bridge still stops cleanly.
"""

from __future__ import annotations

import logging
from pathlib import Path

from aiohttp import web

from cifbridge.api.validation import SchemaSet
from cifbridge.files.resources import data_dir
from cifbridge.files.state_file import (
    Document,
    StateFileError,
    read_state_file,
    write_state_file,
)
from cifbridge.startup import IMPORT_FILE, StartupFailure
from cifbridge.web.keys import AGENTS, SCHEMAS
from cifbridge.web.state_transfer import export_state, import_state

log = logging.getLogger("cifbridge")


def read_import(path: Path | None) -> Document | None:
    """Return the checked document of --import, or None without one."""
    if path is None:
        return None
    try:
        return read_state_file(path, SchemaSet(data_dir("schemas")))
    except StateFileError as error:
        fix = "give --import (CIFBRIDGE_IMPORT) a file `cifbridge state export` wrote"
        raise StartupFailure(IMPORT_FILE, f"the --import file {error}", fix) from error


def check_export_folder(path: Path | None) -> None:
    """Refuse to start when the --export-on-exit file could not be written at the end."""
    if path is not None and not path.resolve().parent.is_dir():
        raise StartupFailure(
            IMPORT_FILE,
            f"the folder of the --export-on-exit file {path} does not exist",
            "create it, or give --export-on-exit (CIFBRIDGE_EXPORT_ON_EXIT) a path in one",
        )


async def apply_import(app: web.Application, document: Document | None) -> None:
    """Replace the started bridge's state with the imported one."""
    if document is not None:
        await import_state(app[AGENTS].default, app[SCHEMAS], document)


async def export_on_exit(app: web.Application, path: Path | None) -> None:
    """Write the whole state to the --export-on-exit file; log, never raise, on failure."""
    if path is None:
        return
    try:
        write_state_file(path, await export_state(app[AGENTS].default))
    except StateFileError as error:
        log.error("cifbridge: the state was not exported: %s", error)
        return
    log.info("exported the state to %s", path)
