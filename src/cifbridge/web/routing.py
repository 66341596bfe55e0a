"""Routing across agents: each incoming conversation is offered to one agent, or queued.

The rule is engine/omnichannel/routing.py's (pure); this module runs it against the agents
this bridge hosts and applies what it decides through each agent's hub, with the per-agent
actions every other caller uses: `arriveConversation` on the agent chosen (its engine raises
the notification, times it out, keeps the capacity), `withdrawConversation` on one that
declined.

Rules (docs/agents.md, "Routing across agents"):
- `route(...)` queues an arriving conversation and runs an assignment cycle at once, so the
  answer says where it went (offered to an agent, or queued);
- every change of any agent's workspace runs a cycle too (Hub.on_change, once the change is
  saved and published): a reject, a notification timing out (the agent's clock, its timers,
  the agent's advanceClock route), a presence change, freed capacity. A cycle first looks
  at each offered conversation in its agent's workspace (still offered, accepted, declined,
  left by the customer) and takes back the declined ones, then offers the queue, oldest first;
  it repeats until nothing moves (an offer an agent's full notification queue refuses at once
  is declined at once);
- the changes a cycle itself makes in the agents' hubs (an offer, a withdrawal) are folded into
  the cycle under way, which looks again before it ends: a cycle never waits for itself (the
  task running it is remembered; a timer's tick runs in a task of its own and starts a cycle);
- the routing state is one JSON document saved through the store under ROUTING_KEY, with its
  own hold (memory, SQLite, Redis alike): a key no agent can be named (agent names start with
  a letter or digit), which `Agents.saved` leaves out, so it is nobody's workspace and
  listAgents never lists it;
- the candidates are the agents this process runs (every agent the store keeps is started
  with the bridge); resetting the org (the default agent's reset route, records included)
  starts routing over.
"""

from __future__ import annotations

import asyncio
import json
import logging
from functools import partial
from typing import Any

from cifbridge.engine import AgentActionRefused, Engine
from cifbridge.engine.base.context import checked_agent
from cifbridge.engine.base.errors import NOT_FOUND
from cifbridge.engine.omnichannel import routing as rules
from cifbridge.engine.omnichannel.routing import Candidate, RoutedConversation, Routing
from cifbridge.store import StoreFailed
from cifbridge.web.agents import Agents
from cifbridge.web.hub import Hub

log = logging.getLogger("cifbridge")

ROUTING_KEY = "-routing"  # a store key, never an agent name (AGENT_NAME starts alphanumeric)
MAX_PASSES = 100  # a cycle repeats while something moves; each pass settles or places one


