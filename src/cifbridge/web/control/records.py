"""Control API for records: what the agent reads and edits in the workspace's forms and lists.

    GET    /api/entities                    every entity's metadata, with all its attributes
    GET    /api/records/{entity}?<options>  {"value": [records]}; the query string takes the
                                            OData options searchAndOpenRecords takes ($select,
                                            $filter, $orderby, $top, $expand, $search)
    POST   /api/records/{entity}            create a record from Web API attributes (201)
    GET    /api/records/{entity}/{id}       one record ($select and $expand allowed)
    PATCH  /api/records/{entity}/{id}       save the agent's edits: Web API attributes
    DELETE /api/records/{entity}/{id}       delete a record
    GET    /api/forms/{tab}                 the create form a tab holds (openForm without an id):
                                            {tabId, entityName, data (defaults), quickCreate}
    POST   /api/forms/{tab}/save            create the form's record from its defaults and the
                                            body's attributes; answers {entityType, id, name};
                                            a quick create form's openForm resolves with it
    POST   /api/forms/{tab}/cancel          discard the form and close its tab

Records come back in the Web API form widgets see (`_x_value` lookups with their annotations,
@odata.etag). Lookups are written as "<navigation>@odata.bind": "/<entityset>(<id>)". Unknown
entities, records and forms are 404, payloads and queries Dataverse would refuse 400, with
Dataverse's message; errors are `{"error": {"message": ...}}`.
"""

from __future__ import annotations

from typing import Any

from aiohttp import web

from cifbridge.web.control.workspace import json_body
from cifbridge.web.keys import HUB


async def _act(request: web.Request, action: str, **params: Any) -> Any:
    result = await request.app[HUB].agent(lambda engine: engine.agent(action, **params))
    return result.value


async def list_entities(request: web.Request) -> web.Response:
    """Answer the metadata of every entity."""
    return web.json_response({"value": await _act(request, "listEntities")})


async def list_records(request: web.Request) -> web.Response:
    """Answer an entity's records, filtered and shaped by OData options."""
    entity = request.match_info["entity"]
    query = request.rel_url.raw_query_string
    return web.json_response(await _act(request, "listRecords", entity_name=entity, query=query))


async def create_record(request: web.Request) -> web.Response:
    """Create a record from the body's attributes."""
    body = await json_body(request)
    entity = request.match_info["entity"]
    record = await _act(request, "createRecord", entity_name=entity, data=body)
    return web.json_response(record, status=201)


async def get_record(request: web.Request) -> web.Response:
    """Answer one record."""
    entity, record_id = request.match_info["entity"], request.match_info["record_id"]
    query = request.rel_url.raw_query_string
    record = await _act(request, "getRecord", entity_name=entity, record_id=record_id, query=query)
    return web.json_response(record)


async def update_record(request: web.Request) -> web.Response:
    """Save the agent's edits to a record."""
    body = await json_body(request)
    entity, record_id = request.match_info["entity"], request.match_info["record_id"]
    record = await _act(request, "updateRecord", entity_name=entity, record_id=record_id, data=body)
    return web.json_response(record)


async def delete_record(request: web.Request) -> web.Response:
    """Delete a record."""
    entity, record_id = request.match_info["entity"], request.match_info["record_id"]
    await _act(request, "deleteRecord", entity_name=entity, record_id=record_id)
    return web.json_response({"entityType": entity, "id": record_id})


async def get_form(request: web.Request) -> web.Response:
    """Answer the create form a tab holds."""
    return web.json_response(await _act(request, "getForm", tab_id=request.match_info["tab_id"]))


async def save_form(request: web.Request) -> web.Response:
    """Save a create form as the agent does with its Save button."""
    body = await json_body(request)
    tab_id = request.match_info["tab_id"]
    return web.json_response(await _act(request, "saveForm", tab_id=tab_id, data=body))


async def cancel_form(request: web.Request) -> web.Response:
    """Discard a create form."""
    await _act(request, "cancelForm", tab_id=request.match_info["tab_id"])
    return web.json_response({})


def setup_records_routes(app: web.Application) -> None:
    """Register the record routes of the control API."""
    app.router.add_get("/api/entities", list_entities)
    app.router.add_get("/api/records/{entity}", list_records)
    app.router.add_post("/api/records/{entity}", create_record)
    app.router.add_get("/api/records/{entity}/{record_id}", get_record)
    app.router.add_patch("/api/records/{entity}/{record_id}", update_record)
    app.router.add_delete("/api/records/{entity}/{record_id}", delete_record)
    app.router.add_get("/api/forms/{tab_id}", get_form)
    app.router.add_post("/api/forms/{tab_id}/save", save_form)
    app.router.add_post("/api/forms/{tab_id}/cancel", cancel_form)
