"""The agents one bridge hosts: a workspace (and a Hub) each, over one org's records.

Rules (docs/agents.md):
- an agent is named by `^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$`; `default` is the one today's URLs
  mean (no `/agents/<agent>/` in them), so nothing written before agents existed changes;
- an agent appears on first use (a widget, a page or a control-API call naming it) and is
  started like the bridge's first one: its saved workspace resumes, or a fresh one is saved;
- every agent the store knows is started with the bridge, so a restart resumes them all;
- an agent can be reset or removed alone; removing one answers its waiting calls, forgets its
  workspace and journal, and a later use brings it back fresh (the default agent is only reset).
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterator

from cifbridge.api.dispatcher import Dispatcher
from cifbridge.api.validation import SchemaSet
from cifbridge.engine import Engine
from cifbridge.engine.base.context import AGENT_NAME, DEFAULT_AGENT, checked_agent
from cifbridge.engine.base.record_store import MemoryRecords
from cifbridge.engine.config.workspace import WorkspaceConfig
from cifbridge.store import Store
from cifbridge.store.base import AgentStore
from cifbridge.store.journal import JournalBackend
from cifbridge.web.hub import ChangeListener, Hub
from cifbridge.web.journal import Journal

MAX_AGENTS = 10_000  # a bound, so a client naming a new agent per call cannot exhaust memory


class TooManyAgents(RuntimeError):
    """The bridge already hosts as many agents as it may."""


class Agents:
    """Creates, finds, lists, resets and removes the hubs of the agents."""

    def __init__(
        self,
        *,
        config: WorkspaceConfig,
        schemas: SchemaSet,
        store: Store,
        sio: object,
        clock: Callable[[], float],
        journal_for: Callable[[str], JournalBackend],
        strict: bool = False,
    ) -> None:
        self.config = config
        self.schemas = schemas
        self.store = store
        self.sio = sio
        self.clock = clock
        self.strict = strict
        self.records = store.open_records(config)  # the org's, shared by every agent
        self._journal_for = journal_for
        self._hubs: dict[str, Hub] = {}
        self._starting: dict[str, asyncio.Task[Hub]] = {}
        self._stale: set[str] = set()  # saved before a --reset start: they start fresh
        self._listeners: list[ChangeListener] = []
        self.draining = False  # set once the bridge stops taking calls

    def on_change(self, listener: ChangeListener) -> None:
        """Have `listener` hear every change of every agent's workspace (Hub.on_change)."""
        self._listeners.append(listener)
        for hub in self:
            hub.on_change(listener)

    async def saved(self) -> list[str]:
        """Return the agents the store keeps a workspace for, the default one first.

        Only agent names: the store also keeps documents under keys no agent can be named
        (routing's, web/routing.py), which are nobody's workspace.
        """
        return [name for name in await self.store.agents() if AGENT_NAME.match(name)]

    @property
    def default(self) -> Hub:
        """Return the default agent's hub (started with the bridge)."""
        return self._hubs[DEFAULT_AGENT]

    def __iter__(self) -> Iterator[Hub]:
        return iter(list(self._hubs.values()))

    def names(self) -> list[str]:
        """Return the agents started in this process, the default one first."""
        return sorted(self._hubs, key=lambda name: (name != DEFAULT_AGENT, name))

    def started(self, agent: str) -> Hub | None:
        """Return the agent's hub if it runs in this process."""
        return self._hubs.get(agent)

    async def start(self, *, reset: bool) -> None:
        """Load the org's records, then start the default agent and every saved one."""
        if reset:
            self._stale = {DEFAULT_AGENT, *await self.saved()}
            await self.store.clear_records()
        elif isinstance(self.records, MemoryRecords):  # rows read in the file need no loading
            await self.store.load_records(self.records)
        await self.get(DEFAULT_AGENT)
        # Every saved agent starts now; after `--reset` it starts over now, not on its first
        # use here: with a shared store another process may have worked in it by then.
        for agent in await self.saved():
            await self.get(agent)

    async def get(self, agent: str) -> Hub:
        """Return the agent's hub, starting it on first use (BadAgentName, TooManyAgents)."""
        hub = self._hubs.get(agent)
        if hub is not None:
            return hub
        checked_agent(agent)
        task = self._starting.get(agent)
        if task is None:  # one start per agent, however many callers ask at once
            if len(self._hubs) >= MAX_AGENTS:
                raise TooManyAgents(f"this bridge already hosts {MAX_AGENTS} agents")
            task = asyncio.ensure_future(self._start(agent))
            self._starting[agent] = task
        try:
            return await asyncio.shield(task)
        finally:
            if task.done():
                self._starting.pop(agent, None)

    async def _start(self, agent: str) -> Hub:
        engine = Engine(self.config, clock=self.clock, records=self.records, agent_id=agent)
        dispatcher = Dispatcher(engine, self.schemas, strict=self.strict)
        journal = Journal(engine.clock, self._journal_for(agent))
        hub = Hub(dispatcher, AgentStore(self.store, agent), self.sio, journal)
        try:
            # After `--reset`, an agent saved before starts fresh; one made since (by another
            # process sharing the store) is kept.
            await hub.start(reset=agent in self._stale)
            self._stale.discard(agent)
        except BaseException:
            await journal.close()
            raise
        for listener in self._listeners:
            hub.on_change(listener)
        self._hubs[agent] = hub
        for listener in self._listeners:
            await listener(hub)  # a new agent is a change: routing may offer it the queue
        return hub

    async def remove(self, agent: str) -> None:
        """Stop an agent: answer its waiting calls, forget its workspace and journal."""
        hub = self._hubs.pop(agent, None)
        if hub is None:
            return
        await hub.reset()  # waiting calls are answered; pages see the empty workspace
        await hub.stop()
        await hub.store.clear()
        await hub.journal.close()
        for listener in self._listeners:
            await listener(hub)  # gone: routing offers elsewhere what it had offered this agent

    async def stop(self) -> None:
        """Stop every agent's timers and delayed events."""
        for hub in self:
            await hub.stop()

    async def drain(self) -> None:
        """Refuse new calls on every agent, finish those under way, answer those waiting."""
        self.draining = True
        await asyncio.gather(*(hub.drain() for hub in self))

    async def close(self) -> None:
        """Close every agent's journal, then the store."""
        for hub in self:
            await hub.journal.close()
        await self.store.close()
