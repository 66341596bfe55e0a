"""Session semantics: creation, templates, limits, ownership, titles, attention."""

from __future__ import annotations

from cifbridge.engine.base.texts import MAX_SESSIONS
from tests.conftest import CHAT, Bridge, BridgeFactory


def test_home_session_exists_and_is_focused(bridge: Bridge) -> None:
    assert bridge.ok("getFocusedSession") == "session-id-0"
    assert bridge.ok("getAllSessions") == []
    assert bridge.ok("canCreateSession") is True


def test_create_session_opens_it_focused_with_real_looking_ids(bridge: Bridge) -> None:
    first = bridge.create("Ana")
    second = bridge.create("Bob")
    assert (first, second) == ("session-id-1", "session-id-2")
    assert bridge.ok("getFocusedSession") == "session-id-2"
    assert bridge.ok("getAllSessions") == ["session-id-1", "session-id-2"]


def test_title_resolves_from_template_slugs(bridge: Bridge) -> None:
    session_id = bridge.create("Ana Gomez")
    assert bridge.engine.workspace.sessions[session_id].title == "Call from Ana Gomez"


def test_customer_name_at_top_level_of_input_fills_the_slug(bridge: Bridge) -> None:
    session_id = bridge.ok(
        "createSession", {"templateName": "msdyn_chat_session", "customerName": "Top Level"}
    )
    assert bridge.engine.workspace.sessions[session_id].title == "Top Level"


def test_unresolved_title_slug_becomes_empty_not_literal(bridge: Bridge) -> None:
    session_id = bridge.ok("createSession", {"templateName": "msdyn_voicecall_session"})
    assert bridge.engine.workspace.sessions[session_id].title == "Call from "


def test_anchor_tab_first_then_additional_tabs(bridge: Bridge) -> None:
    session_id = bridge.create("Ana")
    session = bridge.engine.workspace.sessions[session_id]
    assert [t.template for t in session.tabs] == ["msdyn_entityrecord", "msdyn_bing_search"]
    anchor, extra = session.tabs
    assert anchor.anchor and not anchor.closable
    assert not extra.anchor and extra.closable
    assert session.focused_tab == anchor.id
    assert [t.id for t in session.tabs] == ["tab-id-1", "tab-id-2"]


def test_per_tab_template_parameters_reach_only_that_tab(bridge: Bridge) -> None:
    params = {
        "customerName": "Ana",
        "msdyn_entityrecord": {"entityName": "contact", "entityId": "c-42"},
    }
    session_id = bridge.ok(
        "createSession", {"templateName": "msdyn_voicecall_session", "templateParameters": params}
    )
    anchor, web = bridge.engine.workspace.sessions[session_id].tabs
    assert anchor.parameters["entityName"] == "contact"
    assert anchor.parameters["entityId"] == "c-42"
    assert anchor.title == "contact c-42"
    assert web.parameters == {"url": "https://www.bing.com/search?q=", "data": "Ana"}
    assert web.title == "Web search: Ana"


def test_parameter_types_convert(bridge: Bridge) -> None:
    session_id = bridge.create("Ana")
    anchor = bridge.engine.workspace.sessions[session_id].tabs[0]
    assert anchor.parameters["validateRecord"] is False


def test_configured_value_is_kept_over_a_runtime_value(bridge: Bridge) -> None:
    # 2020 host rule (reference §4.4, §8.15): runtime values fill only runtime parameters
    # that have no configured value.
    params = {"customerName": "Ana", "msdyn_bing_search": {"url": "https://evil.example/"}}
    session_id = bridge.ok(
        "createSession", {"templateName": "msdyn_voicecall_session", "templateParameters": params}
    )
    web = bridge.engine.workspace.sessions[session_id].tabs[1]
    assert web.parameters["url"] == "https://www.bing.com/search?q="


def test_template_by_tag(bridge: Bridge) -> None:
    session_id = bridge.ok("createSession", {"templateTag": "chat", "customerName": "Tag"})
    assert bridge.engine.workspace.sessions[session_id].template == "msdyn_chat_session"


def test_unknown_template_rejects_with_the_hosts_message(bridge: Bridge) -> None:
    error = bridge.error("createSession", {"templateName": "nope_session"})
    assert error == {
        "message": "Did not find template by name (nope_session)",
        "msdyn_name": "createSession",
    }
    assert len(bridge.engine.workspace.sessions) == 1


