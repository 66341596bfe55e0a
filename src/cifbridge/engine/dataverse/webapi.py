"""Web API reads as the host sends them for executeFetchQuery: GET <entity set><options>.

Rules (Dataverse Web API conventions):
- the entity is named by its entity set (`contacts`); a logical name (`contact`) is accepted
  too, as Xrm.WebApi takes one; anything else is `Resource not found for the segment '<x>'.`
  (404), the Web API's answer for an unknown path segment;
- options are `?fetchXml=<fetch ...>` (percent-encoded or not), the bare FetchXML, or OData
  query options (`?$select=...&$filter=...`, see odata.py); a file column read
  (`/(<id>)/<column>`) is refused saying so;
- the answer is the response body: `@odata.context` (the org's Web API metadata URL for the
  entity set) and `value`, the rows.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import unquote

from cifbridge.engine.base.context import CallContext
from cifbridge.engine.base.errors import RecordError
from cifbridge.engine.config.entities import Entity
from cifbridge.engine.dataverse import fetchxml, fetchxml_run, odata

QUERY_OPTIONS = ("$select", "$filter", "$orderby", "$top", "$expand")
FETCH_XML = "fetchXml="


def segment_not_found(segment: str) -> str:
    """Say that a Web API path segment names nothing, as Dataverse does."""
    return f"Resource not found for the segment '{segment}'."


def entity_set(ctx: CallContext, name: str) -> Entity:
    """Return the entity an entity set (or a logical name) names, or fail with a 404."""
    for meta in ctx.config.entities.values():
        if name in (meta.entity_set_name, meta.logical_name):
            return meta
    raise RecordError(segment_not_found(name), 404)


def api_root(ctx: CallContext) -> str:
    """Return the org's Web API root, versioned like the org (9.2.x -> v9.2)."""
    major_minor = ".".join(ctx.config.organization.crm_version.split(".")[:2])
    return f"{ctx.config.organization.url}/api/data/v{major_minor}/"


def fetch_xml_text(options: str) -> str | None:
    """Return the FetchXML an options string carries, or None for OData options."""
    text = options.strip().removeprefix("?").strip()
    if text.startswith("<"):
        return text
    if text.startswith(FETCH_XML):
        value = text[len(FETCH_XML) :].strip()
        # A raw document may hold % (like patterns), so only an encoded one is decoded.
        return value if value.startswith("<") else unquote(value)
    return None


def query(ctx: CallContext, name: str, options: str) -> dict[str, Any]:
    """Run a Web API read of an entity set and return the response body."""
    meta = entity_set(ctx, name)
    if options.strip().lstrip("/").startswith("("):
        raise RecordError(
            "cifbridge does not emulate reading one record's file or image column "
            f"({meta.entity_set_name}(<id>)/<column>); query the entity set with FetchXML or OData"
        )
    xml = fetch_xml_text(options)
    if xml is not None:
        fetch = fetchxml.parse(ctx, meta, xml)
        rows = fetchxml_run.run(ctx, fetch)
        columns = fetch.columns
    else:
        parsed = odata.parse(ctx, meta, options, QUERY_OPTIONS)
        rows = odata.run(ctx, meta, parsed)
        columns = parsed.columns
    shape = "" if columns is None else "(" + ",".join(a.value_key for a in columns) + ")"
    context = f"{api_root(ctx)}$metadata#{meta.entity_set_name}{shape}"
    return {"@odata.context": context, "value": rows}
