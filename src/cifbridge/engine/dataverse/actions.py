"""The Dataverse actions and functions executeAction emulates, over the org config and the store.

Rules (Dataverse Web API conventions; the set is listed in README and docs/parity.md):
- functions (operationType 1): WhoAmI (UserId, BusinessUnitId, OrganizationId), RetrieveVersion
  (Version), RetrieveCurrentOrganization (Detail: ids, names, version, geo, endpoints);
- actions (operationType 0): QualifyLead, bound to a lead: creates the account, contact and
  opportunity asked for from the lead's columns, links them, and closes the lead as qualified
  (statecode 1, statuscode = Status); a lead already closed cannot be qualified again;
- each answers the response body with its `@odata.context`; an operationType that does not fit
  the operation is refused; an unknown name is `Resource not found for the segment '<name>'.`
  (404), like any unknown Web API segment;
- ids Dataverse would have and the configuration does not give (business unit, tenant,
  environment) derive from the org id, so they are stable.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from cifbridge.engine.base import texts as messages
from cifbridge.engine.base.context import CallContext
from cifbridge.engine.base.errors import RecordError
from cifbridge.engine.config.entities import Entity, derived_guid
from cifbridge.engine.dataverse import records
from cifbridge.engine.dataverse.webapi import api_root, segment_not_found

ACTION, FUNCTION = 0, 1
Handler = Callable[[CallContext, Mapping[str, Any], Mapping[str, Any] | None], dict[str, Any]]
LEAD_CLOSED = "The lead is closed. You cannot convert or qualify a lead that is already closed."
# Lead columns Dataverse copies into the contact it creates on qualification.
CONTACT_COLUMNS: tuple[str, ...] = ("firstname", "lastname", "jobtitle", "emailaddress1")
CONTACT_COLUMNS += ("telephone1", "mobilephone")
QUALIFY_CREATES = {
    "CreateAccount": "account",
    "CreateContact": "contact",
    "CreateOpportunity": "opportunity",
}


@dataclass(frozen=True)
class Operation:
    """One emulated action or function: its kind, the entity it is bound to, its handler."""

    operation_type: int
    handler: Handler
    bound_to: str | None = None


def execute(
    ctx: CallContext,
    name: str,
    operation_type: int | None,
    parameters: Mapping[str, Any],
    bound: Mapping[str, Any] | None,
) -> dict[str, Any]:
    """Run an action or function by name and return its response body."""
    operation = OPERATIONS.get(name)
    if operation is None:
        raise RecordError(segment_not_found(name), 404)
    if operation_type is not None and operation_type != operation.operation_type:
        kind = "a function" if operation.operation_type == FUNCTION else "an action"
        raise RecordError(
            f"{name} is {kind}: its operationType is {operation.operation_type}, "
            f"not {operation_type}"
        )
    target = operation.bound_to
    if target is not None and (bound is None or bound.get("entityType") != target):
        raise RecordError(
            f"{name} is bound to {target}: "
            f'give the record as entity: {{entityType: "{target}", id}}'
        )
    return operation.handler(ctx, parameters, bound)


def _context(ctx: CallContext, response: str) -> str:
    return f"{api_root(ctx)}$metadata#Microsoft.Dynamics.CRM.{response}"


def _derived(ctx: CallContext, kind: str) -> str:
    return derived_guid(kind, ctx.config.organization.org_id)


def who_am_i(ctx: CallContext, params: Mapping[str, Any], bound: Any) -> dict[str, Any]:
    """WhoAmI: the signed-in user, their business unit and the org."""
    org = ctx.config.organization
    return {
        "@odata.context": _context(ctx, "WhoAmIResponse"),
        "BusinessUnitId": _derived(ctx, "businessunit"),
        "UserId": ctx.user()[0].lower(),
        "OrganizationId": org.org_id.lower(),
    }


def retrieve_version(ctx: CallContext, params: Mapping[str, Any], bound: Any) -> dict[str, Any]:
    """RetrieveVersion: the org's version."""
    version = ctx.config.organization.crm_version
    return {"@odata.context": _context(ctx, "RetrieveVersionResponse"), "Version": version}


