"""What a call fault does to the call it fires on, at the widget namespace.

- reject: the call never reaches the engine; the acknowledgement carries the chosen error
  form, which the shim turns into exactly what the real library rejects with (`origin`
  "host": the `{message, msdyn_name}` Map or its JSON text; "client": JSON text
  `{"message"}`; "timeout": the timeout Map);
- delay: the call is applied at once (its events go out) and acknowledged `delayMs` late, as
  a slow host would answer; past 10 s the widget has timed out although the call took effect;
- hang: the call never reaches the engine and is never acknowledged, so the shim's real 10 s
  timeout fires (functions the library never times out wait forever, as there);
- disconnect: the call is not answered and the caller's connection is dropped at the
  transport, as a network failure would: the shim reconnects and resends the call.
Every faulted call is journaled as a call, with the fault's id.
"""

from __future__ import annotations

import asyncio
from typing import Any

from cifbridge.api import envelope
from cifbridge.api.dispatcher import Caller
from cifbridge.web.event_sender import (
    WIDGET_NAMESPACE,
    agent_room,
    connections_in,
    provider_room,
)
from cifbridge.web.faults import Fault
from cifbridge.web.hub import Hub

NO_ANSWER = object()  # the namespace turns it into python-socketio's "send no ack"


async def apply_call_fault(
    hub: Hub, fault: Fault, sid: str, caller: Caller, call: dict[str, Any]
) -> Any:
    """Apply the fault to one call; return its acknowledgement, or NO_ANSWER."""
    api, args, request_id = call["api"], call.get("args") or [], call.get("requestId")
    if fault.effect == "delay":
        ack = await hub.widget_call(caller, api, args, request_id)
        await asyncio.sleep(fault.delay_ms / 1000)
        return ack
    entry = {"provider": caller.provider, "api": api, "args": list(args), "requestId": request_id}
    if fault.effect == "reject":
        error, origin = fault.error_for(api)
        await hub.journal.record("call", **entry, ok=False, error=error, fault=fault.id)
        return envelope.rejected(error, origin)
    await hub.journal.record("call", **entry, ok=False, unanswered=True, fault=fault.id)
    if fault.effect == "disconnect":
        await drop_connections(hub.sio, [sid])
    return NO_ANSWER


async def drop_connections(sio: Any, sids: list[str]) -> None:
    """Close these widget connections at the transport (the client sees a lost connection)."""
    for sid in sids:
        eio_sid = sio.manager.eio_sid_from_sid(sid, WIDGET_NAMESPACE)
        socket = sio.eio.sockets.get(eio_sid) if eio_sid is not None else None
        if socket is None:
            continue
        # engine.io's own disconnect sends a CLOSE packet, which socket.io-client ignores on a
        # websocket, and then waits for the client to hang up. Ending the socket's send queue
        # makes python-engineio close the websocket itself, as a network failure would.
        await socket.queue.put(None)


def widget_connections(
    sio: Any, agent: str, provider: str | None, connection: str | None
) -> list[str]:
    """Return this process's widget connections of an agent's provider (all when None)."""
    room = agent_room(agent) if provider is None else provider_room(agent, provider)
    return [sid for sid in connections_in(sio, room) if connection in (None, sid)]
