"""Arrivals: who the customer is, the notification they raise, and the agent's answer to it."""

from __future__ import annotations

from typing import Any

import pytest

from tests.conftest import Bridge, BridgeFactory
from tests.engine.omnichannel.desk import FABRIKAM, MARIA, Desk


@pytest.fixture
def desk(bridge: Bridge) -> Desk:
    return Desk(bridge)


def test_an_authenticated_chat_raises_the_authenticated_notification(desk: Desk) -> None:
    conversation_id = desk.arrive("chat", {"contact": MARIA})
    shown = desk.workspace()["notifications"]["displayed"]
    assert shown["title"] == "Incoming chat from Maria Campbell"
    assert shown["template"] == "msdyn_chat_incoming_authenticated"
    assert (shown["host"], shown["subject"]) == ("conversation", conversation_id)
    assert desk.view(conversation_id)["state"] == "open"


def test_visitors_are_numbered_per_workspace_and_get_the_unauthenticated_notification(
    desk: Desk,
) -> None:
    first, second = desk.arrive("chat"), desk.arrive("sms")
    desk.arrive("chat", {"name": "Ana Ruiz"})  # authenticated: takes no number
    third = desk.arrive("voice")
    names = [desk.view(c)["customer"]["name"] for c in (first, second, third)]
    assert names == ["Visitor 1", "Visitor 2", "Visitor 3"]
    assert desk.workspace()["notifications"]["displayed"]["title"] == "Incoming chat request"
    desk.engine.reset()
    assert desk.view(desk.arrive("chat"))["customer"]["name"] == "Visitor 1"


def test_the_title_falls_back_to_the_case(desk: Desk) -> None:
    by_case = desk.arrive("workitem", case="Invoice amount disputed")
    assert desk.view(by_case)["customer"]["name"] == FABRIKAM  # the case's customer
    assert desk.view(by_case)["customer"]["caseTitle"] == "Invoice amount disputed"


def test_a_case_without_customer_names_the_session(make_bridge: BridgeFactory) -> None:
    desk = Desk(
        make_bridge(
            {
                "records": {
                    "incident": [
                        {"incidentid": "5d1c2b3a-4f5e-4d6c-8b7a-9f8e7d6c5b4a", "title": "Leak"}
                    ]
                }
            }
        )
    )
    conversation_id = desk.arrive("workitem", case="5d1c2b3a-4f5e-4d6c-8b7a-9f8e7d6c5b4a")
    session_id = desk.accept(conversation_id)
    assert desk.session(session_id)["title"] == "Leak"


def test_rejecting_leaves_the_conversation_open_and_unassigned(desk: Desk) -> None:
    conversation_id = desk.arrive("chat")
    desk.act("rejectConversation", conversation_id=conversation_id)
    view = desk.view(conversation_id)
    assert (view["state"], view["offer"], view["sessionId"]) == ("open", "DeclinedByAgent", None)
    desk.act("offerConversation", conversation_id=conversation_id)
    assert desk.view(conversation_id)["offer"] == "offered"


@pytest.mark.parametrize(
    "params",
    [
        {"channel": "fax"},
        {"channel": "chat", "customer": {"contact": "Nobody Here"}},
        {"channel": "chat", "provider": "cifb_nobody"},
    ],
)
def test_bad_arrivals_are_refused_before_anything_changes(
    desk: Desk, params: dict[str, Any]
) -> None:
    # Malformed arrivals (two customers, unknown fields, no channel) are the schema's: see
    # test_control_bodies.py, and test_route_table.py for "nothing changes" over HTTP.
    assert desk.refused("arriveConversation", **params).kind == "not_found"
    assert desk.engine.workspace.omnichannel.next_visitor == 1
    assert desk.engine.workspace.omnichannel.conversations == {}
