"""What the agent does with records in the workspace: browse, edit and save forms.

Rules:
- the agent reads and writes the same store the widgets do, with the same payload and query
  forms (Web API attributes, OData options); a failure is refused with Dataverse's message,
  not found for an unknown entity or record (Dataverse's 404), invalid for anything else
  (the store's RecordError, which the engine refuses for every agent action);
- a create form (opened by openForm without an entityId) is saved with the form's defaults
  under the agent's values; the tab then shows the saved record, except a quick create form,
  whose tab closes and whose openForm answers {"savedEntityReference": [{entityType, id, name}]};
- cancelling a create form closes its tab; a quick create form's openForm answers
  {"savedEntityReference": []}; a form whose tab was closed some other way stays unanswered,
  as a form the agent walked away from does.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from cifbridge.engine.base.context import CallContext
from cifbridge.engine.base.errors import NOT_FOUND, AgentActionRefused, HostError
from cifbridge.engine.base.feature import Feature
from cifbridge.engine.base.state import Session, Tab
from cifbridge.engine.base.texts import BRIDGE_STOPPED
from cifbridge.engine.cif.records import NOTHING_SAVED, entity_metadata
from cifbridge.engine.cif.tabs import remove_tab
from cifbridge.engine.dataverse import odata, records


def list_entities(ctx: CallContext) -> list[dict[str, Any]]:
    """Describe every entity with all its attributes, for the workspace's lists and forms."""
    return [
        entity_metadata(meta, [meta.primary_id, meta.primary_name, *meta.attributes])
        for meta in ctx.config.entities.values()
    ]


def list_records(ctx: CallContext, entity_name: str, query: str = "") -> dict[str, Any]:
    """Answer an entity's records, as the Web API's collection does."""
    meta = records.entity(ctx, entity_name)
    return {"value": odata.run(ctx, meta, odata.parse(ctx, meta, query, odata.LIST_OPTIONS))}


def get_record(
    ctx: CallContext, entity_name: str, record_id: str, query: str = ""
) -> dict[str, Any]:
    """Answer one record in the Web API form."""
    return odata.retrieve(ctx, records.entity(ctx, entity_name), record_id, query)


def create_record(ctx: CallContext, entity_name: str, data: Mapping[str, Any]) -> dict[str, Any]:
    """Create a record as the agent does on a new form, and answer it."""
    meta = records.entity(ctx, entity_name)
    record_id = records.create(ctx, meta, data)
    return records.view(ctx, meta, records.get(ctx, meta, record_id))


def update_record(
    ctx: CallContext, entity_name: str, record_id: str, data: Mapping[str, Any]
) -> dict[str, Any]:
    """Save the agent's edits to a record, and answer it."""
    meta = records.entity(ctx, entity_name)
    key = records.update(ctx, meta, record_id, data)
    return records.view(ctx, meta, records.get(ctx, meta, key))


def delete_record(ctx: CallContext, entity_name: str, record_id: str) -> None:
    """Delete a record as the agent does."""
    records.delete(ctx, records.entity(ctx, entity_name), record_id)


def _form(ctx: CallContext, tab_id: str) -> dict[str, Any]:
    form = records.forms(ctx).get(tab_id)
    if form is None:
        raise AgentActionRefused(f"Tab {tab_id} holds no open create form", NOT_FOUND)
    return dict(form)


def _form_tab(ctx: CallContext, tab_id: str) -> tuple[Session, Tab] | None:
    for session in ctx.workspace.sessions.values():
        for tab in session.tabs:
            if tab.id == tab_id:
                return session, tab
    return None


def get_form(ctx: CallContext, tab_id: str) -> dict[str, Any]:
    """Describe an open create form: its entity, defaults, and whether it is a quick create."""
    form = _form(ctx, tab_id)
    return {
        "tabId": tab_id,
        "entityName": form["entityName"],
        "data": form["data"],
        "quickCreate": form["quickCreate"],
    }


def save_form(ctx: CallContext, tab_id: str, data: Mapping[str, Any]) -> dict[str, Any]:
    """Create the record of a create form and answer its reference."""
    form = _form(ctx, tab_id)
    meta = records.entity(ctx, form["entityName"])
    record_id = records.create(ctx, meta, {**form["data"], **data})
    name = records.primary_name(ctx, meta.logical_name, record_id)
    reference = {"entityType": meta.logical_name, "id": record_id, "name": name}
    _close_form(ctx, tab_id, form, {"savedEntityReference": [reference]}, record_id)
    return reference


def cancel_form(ctx: CallContext, tab_id: str) -> None:
    """Discard a create form and close its tab."""
    _close_form(ctx, tab_id, _form(ctx, tab_id), dict(NOTHING_SAVED), None)


def _close_form(
    ctx: CallContext, tab_id: str, form: dict[str, Any], answer: Any, record_id: str | None
) -> None:
    del records.forms(ctx)[tab_id]
    ctx.changed()
    found = _form_tab(ctx, tab_id)
    if form["quickCreate"]:
        ctx.settle(form["provider"], form["requestId"], "openForm", answer)
        if found is not None:
            remove_tab(ctx, *found)
    elif found is not None and record_id is None:
        remove_tab(ctx, *found)
    elif found is not None:
        found[1].parameters.update(entityId=record_id, data=None)


def abandon_form(ctx: CallContext, tab: Tab) -> None:
    """Answer a quick create form's openForm as cancelled when its tab closes unsaved.

    Registered for tab closes and session closes; without it the widget would wait forever.
    """
    form = records.forms(ctx).pop(tab.id, None)
    if form is not None:
        ctx.changed()
        if form["quickCreate"]:
            ctx.settle(form["provider"], form["requestId"], "openForm", dict(NOTHING_SAVED))


def release_quick_forms(ctx: CallContext) -> None:
    """Answer every quick create form's openForm with an error before the bridge stops.

    The forms stay open for the agent, but no widget waits on them any more.
    """
    for form in records.forms(ctx).values():
        if form["quickCreate"]:
            error = HostError(BRIDGE_STOPPED)
            ctx.settle_error(form["provider"], form["requestId"], "openForm", error)
            form["quickCreate"] = False


def abandon_session_forms(ctx: CallContext, session: Session) -> None:
    """Answer the open forms of a session the agent closed."""
    for tab in session.tabs:
        abandon_form(ctx, tab)


FEATURE = Feature(
    name="record_forms",
    agent_actions={
        "listEntities": list_entities,
        "listRecords": list_records,
        "getRecord": get_record,
        "createRecord": create_record,
        "updateRecord": update_record,
        "deleteRecord": delete_record,
        "getForm": get_form,
        "saveForm": save_form,
        "cancelForm": cancel_form,
    },
    on_session_closed=(abandon_session_forms,),
    on_tab_closed=(abandon_form,),
    on_stop=(release_quick_forms,),
)
