"""The control API for records: what the agent reads and edits in the workspace's forms and lists.

Routes (paths, methods and summaries in api/control_routes.py):

    listEntities    every entity's metadata, with all its attributes: {"value": [...]}
    listRecords     {"value": [records]}; the query string takes the OData options
                    searchAndOpenRecords takes ($select, $filter, $orderby, $top, $expand,
                    $search)
    createRecord    a body of Web API attributes: create a record (201)
    getRecord       one record ($select and $expand allowed in the query string)
    updateRecord    a body of Web API attributes: save the agent's edits
    deleteRecord    delete a record; answers {"entityType", "id"}
    getForm         the create form a tab holds (openForm without an id):
                    {tabId, entityName, data (defaults), quickCreate}
    saveForm        a body of Web API attributes: create the form's record from its defaults
                    and these; answers {entityType, id, name}; a quick create form's openForm
                    resolves with it
    cancelForm      discard the form and close its tab; answers {}

Records come back in the Web API form widgets see (`_x_value` lookups with their annotations,
@odata.etag). Lookups are written as "<navigation>@odata.bind": "/<entityset>(<id>)". A body
that is not a JSON object is 400 naming the route (`createRecord: $: [] is not of type
'object'`); unknown entities, records and forms are 404, payloads and queries Dataverse would
refuse 400, with Dataverse's message; errors are `{"error": {"message": ...}}`.
"""

from __future__ import annotations

from typing import Any

from aiohttp import web

from cifbridge.api.control_routes import Route
from cifbridge.web.control.edge import act

QUERY_ACTIONS = ("listRecords", "getRecord")  # they take the OData options of the query string


async def handle(request: web.Request, route: Route) -> web.Response:
    """Serve one record route."""
    extra: dict[str, Any] = {}
    if route.action in QUERY_ACTIONS:
        # An HTTP client's query string reads `+` as a space (form encoding; a literal plus is
        # sent as %2B); the engine's OData reader, which widget calls share, does not.
        extra["query"] = request.rel_url.raw_query_string.replace("+", "%20")
    value = (await act(request, route, **extra)).value
    if route.answer == "entities":
        return web.json_response({"value": value})
    if route.answer == "created":
        return web.json_response(value, status=201)
    if route.answer == "deleted":
        entity, record_id = request.match_info["entity_name"], request.match_info["record_id"]
        return web.json_response({"entityType": entity, "id": record_id})
    if route.answer == "empty":
        return web.json_response({})
    return web.json_response(value)
