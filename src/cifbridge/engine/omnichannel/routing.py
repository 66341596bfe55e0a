"""Routing across agents: which agent an incoming conversation is offered to, or the queue.

This module decides; web/routing.py applies the decisions to the agents' workspaces (each
agent's own engine raises the notification, hears the answer and keeps its capacity) and
keeps the routing state with the store. Everything here is plain data in, plain data out.

Rules (docs/agents.md, "Routing across agents"; Microsoft's "Configure assignment methods for
queues" and "Configure and manage custom presence" [DOC-UR]):
- the candidates are the agents the bridge hosts, in the order GET /api/agents lists them
  (the default agent first, then by name);
- an agent can take a conversation when the base status of its presence is one of
  ALLOWED_PRESENCES (Available and Busy, the allowed presences the docs configure: Busy-DND,
  Away and Offline receive nothing, nor a presence without a base status), its free capacity
  covers the channel's capacity units, and it has not declined this conversation before;
- a conversation that names an agent (its target) goes to that agent only: while the target
  cannot take it, it waits in the queue for the target (nobody else gets it). Once the target
  declines it, the target is dropped and it is routed like any other conversation;
- otherwise round robin: the first agent able to take it after the one round robin chose last
  (the cursor), wrapping around; an offer to a target does not move the cursor;
- the queue is first in, first out: each assignment cycle goes through the waiting
  conversations oldest first, and each takes the agent the rule gives it with the capacity
  the earlier ones left; one that nobody can take now does not hold back a later one that
  another agent (or a smaller channel) can take;
- an offered conversation the agent declines (rejects it, lets its notification time out, or
  whose notification a full notification queue refused) is taken back from that agent and
  routed again, never to that agent; one the agent accepts is done; one whose customer left
  before anyone accepted is abandoned; one the agent's workspace lost (reset, removed) is
  routed again as if never offered.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field, fields
from typing import Any

from cifbridge.engine.base.context import DEFAULT_AGENT
from cifbridge.engine.base.conversation_state import CLOSED, OFFERED, OPEN, Conversation
from cifbridge.engine.base.conversation_state import QUEUED as AGENT_QUEUED
from cifbridge.engine.base.state import Workspace
from cifbridge.engine.cif.queries import current_presence
from cifbridge.engine.config.entities import derived_guid
from cifbridge.engine.config.workspace import WorkspaceConfig
from cifbridge.engine.omnichannel.queries import capacity_used

# Base presence statuses that receive work (the workstream's allowed presences in the docs).
ALLOWED_PRESENCES = frozenset({"AVAILABLE", "BUSY"})
# RoutedConversation.state
QUEUED, OFFERED_TO, ACCEPTED, ABANDONED, FAILED = (
    "queued",
    "offered",
    "accepted",
    "abandoned",
    "failed",
)
DONE = (ACCEPTED, ABANDONED, FAILED)
KEEP_DONE = 100  # finished conversations the routing view keeps, newest last
# What an observation of an offered conversation found (see `observe`).
PENDING, DECLINED, GONE = "pending", "declined", "gone"


@dataclass(frozen=True)
class Candidate:
    """What routing needs to know of one agent: its name, presence and free capacity."""

    agent: str
    base_presence: str | None  # the presence's basePresenceStatus (None: it has none)
    free_units: int


@dataclass
class RoutedConversation:
    """One conversation routing placed or holds: what arrived, and where it is now."""

    id: str
    number: int  # arrival order: the queue is oldest first
    channel: str
    units: int  # the channel's capacity units
    arrival: dict[str, Any]  # the arriveConversation body replayed at the agent chosen
    target: str | None = None  # the agent it was sent to, until that agent declines it
    state: str = QUEUED  # queued, offered, accepted, abandoned, failed
    agent: str | None = None  # the agent offered it (or who accepted it)
    conversation_id: str | None = None  # its id in that agent's workspace
    declined: list[str] = field(default_factory=list)  # agents who rejected it or let it go
    history: list[dict[str, Any]] = field(default_factory=list)  # {agent, outcome}
    reason: str | None = None  # why it failed


@dataclass
class Routing:
    """The org's routing state: the round-robin cursor and the conversations routed."""

    cursor: str | None = None  # the agent round robin chose last
    next_number: int = 1
    conversations: dict[str, RoutedConversation] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        """Return the state as JSON-ready data."""
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict[str, Any] | None) -> Routing:
        """Rebuild what `to_json` wrote (or start empty)."""
        data = data or {}
        known = {f.name for f in fields(RoutedConversation)}
        conversations = {
            key: RoutedConversation(**{k: v for k, v in raw.items() if k in known})
            for key, raw in data.get("conversations", {}).items()
        }
        return cls(
            cursor=data.get("cursor"),
            next_number=int(data.get("next_number", 1)),
            conversations=conversations,
        )

    def waiting(self) -> list[RoutedConversation]:
        """Return the queued conversations, oldest first."""
        found = (c for c in self.conversations.values() if c.state == QUEUED)
        return sorted(found, key=lambda c: c.number)

    def offered(self) -> list[RoutedConversation]:
        """Return the conversations offered to an agent now, oldest first."""
        found = (c for c in self.conversations.values() if c.state == OFFERED_TO)
        return sorted(found, key=lambda c: c.number)

    def open(self) -> bool:
        """Tell whether any conversation is queued or offered (an assignment cycle has work)."""
        return any(c.state in (QUEUED, OFFERED_TO) for c in self.conversations.values())


