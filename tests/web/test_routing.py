"""Routing across agents over HTTP: who is offered an incoming conversation, and what then.

Every test names its agents; the default agent is an agent too, so the tests that do not want
it to take work set it Offline first.
"""

from __future__ import annotations

import json
import uuid
from pathlib import Path
from typing import Any

import pytest

from tests.web.conftest import Agent, AgentFactory, ServerFactory

MARIA = {"contact": "Maria Campbell"}
DISPLAY_TIMEOUT = 120  # the chat notification templates' timeout (defaults/workspace.yaml)


class Org:
    """The control API of one bridge, with the agents' routes under /agents/<agent>/."""

    def __init__(self, client: Agent) -> None:
        self.client = client

    async def ok(self, method: str, path: str, body: Any = None) -> Any:
        status, payload = await self.client.request(method, path, body)
        assert status == 200, (path, payload)
        return payload

    @staticmethod
    def base(agent: str) -> str:
        return "" if agent == "default" else f"/agents/{agent}"

    async def route(self, channel: str = "chat", **body: Any) -> dict[str, Any]:
        routed: dict[str, Any] = await self.ok(
            "POST", "/api/routing/conversations", {"channel": channel, **body}
        )
        return routed

    async def routed(self, routed: dict[str, Any]) -> dict[str, Any]:
        found: dict[str, Any] = await self.ok(
            "GET", f"/api/routing/conversations/{routed['routingId']}"
        )
        return found

    async def routing(self) -> dict[str, Any]:
        view: dict[str, Any] = await self.ok("GET", "/api/routing")
        return view

    async def presence(self, agent: str, text: str) -> None:
        await self.ok("POST", f"{self.base(agent)}/api/presence", {"presenceText": text})

    async def conversations(self, agent: str) -> list[dict[str, Any]]:
        listed = await self.ok("GET", f"{self.base(agent)}/api/conversations")
        return list(listed["conversations"])

    async def answer(self, agent: str, routed: dict[str, Any], verb: str) -> Any:
        path = f"{self.base(agent)}/api/conversations/{routed['conversationId']}/{verb}"
        return await self.ok("POST", path, {})

    async def advance(self, agent: str, seconds: float) -> None:
        await self.ok("POST", f"{self.base(agent)}/api/clock/advance", {"seconds": seconds})

    async def agents(self, *names: str, default: str | None = "Offline") -> None:
        """Bring the agents up (an agent appears on first use); set the default's presence."""
        for name in names:
            await self.ok("GET", f"{self.base(name)}/api/workspace")
        if default is not None:
            await self.presence("default", default)


@pytest.fixture
async def org(serve: ServerFactory, agent_for: AgentFactory) -> Org:
    return Org(agent_for(await serve()))


async def small_org(serve: ServerFactory, agent_for: AgentFactory, tmp_path: Path) -> Org:
    """A bridge whose agents have 2 capacity units each (a chat takes 1)."""
    config = tmp_path / "capacity.json"
    config.write_text(json.dumps({"conversations": {"capacity": 2}}), encoding="utf-8")
    return Org(agent_for(await serve(config_path=config)))


async def test_conversations_go_round_robin_to_the_agents(org: Org) -> None:
    await org.agents("alice", "bob", "carol")
    chosen = [(await org.route(customer=MARIA))["agent"] for _ in range(4)]
    assert chosen == ["alice", "bob", "carol", "alice"]
    assert (await org.routing())["cursor"] == "alice"


async def test_the_chosen_agent_sees_the_incoming_notification_and_accepts(org: Org) -> None:
    await org.agents("alice", "bob")
    routed = await org.route(customer=MARIA)
    assert (routed["state"], routed["agent"]) == ("offered", "alice")
    workspace = await org.ok("GET", "/agents/alice/api/workspace")
    assert workspace["notifications"]["displayed"]["title"] == "Incoming chat from Maria Campbell"
    assert await org.conversations("bob") == []
    await org.answer("alice", routed, "accept")
    after = await org.routed(routed)
    assert (after["state"], after["agent"]) == ("accepted", "alice")
    routing = await org.routing()
    assert routing["queue"] == routing["offers"] == []
    assert [c["routingId"] for c in routing["finished"]] == [routed["routingId"]]


async def test_away_offline_and_do_not_disturb_agents_are_skipped_busy_is_not(org: Org) -> None:
    await org.agents("alice", "bob", "carol", "dave")
    await org.presence("alice", "Away")
    await org.presence("bob", "Offline")
    await org.presence("carol", "Do not disturb")
    await org.presence("dave", "Busy")
    assert (await org.route())["agent"] == "dave"
    assert (await org.route())["agent"] == "dave"


