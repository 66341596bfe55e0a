"""Sends CIF events to widgets: journals each one, and lets event faults drop or delay it.

The real host sends every event payload as a JSON string (reference §3); the journal keeps the
payload decoded, with the provider it was for ("*": every provider), how many widget
connections were in that room on this process (`connectionCount`) and the first
`JOURNALED_CONNECTIONS` of their ids (`connections`): enough to pick one to drop with a fault,
without an entry per event carrying 10,000 ids when 10,000 widgets listen.
"""

from __future__ import annotations

import asyncio
from typing import Any

from cifbridge.engine import ANY_PROVIDER, Delivery
from cifbridge.engine.base.json_text import compact
from cifbridge.web.faults import Faults
from cifbridge.web.journal import Journal

WIDGET_NAMESPACE = "/widget"
JOURNALED_CONNECTIONS = 50


def provider_room(agent: str, provider: str) -> str:
    """Return the Socket.IO room of one provider's widget connections in an agent's workspace."""
    return f"agent:{agent}:provider:{provider}"


def agent_room(agent: str) -> str:
    """Return the Socket.IO room of every widget connection in an agent's workspace."""
    return f"agent:{agent}"


def workspace_room(agent: str) -> str:
    """Return the Socket.IO room of an agent's workspace pages."""
    return f"workspace:{agent}"


def connections_in(sio: Any, room: str | None) -> list[str]:
    """Return this process's widget connections in a room (None: every widget connection)."""
    return [sid for sid, _ in sio.manager.get_participants(WIDGET_NAMESPACE, room)]


class EventSender:
    """Emits `cif:event` messages to a provider's room, or to every widget of the agent."""

    def __init__(self, sio: Any, journal: Journal, faults: Faults, agent: str) -> None:
        self.sio = sio
        self.agent = agent
        self.journal = journal
        self.faults = faults
        self._late: set[asyncio.Task[None]] = set()

    async def send(self, delivery: Delivery) -> None:
        """Journal the event and emit it, unless a fault drops or delays it."""
        message = {
            "name": delivery.name,
            "data": compact(delivery.payload),
        }
        room = (
            agent_room(self.agent)
            if delivery.provider == ANY_PROVIDER
            else provider_room(self.agent, delivery.provider)
        )
        connections = connections_in(self.sio, room)
        fields: dict[str, Any] = {
            "name": delivery.name,
            "payload": delivery.payload,
            "provider": delivery.provider,
            "connections": connections[:JOURNALED_CONNECTIONS],
            "connectionCount": len(connections),
        }
        fault = await self.faults.take_event(delivery.provider, delivery.name)
        if fault is None:
            await self.journal.add("event", **fields)
            await self._emit(message, room)
        elif fault.effect == "drop":
            await self.journal.add("event", **fields, fault=fault.id, dropped=True)
        else:
            await self.journal.add("event", **fields, fault=fault.id, delayMs=fault.delay_ms)
            task = asyncio.create_task(self._emit_later(message, room, fault.delay_ms / 1000))
            self._late.add(task)
            task.add_done_callback(self._late.discard)

    async def _emit(self, message: dict[str, Any], room: str | None) -> None:
        await self.sio.emit("cif:event", message, room=room, namespace=WIDGET_NAMESPACE)

    async def _emit_later(self, message: dict[str, Any], room: str | None, delay: float) -> None:
        await asyncio.sleep(delay)
        await self._emit(message, room)

    async def stop(self) -> None:
        """Cancel the delayed events not sent yet (the bridge is stopping or starting over)."""
        for task in list(self._late):
            task.cancel()
        await asyncio.gather(*self._late, return_exceptions=True)
