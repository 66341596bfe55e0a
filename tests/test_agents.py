"""Many agents on one bridge (docs/agents.md): each its own workspace, all of them one org.

Over the widget API (WidgetClient), the control API (/agents/<agent>/api/..., /api/agents) and
the Python clients. The tests that list or remove agents, or start the org's records over, run
on a bridge of this module's own, so nothing else running on the session's bridge interferes.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any
from urllib.parse import quote

import pytest
import socketio

from cifbridge.clients import (
    BridgeClient,
    BridgeError,
    CifCallError,
    ConversationAgent,
    CustomerClient,
    WidgetClient,
    count_calls,
)

CHAT = {"templateName": "msdyn_chat_session"}
INCOMING = {"templateName": "msdyn_voicecall_incoming", "templateParameters": {}}


@pytest.fixture(scope="module")
def org(cifbridge_module_factory: Any) -> BridgeClient:
    """A bridge of this module's own, as its default agent."""
    client: BridgeClient = cifbridge_module_factory()
    return client


@pytest.fixture
def alice_and_bob(org: BridgeClient, request: pytest.FixtureRequest) -> Iterator[tuple[Any, Any]]:
    """Two agents of the module's bridge, named after the test, removed after it."""
    stem = request.node.name.replace("_", "-")[:40]
    alice, bob = org.for_agent(f"alice-{stem}"), org.for_agent(f"bob-{stem}")
    yield alice, bob
    for agent in (alice, bob):
        try:
            org.remove_agent(agent.agent)
        except BridgeError as error:
            assert error.status == 404  # never used by the test, or removed by it


def contact_named(client: BridgeClient, lastname: str) -> list[dict[str, Any]]:
    query = quote(f"lastname eq '{lastname}'")
    found: dict[str, Any] = client.request("GET", f"/api/records/contact?$filter={query}")
    return list(found["value"])


# --- the widget API ---------------------------------------------------------------------------


def test_two_agents_widgets_keep_sessions_focus_and_events_apart(alice_and_bob: Any) -> None:
    alice, bob = alice_and_bob
    with (
        WidgetClient(alice.url) as alice_widget,
        WidgetClient(bob.bridge_url, agent=bob.agent) as bob_widget,
    ):
        session = alice_widget.call("createSession", CHAT)
        assert alice_widget.next_event()[0] == "onSessionSwitched"
        assert [s["id"] for s in alice.sessions()] == ["session-id-0", session]
        assert [s["id"] for s in bob.sessions()] == ["session-id-0"]
        assert alice.workspace()["focusedSessionId"] == session
        assert bob.workspace()["focusedSessionId"] == "session-id-0"

        # Bob's widget hears bob's own event first: alice's came before it, had it leaked.
        alice.focus_session("session-id-0")
        bob_session = bob_widget.call("createSession", CHAT)
        name, payload = bob_widget.next_event()
        assert (name, payload["sessionId"]) == ("onSessionSwitched", bob_session)
        # Alice's widget hears alice's focus leave her session (Home belongs to no provider).
        name, payload = alice_widget.next_event()
        assert (name, payload["sessionId"], payload["focused"]) == (
            "onSessionSwitched", session, False,
        )  # fmt: skip


def test_a_notification_is_the_agents_own(alice_and_bob: Any) -> None:
    alice, bob = alice_and_bob
    with WidgetClient(alice.url) as widget:
        pending = widget.start("notifyEvent", INCOMING)
        assert alice.notifications()["displayed"] is not None
        assert bob.notifications()["displayed"] is None
        with pytest.raises(BridgeError) as refused:
            bob.accept_notification()  # nothing displayed on bob's workspace
        assert refused.value.status in (404, 409)
        alice.accept_notification()
        assert pending.result() == {"actionName": "Accept", "responseReason": "Accept"}


def test_a_record_one_agents_widget_creates_the_other_agents_widget_reads(
    alice_and_bob: Any,
) -> None:
    alice, bob = alice_and_bob
    with WidgetClient(alice.url) as alice_widget, WidgetClient(bob.url) as bob_widget:
        created = alice_widget.call("createRecord", "contact", '{"lastname": "Shared"}')
        reference = json.loads(created) if isinstance(created, str) else created
        read = bob_widget.call("retrieveRecord", "contact", reference["id"], "?$select=lastname")
        record = json.loads(read) if isinstance(read, str) else read
        assert record["lastname"] == "Shared"
        # The journals stay the agents' own.
        assert count_calls(alice, "createRecord") == 1
        assert count_calls(bob, "createRecord") == 0
        assert count_calls(bob, "retrieveRecord") == 1


