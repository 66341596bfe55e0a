"""The routing rule across agents: presence, capacity, declines, targets, round robin, the queue."""

from __future__ import annotations

from typing import Any

from cifbridge.engine.base.conversation_state import Conversation
from cifbridge.engine.omnichannel import routing as rules
from cifbridge.engine.omnichannel.routing import Candidate, RoutedConversation, Routing
from tests.conftest import Bridge
from tests.engine.omnichannel.desk import MARIA, Desk


def agent(name: str, presence: str | None = "AVAILABLE", free: int = 10) -> Candidate:
    return Candidate(name, presence, free)


def queued(routing: Routing, units: int = 1, target: str | None = None) -> RoutedConversation:
    return rules.arrive(routing, {"channel": "chat"}, units=units, target=target)


def placed(routing: Routing, candidates: list[Candidate]) -> list[tuple[int, str | None]]:
    return [(c.number, c.agent) for c, _ in rules.assign(routing, candidates)]


def test_only_available_and_busy_agents_can_take_work() -> None:
    one = queued(Routing())
    takes = {
        status: rules.can_take(agent("a", status), one)
        for status in ("AVAILABLE", "BUSY", "BUSY_DND", "AWAY", "OFFLINE", None)
    }
    assert takes == {
        "AVAILABLE": True,
        "BUSY": True,
        "BUSY_DND": False,
        "AWAY": False,
        "OFFLINE": False,
        None: False,
    }


def test_an_agent_needs_the_channels_units_free() -> None:
    routing = Routing()
    voice = queued(routing, units=3)
    assert not rules.can_take(agent("a", free=2), voice)
    assert rules.can_take(agent("a", free=3), voice)


def test_round_robin_starts_after_the_cursor_and_wraps_around() -> None:
    routing = Routing()
    one = queued(routing)
    everyone = [agent("carol"), agent("alice"), agent("default"), agent("bob")]
    assert rules.choose(everyone, None, one) == "default"  # GET /api/agents order
    assert rules.choose(everyone, "default", one) == "alice"
    assert rules.choose(everyone, "bob", one) == "carol"
    assert rules.choose(everyone, "carol", one) == "default"
    assert rules.choose(everyone, "ann", one) == "bob"  # a cursor gone from the list


def test_a_decliner_is_never_offered_the_conversation_again() -> None:
    routing = Routing()
    one = queued(routing)
    one.declined.append("alice")
    assert rules.choose([agent("alice"), agent("bob")], None, one) == "bob"
    assert rules.choose([agent("alice")], None, one) is None


def test_a_target_gets_it_or_nobody_does() -> None:
    routing = Routing()
    for_bob = queued(routing, target="bob")
    assert rules.choose([agent("alice"), agent("bob")], None, for_bob) == "bob"
    assert rules.choose([agent("alice"), agent("bob", "AWAY")], None, for_bob) is None
    assert rules.choose([agent("alice")], None, for_bob) is None


def test_one_cycle_fills_the_agents_oldest_first_and_moves_the_cursor() -> None:
    routing = Routing()
    for _ in range(4):
        queued(routing)
    got = placed(routing, [agent("alice", free=1), agent("bob", free=2)])
    assert got == [(1, "alice"), (2, "bob"), (3, "bob")]  # alice is full after the first
    assert [c.number for c in routing.waiting()] == [4]
    assert routing.cursor == "bob"


def test_a_conversation_nobody_can_take_does_not_hold_back_a_smaller_one() -> None:
    routing = Routing()
    queued(routing, units=3)
    queued(routing, units=1)
    assert placed(routing, [agent("alice", free=2)]) == [(2, "alice")]
    assert [c.number for c in routing.waiting()] == [1]


def test_a_targeted_offer_leaves_the_cursor_where_it_was() -> None:
    routing = Routing(cursor="alice")
    queued(routing, target="alice")
    assert placed(routing, [agent("alice"), agent("bob")]) == [(1, "alice")]
    assert routing.cursor == "alice"
    queued(routing)
    assert placed(routing, [agent("alice"), agent("bob")]) == [(2, "bob")]


def offered(routing: Routing, to: str, target: str | None = None) -> RoutedConversation:
    conversation = queued(routing, target=target)
    conversation.state, conversation.agent, conversation.conversation_id = "offered", to, "c-1"
    return conversation


