"""Messages, badges, the response-wait timer and the sentiment alert."""

from __future__ import annotations

import pytest

from cifbridge.engine.config.channels import SENTIMENTS
from tests.conftest import Bridge, BridgeFactory
from tests.engine.omnichannel.desk import MARIA, Desk


@pytest.fixture
def desk(bridge: Bridge) -> Desk:
    return Desk(bridge)


def test_messages_raise_the_unread_count_of_an_unfocused_session(desk: Desk) -> None:
    first, first_session = desk.start("chat", {"contact": MARIA})
    second, second_session = desk.start("chat")  # now focused
    for text in ("Hello?", "Still there?"):
        desk.act("customerMessage", conversation_id=first, text=text)
    desk.act("customerMessage", conversation_id=second, text="Hi")
    assert desk.session(first_session)["unread"] == 2
    assert desk.session(second_session)["unread"] == 0  # the agent is looking at it
    desk.engine.focus_session(first_session)
    assert desk.session(first_session)["unread"] == 0


def test_the_agent_answers_and_the_wait_stops(desk: Desk) -> None:
    chat, _ = desk.start("chat")
    desk.act("customerMessage", conversation_id=chat, text="Hello?")
    desk.advance(20)
    desk.act("customerMessage", conversation_id=chat, text="Hello??")
    desk.advance(10)
    assert desk.view(chat)["waitSeconds"] == 30  # since the first unanswered message
    desk.act("agentReply", conversation_id=chat, text="Hi, how can I help?")
    view = desk.view(chat)
    assert view["waitSeconds"] is None and view["waitState"] is None
    assert [m["from"] for m in view["messages"]] == ["customer", "customer", "agent"]


def test_the_wait_timer_turns_past_the_threshold(make_bridge: BridgeFactory) -> None:
    desk = Desk(make_bridge({"conversations": {"waitThresholdSeconds": 45}}))
    chat, _ = desk.start("chat")
    desk.act("customerMessage", conversation_id=chat, text="Hello?")
    assert desk.engine.next_deadline() == desk.clock() + 45  # pages hear the turn when it comes
    desk.advance(44)
    assert desk.view(chat)["waitState"] == "normal"
    desk.advance(1)
    assert desk.view(chat)["waitState"] == "normal"  # at the threshold: not past it yet
    desk.advance(1)
    assert desk.view(chat)["waitState"] == "exceeded"
    assert desk.engine.next_deadline() is None


def test_total_duration_runs_from_accept_to_end(desk: Desk) -> None:
    chat = desk.arrive("chat")
    desk.advance(5)
    desk.accept(chat)
    desk.advance(100)
    assert desk.view(chat)["totalSeconds"] == 100
    desk.act("endConversation", conversation_id=chat)
    desk.advance(50)
    assert desk.view(chat)["totalSeconds"] == 100


@pytest.mark.parametrize("level", SENTIMENTS)
def test_the_alert_shows_at_or_below_the_default_threshold(desk: Desk, level: str) -> None:
    chat, session_id = desk.start("chat", {"contact": MARIA})
    desk.act("setSentiment", conversation_id=chat, sentiment=level)
    session = desk.session(session_id)
    alert = SENTIMENTS.index(level) <= SENTIMENTS.index("slightly negative")
    assert session["sentimentAlert"] is alert
    tooltip = f"{MARIA}. Urgent attention is needed in your conversation."
    assert session["sentimentTooltip"] == (tooltip if alert else None)


@pytest.mark.parametrize(("level", "alert"), [("negative", True), ("slightly negative", False)])
def test_the_threshold_is_configurable(make_bridge: BridgeFactory, level: str, alert: bool) -> None:
    desk = Desk(make_bridge({"conversations": {"sentimentThreshold": "negative"}}))
    chat, session_id = desk.start("chat")
    desk.act("customerMessage", conversation_id=chat, text="...", sentiment=level)
    assert desk.session(session_id)["sentimentAlert"] is alert


def test_the_alert_goes_when_the_sentiment_recovers_or_the_contact_ends(desk: Desk) -> None:
    chat, session_id = desk.start("chat")
    desk.act("setSentiment", conversation_id=chat, sentiment="very negative")
    desk.act("setSentiment", conversation_id=chat, sentiment="neutral")
    assert desk.session(session_id)["sentimentAlert"] is False
    desk.act("setSentiment", conversation_id=chat, sentiment="negative")
    desk.act("endConversation", conversation_id=chat)
    assert desk.session(session_id)["sentimentAlert"] is False


def test_an_unknown_sentiment_is_refused(desk: Desk) -> None:
    chat, _ = desk.start("chat")
    refusal = desk.refused("setSentiment", conversation_id=chat, sentiment="furious")
    assert refusal.kind == "invalid" and "very negative" in refusal.message


def test_calls_carry_no_messages(desk: Desk) -> None:
    call, _ = desk.start("voice")
    refusal = desk.refused("customerMessage", conversation_id=call, text="hi")
    assert refusal.message == "A voice contact carries no messages (only chat, sms and email)"


def test_a_disconnected_customer_cannot_write(desk: Desk) -> None:
    chat, _ = desk.start("chat")
    desk.act("disconnectCustomer", conversation_id=chat)
    refusal = desk.refused("customerMessage", conversation_id=chat, text="hi")
    assert refusal.message == f"The customer of conversation {chat} is away"
