"""Who an arriving conversation is with: a record-store customer, a known name, or a visitor.

Rules (issue 5; session titles [DOC-OC] oc-manage-sessions):
- `{"contact": X}` or `{"account": X}` names a record of the store by id or by its primary name
  (fullname, name); an unknown one is refused;
- `{"name": X}` is an authenticated customer the store does not hold;
- no customer at all is an unauthenticated visitor, named `Visitor N`, N counting up per
  workspace from 1 (it restarts with a reset);
- a case (`incident`, by id or title) attaches to the conversation; without a customer of its
  own, the conversation's customer is the case's customer, and without one either, the case's
  title names it (authenticated: the case was routed, not a visitor);
- the customer's name is what titles the session: contact, account, case customer, case title.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from cifbridge.engine.base.context import CallContext
from cifbridge.engine.base.errors import NOT_FOUND, AgentActionRefused, RecordError
from cifbridge.engine.dataverse import records

CASE_ENTITY = "incident"


def resolve_customer(
    ctx: CallContext, spec: Mapping[str, Any] | None, case: str | None
) -> dict[str, Any]:
    """Return the customer of an arriving conversation, as the conversation keeps it."""
    found_case = _record(ctx, CASE_ENTITY, case) if case else None
    if spec:
        customer = _named_customer(ctx, spec)
    elif found_case is not None and isinstance(found_case[1].get("customerid"), Mapping):
        ref = found_case[1]["customerid"]
        customer = _record_customer(ctx, str(ref.get("entityType")), str(ref.get("id")))
    elif found_case is not None:
        customer = {"name": _title(ctx, found_case), "authenticated": True}
    else:
        customer = _visitor(ctx)
    if found_case is not None:
        customer.update(caseId=found_case[0], caseTitle=_title(ctx, found_case))
    return customer


def customer_key(customer: Mapping[str, Any]) -> tuple[str, str] | None:
    """Return what identifies an authenticated customer across visits (None: a visitor)."""
    if not customer.get("authenticated"):
        return None
    if customer.get("recordId"):
        return (str(customer["entityName"]), str(customer["recordId"]))
    return ("name", str(customer["name"]))


def _named_customer(ctx: CallContext, spec: Mapping[str, Any]) -> dict[str, Any]:
    # The arrival's schema lets exactly one of name, contact, account through.
    if "name" in spec:
        return {"name": str(spec["name"]), "authenticated": True}
    kind = "contact" if "contact" in spec else "account"
    rid, _ = _record(ctx, kind, str(spec[kind]))
    return _record_customer(ctx, kind, rid)


def _record_customer(ctx: CallContext, entity_name: str, rid: str) -> dict[str, Any]:
    name = records.primary_name(ctx, entity_name, rid)
    return {
        "name": str(name or rid),
        "authenticated": True,
        "entityName": entity_name,
        "recordId": rid,
    }


def _record(ctx: CallContext, entity_name: str, key: str) -> tuple[str, dict[str, Any]]:
    """Find a record by id, or else by its primary name; refuse when there is none."""
    meta = records.entity(ctx, entity_name)  # an unknown entity: a RecordError, 404
    try:
        row = records.find(ctx, meta, records.record_id(key))
    except RecordError:
        row = None  # not a GUID: a name
    if row is not None:
        return str(row["attrs"][meta.primary_id]), dict(row["attrs"])
    for rid, candidate in records.rows(ctx, meta).items():
        if candidate["attrs"].get(meta.primary_name) == key:
            return rid, dict(candidate["attrs"])
    raise AgentActionRefused(f"No {entity_name} has the id or name {key!r}", NOT_FOUND)


def _title(ctx: CallContext, case: tuple[str, dict[str, Any]]) -> str:
    meta = ctx.config.entities[CASE_ENTITY]
    return str(case[1].get(meta.primary_name) or case[0])


def _visitor(ctx: CallContext) -> dict[str, Any]:
    omnichannel = ctx.workspace.omnichannel
    name = f"Visitor {omnichannel.next_visitor}"
    omnichannel.next_visitor += 1
    ctx.changed()
    return {"name": name, "authenticated": False}
