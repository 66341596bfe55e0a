"""Elevation: the table in full, allowed and refused pairs, inside one omnichannel session."""

from __future__ import annotations

import pytest

from cifbridge.engine.config.channels import CHANNELS
from cifbridge.engine.omnichannel.queries import ELEVATIONS
from tests.conftest import Bridge
from tests.engine.omnichannel.desk import MARIA, Desk

# The issue's table, spelled as the issue spells it ("phone" is the voice channel).
TABLE = {
    ("chat", "email"),
    ("chat", "phone"),
    ("email", "phone"),
    ("phone", "email"),
    ("workitem", "email"),
    ("workitem", "phone"),
    ("voicemail", "email"),
    ("voicemail", "phone"),
}
NAMES = {"voice": "phone"}
PAIRS = [(s, t) for s in CHANNELS for t in (*CHANNELS, "phone", "fax")]


def allowed(source: str, target: str) -> bool:
    return (NAMES.get(source, source), NAMES.get(target, target)) in TABLE


@pytest.fixture
def desk(bridge: Bridge) -> Desk:
    return Desk(bridge)


def test_the_table_is_exactly_the_issues() -> None:
    pairs = {(NAMES.get(s, s), NAMES.get(t, t)) for s, ts in ELEVATIONS.items() for t in ts}
    assert pairs == TABLE


@pytest.mark.parametrize(("source", "target"), [p for p in PAIRS if allowed(*p)])
def test_allowed_pairs_add_a_contact_to_the_same_session(
    desk: Desk, source: str, target: str
) -> None:
    contact, session_id = desk.start(source, {"contact": MARIA})
    result = desk.act("elevateConversation", conversation_id=contact, channel=target)
    elevated = desk.view(result["conversationId"])
    assert elevated["channel"] == NAMES.get(target, target).replace("phone", "voice")
    assert (elevated["state"], elevated["sessionId"]) == ("active", session_id)
    assert elevated["elevatedFrom"] == contact and elevated["customer"]["name"] == MARIA
    assert desk.view(contact)["state"] == "active"  # the source goes on
    omnichannel = desk.session(session_id)["omnichannel"]
    assert omnichannel["contactCount"] == 2
    assert omnichannel["activeContactId"] == result["conversationId"]
    assert sorted(omnichannel["contacts"]) == sorted({source, elevated["channel"]})


@pytest.mark.parametrize(("source", "target"), [p for p in PAIRS if not allowed(*p)])
def test_every_other_pair_is_refused_with_what_is_allowed(
    desk: Desk, source: str, target: str
) -> None:
    contact, session_id = desk.start(source, {"contact": MARIA})
    refusal = desk.refused("elevateConversation", conversation_id=contact, channel=target)
    assert refusal.kind == "conflict"
    spoken = {"voice": "phone", "workitem": "work item", "sms": "SMS"}
    said, asked = spoken.get(source, source), spoken.get(target, target)
    if source == "sms":
        assert refusal.message == f"SMS contacts cannot be elevated (asked for {asked})"
    else:
        assert refusal.message.startswith(f"{said[0].upper()}{said[1:]} contacts can be elevated")
        assert refusal.message.endswith(f" only, not to {asked}")
    assert desk.session(session_id)["omnichannel"]["contactCount"] == 1


def test_the_refusal_names_the_allowed_channels(desk: Desk) -> None:
    chat, _ = desk.start("chat")
    refusal = desk.refused("elevateConversation", conversation_id=chat, channel="sms")
    assert refusal.message == "Chat contacts can be elevated to email or phone only, not to SMS"
    email, _ = desk.start("email")
    refusal = desk.refused("elevateConversation", conversation_id=email, channel="chat")
    assert refusal.message == "Email contacts can be elevated to phone only, not to chat"


def test_only_an_active_contact_can_be_elevated(desk: Desk) -> None:
    chat, _ = desk.start("chat")
    desk.act("endConversation", conversation_id=chat)
    refusal = desk.refused("elevateConversation", conversation_id=chat, channel="voice")
    assert refusal.message == f"Conversation {chat} is wrapup, so it cannot be elevated"


def test_elevating_to_a_call_moves_the_presence(desk: Desk) -> None:
    desk.bridge.engine.agent("setPresence", presence_text="Available")
    email, _ = desk.start("email")  # no presence on accept for email
    assert desk.bridge.ok("getPresence") == "Available"
    desk.act("elevateConversation", conversation_id=email, channel="phone")
    assert desk.bridge.ok("getPresence") == "Busy"
