"""One agent's ordered queue of what its changes send: events, late answers, the view.

Rules (the hub's cycle, web/hub.py, queues here once a change is saved):
- one chain per agent: each publish starts when the one before it is done and, for a widget
  call, once that call was answered, so an agent's events leave in the order of the calls and
  actions that made them, and none is lost (a failure is logged: the call was saved and
  answered, only its events are missing);
- a change nothing hears (no event, no late answer, no page of the agent open) queues no
  task: what awaits it waits for the publishes before it, as it would behind a task;
- the workspace view is built and sent only while a page of the agent is open (in this
  process; with a shared store, on any process: the store counted the pages at the save),
  and so is each journal entry.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Sequence
from typing import Any

from cifbridge.api.dispatcher import Answer
from cifbridge.engine import Delivery
from cifbridge.engine.base.context import WORKSPACE_PAGE
from cifbridge.engine.base.json_text import compact
from cifbridge.store.base import AgentStore
from cifbridge.store.journal import Entry
from cifbridge.web.event_sender import (
    WIDGET_NAMESPACE,
    EventSender,
    provider_room,
    workspace_room,
)
from cifbridge.web.journal import Journal
from cifbridge.web.managers import room_has_connections

log = logging.getLogger("cifbridge")

WORKSPACE_NAMESPACE = "/workspace"


class Publisher:
    """Sends what one agent's saved changes produced, in order, to its widgets and pages."""

    def __init__(
        self,
        agent_id: str,
        sio: Any,
        store: AgentStore,
        journal: Journal,
        events: EventSender,
        *,
        view: Callable[[], dict[str, Any]],
        changed: Callable[[], None],
    ) -> None:
        self.agent_id = agent_id
        self.sio = sio
        self.store = store
        self.journal = journal
        self.events = events
        self._view = view  # the agent's workspace view, built only for an open page
        self._changed = changed  # the hub's reschedule of its wake-up, at each change
        self._page_room = workspace_room(agent_id)
        self.last: asyncio.Future[None] | None = None  # the last publish queued

    async def published(self) -> None:
        """Return once every publish queued so far is done (events sent, views shown)."""
        while self.last is not None and not self.last.done():
            await asyncio.shield(self.last)

    def queue(
        self,
        deliveries: Sequence[Delivery],
        changed: bool,
        answers: Sequence[Answer],
        answered: asyncio.Future[None] | None = None,
    ) -> asyncio.Future[None]:
        """Queue what one change sends; `answered`: wait for the call's answer first."""
        previous = self.last
        if not deliveries and not answers and not (changed and self.pages_open()):
            if changed:
                self._changed()
            if previous is not None and not previous.done():
                return previous
            done: asyncio.Future[None] = asyncio.get_running_loop().create_future()
            done.set_result(None)
            return done
        task = asyncio.ensure_future(self._after(previous, answered, deliveries, changed, answers))
        self.last = task
        return task

    async def _after(
        self,
        previous: asyncio.Future[None] | None,
        answered: asyncio.Future[None] | None,
        deliveries: Sequence[Delivery],
        changed: bool,
        answers: Sequence[Answer],
    ) -> None:
        if previous is not None and not previous.done():  # a done one costs no loop turn
            await asyncio.gather(previous, return_exceptions=True)
        if answered is not None:
            await answered
        try:
            await self._publish(deliveries, changed, answers)
        except Exception:
            log.exception("cifbridge could not send the events of agent %s", self.agent_id)

    async def _publish(
        self, deliveries: Sequence[Delivery], changed: bool, answers: Sequence[Answer]
    ) -> None:
        for delivery in deliveries:
            await self._deliver(delivery)
        for answer in answers:
            # A deferred call's late answer; the shim matches it to its pending promise.
            room = provider_room(self.agent_id, answer.provider)
            await self.sio.emit("cif:result", answer.message, room=room, namespace=WIDGET_NAMESPACE)
            await self.journal.add(
                "answer", provider=answer.provider, api=answer.api, args=[], settled=True,
                **answer.message,
            )  # fmt: skip
        if changed:
            self._changed()
            await self._show_view()

    async def _deliver(self, delivery: Delivery) -> None:
        if delivery.provider != WORKSPACE_PAGE:
            await self.events.send(delivery)  # journaled, and subject to event faults
            return
        # A custom event raised for the agent page, as the real host dispatches it there; the
        # real host sends every event payload as a JSON string (reference §3).
        data = compact(delivery.payload)
        message = {"name": delivery.name, "data": data}
        await self.sio.emit(
            "workspace:event", message, room=self._page_room, namespace=WORKSPACE_NAMESPACE
        )

    async def _show_view(self) -> None:
        if not self.pages_open():
            return
        await self.sio.emit(
            "workspace:state", self._view(), room=self._page_room, namespace=WORKSPACE_NAMESPACE
        )

    def pages_open(self) -> bool:
        """Tell whether a workspace page of the agent may be open."""
        if self.store.shared:
            # A page may be open on another process (the Redis manager relays to it): the
            # store counted them when this agent's latest change was saved.
            return self.store.pages_open()
        return room_has_connections(self.sio.manager, WORKSPACE_NAMESPACE, self._page_room)

    async def show_entry(self, entry: Entry) -> None:
        """Send a journal entry, whoever recorded it, to the agent's pages' drawer."""
        # A shared journal counted the pages as it appended (none open: nothing to send).
        if self.store.shared and not self.journal.backend.watched:
            return
        if not self.store.shared and not self.pages_open():
            return
        await self.sio.emit(
            "workspace:journal", entry, room=self._page_room, namespace=WORKSPACE_NAMESPACE
        )
