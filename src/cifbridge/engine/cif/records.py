"""The record functions of CIF (reference §2.2, §2.3): CRUD, search, forms and entity metadata.

Rules:
- createRecord, retrieveRecord, updateRecord and deleteRecord act on the embedded store (see
  records.py); `data` is a JSON string of Web API attributes, `options` an OData query string;
- they answer what Xrm.WebApi answers: {entityType, id} for create and update, {entityType, id,
  name} for delete, the record's Web API form for retrieve (the shim makes each a JSON string);
- a Dataverse failure (unknown entity, missing record, bad payload or query) rejects with the
  host's IErrorHandler under "value": errorMsg, the sourceFunc the host names, reportTime in
  UTC, errorType 2 (XrmApiError) ([SRC]; XrmError);
- searchAndOpenRecords answers the rows (at most 5000); with searchOnly false, exactly one row
  and no $search opens that record in a new focused tab of the focused session, anything else
  opens the search page (template msdyn_search) with the $search text ([SRC], [DOC]);
- navigating (searchAndOpenRecords with searchOnly false, renderSearchPage) needs the focused
  session to be the caller's or Home: "This operation can be performed from the active
  provider" ([SRC]); renderSearchPage answers null;
- openForm opens the record (entityId) or a create form, focused, in the focused session, and
  answers {"savedEntityReference": []} at once; a quick create form (useQuickCreateForm)
  answers when the agent saves it, with the saved record's reference, or cancels it ([]);
- getEntityMetadata answers EntityMetadata properties, with Attributes only for the names asked.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import Any

from cifbridge.engine.base.context import DEFERRED, CallContext, Deferred
from cifbridge.engine.base.errors import (
    InvalidInput,
    NotAllowedForProvider,
    RecordError,
    XrmError,
)
from cifbridge.engine.base.feature import Feature
from cifbridge.engine.base.state import Session
from cifbridge.engine.base.texts import ACTIVE_PROVIDER_ONLY, FORM_ENTITY_NAME_MISSING
from cifbridge.engine.cif.tab_templates import open_tab
from cifbridge.engine.config.entities import Attribute, Entity
from cifbridge.engine.dataverse import odata, records

RECORD_TEMPLATE = "msdyn_entityrecord"
SEARCH_TEMPLATE = "msdyn_search"
NOTHING_SAVED: dict[str, Any] = {"savedEntityReference": []}
ATTRIBUTE_TYPES = {"bigint": "BigInt", "datetime": "DateTime"}  # AttributeTypeCode names
SOURCE_FUNCS = {
    "createRecord": "client.createRecord - Xrm.WebApi.createRecord",
    "retrieveRecord": "client.retrieveRecord - Xrm.WebApi.retrieveRecord",
    "updateRecord": "client.updateRecord - Xrm.WebApi.updateRecord",
    "deleteRecord": "client.deleteRecord - Xrm.WebApi.deleteRecord",
    "searchAndOpenRecords": (
        "client.retrieveMultipleAndOpenRecords - Xrm.WebApi.retrieveMultipleRecords"
    ),
    "renderSearchPage": "client.renderSearchPage - Xrm.Navigation.navigateTo",
    "openForm": "client.openForm - Xrm.Navigation.openForm",
    "getEntityMetadata": "client.getEntityMetadata - Xrm.Utility.getEntityMetadata",
}


@contextmanager
def dataverse(
    ctx: CallContext, api: str, source_funcs: Mapping[str, str] = SOURCE_FUNCS
) -> Iterator[None]:
    """Turn a store failure into the host's Xrm error for `api` (named in `source_funcs`)."""
    try:
        yield
    except RecordError as error:
        report_time = records.utc_string(ctx.clock())
        raise XrmError(error.message, source_funcs[api], report_time) from error


