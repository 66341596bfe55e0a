"""getEnvironment, updateContext and updateConversation."""

from __future__ import annotations

import json

import pytest

from cifbridge.engine import AgentActionRefused, Engine
from tests.conftest import CHAT, Bridge, BridgeFactory

APP_ID = "5f4e3d2c-1b0a-4987-8a6b-5c4d3e2f1a0b"
CONVERSATION = "8c5e2f1a-0b9d-4c7e-a6f5-3d2c1b0a9e8f"


def test_environment_on_home_describes_the_org_agent_and_dashboard(bridge: Bridge) -> None:
    env = bridge.ok("getEnvironment")
    assert env["appid"] == APP_ID
    assert env["pagetype"] == "dashboard"
    assert env["customParams"] == '{"region":"emea","queue":"tier1"}'
    assert env["userId"] == "{A1B2C3D4-E5F6-4A5B-8C7D-9E0F1A2B3C4D}"
    assert env["clientUrl"] == "https://contoso.crm.dynamics.com"
    assert env["appUrl"] == f"https://contoso.crm.dynamics.com/main.aspx?appid={APP_ID}"
    assert (env["orgLcid"], env["orgUniqueName"], env["orgGeo"]) == (1033, "contoso", "NAM")
    assert env["username"] == "Alex Wu" and env["isDirty"] is False
    assert (env["cifVersion"], env["crmVersion"], env["userLcid"]) == (
        "2.0",
        "9.2.25044.00173",
        1033,
    )
    assert "etn" not in env and "id" not in env


def test_environment_shows_the_record_of_the_focused_tab(bridge: Bridge) -> None:
    bridge.ok(
        "createSession",
        {
            "templateName": "msdyn_chat_session",
            "templateParameters": {
                "msdyn_entityrecord": {"entityName": "contact", "entityId": "c-1"}
            },
        },
    )
    env = bridge.ok("getEnvironment")
    assert (env["pagetype"], env["etn"], env["id"]) == ("entityrecord", "contact", "c-1")


def test_environment_leaves_out_the_page_of_another_providers_session(
    two_providers: Bridge,
) -> None:
    two_providers.create("Zed", provider=CHAT)
    env = two_providers.ok("getEnvironment")
    assert "pagetype" not in env
    assert env["appid"] == APP_ID and env["customParams"] == '{"region":"emea","queue":"tier1"}'
    theirs = two_providers.ok("getEnvironment", provider=CHAT)
    assert (theirs["pagetype"], theirs["customParams"]) == ("entityrecord", "")


def test_cif_version_is_the_callers_configured_api_version(make_bridge: BridgeFactory) -> None:
    legacy = {"uniqueName": CHAT, "landingUrl": "http://localhost:9000/c.html", "apiVersion": "1.0"}
    bridge = make_bridge({"providers": [legacy]})
    assert bridge.ok("getEnvironment", provider=CHAT)["cifVersion"] == "1.0"
    assert bridge.ok("getEnvironment")["cifVersion"] == "2.0"


def test_environment_comes_from_the_configuration(make_bridge: BridgeFactory) -> None:
    bridge = make_bridge(
        {"organization": {"geo": "EUR", "url": "https://fabrikam.crm4.dynamics.com/"}}
    )
    env = bridge.ok("getEnvironment")
    assert (env["orgGeo"], env["clientUrl"], env["orgUniqueName"]) == (
        "EUR",
        "https://fabrikam.crm4.dynamics.com",
        "contoso",
    )


def test_update_context_merges_into_the_bag_later_titles_read(bridge: Bridge) -> None:
    session = bridge.create("Ana")
    assert bridge.ok("updateContext", {"customerName": "Bea", "caseId": "CAS-1"}, session) == {
        "customerName": "Bea",
        "caseId": "CAS-1",
    }
    assert bridge.ok("setSessionTitle", {"sessionId": session}) == "Call from Bea"


def test_update_context_defaults_to_the_focused_session(bridge: Bridge) -> None:
    first = bridge.create("Ana")
    bridge.create("Bob")
    bridge.engine.focus_session(first)
    assert bridge.ok("updateContext", {"queue": "vip"})["customerName"] == "Ana"


