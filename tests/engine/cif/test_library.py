"""isConsoleApp and openKBSearchControl (undocumented library functions, reference §2.11)."""

from __future__ import annotations

from tests.conftest import CHAT, Bridge


def test_cifbridge_is_a_console_app(bridge: Bridge) -> None:
    assert bridge.ok("isConsoleApp") is True


def test_open_kb_search_control_focuses_the_knowledge_tab(bridge: Bridge) -> None:
    session = bridge.ok("createSession", {"templateName": "msdyn_chat_session"})
    kb_tab = bridge.engine.workspace.sessions[session].tabs[1]
    assert bridge.ok("openKBSearchControl", "printer") is True
    assert bridge.engine.workspace.sessions[session].focused_tab == kb_tab.id


def test_open_kb_search_control_without_a_knowledge_tab_is_false(bridge: Bridge) -> None:
    bridge.create("Ana")  # the voice template has no knowledge search tab
    assert bridge.ok("openKBSearchControl", "printer") is False


def test_open_kb_search_control_from_another_provider(two_providers: Bridge) -> None:
    two_providers.ok("createSession", {"templateName": "msdyn_chat_session"}, provider=CHAT)
    assert two_providers.error("openKBSearchControl", "x") == {
        "message": "This operation can be performed from the active provider",
        "msdyn_name": "openkbsearchcontrol",
    }
    assert two_providers.error("openKBSearchControl")["message"] == (
        "The openKBSearchControl parameter value is invalid."
        " Provide a positive number to the parameter."
    )


def test_refresh_form_reloads_the_focused_record_tab(bridge: Bridge) -> None:
    session_id = bridge.create("Ana")
    anchor = bridge.engine.workspace.sessions[session_id].tabs[0]
    assert bridge.ok("refreshForm", True) is None
    assert anchor.refresh_count == 1


def test_refresh_form_refuses_another_providers_session(two_providers: Bridge) -> None:
    two_providers.create("Zed", provider="cifb_chatdesk")
    error = two_providers.error("refreshForm")
    assert error["errorCode"] == 1
    assert error["message"].startswith("Focused session is neither")