def test_a_widget_naming_a_bad_agent_is_refused(org: BridgeClient) -> None:
    with pytest.raises(socketio.exceptions.ConnectionError):
        WidgetClient(org.url, agent="no spaces allowed").connect()
    assert "no spaces allowed" not in [a["agent"] for a in org.agents()]


# --- the control API --------------------------------------------------------------------------


def test_each_agent_has_its_workspace_under_its_path(org: BridgeClient, alice_and_bob: Any) -> None:
    alice, bob = alice_and_bob
    with WidgetClient(alice.url) as widget:
        widget.call("createSession", CHAT)
    assert len(org.request("GET", f"/agents/{alice.agent}/api/workspace")["sessions"]) == 2
    assert len(org.request("GET", f"/agents/{bob.agent}/api/workspace")["sessions"]) == 1
    assert len(org.request("GET", "/api/workspace")["sessions"]) == 1  # the default agent's


def test_the_agents_are_listed_with_their_workspace_in_brief(
    org: BridgeClient, alice_and_bob: Any
) -> None:
    alice, bob = alice_and_bob
    with WidgetClient(alice.url) as widget:
        session = widget.call("createSession", CHAT)
    bob.workspace()  # an agent appears on first use
    listed = {a["agent"]: a for a in org.request("GET", "/api/agents")["agents"]}
    assert next(iter(listed)) == "default"
    assert listed[alice.agent]["sessions"] == 1
    assert listed[alice.agent]["focusedSessionId"] == session
    assert listed[bob.agent]["sessions"] == 0
    assert {a["agent"] for a in alice.agents()} == set(listed)  # the same from any agent


def test_resetting_one_agent_leaves_the_other_and_the_records(
    org: BridgeClient, alice_and_bob: Any
) -> None:
    alice, bob = alice_and_bob
    with WidgetClient(alice.url) as one, WidgetClient(bob.url) as other:
        one.call("createSession", CHAT)
        other.call("createSession", CHAT)
    alice.request("POST", "/api/records/contact", {"lastname": "Kept-by-reset"})
    alice.reset()
    assert len(alice.sessions()) == 1
    assert alice.journal() == []
    assert len(bob.sessions()) == 2
    assert len(bob.journal()) == 1
    assert len(contact_named(bob, "Kept-by-reset")) == 1  # an agent's reset keeps the org's


def test_an_agents_reset_with_records_starts_the_orgs_records_over(
    org: BridgeClient, alice_and_bob: Any
) -> None:
    alice, bob = alice_and_bob
    alice.request("POST", "/api/records/contact", {"lastname": "Gone-with-records"})
    assert len(contact_named(bob, "Gone-with-records")) == 1
    alice.reset(records=True)
    assert contact_named(bob, "Gone-with-records") == []
    assert len(contact_named(bob, "Campbell")) == 1  # the configured records are back


def test_removing_an_agent(org: BridgeClient, alice_and_bob: Any) -> None:
    alice, bob = alice_and_bob
    with WidgetClient(alice.url) as widget:
        widget.call("createSession", CHAT)
    bob.workspace()
    left = org.request("DELETE", f"/api/agents/{alice.agent}")["agents"]
    assert alice.agent not in [a["agent"] for a in left]
    assert bob.agent in [a["agent"] for a in left]
    assert len(bob.sessions()) == 1  # untouched
    # A later use brings it back, fresh.
    assert [s["id"] for s in alice.sessions()] == ["session-id-0"]
    assert alice.journal() == []


def test_removing_an_agent_the_bridge_does_not_host_answers_404(org: BridgeClient) -> None:
    with pytest.raises(BridgeError) as refused:
        org.remove_agent("nobody-ever-used-me")
    assert refused.value.status == 404
    assert "no agent is called 'nobody-ever-used-me'" in refused.value.message


def test_the_default_agent_cannot_be_removed(org: BridgeClient) -> None:
    with pytest.raises(BridgeError) as refused:
        org.request("DELETE", "/api/agents/default")
    assert refused.value.status == 409
    assert "reset" in refused.value.message


def test_removing_a_deferred_calls_agent_answers_the_call(
    org: BridgeClient, alice_and_bob: Any
) -> None:
    alice, _ = alice_and_bob
    with WidgetClient(alice.url) as widget:
        pending = widget.start("notifyEvent", INCOMING)
        org.remove_agent(alice.agent)
        with pytest.raises(CifCallError) as answered:  # answered, not left hanging
            pending.result(timeout=10)
    assert "before the agent answered" in answered.value.error["message"]


