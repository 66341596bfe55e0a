"""Runs one agent's engine work under persistence and fans the results out.

There is one Hub per agent (web/agents.py keeps them); each has its own engine, journal,
faults, store hold and Socket.IO rooms, and all of them share the org's record store.

Every widget call and agent action follows the same cycle: take the store's exclusive hold,
catch up with a newer saved state (shared stores), apply, save, journal the call, answer,
then deliver the events to widgets and the new state to workspace pages.

Rules:
- a call is acknowledged only after its save returned: a store that fails (StoreFailed, a
  Redis lock lost) puts the engine back to the last saved state, and the widget is told the
  call was not applied; nothing is published for it;
- a widget call's acknowledgement does not wait for its events: they are published right
  after it, by one queue per agent (web/publisher.py), so a call answered at once however many
  widgets hear it. What holds: an agent's events go out in the order of the calls and actions
  that made them, none is lost, and a call is answered only once the events of every earlier
  call of the agent are sent (so a widget's next call works as a barrier: its answer comes
  after everything the calls before it published). An agent action (control API, timers)
  returns once its own events are sent, and a journal read (`published`) waits for those
  under way, so it shows the events of every call already answered;
- stopping (`drain`): calls that arrive are refused, those under way finish and are
  acknowledged, and with a store no other process shares, calls still waiting for the agent
  are answered with an error (a shared workspace lives on in the other processes).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import time
from collections.abc import Awaitable, Callable, Mapping, Sequence
from contextlib import AbstractAsyncContextManager
from typing import Any, TypeVar

from cifbridge.api import envelope
from cifbridge.api.catalog import APIS
from cifbridge.api.dispatcher import Caller, Dispatcher, Outcome
from cifbridge.engine import Engine, Result
from cifbridge.engine.base.record_store import Change, MemoryRecords, RecordStore
from cifbridge.engine.views.workspace import workspace_view
from cifbridge.store import StateUnreadable, StoreFailed
from cifbridge.store.base import IN_ENGINE, AgentStore, SaveConflict, Saved, whole_text
from cifbridge.web.event_sender import (
    WIDGET_NAMESPACE,
    EventSender,
    provider_room,
    workspace_room,
)
from cifbridge.web.faults import Faults
from cifbridge.web.journal import Journal
from cifbridge.web.publisher import WORKSPACE_NAMESPACE, Publisher

log = logging.getLogger("cifbridge")

__all__ = ["WIDGET_NAMESPACE", "WORKSPACE_NAMESPACE", "Hub", "provider_room", "workspace_room"]
# How long stopping waits for the calls under way (each needs only its load and save).
DRAIN_SECONDS = 10.0
STOPPING = "cifbridge is stopping; this call was not applied (send it again once it is back)"
T = TypeVar("T")
ChangeListener = Callable[["Hub"], Awaitable[None]]


def replace_changes(result: Result, changes: tuple[Change, ...]) -> Result:
    """Return the result with these record changes as the rows to save."""
    return Result(
        result.value, result.deliveries, True, result.settlements, result.warnings, changes
    )


def legacy_record_changes(
    agent_records: dict[str, Any], records: RecordStore
) -> tuple[Change, ...]:
    """Move the record changes an older workspace holds (`records.changed`) into the store."""
    legacy = agent_records.pop("changed", None)
    if not isinstance(legacy, dict) or not legacy:
        return ()
    records.begin()
    for entity, table in legacy.items():
        for record_id, row in dict(table).items():
            records.put(entity, record_id, row)
    return records.end()


class _Hold:
    """The store's exclusive hold on the agent's workspace, counted on the hub while taken or
    waited for (a plain class: the generator-based context manager cost a read-only call
    several microseconds)."""

    __slots__ = ("_held", "_hub", "_tentative")

    def __init__(self, hub: Hub, tentative: bool = False) -> None:
        self._hub = hub
        self._tentative = tentative
        self._held: AbstractAsyncContextManager[None] | None = None

    async def __aenter__(self) -> None:
        self._hub._holding += 1
        try:
            held = self._hub.store.exclusive(tentative=self._tentative)
            await held.__aenter__()
        except BaseException:
            self._hub._holding -= 1
            raise
        self._held = held

    async def __aexit__(self, *exc: Any) -> None:
        try:
            if self._held is not None:
                await self._held.__aexit__(*exc)
        finally:
            self._hub._holding -= 1


class Hub:
    """Owns one agent's engine, store side and journal, and reaches that agent's browsers."""

    def __init__(
        self, dispatcher: Dispatcher, store: AgentStore, sio: Any, journal: Journal
    ) -> None:
        self.dispatcher = dispatcher
        self.engine: Engine = dispatcher.engine
        self.agent_id = self.engine.agent_id
        self.store = store
        self.sio = sio
        self.journal = journal
        self.clock = self.engine.clock  # the agent's time: real time plus its fast-forward
        self.faults = Faults(journal)
        self.events = EventSender(sio, journal, self.faults, self.agent_id)
        self.publisher = Publisher(
            self.agent_id, sio, store, journal, self.events,
            view=lambda: workspace_view(self.engine), changed=self._schedule,
        )  # fmt: skip
        journal.on_entry(self.publisher.show_entry)
        self._wake_up: asyncio.TimerHandle | None = None
        self._ticking: set[asyncio.Task[Any]] = set()
        self.resumed = False
        self._saved: Saved | None = None  # what was last saved or loaded: a failure restores it
        self._stopping = False
        self._under_way = 0
        self._idle = asyncio.Event()
        self._idle.set()
        self._holding = 0  # this process's cycles that hold the workspace or wait for it
        # How a change holds the workspace: first without the cross-process lock where the
        # store can (while this process's copy is current: one round trip, not two), then, if
        # that conflicts with another process, under the lock.
        self._holds = (True, False) if store.holds_tentatively else (False,)
        self._listeners: list[ChangeListener] = []

    def on_change(self, listener: ChangeListener) -> None:
        """Have `listener` awaited after every change of this workspace, once it is saved.

        Routing across agents (web/routing.py) listens: an answer, a timeout, a presence or a
        freed capacity may move the conversations it routes. The hold is released by then;
        an agent action's events are sent by then, a widget call's may still be queued
        (whatever the listener does to this agent is published after them, in order), and
        the call is answered once the listener returns.
        """
        self._listeners.append(listener)

    async def _changed(self) -> None:
        for listener in self._listeners:
            await listener(self)

    async def start(self, *, reset: bool) -> None:
        """Resume the saved workspace (`resumed` says so), or save a fresh one."""
        if reset:
            await self.journal.clear()  # a fresh workspace, like POST reset: no old journal
        async with self._hold():
            saved = None if reset else await self.store.load()
            if saved is not None:
                self._restore(saved)
                await self._move_legacy_records()
            else:
                self.engine.reset()  # a fresh workspace, saved as its first revision
                await self._save(())
        self.resumed = saved is not None
        self._schedule()

    async def _move_legacy_records(self) -> None:
        # A workspace saved before agents kept the org's record changes inside itself: they move
        # to the record store (every agent's) and the workspace is saved without them.
        changes = legacy_record_changes(self.engine.workspace.records, self.engine.records)
        if changes:
            self.engine.workspace.revision += 1
            await self._save(changes)

    def _restore(self, saved: Saved) -> None:
        try:
            self.engine.restore(json.loads(whole_text(saved)))
        except (ValueError, KeyError, TypeError, AttributeError) as error:
            raise StateUnreadable(f"the saved workspace cannot be restored: {error!r}") from error
        self._saved = saved

    async def stop(self) -> None:
        """Cancel the pending wake-up and delayed events; wait for a tick under way."""
        if self._wake_up is not None:
            self._wake_up.cancel()
        await self.published()  # what was answered is also sent
        await self.events.stop()
        await asyncio.gather(*self._ticking, return_exceptions=True)

    async def drain(self) -> None:
        """Before stopping: refuse new calls, finish those under way, answer those waiting."""
        self._stopping = True
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._idle.wait(), DRAIN_SECONDS)
        if not self.store.shared:
            with contextlib.suppress(StoreFailed):
                await self._run(self.engine.stop)

    async def widget_call(
        self, caller: Caller, api: str, args: Sequence[Any], request_id: str | None
    ) -> dict[str, Any]:
        """Apply one widget call and return its acknowledgement."""
        if self._stopping:
            return envelope.not_applied(api, STOPPING)
        self._under_way += 1
        self._idle.clear()
        try:
            return await self._widget_call(caller, api, args, request_id)
        except StoreFailed as failure:
            log.warning("CIF call %s was not applied: %s", api, failure)
            return envelope.not_applied(api, f"cifbridge: {failure}")
        finally:
            self._under_way -= 1
            if not self._under_way:
                self._idle.set()

    async def _widget_call(
        self, caller: Caller, api: str, args: Sequence[Any], request_id: str | None
    ) -> dict[str, Any]:
        started = time.perf_counter()
        spec = APIS.get(api)
        outcome = None
        answered: asyncio.Future[None] | None = None  # what it publishes waits for this
        earlier = self.publisher.last
        try:
            if spec is not None and spec.reads_only:
                outcome = await self._read(caller, api, args, request_id)
                earlier = self.publisher.last
            for tentative in self._holds if outcome is None else ():
                try:
                    async with self._hold(tentative):
                        outcome, answered, earlier = await self._change(
                            caller, api, args, request_id
                        )
                    break
                except SaveConflict:
                    if not tentative:
                        raise  # a locked hold does not conflict: refused as any failed save
                    # Nothing was kept (see _save): run it again under the lock.
            assert outcome is not None  # set by the hold that did not raise
            latency = (time.perf_counter() - started) * 1000
            await self._journal(caller.provider, api, args, request_id, outcome, latency)
            if earlier is not None and not earlier.done():  # earlier calls' events go first
                await asyncio.gather(asyncio.shield(earlier), return_exceptions=True)
            if outcome.mutated and self._listeners:
                # Routing may act on this agent again (its actions wait for their own
                # events, queued behind this call's): this call's events may go first.
                if answered is not None:
                    answered.set_result(None)
                await self._changed()
            return outcome.to_wire()
        finally:
            # python-socketio queues the acknowledgement as this returns, before the publish
            # task runs again: the answer leaves first, its events right after it.
            if answered is not None and not answered.done():
                answered.set_result(None)

    async def _change(
        self, caller: Caller, api: str, args: Sequence[Any], request_id: str | None
    ) -> tuple[Outcome, asyncio.Future[None] | None, asyncio.Future[None] | None]:
        # Under the hold: catch up, call, settle, save, and queue what it sends. Returns the
        # outcome, the future its publish waits for (the answer sent) and the publish before.
        if self.store.shared:
            await self._catch_up()
        outcome = self.dispatcher.call(caller, api, args, request_id)
        answers = self.dispatcher.settle(outcome.settlements) if outcome.settlements else []
        if outcome.mutated:
            await self._save(outcome.record_changes)
        # Queued in the order of the saves, while the workspace is still held.
        earlier = self.publisher.last
        answered = None
        if outcome.deliveries or outcome.mutated or answers:
            answered = asyncio.get_running_loop().create_future()
            self.publisher.queue(outcome.deliveries, outcome.mutated, answers, answered)
        return outcome, answered, earlier

    async def _read(
        self, caller: Caller, api: str, args: Sequence[Any], request_id: str | None
    ) -> Outcome | None:
        # A function that never changes the workspace, answered from this process's copy
        # without the lock once it is revalidated; None: run it the ordinary way instead.
        if not await self._revalidated():
            return None
        outcome = self.dispatcher.call(caller, api, args, request_id)
        if outcome.mutated or outcome.deferred or outcome.record_changes or outcome.settlements:
            # The catalog says it only reads: put everything back and run it under the hold.
            log.warning(
                "%s is marked reads_only in api/catalog.py but changed the workspace; it was"
                " run again under the workspace lock",
                api,
            )
            self.engine.records.revert(outcome.record_changes)
            if self._saved is not None:
                self._restore(self._saved)
            return None
        return outcome

    async def _revalidated(self) -> bool:
        """Catch up with other processes without the hold; False if that is not safe now.

        While a cycle of this process holds the workspace (or waits for it), the engine may
        carry a change not saved yet, which a reader must neither see nor overwrite with the
        saved text: the reader then queues behind it instead.
        """
        if not self.store.shared:
            return False  # the hold is this process's own: nothing to save by skipping it
        if self._holding:
            return False
        revision = self.engine.revision
        saved = await self.store.catch_up(revision, self._records())
        if self._holding or self.engine.revision != revision:
            return False  # a change began meanwhile: what was read may be older than it
        if saved is not None:
            self._restore(saved)
        return True

    async def note(self, provider: str, api: str, **fields: Any) -> dict[str, Any]:
        """Journal something that is not a call (a connection, a widget's own diagnostic)."""
        # Kept as a call-like entry so the default journal (calls and answers) shows it; pages
        # see it live through the journal's listener.
        return await self.journal.record("call", provider=provider, api=api, args=[], **fields)

    async def agent(self, action: str, params: Mapping[str, Any]) -> Result:
        """Apply one agent action (it may raise AgentActionRefused) and publish its effects."""
        return await self._run(self.engine.agent, action, **params)

    async def journal_agent(self, action: str, args: Sequence[Any], value: Any) -> None:
        """Journal what the agent did where a widget would want to see it (a bar's action)."""
        # Pages see it live through the journal's listener, as every other entry.
        await self.journal.add(
            "call", provider=None, actor="agent", api=action, args=list(args), ok=True, value=value
        )

    async def reset(self, *, records: bool = False) -> Result:
        """Start over with only the Home session, an empty journal, no faults and the real time.

        With `records`, the org's records start over from the configured ones as well (every
        agent sees that).
        """
        self.faults.forget()
        await self.events.stop()
        if records:
            await self.store.store.clear_records()
            self.engine.reset_records()
        result = await self._run(self.engine.reset)  # a test's fast-forward ends here too
        await self.journal.clear()
        return result

    async def snapshot(self) -> dict[str, Any]:
        """Return the workspace's plain-data state, caught up with other processes."""
        if await self._revalidated():
            return self.engine.snapshot()
        async with self._hold():
            await self._catch_up()
            return self.engine.snapshot()

    async def now(self) -> float:
        """Return the agent's time, caught up with a fast-forward made by another process."""
        if not await self._revalidated():
            async with self._hold():
                await self._catch_up()
        return self.clock()

    async def load(
        self, workspace: dict[str, Any], record_rows: Sequence[tuple[str, str, Any]] = ()
    ) -> Result:
        """Replace the workspace and the org's record changes with exported ones; save, show."""
        await self.store.store.clear_records()

        def replace() -> Result:
            self.engine.reset_records()
            loaded = self.engine.load(workspace)
            self.engine.workspace.records.pop("changed", None)
            self.engine.records.begin()
            for entity, record_id, row in record_rows:
                self.engine.records.put(entity, record_id, row)
            return replace_changes(loaded, self.engine.records.end())

        return await self._run(replace)

    async def advance_clock(self, seconds: float) -> float:
        """Fast-forward the agent's clock and fire whatever falls due on the way.

        The offset is part of the agent's saved workspace, so every process reads the same time.
        """
        await self._run(self.engine.advance_clock, seconds)
        return self.clock()

    async def resume_clock_at(self, now: float) -> None:
        """Set the agent's clock to read `now` (an imported state), saved like any change."""
        async with self._hold():
            await self._catch_up()
            self.engine.resume_clock_at(now)
            self.engine.workspace.revision += 1
            await self._save(())

    def _schedule(self) -> None:
        # One wake-up for the earliest deadline; every change reschedules it.
        if self._wake_up is not None:
            self._wake_up.cancel()
            self._wake_up = None
        deadline = self.engine.next_deadline()
        if deadline is not None:
            delay = max(0.0, deadline - self.clock())
            self._wake_up = asyncio.get_running_loop().call_later(delay, self._tick)

    async def _run(self, work: Callable[..., Result], *args: Any, **params: Any) -> Result:
        # One cycle for every change: hold, catch up, apply, settle, save, then publish.
        for tentative in self._holds:
            try:
                async with self._hold(tentative):
                    await self._catch_up()
                    result = work(*args, **params)
                    answers = self.dispatcher.settle(result.settlements)
                    if result.mutated or result.record_changes:
                        await self._save(result.record_changes)
                    published = self.publisher.queue(result.deliveries, result.mutated, answers)
                break
            except SaveConflict:
                if not tentative:
                    raise  # a locked hold does not conflict: refused as any failed save
                # Nothing was kept (see _save): run it again under the lock.
        await published  # an action returns once its own events are sent
        if result.mutated:
            await self._changed()
        return result

    def _tick(self) -> None:
        task = asyncio.create_task(self._run(self.engine.advance))
        self._ticking.add(task)
        task.add_done_callback(self._ticking.discard)

    async def read(self, reader: Callable[[Engine], T]) -> T:
        """Return what `reader` finds in the engine, caught up with other processes."""
        if await self._revalidated():
            return reader(self.engine)
        async with self._hold():
            await self._catch_up()
            return reader(self.engine)

    async def view(self) -> dict[str, Any]:
        """Return the current workspace view, caught up with other processes."""
        if await self._revalidated():
            return workspace_view(self.engine)
        async with self._hold():
            await self._catch_up()
            return workspace_view(self.engine)

    def _hold(self, tentative: bool = False) -> _Hold:
        # The store's exclusive hold, counted so that reads know a change may be under way.
        return _Hold(self, tentative)

    def _records(self) -> MemoryRecords:
        records = self.engine.records
        if not isinstance(records, MemoryRecords):
            raise TypeError("a shared store catches up into the process's MemoryRecords")
        return records

    async def _catch_up(self) -> None:
        # Under the hold: one round trip brings the rows and, if newer, the workspace.
        if self.store.shared:
            saved = await self.store.catch_up(self.engine.revision, self._records())
            if saved is not None:
                self._restore(saved)

    async def _save(self, changes: Sequence[Change]) -> None:
        # The engine bumped the revision with the change; the store keeps it beside the text,
        # with the record rows the call wrote. The text goes in parts, so a store that keeps
        # the answers and analytics events as rows writes only those that changed.
        if not self.store.durable:  # the memory store: the engine is the only copy
            await self.store.save(IN_ENGINE, self.engine.revision, changes)
            return
        saved = self.engine.snapshot_parts()
        try:
            await self.store.save(saved, self.engine.revision, changes)
        except StoreFailed:
            self.engine.records.revert(changes)  # the change was not saved: it did not happen
            if self._saved is not None:
                self._restore(self._saved)
            raise
        self._saved = saved

    async def published(self) -> None:
        """Return once every publish queued so far is done (events sent, views shown)."""
        await self.publisher.published()

    async def page_opened(self, page: str) -> None:
        """Count a workspace page open (before it reads the state and the journal backlog)."""
        await self.store.page_opened(page)

    async def page_closed(self, page: str) -> None:
        """Stop counting a workspace page."""
        await self.store.page_closed(page)

    async def _journal(
        self,
        provider: str,
        api: str,
        args: Sequence[Any],
        request_id: str | None,
        outcome: Outcome,
        latency_ms: float,
    ) -> None:
        result: dict[str, Any] = (
            {"value": outcome.value} if outcome.ok else {"error": outcome.error}
        )
        if outcome.deferred:
            result = {"deferred": True}  # its answer is journaled later, marked settled
        if outcome.warnings:
            result["warnings"] = [dict(w) for w in outcome.warnings]
        await self.journal.add(
            "call",
            provider=provider,
            api=api,
            args=list(args),
            requestId=request_id,
            ok=outcome.ok,
            latencyMs=round(latency_ms, 3),
            **result,
        )