async def test_nobody_available_queues_in_order_and_availability_drains_the_queue(
    org: Org,
) -> None:
    await org.agents("alice", "bob")
    await org.presence("alice", "Away")
    await org.presence("bob", "Away")
    first, second = await org.route(customer=MARIA), await org.route()
    assert (first["state"], first["agent"], second["state"]) == ("queued", None, "queued")
    queue = (await org.routing())["queue"]
    assert [c["routingId"] for c in queue] == [first["routingId"], second["routingId"]]
    await org.presence("bob", "Available")  # bob has room for both: oldest first, both his
    first, second = await org.routed(first), await org.routed(second)
    assert (first["state"], first["agent"]) == ("offered", "bob")
    assert (second["state"], second["agent"]) == ("offered", "bob")
    ids = [c["conversationId"] for c in await org.conversations("bob")]
    assert ids == [first["conversationId"], second["conversationId"]]


async def test_a_full_agent_is_skipped_and_freed_capacity_drains_the_queue_fifo(
    serve: ServerFactory, agent_for: AgentFactory, tmp_path: Path
) -> None:
    org = await small_org(serve, agent_for, tmp_path)
    await org.agents("alice")
    first, second = await org.route(), await org.route()  # alice's 2 units are taken
    assert [first["agent"], second["agent"]] == ["alice", "alice"]
    third, fourth = await org.route(customer=MARIA), await org.route()
    assert (third["state"], fourth["state"]) == ("queued", "queued")
    await org.answer("alice", first, "accept")
    await org.answer("alice", first, "end")  # wrap-up still holds its unit
    assert (await org.routed(third))["state"] == "queued"
    await org.ok(
        "POST",
        f"/agents/alice/api/conversations/{first['conversationId']}/wrap-up",
        {"disposition": "Resolved"},
    )
    third, fourth = await org.routed(third), await org.routed(fourth)
    assert (third["state"], third["agent"]) == ("offered", "alice")  # the oldest first
    assert fourth["state"] == "queued"  # one unit freed: one conversation offered


async def test_a_rejected_conversation_moves_to_the_next_agent_never_back(org: Org) -> None:
    await org.agents("alice", "bob")
    routed = await org.route(customer=MARIA)
    assert routed["agent"] == "alice"
    await org.answer("alice", routed, "reject")
    moved = await org.routed(routed)
    assert (moved["state"], moved["agent"], moved["declinedBy"]) == ("offered", "bob", ["alice"])
    assert moved["history"] == [{"agent": "alice", "outcome": "DeclinedByAgent"}]
    left = {c["conversationId"]: c for c in await org.conversations("alice")}
    assert left[routed["conversationId"]]["state"] == "closed"  # taken back from alice
    assert (await org.ok("GET", "/agents/alice/api/notifications"))["displayed"] is None
    await org.answer("bob", moved, "reject")
    again = await org.routed(routed)  # alice said no already: it waits for someone else
    assert (again["state"], again["agent"], again["declinedBy"]) == (
        "queued",
        None,
        ["alice", "bob"],
    )
    await org.agents("carol", default=None)  # a new agent is one more who may take it
    assert (await org.routed(routed))["agent"] == "carol"


async def test_a_notification_that_times_out_moves_to_the_next_agent(org: Org) -> None:
    await org.agents("alice", "bob")
    routed = await org.route()
    assert routed["agent"] == "alice"
    await org.advance("alice", DISPLAY_TIMEOUT - 1)
    assert (await org.routed(routed))["agent"] == "alice"
    await org.advance("alice", 1)
    moved = await org.routed(routed)
    assert (moved["state"], moved["agent"]) == ("offered", "bob")
    assert moved["history"] == [{"agent": "alice", "outcome": "DisplayTimeout"}]
    await org.answer("bob", moved, "accept")
    assert (await org.routed(routed))["state"] == "accepted"


async def test_an_explicit_target_gets_it_or_it_waits_for_that_agent(org: Org) -> None:
    await org.agents("alice", "bob")
    assert (await org.route(agent="bob"))["agent"] == "bob"
    assert (await org.route())["agent"] == "alice"  # the targeted offer left the cursor alone
    await org.presence("bob", "Away")
    waiting = await org.route(agent="bob")
    assert (waiting["state"], waiting["target"]) == ("queued", "bob")
    assert (await org.route())["agent"] == "alice"  # alice is free, yet only bob gets it
    assert (await org.routed(waiting))["state"] == "queued"
    await org.presence("bob", "Available")
    assert (await org.routed(waiting))["agent"] == "bob"


async def test_a_target_that_rejects_lets_the_others_have_it(org: Org) -> None:
    await org.agents("alice", "bob")
    routed = await org.route(agent="bob")
    await org.answer("bob", routed, "reject")
    moved = await org.routed(routed)
    assert (moved["agent"], moved["target"]) == ("alice", None)


async def test_a_new_agent_named_as_target_appears(org: Org) -> None:
    await org.agents()
    routed = await org.route(agent="erin")
    assert routed["agent"] == "erin"
    listed = await org.ok("GET", "/api/agents")
    assert [a["agent"] for a in listed["agents"]] == ["default", "erin"]