@pytest.mark.parametrize(
    ("path", "method"),
    [
        ("/agents/-dash-first/api/workspace", "GET"),
        (f"/agents/{'a' * 65}/api/workspace", "GET"),
        ("/agents/b%20c/api/reset", "POST"),
        ("/api/agents/no%21bang", "DELETE"),
    ],
)
def test_a_bad_agent_name_answers_400_saying_what_a_name_is(
    org: BridgeClient, path: str, method: str
) -> None:
    with pytest.raises(BridgeError) as refused:
        org.request(method, path)
    assert refused.value.status == 400
    assert "is not an agent name: 1 to 64 letters, digits" in refused.value.message


def test_org_routes_are_not_served_per_agent(org: BridgeClient) -> None:
    with pytest.raises(BridgeError) as refused:
        org.request("GET", "/agents/alice/api/agents")
    assert refused.value.status == 404
    # A named agent's client sends the org's routes to the bridge's own paths.
    alice = org.for_agent("alice-org-routes")
    assert alice.routing() == org.routing()
    assert alice.request("GET", "/healthz") is not None


# --- the Python clients -----------------------------------------------------------------------


def test_a_client_names_its_agent_in_the_url_or_by_argument() -> None:
    by_argument = BridgeClient("http://127.0.0.1:8765/", agent="alice")
    by_url = BridgeClient("http://127.0.0.1:8765/agents/alice")
    for client in (by_argument, by_url):
        assert (client.bridge_url, client.agent) == ("http://127.0.0.1:8765", "alice")
        assert client.url == "http://127.0.0.1:8765/agents/alice"
        assert client.workspace_url == "http://127.0.0.1:8765/agents/alice/"
        assert 'src="http://127.0.0.1:8765/agents/alice/webresources/Widget/' in client.script_tag
        assert 'data-provider="p1"' in client.script_tag_for("p1")
        assert "/agents/alice/webresources/" in client.script_tag_for("p1")
    plain = BridgeClient("http://127.0.0.1:8765")
    assert (plain.agent, plain.url, plain.workspace_url) == (
        "default", "http://127.0.0.1:8765", "http://127.0.0.1:8765/",
    )  # fmt: skip
    assert by_url.for_agent("default").url == "http://127.0.0.1:8765"
    with pytest.raises(ValueError, match="agent 'alice'"):
        BridgeClient("http://127.0.0.1:8765/agents/alice", agent="bob")


def test_for_agent_keeps_the_token_and_timeout() -> None:
    client = BridgeClient("http://127.0.0.1:8765", timeout=3, token="secret")
    other = client.for_agent("bob")
    assert (other.token, other.timeout, other.agent) == ("secret", 3, "bob")


def test_the_conversation_clients_act_on_their_agents_workspace(alice_and_bob: Any) -> None:
    alice, bob = alice_and_bob
    chat = CustomerClient(alice).arrive("chat", {"name": "Maria"})["conversation"]
    ConversationAgent(alice.url).accept(chat["conversationId"])  # a URL naming the agent
    assert [
        c["conversationId"] for c in ConversationAgent(alice).conversations()["conversations"]
    ] == [chat["conversationId"]]
    assert ConversationAgent(bob).conversations()["conversations"] == []


def test_the_fixture_gives_the_test_an_agent_of_its_own(
    cifbridge: BridgeClient, cifbridge_server: BridgeClient
) -> None:
    assert cifbridge.agent != "default"
    assert cifbridge.bridge_url == cifbridge_server.url
    assert "-test_the_fixture_gives_the_test_an_agent" in cifbridge.agent  # readable
    with WidgetClient(cifbridge.url) as widget:
        widget.call("createSession", CHAT)
    assert len(cifbridge.sessions()) == 2
    assert cifbridge.agent in [a["agent"] for a in cifbridge.agents()]


def test_a_test_agent_name_is_valid_unique_and_readable() -> None:
    from cifbridge.clients.pytest_plugin import agent_name_for_test
    from cifbridge.engine.base.context import AGENT_NAME

    long_id = "tests/t.py::TestClass::test_" + "very_long_" * 20 + "[param with spaces/and:colons]"
    names = {
        agent_name_for_test(nodeid, worker)
        for nodeid in (long_id, long_id + "x", "t.py::test_a[1]", "t.py::test_a[2]", "t.py::[]")
        for worker in ("gw0", "gw11", "main")
    }
    assert len(names) == 15
    assert all(AGENT_NAME.match(name) and len(name) <= 64 for name in names)
    assert agent_name_for_test("t.py::test_a[1]", "gw0").startswith("gw0-test_a-1-")
