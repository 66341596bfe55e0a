"""The embedded record store: the configured records plus what changed since, as plain data.

Rules (reference §2.2; Dataverse Web API conventions):
- records are org-wide: every agent's engine reads and writes one record store, injected as
  `ctx.records` (record_store.py); the configuration seeds every table and the store keeps the
  changes (created, updated, deleted records), so a configuration edit shows at the next start
  while what widgets and agents changed persists; a reset of the whole bridge drops them;
- ids are lower-case GUIDs; a created record's id derives from the creating agent and a counter
  in that agent's workspace, so agents never hand out the same id;
- writes take the Web API payload: attributes by logical name, each value of its attribute's
  type; a lookup is set with "<navigation>@odata.bind": "/<entityset>(<id>)" (or null), never
  through `_x_value`;
- on create the store fills what Dataverse fills: the primary id, statecode 0, createdon and
  modifiedon, autonumbers, and names composed of other attributes (fullname), which an update
  of a part recomposes (config/entities.py compose_names, which also fills the seed rows);
- reads show the Web API form: `_x_value` with its formatted-value, navigation-property and
  logical-name annotations, option labels, and @odata.etag from a version bumped on each write;
- failures raise RecordError (base/errors.py) with Dataverse's text; a CIF function turns it
  into its XrmError, the engine into a refusal of the agent action.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from cifbridge.engine.base import texts as messages
from cifbridge.engine.base.context import DEFAULT_AGENT, CallContext
from cifbridge.engine.base.errors import RecordError
from cifbridge.engine.config.entities import (
    EDM_TYPES,
    Attribute,
    Entity,
    compose_names,
    derived_guid,
)

Row = dict[str, Any]  # {"attrs": {logical name: value}, "version": int}; never mutated
FIRST_VERSION = 2_000_000
GUID = re.compile(
    r"^\{?([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})\}?$"
)
BIND = re.compile(r"^/?(\w+)\(([^)]*)\)$")
ANNOTATION = "@OData.Community.Display.V1.FormattedValue"
TEXT_TYPES = ("string", "memo")
INTEGER_TYPES = ("integer", "bigint", "picklist", "state", "status")
RANDSTRING_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ0123456789"
DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def entity(ctx: CallContext, name: str) -> Entity:
    """Return an entity's metadata, or fail as Dataverse does for an unknown logical name."""
    found = ctx.config.entities.get(name)
    if found is None:
        raise RecordError(messages.entity_not_found(name), 404)
    return found


def record_id(value: str) -> str:
    """Return a record id in Dataverse's form (lower case, no braces), or fail."""
    match = GUID.match(str(value).strip())
    if match is None:
        raise RecordError(messages.invalid_record_id(str(value)))
    return match.group(1).lower()


def rows(ctx: CallContext, meta: Entity) -> dict[str, Row]:
    """Return an entity's records by id: the configured ones with the changes applied."""
    return dict(ctx.records.rows(meta.logical_name))


def get(ctx: CallContext, meta: Entity, rid: str) -> Row:
    """Return one record, or fail as Dataverse does when it does not exist."""
    key = record_id(rid)
    row = find(ctx, meta, key)
    if row is None:
        raise RecordError(messages.record_not_found(meta.logical_name, key), 404)
    return row


def find(ctx: CallContext, meta: Entity, rid: str) -> Row | None:
    """Return the record with this (normalized) id, or None, without building the table."""
    return ctx.records.find(meta.logical_name, rid)


def primary_name(ctx: CallContext, entity_name: str, rid: str) -> Any:
    """Return the primary name of a referenced record, or None when it is gone."""
    meta = ctx.config.entities.get(entity_name)
    row = find(ctx, meta, rid) if meta is not None else None
    return None if row is None or meta is None else row["attrs"].get(meta.primary_name)


def _save(ctx: CallContext, meta: Entity, rid: str, row: Row | None) -> None:
    ctx.records.put(meta.logical_name, rid, row)
    ctx.changed()


def _next_counter(ctx: CallContext) -> int:
    # The agent's own counter: ids and versions never depend on what other agents did.
    state = ctx.workspace.records
    state["counter"] = int(state.get("counter", 0)) + 1
    return int(state["counter"])


def _id_seed(ctx: CallContext) -> str:
    # The default agent keeps the ids it always had; another agent's ids carry its name.
    return "cifbridge" if ctx.agent == DEFAULT_AGENT else f"cifbridge:{ctx.agent}"


