"""The control API's faults: make a widget's calls, events or connection go wrong on purpose.

Routes (paths, methods and summaries in api/control_routes.py; web/faults.py has the rules):

    setFault       the body says what goes wrong (schemas/control/setFault.json); answers
                   {"fault": {id, target, effect, api | event, ..., remaining, fired}} with 201;
                   a connection fault drops the connections now and lists them ("connections")
    listFaults     {"faults": [...]}: the faults standing, oldest first
    clearFault     clears one by id (404 when no such fault stands); answers the list
    clearFaults    clears them all; answers the (empty) list

A body that fails its schema or asks for an effect the target does not take is refused with
400, naming the field (`setFault: $.effect: ...`), and sets nothing; reset clears every fault.
"""

from __future__ import annotations

from aiohttp import web

from cifbridge.api.control_routes import Route
from cifbridge.web.control.edge import checked_body, hub_of
from cifbridge.web.errors import MalformedRequest, error_response
from cifbridge.web.fault_effects import drop_connections, widget_connections
from cifbridge.web.faults import FaultRefused, fault_from_body


async def handle(request: web.Request, route: Route) -> web.Response:
    """Serve one faults route."""
    faults = (await hub_of(request)).faults
    if route.action == "setFault":
        return await _set(request, route)
    if route.action == "clearFault":
        fault_id = request.match_info["fault_id"]
        if not await faults.remove(fault_id):
            return error_response(f"no fault called {fault_id} is set", 404)
    elif route.action == "clearFaults":
        await faults.remove_all()
    return web.json_response({"faults": faults.listed()})


async def _set(request: web.Request, route: Route) -> web.Response:
    hub = await hub_of(request)
    body = await checked_body(request, route)
    try:
        fault_from_body("(checked)", body)  # refuse an unfit fault before anything happens
    except FaultRefused as refused:
        raise MalformedRequest(str(refused)) from None
    if body.get("target") != "connection":
        fault = await hub.faults.add(body)
        return web.json_response({"fault": fault.to_json()}, status=201)
    sids = widget_connections(hub.sio, hub.agent_id, body.get("provider"), body.get("connection"))
    if not sids:
        whose = body.get("connection") or body.get("provider") or "any provider"
        return error_response(f"no widget connection of {whose} is open on this bridge", 404)
    fault = await hub.faults.add(body)
    await drop_connections(hub.sio, sids)
    await hub.faults.fired_connection(fault, sids)
    return web.json_response({"fault": fault.to_json(), "connections": sids}, status=201)
