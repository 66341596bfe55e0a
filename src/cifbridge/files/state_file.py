"""A workspace exported to a JSON file: its layout, and reading and writing it safely.

    {"format": "cifbridge-state", "formatVersion": 1, "cifbridgeVersion": "0.1.0",
     "clock": {"now": <seconds>, "offset": <fast-forward>},
     "workspace": <engine/base/state.py as JSON>, "journal": {"entries": [...]}}

Rules:
- schemas/state/export.json is the layout; a file is checked against it before anything
  reads it, and a bad one is refused with one line naming the file and the JSON path;
- a file that passes the schema must also rebuild into a workspace (`check_document`), so an
  import either applies whole or changes nothing;
- writing goes to a file beside the target, renamed into place: a reader never sees half.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from cifbridge import __version__
from cifbridge.api.control_bodies import describe
from cifbridge.api.validation import SchemaSet
from cifbridge.engine.base.state import Workspace, from_json
from cifbridge.engine.config.workspace import HOME_SESSION_ID

FORMAT = "cifbridge-state"
FORMAT_VERSION = 1
SCHEMA_ID = "urn:cifbridge:state:export"
Document = dict[str, Any]


class StateFileError(ValueError):
    """An exported state that cannot be read or applied; the text names where and why."""


def state_document(
    workspace: dict[str, Any], now: float, offset: float, journal: list[dict[str, Any]]
) -> Document:
    """Return the exported form of a workspace, the bridge's clock and its journal."""
    return {
        "format": FORMAT,
        "formatVersion": FORMAT_VERSION,
        "cifbridgeVersion": __version__,
        "clock": {"now": now, "offset": offset},
        "workspace": workspace,
        "journal": {"entries": journal},
    }


def record_rows(document: dict[str, Any]) -> list[tuple[str, str, Any]]:
    # The org's record changes: in `records.rows`, or inside the workspace in files written
    # before bridges had agents.
    rows = (document.get("records") or {}).get("rows")
    if rows is None:
        legacy = (document["workspace"].get("records") or {}).get("changed") or {}
        rows = [(e, rid, row) for e, table in legacy.items() for rid, row in table.items()]
    return [(str(e), str(rid), row) for e, rid, row in rows]


def document_problem(schemas: SchemaSet, document: Any) -> str | None:
    """Return why a document is not a state this bridge can import, or None when it is."""
    error = schemas.best_error(SCHEMA_ID, document)
    if error is not None:
        return describe(error)
    try:
        workspace = from_json(document["workspace"])
    except (KeyError, TypeError, ValueError, AttributeError) as problem:
        return f"$.workspace: it does not rebuild into a workspace ({problem})"
    return workspace_problem(workspace)


def workspace_problem(workspace: Workspace) -> str | None:
    """Return what in a rebuilt workspace points nowhere (the views would fail on it), or None."""
    if HOME_SESSION_ID not in workspace.sessions:
        return f"$.workspace.sessions: the Home session {HOME_SESSION_ID} is missing"
    if workspace.focused not in workspace.sessions:
        return f"$.workspace.focused: {workspace.focused!r} is not one of the sessions"
    for key, session in workspace.sessions.items():
        where = f"$.workspace.sessions[{key!r}]"
        if session.id != key:
            return f"{where}.id: {session.id!r} differs from the key it is filed under"
        tabs = {tab.id for tab in session.tabs}
        if session.focused_tab is not None and session.focused_tab not in tabs:
            return f"{where}.focused_tab: {session.focused_tab!r} is not one of its tabs"
    return None


def read_state_file(path: Path, schemas: SchemaSet) -> Document:
    """Read and check an exported state; raise StateFileError naming the file and the path."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        raise StateFileError(f"{path}: cannot be read ({error.strerror or error})") from error
    try:
        document = json.loads(text)
    except ValueError as error:
        raise StateFileError(f"{path}: is not JSON ({error})") from error
    problem = document_problem(schemas, document)
    if problem is not None:
        raise StateFileError(f"{path}: {problem}")
    checked: Document = document
    return checked


def write_state_file(path: Path, document: Document) -> None:
    """Write an exported state, atomically (written aside, then renamed into place)."""
    aside = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        aside.write_text(json.dumps(document, indent=2) + "\n", encoding="utf-8")
        os.replace(aside, path)
    except OSError as error:
        aside.unlink(missing_ok=True)
        raise StateFileError(f"{path}: cannot be written ({error.strerror or error})") from error