def create(ctx: CallContext, meta: Entity, payload: Mapping[str, Any]) -> str:
    """Create a record from a Web API payload and return its id."""
    number = _next_counter(ctx)
    given = payload.get(meta.primary_id)
    rid = record_id(given) if given else derived_guid(_id_seed(ctx), meta.logical_name, number)
    if find(ctx, meta, rid) is not None:
        raise RecordError(messages.DUPLICATE_RECORD)
    attrs: dict[str, Any] = {meta.primary_id: rid}
    if "statecode" in meta.attributes:
        attrs["statecode"] = 0
    _apply(ctx, meta, attrs, {k: v for k, v in payload.items() if k != meta.primary_id})
    _fill_created(ctx, meta, attrs, payload)
    _save(ctx, meta, rid, {"attrs": attrs, "version": FIRST_VERSION + number})
    return rid


def update(ctx: CallContext, meta: Entity, rid: str, payload: Mapping[str, Any]) -> str:
    """Apply a Web API payload to an existing record and return its id."""
    key = record_id(rid)
    attrs = dict(get(ctx, meta, key)["attrs"])
    given = payload.get(meta.primary_id)
    if given is not None and record_id(given) != key:
        raise RecordError(messages.not_convertible(given, "Guid"))
    _apply(ctx, meta, attrs, {k: v for k, v in payload.items() if k != meta.primary_id})
    compose_names(meta, attrs, payload)
    if "modifiedon" in meta.attributes:
        attrs["modifiedon"] = iso_time(ctx.clock())
    _save(ctx, meta, key, {"attrs": attrs, "version": FIRST_VERSION + _next_counter(ctx)})
    return key


def delete(ctx: CallContext, meta: Entity, rid: str) -> Row:
    """Delete a record and return it as it was."""
    key = record_id(rid)
    row = get(ctx, meta, key)
    _save(ctx, meta, key, None)
    return row


def _apply(
    ctx: CallContext, meta: Entity, attrs: dict[str, Any], payload: Mapping[str, Any]
) -> None:
    for key, value in payload.items():
        if key.endswith("@odata.bind"):
            _bind(ctx, meta, attrs, key[: -len("@odata.bind")], value)
            continue
        attribute = meta.attribute(key)
        if attribute is not None and not attribute.is_lookup and "@" not in key:
            declared = key in meta.attributes or not meta.is_open
            attrs[key] = _coerce(meta, attribute, value) if declared else value
        elif meta.by_value_key(key) is not None:
            raise RecordError(messages.LOOKUP_VALUE_NOT_WRITABLE)
        else:
            raise RecordError(messages.property_not_on_type(meta.logical_name, key))


def _bind(ctx: CallContext, meta: Entity, attrs: dict[str, Any], nav: str, value: Any) -> None:
    found = meta.by_navigation(nav)
    if found is None:
        raise RecordError(messages.undeclared_navigation(nav))
    attribute, target = found
    if value is None:
        attrs[attribute.logical_name] = None
        return
    target_meta = entity(ctx, target)
    match = BIND.match(str(value))
    if match is None or match.group(1) != target_meta.entity_set_name:
        expected = f"/{target_meta.entity_set_name}(<id>)"
        raise RecordError(f"{nav}@odata.bind takes a reference such as {expected}, not {value!r}")
    referenced = record_id(match.group(2))
    get(ctx, target_meta, referenced)
    attrs[attribute.logical_name] = {"entityType": target, "id": referenced}


def _coerce(meta: Entity, attribute: Attribute, value: Any) -> Any:
    if value is None:
        return None
    kind, edm = attribute.type, _edm(attribute)
    if kind == "datetime" and isinstance(value, str):
        return _iso_or_none(value) or _refuse(value, edm)
    if kind == "uniqueidentifier" and isinstance(value, str):
        return record_id(value)
    if not _fits(kind, value):
        _refuse(value, edm)
    if attribute.options and value not in attribute.options:
        accepted = ",".join(str(v) for v in attribute.options)
        name, entity_name = attribute.logical_name, meta.logical_name
        raise RecordError(messages.option_out_of_range(value, name, entity_name, accepted))
    return value


def _fits(kind: str, value: Any) -> bool:
    if kind in TEXT_TYPES:
        return isinstance(value, str)
    if kind == "boolean":
        return isinstance(value, bool)
    if isinstance(value, bool) or not isinstance(value, int | float):
        return False
    return kind not in INTEGER_TYPES or isinstance(value, int)


