"""The library's data helpers (reference §2.11): executeFetchQuery and executeAction.

Rules:
- executeFetchQuery(entityName, options) reads an entity set through the Web API
  (dataverse/webapi.py): FetchXML in `?fetchXml=` or bare, or OData options; it answers the
  response body, `{"@odata.context", "value": [rows]}`, which the library turns into JSON text;
- executeAction(request) runs one of the emulated actions and functions (dataverse/actions.py)
  and answers its response body as an object; `request` is plain data, as a postMessage carries
  it: operationName, operationType (0 action, 1 function), parameters as [{name, value}] or
  {name: value} (or, as on Xrm's request objects, as properties of the request itself), and
  for a bound action the record as `entity` {entityType, id} (also accepted among the
  parameters);
- a Dataverse failure (unknown entity set or action, bad FetchXML, unknown attribute) rejects
  like the record functions: the host's IErrorHandler under "value" with errorMsg, sourceFunc,
  reportTime, errorType 2 (records.py `dataverse`).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from cifbridge.engine.base.context import CallContext
from cifbridge.engine.base.feature import Feature
from cifbridge.engine.cif.records import dataverse
from cifbridge.engine.dataverse import actions, webapi

REQUEST_KEYS = frozenset(
    {"operationName", "operationType", "parameters", "entity", "boundParameter"}
)
SOURCE_FUNCS = {
    "executeFetchQuery": "client.executeFetchQuery - Xrm.WebApi.retrieveMultipleRecords",
    "executeAction": "client.executeAction - Xrm.WebApi.online.execute",
}


def execute_fetch_query(ctx: CallContext, args: dict[str, Any]) -> dict[str, Any]:
    """Read an entity set with FetchXML or OData options; answer the Web API response body."""
    with dataverse(ctx, "executeFetchQuery", SOURCE_FUNCS):
        return webapi.query(ctx, args["entityName"], args["options"])


def execute_action(ctx: CallContext, args: dict[str, Any]) -> dict[str, Any]:
    """Run an emulated Dataverse action or function; answer its response body."""
    request = args["request"]
    # Xrm's own request objects carry parameter values as properties beside getMetadata.
    parameters = {k: v for k, v in request.items() if k not in REQUEST_KEYS}
    parameters.update(_parameters(request.get("parameters")))
    bound = request.get("entity", parameters.pop("entity", None))
    with dataverse(ctx, "executeAction", SOURCE_FUNCS):
        return actions.execute(
            ctx,
            request["operationName"],
            request.get("operationType"),
            parameters,
            bound if isinstance(bound, Mapping) else None,
        )


def _parameters(given: Any) -> dict[str, Any]:
    # The declarations' [{name, value, type}] list, or a plain {name: value} object.
    if isinstance(given, list):
        return {p["name"]: p.get("value") for p in given}
    return dict(given or {})


FEATURE = Feature(
    name="webapi",
    handlers={"executeFetchQuery": execute_fetch_query, "executeAction": execute_action},
)
