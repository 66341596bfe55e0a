"""The notes flap: insertNotes opens it for a record, the agent writes a note and saves it
(reference §2.11; the host's NotesInfra [SRC]).

Rules:
- insertNotes(entityName, entitySetName, entityId, annotationId) opens the flap in the
  focused session; the record must exist and `entitySetName` be its entity set (ours: the
  host only finds out when it saves), and a non-empty `annotationId` must be an existing note;
- one flap at a time: insertNotes while it is open rejects with the host's own map
  {"value": "Flap already expanded", "errorCode": 101} (Notes_Flap_Already_Expanded);
- the agent's save creates an `annotation` whose `objectid` is the record (the host binds
  objectid_<entityName>), or, with an annotationId, appends the text to that note's notetext
  after a space, as the host does; insertNotes then resolves {"value": "<annotationid>"},
  which the library makes JSON text; cancelling or closing the flap resolves {"value": ""};
- closeNotes() closes the flap as the agent's close button does and resolves null; with no
  flap open it does nothing;
- no 10 s timeout: insertNotes waits for the agent; closing the flap's session answers it as
  closed, a workspace reset with an error.
"""

from __future__ import annotations

from typing import Any

from cifbridge.engine.base.context import DEFERRED, CallContext
from cifbridge.engine.base.errors import (
    NOT_FOUND,
    AgentActionRefused,
    HostError,
    NotesFlapExpanded,
    RecordError,
)
from cifbridge.engine.base.feature import Feature
from cifbridge.engine.base.state import JSON, Session
from cifbridge.engine.base.texts import WORKSPACE_RESET
from cifbridge.engine.cif.queries import NOTES
from cifbridge.engine.config.entities import Entity
from cifbridge.engine.dataverse import records

ANNOTATION, NOTE_TEXT, REGARDING = "annotation", "notetext", "objectid"
INSERT_NOTES = "insertNotes"
NOTHING_SAVED = {"value": ""}


def insert_notes(ctx: CallContext, args: dict[str, Any]) -> Any:
    """Open the notes flap for a record; the answer comes when the agent saves or closes it."""
    open_flap = ctx.workspace.overlays.get(NOTES)
    if open_flap is not None:
        if open_flap["provider"] == ctx.provider and open_flap["requestId"] == ctx.request_id:
            return DEFERRED  # a retry of the call that opened it
        raise NotesFlapExpanded()
    try:
        flap = _checked(ctx, args)
    except RecordError as error:
        raise HostError(error.message) from error
    ctx.workspace.overlays[NOTES] = flap
    ctx.changed()
    return DEFERRED


def _checked(ctx: CallContext, args: dict[str, Any]) -> dict[str, JSON]:
    notes = _annotation(ctx)
    meta = records.entity(ctx, args["entityName"])
    if args["entitySetName"] != meta.entity_set_name:
        raise HostError(
            f"The entitySetName {args['entitySetName']} is not the entity set of "
            f"{meta.logical_name} ({meta.entity_set_name})."
        )
    regarding = notes.attribute(REGARDING)
    if regarding is None or meta.logical_name not in regarding.targets:
        raise HostError(f"Notes cannot be attached to {meta.logical_name} records.")
    record_id = records.record_id(args["entityId"])
    records.get(ctx, meta, record_id)
    annotation_id = args.get("annotationId") or ""
    if annotation_id:
        annotation_id = records.record_id(annotation_id)
        records.get(ctx, notes, annotation_id)
    return {
        "provider": ctx.provider,
        "requestId": ctx.request_id,
        "sessionId": ctx.workspace.focused,
        "entityName": meta.logical_name,
        "entitySetName": meta.entity_set_name,
        "entityId": record_id,
        "annotationId": annotation_id,
        "openedAt": ctx.clock(),
    }


def _annotation(ctx: CallContext) -> Entity:
    found = ctx.config.entities.get(ANNOTATION)
    if found is None:
        raise HostError("The workspace configuration has no annotation entity to keep notes in.")
    return found


def close_notes(ctx: CallContext, args: dict[str, Any]) -> None:
    """Close the notes flap; its insertNotes resolves as nothing saved."""
    if ctx.workspace.overlays.get(NOTES) is not None:
        _close(ctx, dict(NOTHING_SAVED))


def _close(ctx: CallContext, answer: dict[str, str]) -> None:
    flap = ctx.workspace.overlays[NOTES]
    ctx.workspace.overlays[NOTES] = None
    ctx.settle(flap["provider"], flap["requestId"], INSERT_NOTES, answer)


def get_notes(ctx: CallContext) -> dict[str, JSON]:
    """Agent action: the open notes flap, with the text of the note it adds to."""
    flap = _open_flap(ctx)
    existing = ""
    if flap["annotationId"]:
        row = records.find(ctx, _annotation(ctx), flap["annotationId"])
        existing = "" if row is None else str(row["attrs"].get(NOTE_TEXT) or "")
    return {**flap, "existingText": existing}


def save_notes(ctx: CallContext, text: str) -> dict[str, JSON]:
    """Agent action: press Add note; the note is saved and insertNotes resolves its id."""
    flap = _open_flap(ctx)
    notes = _annotation(ctx)
    if flap["annotationId"]:
        row = records.get(ctx, notes, flap["annotationId"])
        before = row["attrs"].get(NOTE_TEXT) or ""
        annotation_id = records.update(
            ctx, notes, flap["annotationId"], {NOTE_TEXT: f"{before} {text}"}
        )
    else:
        meta = records.entity(ctx, flap["entityName"])
        regarding = notes.attribute(REGARDING)
        assert regarding is not None  # checked when the flap opened
        bind = f"{regarding.navigation(meta.logical_name)}@odata.bind"
        reference = f"/{flap['entitySetName']}({flap['entityId']})"
        annotation_id = records.create(ctx, notes, {NOTE_TEXT: text, bind: reference})
    _close(ctx, {"value": annotation_id})
    return {
        "annotationId": annotation_id,
        "entityName": flap["entityName"],
        "entityId": flap["entityId"],
    }


def cancel_notes(ctx: CallContext) -> None:
    """Agent action: press Cancel (or the flap's close button); nothing is saved."""
    _open_flap(ctx)
    _close(ctx, dict(NOTHING_SAVED))


def _open_flap(ctx: CallContext) -> dict[str, JSON]:
    flap: dict[str, JSON] | None = ctx.workspace.overlays.get(NOTES)
    if flap is None:
        raise AgentActionRefused("No notes flap is open", NOT_FOUND)
    return flap


def close_with_session(ctx: CallContext, session: Session) -> None:
    """Answer the flap as closed when the agent closes the session it was opened in."""
    flap = ctx.workspace.overlays.get(NOTES)
    if flap is not None and flap["sessionId"] == session.id:
        _close(ctx, dict(NOTHING_SAVED))


def abandon_notes(ctx: CallContext) -> None:
    """Answer an open flap with an error before the workspace is reset."""
    flap = ctx.workspace.overlays.get(NOTES)
    if flap is not None:
        error = HostError(WORKSPACE_RESET)
        ctx.settle_error(flap["provider"], flap["requestId"], INSERT_NOTES, error)


FEATURE = Feature(
    name="notes",
    handlers={"insertNotes": insert_notes, "closeNotes": close_notes},
    agent_actions={"getNotes": get_notes, "saveNotes": save_notes, "cancelNotes": cancel_notes},
    on_session_closed=(close_with_session,),
    on_reset=(abandon_notes,),
)