def copy(state: str, offer: str | None, accepted: bool = False) -> Conversation:
    return Conversation(
        id="c-1",
        channel="chat",
        provider="p",
        customer={},
        state=state,
        created_at=0.0,
        offer=offer,
        accepted_at=1.0 if accepted else None,
    )


def test_what_the_agents_copy_says_of_an_offer() -> None:
    assert rules.observe(copy("open", "offered")) == (rules.PENDING, None)
    assert rules.observe(copy("open", "queued")) == (rules.PENDING, None)
    assert rules.observe(copy("open", "DeclinedByAgent")) == (rules.DECLINED, "DeclinedByAgent")
    assert rules.observe(copy("open", "DisplayTimeout")) == (rules.DECLINED, "DisplayTimeout")
    assert rules.observe(copy("active", "Accept", accepted=True))[0] == rules.ACCEPTED
    assert rules.observe(copy("closed", "Accept", accepted=True))[0] == rules.ACCEPTED
    assert rules.observe(copy("closed", "offered"))[0] == rules.ABANDONED
    assert rules.observe(None) == (rules.GONE, None)


def test_a_decline_queues_it_again_without_the_decliner_and_drops_its_target() -> None:
    routing = Routing()
    conversation = offered(routing, "bob", target="bob")
    rules.settle(conversation, *rules.observe(copy("open", "DisplayTimeout")))
    assert (conversation.state, conversation.agent, conversation.target) == ("queued", None, None)
    assert conversation.declined == ["bob"]
    assert conversation.history == [{"agent": "bob", "outcome": "DisplayTimeout"}]
    assert placed(routing, [agent("alice"), agent("bob")]) == [(1, "alice")]


def test_a_lost_offer_queues_it_again_as_if_never_offered() -> None:
    routing = Routing()
    conversation = offered(routing, "alice")
    rules.settle(conversation, rules.GONE, None)
    assert (conversation.state, conversation.declined) == ("queued", [])


def test_a_refused_arrival_gives_back_its_round_robin_turn() -> None:
    routing = Routing(cursor="alice")
    conversation = queued(routing)
    ((chosen, before),) = rules.assign(routing, [agent("alice"), agent("bob")])
    assert routing.cursor == "bob"
    rules.failed(routing, chosen, "Contact Nobody does not exist", before)
    assert (conversation.state, conversation.reason, routing.cursor) == (
        "failed",
        "Contact Nobody does not exist",
        "alice",
    )


def test_the_state_round_trips_through_json_and_keeps_only_recent_finished_ones() -> None:
    routing = Routing()
    for _ in range(5):
        queued(routing).state = rules.ACCEPTED
    waiting = queued(routing, target="bob")
    rules.prune(routing, keep=2)
    assert sorted(c.number for c in routing.conversations.values()) == [4, 5, 6]
    again = Routing.from_json(routing.to_json())
    assert again == routing and again.waiting() == [waiting]


def test_an_agents_presence_and_free_capacity_come_from_its_workspace(bridge: Bridge) -> None:
    desk = Desk(bridge)
    desk.arrive("chat", {"contact": MARIA})  # offered: takes a unit
    found = rules.candidate("alice", desk.engine.workspace, desk.engine.config)
    assert found == Candidate("alice", "AVAILABLE", 9)
    desk.act("setPresence", presence_text="Away")
    assert rules.candidate("alice", desk.engine.workspace, desk.engine.config).base_presence == (
        "AWAY"
    )


def test_withdrawing_closes_an_open_conversation_and_its_notification(bridge: Bridge) -> None:
    desk = Desk(bridge)
    conversation_id = desk.arrive("chat", {"contact": MARIA})
    answer: dict[str, Any] = desk.act("withdrawConversation", conversation_id=conversation_id)
    assert answer == {"conversationId": conversation_id, "state": "closed"}
    assert desk.view(conversation_id)["endedBy"] == "routing"
    assert desk.workspace()["notifications"]["displayed"] is None
    assert desk.workspace()["omnichannel"]["capacity"]["used"] == 0
    refused = desk.refused("withdrawConversation", conversation_id=conversation_id)
    assert "closed" in refused.message