class Router:
    """Routes conversations across the agents of one bridge."""

    def __init__(self, agents: Agents) -> None:
        self.agents = agents
        self.store = agents.store
        self._routing: Routing | None = None  # the state last loaded or saved
        self._revision = 0
        self._cycling: asyncio.Task[Any] | None = None  # the task running a cycle, if any
        self._marks: dict[str, Any] = {}  # by agent: what routing last saw of it (_mark)
        agents.on_change(self._agent_changed)

    async def route(self, arrival: dict[str, Any], agent: str | None = None) -> dict[str, Any]:
        """Queue an arriving conversation (for `agent` only, when named); offer it if possible.

        Refuses, changing nothing, an unknown channel (404) or an arrival the chosen agent's
        workspace refuses (an unknown customer or case: the status of that refusal).
        """
        config = self.agents.config
        channel = config.omnichannel.channels.get(str(arrival["channel"]))
        if channel is None:
            known = ", ".join(config.omnichannel.channels) or "none"
            message = f"Channel {arrival['channel']} is not configured (channels: {known})"
            raise AgentActionRefused(message, NOT_FOUND)
        provider = arrival.get("provider")
        if provider is not None and config.provider(provider) is None:
            raise AgentActionRefused(f"Provider {provider} is not configured", NOT_FOUND)
        if agent is not None:
            await self.agents.get(checked_agent(agent))  # an agent appears on first use
        async with self.store.exclusive(ROUTING_KEY):
            routing = await self._load()
            added = rules.arrive(routing, arrival, units=channel.capacity_units, target=agent)
            _, refusals = await self._cycle(routing)
            refused = refusals.get(added.id)
            if refused is not None:
                del routing.conversations[added.id]  # it never entered routing
            await self._save(routing)
        if refused is not None:
            raise refused
        return view_of(added)

    async def view(self) -> dict[str, Any]:
        """Return the routing state: the cursor, the queue, the offers and what finished."""
        async with self.store.exclusive(ROUTING_KEY):
            routing = await self._load()
        done = [c for c in _by_number(routing) if c.state in rules.DONE]
        return {
            "cursor": routing.cursor,
            "queue": [view_of(c) for c in routing.waiting()],
            "offers": [view_of(c) for c in routing.offered()],
            "finished": [view_of(c) for c in done],
        }

    async def conversation(self, routing_id: str) -> dict[str, Any]:
        """Return one routed conversation (404 when routing holds none by that id)."""
        async with self.store.exclusive(ROUTING_KEY):
            routing = await self._load()
        found = routing.conversations.get(routing_id)
        if found is None:
            raise AgentActionRefused(f"Routing holds no conversation {routing_id}", NOT_FOUND)
        return view_of(found)

    async def reset(self) -> None:
        """Start over: no queue, no offers, the cursor at the start."""
        async with self.store.exclusive(ROUTING_KEY):
            await self._load()
            await self._save(Routing())

    async def _agent_changed(self, hub: Hub) -> None:
        if self._cycling is not None and self._cycling is asyncio.current_task():
            return  # the cycle under way made this change, and looks again before it ends
        if self.agents.draining:
            return  # the bridge is stopping: what its agents let go of is not a decline
        if self.agents.started(hub.agent_id) is hub:
            mark = _mark(hub)
            if self._marks.get(hub.agent_id) == mark:
                return  # neither its availability nor its conversations moved: nothing to do
            self._marks[hub.agent_id] = mark
        else:
            self._marks.pop(hub.agent_id, None)  # being removed: routing must look again
        try:
            if not await self._may_have_work():
                return
            async with self.store.exclusive(ROUTING_KEY):
                routing = await self._load()
                moved, _ = await self._cycle(routing)
                if moved:
                    await self._save(routing)
        except StoreFailed as failure:
            # The agent's own change is saved and answered; routing catches up with it at the
            # next change (what it did in the agents' workspaces is looked at again then).
            log.warning("routing did not run after %s's change: %s", hub.agent_id, failure)
            self._marks.pop(hub.agent_id, None)  # so its next change is looked at

    async def _may_have_work(self) -> bool:
        # Without a hold: most changes happen with nothing queued or offered, and must stay
        # cheap. A shared store is asked whether another process saved a newer state.
        if self._routing is None or self.store.shared:
            saved = await self.store.load(ROUTING_KEY, self._revision if self._routing else None)
            if saved is not None:
                self._remember(saved)
        if self._routing is None:
            self._routing = Routing()  # nothing saved yet: nothing to route
        return self._routing.open()

    async def _cycle(self, routing: Routing) -> tuple[bool, dict[str, AgentActionRefused]]:
        """Settle the offers and offer the queue until nothing moves (under the hold).

        Returns whether anything moved, and the arrivals an agent's workspace refused.
        """
        refusals: dict[str, AgentActionRefused] = {}
        moved = False
        self._cycling = asyncio.current_task()
        try:
            for _ in range(MAX_PASSES):
                settled = await self._settle_offers(routing)
                placed = await self._offer_queue(routing, refusals)
                if not settled and not placed:
                    break
                moved = True
        finally:
            self._cycling = None
        rules.prune(routing)
        return moved, refusals

    async def _settle_offers(self, routing: Routing) -> bool:
        moved = False
        saved: list[str] | None = None
        for conversation in routing.offered():
            hub = self.agents.started(conversation.agent or "")
            wanted = conversation.conversation_id
            if hub is None:
                # Not started (yet: the bridge starts its agents one by one), or removed.
                saved = await self.agents.saved() if saved is None else saved
                if conversation.agent in saved:
                    continue
            if hub is None or wanted is None:
                outcome, detail = rules.GONE, None
            else:
                outcome, detail = await hub.read(partial(_observed, wanted))
            if outcome == rules.PENDING:
                continue
            if outcome == rules.DECLINED and hub is not None and wanted is not None:
                try:
                    await hub.agent("withdrawConversation", {"conversation_id": wanted})
                except StoreFailed as failure:
                    log.warning("routing could not take back %s: %s", wanted, failure)
                    continue  # still offered there; the next cycle tries again
                except AgentActionRefused:
                    pass  # it closed meanwhile: nothing to take back
            rules.settle(conversation, outcome, detail)
            moved = True
        return moved

    async def _offer_queue(self, routing: Routing, refusals: dict[str, AgentActionRefused]) -> bool:
        if not routing.waiting():
            return False
        placed = rules.assign(routing, await self._candidates())
        for conversation, cursor in placed:
            await self._arrive(routing, conversation, cursor, refusals)
        return bool(placed)

    async def _candidates(self) -> list[Candidate]:
        found = []
        for name in self.agents.names():
            hub = self.agents.started(name)
            if hub is not None:
                found.append(await hub.read(partial(_candidate, name)))
        return found

    async def _arrive(
        self,
        routing: Routing,
        conversation: RoutedConversation,
        cursor: str | None,
        refusals: dict[str, AgentActionRefused],
    ) -> None:
        hub = self.agents.started(conversation.agent or "")
        if hub is None:
            rules.returned(conversation)
            return
        try:
            result = await hub.agent("arriveConversation", dict(conversation.arrival))
        except AgentActionRefused as refused:
            rules.failed(routing, conversation, refused.message, cursor)
            refusals[conversation.id] = refused
            return
        except StoreFailed as failure:
            log.warning("routing could not offer %s: %s", conversation.id, failure)
            rules.returned(conversation)
            return
        value = result.value if isinstance(result.value, dict) else {}
        conversation.conversation_id = value.get("conversationId")

    async def _load(self) -> Routing:
        # Under the hold: the saved state if it is newer than the one this process knows.
        saved = await self.store.load(ROUTING_KEY, self._revision if self._routing else None)
        if saved is not None:
            self._remember(saved)
        if self._routing is None:
            self._routing = Routing()
        return Routing.from_json(self._routing.to_json())  # a copy: a failed save undoes it

    async def _save(self, routing: Routing) -> None:
        revision = self._revision + 1
        text = json.dumps({"revision": revision, "routing": routing.to_json()})
        await self.store.save(ROUTING_KEY, text, revision)
        self._routing, self._revision = routing, revision

    def _remember(self, saved: str) -> None:
        document = json.loads(saved)
        self._routing = Routing.from_json(document.get("routing"))
        self._revision = int(document.get("revision", 0))