def test_update_context_deletes_listed_keys(bridge: Bridge) -> None:
    session = bridge.create("Ana")
    bridge.ok("updateContext", {"a": 1, "b": 2, "c": 3}, session)
    assert bridge.ok("updateContext", ["a"], session, True) == {
        "customerName": "Ana",
        "b": 2,
        "c": 3,
    }
    assert bridge.ok("updateContext", {"b": None}, session, True) == {"customerName": "Ana", "c": 3}


def test_update_context_only_on_the_callers_sessions(two_providers: Bridge) -> None:
    theirs = two_providers.create("Zed", provider=CHAT)
    refused = {"message": "Please provide valid session id", "msdyn_name": "updateContext"}
    assert two_providers.error("updateContext", {"a": 1}, theirs) == refused
    assert two_providers.error("updateContext", {"a": 1}) == refused  # focused is CHAT's
    assert two_providers.error("updateContext", {"a": 1}, "session-id-0") == refused
    assert two_providers.error("updateContext", {"a": 1}, "session-id-9") == refused


def test_update_context_input_is_required(bridge: Bridge) -> None:
    bridge.create("Ana")
    assert bridge.error("updateContext") == {
        "message": "The input parameter is null. Provide a value to the parameter"
    }
    assert bridge.error("updateContext", ["a"])["message"].startswith("updateContext: input must")


def link(bridge: Bridge, session: str, conversation: str = CONVERSATION) -> None:
    bridge.engine.agent("linkConversation", session_id=session, conversation_id=conversation)


def test_update_conversation_takes_an_object_or_its_json(bridge: Bridge) -> None:
    session = bridge.create("Ana")
    link(bridge, session)
    assert bridge.ok("getSession", session)["conversationId"] == CONVERSATION
    answer = bridge.ok("updateConversation", CONVERSATION, json.dumps({"subject": "Refund"}))
    assert answer == {"entityType": "msdyn_ocliveworkitem", "id": CONVERSATION}
    bridge.ok("updateConversation", CONVERSATION.upper(), {"prioritycode": 1})
    assert bridge.engine.workspace.conversations[CONVERSATION] == {
        "subject": "Refund",
        "prioritycode": 1,
    }


def test_update_conversation_of_an_unknown_conversation_fails(two_providers: Bridge) -> None:
    theirs = two_providers.create("Zed", provider=CHAT)
    link(two_providers, theirs)
    assert two_providers.error("updateConversation", CONVERSATION, "{}") == {
        "message": f"msdyn_ocliveworkitem With Id = {CONVERSATION} Does Not Exist",
        "msdyn_name": "updateConversation",
    }


def test_update_conversation_checks_its_arguments(bridge: Bridge) -> None:
    assert bridge.error("updateConversation", "", "{}") == {
        "message": "The EntityId parameter is blank. Provide a value to the parameter."
    }
    assert bridge.error("updateConversation", CONVERSATION) == {
        "message": "The data parameter is blank."
        " Provide a value to the parameter to update the record."
    }
    assert bridge.error("updateConversation", CONVERSATION, "{oops")["message"].startswith(
        "updateConversation: data must be"
    )


def test_the_agent_cannot_link_a_conversation_to_home_or_nothing(bridge: Bridge) -> None:
    with pytest.raises(AgentActionRefused) as home:
        link(bridge, "session-id-0")
    assert home.value.kind == "conflict"
    with pytest.raises(AgentActionRefused) as missing:
        link(bridge, "session-id-4")
    assert missing.value.kind == "not_found"


def test_context_and_conversations_survive_a_json_round_trip(bridge: Bridge) -> None:
    session = bridge.create("Ana")
    link(bridge, session)
    bridge.ok("updateContext", {"k": [1]}, session)
    bridge.ok("updateConversation", CONVERSATION, {"subject": "x"})
    restored = Engine(bridge.engine.config, clock=bridge.clock)
    restored.restore(json.loads(json.dumps(bridge.engine.snapshot())))
    assert restored.snapshot() == bridge.engine.snapshot()