def retrieve_current_organization(
    ctx: CallContext, params: Mapping[str, Any], bound: Any
) -> dict[str, Any]:
    """RetrieveCurrentOrganization: the org's details and endpoints."""
    org = ctx.config.organization
    url_name = (urlsplit(org.url).hostname or org.unique_name).split(".")[0]
    endpoints = {
        "WebApplication": f"{org.url}/",
        "OrganizationService": f"{org.url}/XRMServices/2011/Organization.svc",
        "OrganizationDataService": f"{org.url}/XRMServices/2011/OrganizationData.svc",
    }
    detail = {
        "OrganizationId": org.org_id.lower(),
        "FriendlyName": org.unique_name,
        "OrganizationVersion": org.crm_version,
        "EnvironmentId": _derived(ctx, "environment"),
        "DatacenterId": _derived(ctx, "datacenter"),
        "Geo": org.geo,
        "TenantId": _derived(ctx, "tenant"),
        "UrlName": url_name,
        "UniqueName": org.unique_name,
        "Endpoints": {
            "Count": len(endpoints),
            "IsReadOnly": False,
            "Keys": list(endpoints),
            "Values": list(endpoints.values()),
        },
        "State": "Enabled",
    }
    context = _context(ctx, "RetrieveCurrentOrganizationResponse")
    return {"@odata.context": context, "Detail": detail}


def qualify_lead(
    ctx: CallContext, params: Mapping[str, Any], bound: Mapping[str, Any] | None
) -> dict[str, Any]:
    """QualifyLead: create what is asked for from the lead, then close it as qualified."""
    wanted = [n for n in QUALIFY_CREATES if _required(params, n, bool)]
    status = _required(params, "Status", int)
    lead_meta = records.entity(ctx, "lead")
    lead = records.get(ctx, lead_meta, str((bound or {}).get("id", "")))["attrs"]
    if lead.get("statecode") not in (None, 0):
        raise RecordError(LEAD_CLOSED)
    # Everything that can fail is checked before the first write: a refusal changes nothing.
    metas = {n: records.entity(ctx, QUALIFY_CREATES[n]) for n in wanted}
    if lead_meta.attribute("statuscode") is None:
        raise RecordError(messages.property_not_found(lead_meta.logical_name, "statuscode"))
    if not lead.get("companyname"):
        metas.pop("CreateAccount", None)  # Dataverse creates no account without a company
    created: list[tuple[Entity, str]] = []
    if "CreateAccount" in metas:
        created.append(_create(ctx, metas["CreateAccount"], {"name": lead["companyname"]}, []))
    if "CreateContact" in metas:
        columns = {c: lead.get(c) for c in CONTACT_COLUMNS}
        created.append(_create(ctx, metas["CreateContact"], columns, created[:1]))
    if "CreateOpportunity" in metas:
        columns = {"name": lead.get("subject") or lead.get("fullname")}
        links = [*created[:1], (lead_meta, lead[lead_meta.primary_id])]
        created.append(_create(ctx, metas["CreateOpportunity"], columns, links))
    closed = {"statecode": 1, "statuscode": status}
    records.update(ctx, lead_meta, lead[lead_meta.primary_id], closed)
    collection = "Collection(Microsoft.Dynamics.CRM.crmbaseentity)"
    return {
        "@odata.context": f"{api_root(ctx)}$metadata#{collection}",
        "value": [
            {"@odata.type": f"#Microsoft.Dynamics.CRM.{m.logical_name}", m.primary_id: rid}
            for m, rid in created
        ],
    }


def _required(params: Mapping[str, Any], name: str, kind: type) -> Any:
    value = params.get(name)
    if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
        raise RecordError(f"The parameter '{name}' is required: a {kind.__name__} value")
    return value


def _create(
    ctx: CallContext, meta: Entity, columns: Mapping[str, Any], links: list[tuple[Entity, str]]
) -> tuple[Entity, str]:
    # Only the columns the entity has and the lead filled; a lookup of the entity that can
    # point at a linked record points at it.
    payload: dict[str, Any] = {
        k: v for k, v in columns.items() if v is not None and meta.attribute(k) is not None
    }
    for target, rid in links:
        for attribute in meta.attributes.values():
            if attribute.is_lookup and target.logical_name in attribute.targets:
                nav = attribute.navigation(target.logical_name)
                payload[f"{nav}@odata.bind"] = f"/{target.entity_set_name}({rid})"
                break
    return meta, records.create(ctx, meta, payload)


OPERATIONS: dict[str, Operation] = {
    "WhoAmI": Operation(FUNCTION, who_am_i),
    "RetrieveVersion": Operation(FUNCTION, retrieve_version),
    "RetrieveCurrentOrganization": Operation(FUNCTION, retrieve_current_organization),
    "QualifyLead": Operation(ACTION, qualify_lead, bound_to="lead"),
}
