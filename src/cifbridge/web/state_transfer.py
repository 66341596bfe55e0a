"""Carry a running bridge's state: export it whole, or replace it with an exported one.

What travels (files/state_file.py has the layout): the workspace (sessions, tabs,
notifications, presence, conversations, panel), the org's record changes, the clock and the
journal. Importing replaces the org's records for every agent: they are the org's, not one
agent's.

Rules:
- an import is checked whole first (schema, then rebuilding the workspace); a refusal
  changes nothing;
- the clock resumes at the exported `now`, so each deadline keeps the time it had left;
- calls still waiting in the workspace replaced are answered with an error, as on reset;
- the journal's entries come back in order with their times; they are numbered after the
  importing bridge's own entries, since numbers only grow (pollers never miss an entry);
- the journal is read and written through its public methods only.
"""

from __future__ import annotations

from typing import Any

from cifbridge.api.validation import SchemaSet
from cifbridge.files.state_file import (
    Document,
    StateFileError,
    document_problem,
    record_rows,
    state_document,
)
from cifbridge.web.hub import Hub


async def export_state(hub: Hub) -> Document:
    """Return the bridge's whole state as the exported document."""
    workspace = await hub.snapshot()
    entries = await hub.journal.since(0, kinds=None)
    document = state_document(workspace, hub.clock(), hub.engine.workspace.clock_offset, entries)
    # The org's changes over the configured records (in memory or in the SQLite file).
    document["records"] = {"rows": [list(row) for row in hub.engine.records.changed_rows()]}
    return document


async def import_state(hub: Hub, schemas: SchemaSet, document: Any) -> None:
    """Replace the bridge's state with an exported one; StateFileError when it is unfit."""
    problem = document_problem(schemas, document)
    if problem is not None:
        raise StateFileError(problem)
    await hub.load(document["workspace"], record_rows(document))
    await hub.resume_clock_at(float(document["clock"]["now"]))
    await hub.journal.clear()
    for entry in document["journal"]["entries"]:
        # Every kind comes back as what it was (older files have only calls).
        fields = {k: v for k, v in entry.items() if k not in ("seq", "kind")}
        await hub.journal.record(entry.get("kind", "call"), **fields)