def json_object(api: str, name: str, value: Any) -> dict[str, Any]:
    """Parse a JSON-string argument that must hold an object (an object is taken as is)."""
    if isinstance(value, Mapping):
        return dict(value)
    try:
        parsed = json.loads(value)
    except ValueError as error:
        raise InvalidInput(f"{api}: $.{name}: not a JSON string: {error}") from error
    if not isinstance(parsed, dict):
        raise InvalidInput(f"{api}: $.{name}: the JSON must be an object, not {value}")
    return parsed


def record_data(api: str, value: Any) -> dict[str, Any]:
    """Parse createRecord/updateRecord data, which the real library takes only as a string."""
    if isinstance(value, Mapping):
        raise InvalidInput(
            f"{api}: $.data: pass a JSON string (JSON.stringify(data)): the real library "
            "JSON.parses data and throws on an object"
        )
    return json_object(api, "data", value)


def create_record(ctx: CallContext, args: dict[str, Any]) -> dict[str, Any]:
    """Create a record and answer its reference."""
    payload = record_data("createRecord", args["data"])
    with dataverse(ctx, "createRecord"):
        meta = records.entity(ctx, args["entityName"])
        return {"entityType": meta.logical_name, "id": records.create(ctx, meta, payload)}


def retrieve_record(ctx: CallContext, args: dict[str, Any]) -> dict[str, Any]:
    """Answer one record, shaped by $select and $expand."""
    with dataverse(ctx, "retrieveRecord"):
        meta = records.entity(ctx, args["entityName"])
        return odata.retrieve(ctx, meta, args["entityId"], args.get("query") or "")


def update_record(ctx: CallContext, args: dict[str, Any]) -> dict[str, Any]:
    """Update a record and answer its reference."""
    payload = record_data("updateRecord", args["data"])
    with dataverse(ctx, "updateRecord"):
        meta = records.entity(ctx, args["entityName"])
        record_id = records.update(ctx, meta, args["entityId"], payload)
        return {"entityType": meta.logical_name, "id": record_id}


def delete_record(ctx: CallContext, args: dict[str, Any]) -> dict[str, Any]:
    """Delete a record and answer its reference with the name it had."""
    with dataverse(ctx, "deleteRecord"):
        meta = records.entity(ctx, args["entityName"])
        row = records.delete(ctx, meta, args["entityId"])
    attrs = row["attrs"]
    return {
        "entityType": meta.logical_name,
        "id": attrs[meta.primary_id],
        "name": attrs.get(meta.primary_name),
    }


def acting_session(ctx: CallContext) -> Session:
    """Return the focused session if the caller may navigate in it (its own, or Home)."""
    session = ctx.workspace.sessions[ctx.workspace.focused]
    if not session.is_home and session.provider != ctx.provider:
        raise NotAllowedForProvider(ACTIVE_PROVIDER_ONLY)
    return session


def open_record_tab(ctx: CallContext, session: Session, meta: Entity, record_id: str) -> str:
    """Open a record in a new focused tab and return the tab id."""
    runtime = {"entityName": meta.logical_name, "entityId": record_id}
    return open_tab(ctx, session, RECORD_TEMPLATE, runtime, focus=True).id


def open_search_tab(ctx: CallContext, session: Session, entity_name: str, text: str) -> str:
    """Open the search page for an entity in a new focused tab and return the tab id."""
    runtime = {"searchText": text, "entityName": entity_name}
    return open_tab(ctx, session, SEARCH_TEMPLATE, runtime, focus=True).id


def search_and_open_records(ctx: CallContext, args: dict[str, Any]) -> list[dict[str, Any]]:
    """Answer the matching records; unless searchOnly, open the one found or the search page."""
    navigate = args["searchOnly"] is False
    session = acting_session(ctx) if navigate else None
    with dataverse(ctx, "searchAndOpenRecords"):
        meta = records.entity(ctx, args["entityName"])
        query = odata.parse(ctx, meta, args["queryParameters"], odata.LIST_OPTIONS)
        found = odata.run(ctx, meta, query)
    if session is not None:
        if len(found) == 1 and query.search is None:
            open_record_tab(ctx, session, meta, found[0][meta.primary_id])
        else:
            open_search_tab(ctx, session, meta.logical_name, query.search or "")
    return found