def arrive(
    routing: Routing,
    arrival: dict[str, Any],
    *,
    units: int,
    target: str | None = None,
) -> RoutedConversation:
    """Add an arriving conversation to the queue (an assignment cycle places it)."""
    number = routing.next_number
    conversation = RoutedConversation(
        id=derived_guid("routing", number),
        number=number,
        channel=str(arrival["channel"]),
        units=units,
        arrival=dict(arrival),
        target=target,
    )
    routing.next_number += 1
    routing.conversations[conversation.id] = conversation
    return conversation


def order_key(agent: str) -> tuple[bool, str]:
    """Sort agents as GET /api/agents lists them: the default agent first, then by name."""
    return (agent != DEFAULT_AGENT, agent)


def candidate(agent: str, workspace: Workspace, config: WorkspaceConfig) -> Candidate:
    """Read one agent's presence and free capacity from its workspace."""
    presence = current_presence(workspace, config) or {}
    base = presence.get("basePresenceStatus")
    free = config.omnichannel.capacity - capacity_used(workspace, config)
    return Candidate(agent, base if isinstance(base, str) else None, free)


def can_take(agent: Candidate, conversation: RoutedConversation) -> bool:
    """Tell whether the agent can be offered the conversation now."""
    return (
        agent.base_presence in ALLOWED_PRESENCES
        and agent.free_units >= conversation.units
        and agent.agent not in conversation.declined
    )


def choose(
    candidates: Sequence[Candidate], cursor: str | None, conversation: RoutedConversation
) -> str | None:
    """Return the agent the conversation goes to now, or None: it waits in the queue."""
    if conversation.target is not None:
        target = next((c for c in candidates if c.agent == conversation.target), None)
        return target.agent if target is not None and can_take(target, conversation) else None
    ordered = sorted(candidates, key=lambda c: order_key(c.agent))
    if cursor is not None:
        after = [c for c in ordered if order_key(c.agent) > order_key(cursor)]
        ordered = after + [c for c in ordered if c not in after]
    return next((c.agent for c in ordered if can_take(c, conversation)), None)


def assign(
    routing: Routing, candidates: Iterable[Candidate]
) -> list[tuple[RoutedConversation, str | None]]:
    """Run one assignment cycle over the queue; return the conversations now offered.

    Each one offered is marked offered to its agent (the caller makes it arrive there and
    records its id in that workspace) and comes with the cursor as it was before it (what
    `failed` restores); the cursor moves with each round-robin choice.
    """
    free = {c.agent: c for c in candidates}
    placed = []
    for conversation in routing.waiting():
        chosen = choose(list(free.values()), routing.cursor, conversation)
        if chosen is None:
            continue
        taken = free[chosen]
        free[chosen] = Candidate(chosen, taken.base_presence, taken.free_units - conversation.units)
        placed.append((conversation, routing.cursor))
        if conversation.target is None:
            routing.cursor = chosen
        conversation.state, conversation.agent = OFFERED_TO, chosen
    return placed


def observe(conversation: Conversation | None) -> tuple[str, str | None]:
    """Say what became of an offered conversation, from its copy in the agent's workspace.

    Returns (outcome, detail): pending (still offered, or waiting for the agent's own
    capacity), accepted, declined (detail: the answer's reason, e.g. DeclinedByAgent or
    DisplayTimeout), abandoned (the customer left) or gone (the workspace no longer holds it).
    """
    if conversation is None:
        return GONE, None
    if conversation.state == OPEN:
        if conversation.offer in (OFFERED, AGENT_QUEUED):
            return PENDING, None
        return DECLINED, conversation.offer
    if conversation.state == CLOSED and conversation.accepted_at is None:
        return ABANDONED, conversation.ended_by
    return ACCEPTED, None


def settle(conversation: RoutedConversation, outcome: str, detail: str | None) -> None:
    """Apply what `observe` found to a conversation offered to an agent."""
    if outcome == PENDING:
        return
    agent = conversation.agent
    conversation.history.append({"agent": agent, "outcome": detail or outcome})
    if outcome in (ACCEPTED, ABANDONED):
        conversation.state = outcome
        return
    if outcome == DECLINED and agent is not None:
        conversation.declined.append(agent)
        if conversation.target == agent:
            conversation.target = None  # the target said no: anyone else may take it now
    conversation.state, conversation.agent, conversation.conversation_id = QUEUED, None, None


def returned(conversation: RoutedConversation) -> None:
    """Put a conversation whose arrival at the agent did not happen back in the queue."""
    conversation.state, conversation.agent, conversation.conversation_id = QUEUED, None, None


def failed(
    routing: Routing, conversation: RoutedConversation, reason: str, cursor: str | None
) -> None:
    """Give up on a conversation the agent's workspace refused (an unknown customer, ...).

    The round-robin turn it took goes back (`cursor`, as `assign` gave it), unless a later
    choice moved the cursor on since.
    """
    if conversation.target is None and routing.cursor == conversation.agent:
        routing.cursor = cursor
    conversation.history.append({"agent": conversation.agent, "outcome": "refused"})
    conversation.state, conversation.reason = FAILED, reason
    conversation.agent = conversation.conversation_id = None


def prune(routing: Routing, keep: int = KEEP_DONE) -> None:
    """Forget the oldest finished conversations beyond `keep`."""
    done = sorted(
        (c for c in routing.conversations.values() if c.state in DONE), key=lambda c: c.number
    )
    for conversation in done[: max(0, len(done) - keep)]:
        del routing.conversations[conversation.id]