async def test_bad_arrivals_are_refused_and_change_nothing(org: Org) -> None:
    await org.agents("alice")
    for body, status, text in (
        ({"channel": "fax"}, 404, "Channel fax is not configured"),
        ({"channel": "chat", "provider": "nobody"}, 404, "Provider nobody is not configured"),
        ({"channel": "chat", "customer": {"contact": "Nobody Known"}}, 404, "Nobody Known"),
        ({"channel": "chat", "agent": "-x"}, 400, "agent"),
        ({"channel": "chat", "colour": "red"}, 400, "colour"),
    ):
        code, payload = await org.client.request("POST", "/api/routing/conversations", body)
        assert code == status and text in payload["error"]["message"], (body, payload)
    routing = await org.routing()
    assert routing["queue"] == routing["offers"] == routing["finished"] == []
    assert routing["cursor"] is None
    assert await org.conversations("alice") == []
    status, _ = await org.client.request("GET", "/api/routing/conversations/nope")
    assert status == 404


async def test_routing_is_served_at_the_org_only(org: Org) -> None:
    status, _ = await org.client.request("GET", "/agents/alice/api/routing")
    assert status == 404


async def test_an_org_reset_starts_routing_over(org: Org) -> None:
    await org.agents("alice")
    await org.presence("alice", "Away")
    await org.route()
    await org.ok("POST", "/api/reset")
    routing = await org.routing()
    assert routing["queue"] == [] and routing["cursor"] is None


async def test_routing_resumes_after_a_restart_and_lists_no_agent_of_its_own(
    serve: ServerFactory, agent_for: AgentFactory, tmp_path: Path
) -> None:
    state = tmp_path / "routing.sqlite3"
    first = Org(agent_for(await serve(store="sqlite", state_path=state)))
    await first.agents("alice", "bob")
    await first.presence("bob", "Away")
    offered = await first.route(customer=MARIA)
    queued = await first.route(agent="bob")
    await first.client.server.close()
    second = Org(agent_for(await serve(store="sqlite", state_path=state)))
    listed = await second.ok("GET", "/api/agents")
    assert [a["agent"] for a in listed["agents"]] == ["default", "alice", "bob"]
    assert (await second.routed(offered))["agent"] == "alice"
    assert (await second.routed(queued))["state"] == "queued"
    await second.presence("bob", "Available")
    assert (await second.routed(queued))["agent"] == "bob"
    await second.answer("alice", await second.routed(offered), "reject")
    assert (await second.routed(offered))["agent"] == "bob"


async def test_a_removed_agents_offer_moves_on_and_a_customer_who_leaves_is_let_go(
    org: Org,
) -> None:
    await org.agents("alice", "bob")
    routed = await org.route(customer=MARIA)
    assert routed["agent"] == "alice"
    await org.ok("DELETE", "/api/agents/alice")
    moved = await org.routed(routed)
    assert (moved["state"], moved["agent"], moved["declinedBy"]) == ("offered", "bob", [])
    await org.answer("bob", moved, "close-window")
    left = await org.routed(routed)
    assert (left["state"], left["agent"]) == ("abandoned", "bob")


@pytest.mark.redis
async def test_two_bridges_on_one_redis_route_together(
    serve: ServerFactory, agent_for: AgentFactory
) -> None:
    key = f"cifbridge:test:{uuid.uuid4().hex}"
    a = Org(agent_for(await serve(store="redis", redis_key=key, reset=True)))
    await a.agents("alice", "bob")
    await a.presence("bob", "Away")
    routed = await a.route(customer=MARIA)
    assert routed["agent"] == "alice"
    b = Org(agent_for(await serve(store="redis", redis_key=key)))
    await b.answer("alice", routed, "reject")  # on bridge B: its router takes it back
    assert (await a.routed(routed))["state"] == "queued"  # bridge A reads the same state
    await a.presence("bob", "Available")  # on bridge A: its router offers the queue
    moved = await b.routed(routed)
    assert (moved["state"], moved["agent"], moved["declinedBy"]) == ("offered", "bob", ["alice"])
    assert [c["state"] for c in await b.conversations("bob")] == ["open"]
    listed = await b.ok("GET", "/api/agents")
    assert [x["agent"] for x in listed["agents"]] == ["default", "alice", "bob"]


async def test_a_bridge_started_with_reset_starts_routing_over(
    serve: ServerFactory, agent_for: AgentFactory, tmp_path: Path
) -> None:
    state = tmp_path / "routing.sqlite3"
    first = Org(agent_for(await serve(store="sqlite", state_path=state)))
    await first.agents("alice")
    await first.presence("alice", "Away")
    await first.route()
    await first.client.server.close()
    second = Org(agent_for(await serve(store="sqlite", state_path=state, reset=True)))
    routing = await second.routing()
    assert routing["queue"] == routing["offers"] == [] and routing["cursor"] is None