def test_entity_templates_are_refused(bridge: Bridge) -> None:
    error = bridge.error("createSession", {"templateName": "msdyn_case_entity_session"})
    assert "Generic only" in error["message"]
    assert bridge.ok("getAllSessions") == []


def test_ten_session_limit(bridge: Bridge) -> None:
    for n in range(10):
        bridge.create(f"Customer {n}")
    assert bridge.ok("canCreateSession") is False
    error = bridge.error("createSession", {"templateName": "msdyn_chat_session"})
    assert error == {"message": MAX_SESSIONS, "msdyn_name": "createSession"}
    assert len(bridge.ok("getAllSessions")) == 10


def test_limit_is_configurable(make_bridge: BridgeFactory) -> None:
    small = make_bridge({"limits": {"maxSessions": 2}})
    small.create("a")
    small.create("b")
    assert small.ok("canCreateSession") is False
    small.engine.close_session("session-id-1")
    assert small.ok("canCreateSession") is True


def test_get_session_describes_own_session(bridge: Bridge) -> None:
    first = bridge.create("Ana", context={"ticket": 7})
    bridge.create("Bob")
    assert bridge.ok("getSession", first) == {
        "sessionId": first,
        "focused": False,
        "context": {"ticket": 7},
        "conversationId": None,
    }


def test_sessions_of_other_providers_are_invisible(two_providers: Bridge) -> None:
    mine = two_providers.create("Ana")
    theirs = two_providers.create("Zed", provider=CHAT)
    assert two_providers.ok("getAllSessions") == [mine]
    assert two_providers.ok("getAllSessions", provider=CHAT) == [theirs]
    error = two_providers.error("getSession", theirs)
    assert error["message"] == f"Session with ID:{theirs} does not exist"
    # The focused session is CHAT's, so the softphone is told nothing about it.
    assert two_providers.ok("getFocusedSession") is None
    assert two_providers.ok("getFocusedSession", provider=CHAT) == theirs


def test_set_session_title_re_resolves_the_template_title(bridge: Bridge) -> None:
    session_id = bridge.create("Ana")
    title = bridge.ok("setSessionTitle", {"sessionId": session_id, "customerName": "John"})
    assert title == "Call from John"
    assert bridge.engine.workspace.sessions[session_id].title == "Call from John"


def test_set_session_title_defaults_to_the_focused_session(bridge: Bridge) -> None:
    bridge.create("Ana")
    second = bridge.create("Bob")
    assert bridge.ok("setSessionTitle", {"customerName": "Eve"}) == "Call from Eve"
    assert bridge.engine.workspace.sessions[second].title == "Call from Eve"


def test_set_session_title_refuses_when_focused_session_is_not_the_callers(
    two_providers: Bridge,
) -> None:
    two_providers.create("Zed", provider=CHAT)
    error = two_providers.error("setSessionTitle", {"customerName": "Eve"})
    assert error["message"] == (
        "Focused session is neither the default session nor it belongs to the provider"
    )


def test_request_focus_session_flags_without_switching(bridge: Bridge) -> None:
    first = bridge.create("Ana")
    bridge.create("Bob")
    assert bridge.ok("requestFocusSession", first, 3) is None
    session = bridge.engine.workspace.sessions[first]
    assert (session.attention, session.attention_count) == (True, 3)
    assert bridge.ok("getFocusedSession") == "session-id-2"


def test_request_focus_session_docs_signature_puts_correlation_id_second(bridge: Bridge) -> None:
    first = bridge.create("Ana")
    bridge.create("Bob")
    assert bridge.ok("requestFocusSession", first, "0b7c2b1e-correlation") is None
    session = bridge.engine.workspace.sessions[first]
    assert (session.attention, session.attention_count) == (True, None)


def test_focusing_clears_attention(bridge: Bridge) -> None:
    first = bridge.create("Ana")
    bridge.create("Bob")
    bridge.ok("requestFocusSession", first, 2)
    bridge.engine.focus_session(first)
    session = bridge.engine.workspace.sessions[first]
    assert (session.attention, session.attention_count) == (False, None)


def test_set_session_title_acts_on_home_when_home_is_focused(bridge: Bridge) -> None:
    assert bridge.ok("setSessionTitle", {"title": "Inbox"}) == "Inbox"
    assert bridge.engine.workspace.sessions["session-id-0"].title == "Inbox"