def render_search_page(ctx: CallContext, args: dict[str, Any]) -> None:
    """Open the search page for an entity with the given text."""
    session = acting_session(ctx)
    with dataverse(ctx, "renderSearchPage"):
        meta = records.entity(ctx, args["entityName"])
    open_search_tab(ctx, session, meta.logical_name, args["searchString"])


def open_form(ctx: CallContext, args: dict[str, Any]) -> dict[str, Any] | Deferred:
    """Open a record or a create form; a quick create form answers once the agent acts."""
    form_options = json_object("openForm", "entityFormOptions", args["entityFormOptions"])
    given = args.get("formParameters")
    defaults = json_object("openForm", "formParameters", given) if given else {}
    session = ctx.workspace.sessions[ctx.workspace.focused]
    with dataverse(ctx, "openForm"):
        if not form_options.get("entityName"):
            raise RecordError(FORM_ENTITY_NAME_MISSING)
        meta = records.entity(ctx, str(form_options["entityName"]))
        if form_options.get("entityId"):
            row = records.get(ctx, meta, str(form_options["entityId"]))
            open_record_tab(ctx, session, meta, row["attrs"][meta.primary_id])
            return dict(NOTHING_SAVED)
    runtime = {"entityName": meta.logical_name, "data": defaults}
    tab = open_tab(ctx, session, RECORD_TEMPLATE, runtime, focus=True)
    quick = bool(form_options.get("useQuickCreateForm"))
    records.forms(ctx)[tab.id] = {
        "entityName": meta.logical_name,
        "data": defaults,
        "quickCreate": quick,
        "provider": ctx.provider if quick else None,
        "requestId": ctx.request_id if quick else None,
    }
    return DEFERRED if quick else dict(NOTHING_SAVED)


def entity_metadata(meta: Entity, names: list[str] | None) -> dict[str, Any]:
    """Describe an entity as Xrm.Utility.getEntityMetadata does, with the attributes asked."""
    wanted = [meta.attribute(n) for n in names or []]
    return {
        "LogicalName": meta.logical_name,
        "EntitySetName": meta.entity_set_name,
        "PrimaryIdAttribute": meta.primary_id,
        "PrimaryNameAttribute": meta.primary_name,
        "DisplayName": meta.display_name,
        "DisplayCollectionName": meta.display_collection_name,
        "Description": meta.description,
        "ObjectTypeCode": meta.object_type_code,
        "IsActivity": meta.is_activity,
        "ActivityTypeMask": 1 if meta.is_activity else 0,
        "IsCustomEntity": False,
        "Attributes": [_attribute_metadata(meta, a) for a in wanted if a is not None],
    }


def _attribute_metadata(meta: Entity, attribute: Attribute) -> dict[str, Any]:
    described: dict[str, Any] = {
        "LogicalName": attribute.logical_name,
        "EntityLogicalName": meta.logical_name,
        "DisplayName": attribute.display_name or attribute.logical_name,
        "AttributeType": ATTRIBUTE_TYPES.get(attribute.type, attribute.type.capitalize()),
    }
    if attribute.is_lookup:
        described["Targets"] = list(attribute.targets)
    if attribute.options:
        described["OptionSet"] = [{"Value": v, "Label": t} for v, t in attribute.options.items()]
    return described


def get_entity_metadata(ctx: CallContext, args: dict[str, Any]) -> dict[str, Any]:
    """Answer an entity's metadata (the shim makes it the JSON string the host sends)."""
    with dataverse(ctx, "getEntityMetadata"):
        meta = records.entity(ctx, args["entityName"])
    return entity_metadata(meta, args.get("attributes"))


FEATURE = Feature(
    name="records",
    handlers={
        "createRecord": create_record,
        "retrieveRecord": retrieve_record,
        "updateRecord": update_record,
        "deleteRecord": delete_record,
        "searchAndOpenRecords": search_and_open_records,
        "renderSearchPage": render_search_page,
        "openForm": open_form,
        "getEntityMetadata": get_entity_metadata,
    },
)