def _refuse(value: Any, edm: str) -> Any:
    raise RecordError(messages.not_convertible(value, edm))


def _edm(attribute: Attribute) -> str:
    return EDM_TYPES.get(attribute.type, "String")


def _fill_created(
    ctx: CallContext, meta: Entity, attrs: dict[str, Any], payload: Mapping[str, Any]
) -> None:
    now = iso_time(ctx.clock())
    for name in ("createdon", "modifiedon"):
        if name in meta.attributes and attrs.get(name) is None:
            attrs[name] = now
    for attribute in meta.attributes.values():
        if attribute.auto_number and attrs.get(attribute.logical_name) is None:
            attrs[attribute.logical_name] = _auto_number(ctx, meta, attribute, attrs)
    compose_names(meta, attrs, payload)


def _auto_number(
    ctx: CallContext, meta: Entity, attribute: Attribute, attrs: Mapping[str, Any]
) -> str:
    # Dataverse autonumber tokens: {SEQNUM:n} counts on from the configured records,
    # {RANDSTRING:n} is derived from the record id here, so runs are repeatable.
    sequence = len(ctx.config.records.get(meta.logical_name, {})) + 1000 + _created(ctx, meta)
    digest = hashlib.sha1(str(attrs[meta.primary_id]).encode()).digest()
    letters = "".join(RANDSTRING_ALPHABET[b % len(RANDSTRING_ALPHABET)] for b in digest)

    def token(match: re.Match[str]) -> str:
        size = int(match.group(2))
        return str(sequence).zfill(size) if match.group(1) == "SEQNUM" else letters[:size]

    return re.sub(r"\{(SEQNUM|RANDSTRING):(\d+)\}", token, attribute.auto_number)


def _created(ctx: CallContext, meta: Entity) -> int:
    return ctx.records.created_count(meta.logical_name) + 1


def view(
    ctx: CallContext, meta: Entity, row: Row, columns: list[Attribute] | None = None
) -> dict[str, Any]:
    """Return a record as the Web API shows it, with every column or just `columns`."""
    attrs = row["attrs"]
    shown: dict[str, Any] = {"@odata.etag": f'W/"{row["version"]}"'}
    for attribute in columns if columns is not None else meta.columns(attrs):
        shown.update(_read(ctx, attribute, attrs.get(attribute.logical_name)))
    return shown


def _read(ctx: CallContext, attribute: Attribute, value: Any) -> dict[str, Any]:
    key = attribute.value_key
    if not attribute.is_lookup:
        label = attribute.options.get(value) if attribute.options else None
        return {key: value} if label is None else {key: value, key + ANNOTATION: label}
    if not isinstance(value, Mapping):
        return {key: None}
    target, rid = value["entityType"], value["id"]
    shown = {key: rid}
    name = primary_name(ctx, target, rid)
    if name is not None:
        shown[key + ANNOTATION] = name
    shown[key + "@Microsoft.Dynamics.CRM.associatednavigationproperty"] = attribute.navigation(
        target
    )
    shown[key + "@Microsoft.Dynamics.CRM.lookuplogicalname"] = target
    return shown


def iso_time(now: float) -> str:
    """Return a Dataverse date-time value (UTC, seconds)."""
    return datetime.fromtimestamp(now, tz=UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _iso_or_none(value: str) -> str | None:
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def utc_string(now: float) -> str:
    """Return a time as JavaScript's Date.toUTCString writes it (the host's reportTime)."""
    moment = datetime.fromtimestamp(now, tz=UTC)
    day, month = DAYS[moment.weekday()], MONTHS[moment.month - 1]
    return f"{day}, {moment.day:02d} {month} {moment.year} {moment:%H:%M:%S} GMT"


def forms(ctx: CallContext) -> dict[str, Any]:
    """Return the open create forms by tab id (openForm without an entityId)."""
    found: dict[str, Any] = ctx.workspace.records.setdefault("forms", {})
    return found


def anchor_record(ctx: CallContext, parameters: Mapping[str, Any]) -> dict[str, Any]:
    """Return the record an entity record tab shows, in the Web API form ({} when none)."""
    meta = ctx.config.entities.get(str(parameters.get("entityName") or ""))
    try:
        row = get(ctx, meta, str(parameters.get("entityId") or "")) if meta else None
    except RecordError:
        return {}
    return {} if row is None or meta is None else view(ctx, meta, row)