def view_of(conversation: RoutedConversation) -> dict[str, Any]:
    """Return a routed conversation as getRouting shows it."""
    return {
        "routingId": conversation.id,
        "channel": conversation.channel,
        "state": conversation.state,
        "target": conversation.target,
        "agent": conversation.agent,
        "conversationId": conversation.conversation_id,
        "declinedBy": list(conversation.declined),
        "history": [dict(h) for h in conversation.history],
        "arrival": dict(conversation.arrival),
        **({"reason": conversation.reason} if conversation.reason else {}),
    }


def _observed(conversation_id: str, engine: Engine) -> tuple[str, str | None]:
    return rules.observe(engine.workspace.omnichannel.conversations.get(conversation_id))


def _mark(hub: Hub) -> tuple[Any, ...]:
    # What a change must move for routing to look again: the agent's presence and free
    # capacity, and the state of each of its conversations (an answer, a timeout, a close).
    engine = hub.engine
    conversations = engine.workspace.omnichannel.conversations.values()
    return (
        _candidate(hub.agent_id, engine),
        tuple((c.id, c.state, c.offer) for c in conversations),
    )


def _candidate(agent: str, engine: Engine) -> Candidate:
    return rules.candidate(agent, engine.workspace, engine.config)


def _by_number(routing: Routing) -> list[RoutedConversation]:
    return sorted(routing.conversations.values(), key=lambda c: c.number)
