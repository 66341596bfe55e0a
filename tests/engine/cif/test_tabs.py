"""Application tabs: createTab and friends, ownership, errorCodes, agent tab actions, state."""

from __future__ import annotations

import json
from typing import Any

import pytest

from cifbridge.engine import AgentActionRefused, Engine
from cifbridge.engine.base.state import Session, Tab
from cifbridge.engine.base.texts import NOT_PROVIDER_SESSION
from cifbridge.engine.views.workspace import workspace_view
from tests.conftest import CHAT, Bridge, BridgeFactory

NAME_REQUIRED = "The name parameter is null. Provide a value to the parameter"
EXTRA_TEMPLATES: dict[str, Any] = {
    "applicationTabTemplates": [
        {"uniqueName": "cifb_pinned", "name": "Pinned", "pageType": "webresource",
         "title": "Pinned", "canClose": False},
        {"uniqueName": "cifb_notes", "name": "Notes", "pageType": "webresource",
         "tags": ["notes"]},
        {"uniqueName": "cifb_case", "name": "Case", "pageType": "entityrecord",
         "title": "{ticket} for {customerName}", "tags": ["notes"]},
    ]
}  # fmt: skip


@pytest.fixture
def tabs(make_bridge: BridgeFactory) -> Bridge:
    return make_bridge(EXTRA_TEMPLATES)


def session(bridge: Bridge, session_id: str) -> Session:
    return bridge.engine.workspace.sessions[session_id]


def tab(bridge: Bridge, tab_id: str) -> Tab:
    found = [t for s in bridge.engine.workspace.sessions.values() for t in s.tabs if t.id == tab_id]
    assert len(found) == 1, f"{tab_id} is open {len(found)} times"
    return found[0]


def test_create_tab_opens_in_the_focused_session_without_taking_focus(bridge: Bridge) -> None:
    sid = bridge.create("Ana")  # tab-id-1 anchor (focused), tab-id-2 Bing
    tab_id = bridge.ok("createTab", {"templateName": "msdyn_search"})
    assert tab_id == "tab-id-3"
    assert [t.id for t in session(bridge, sid).tabs] == ["tab-id-1", "tab-id-2", "tab-id-3"]
    assert bridge.ok("getFocusedTab") == "tab-id-1"
    assert bridge.ok("getFocusedSession") == sid


def test_is_focused_gives_the_new_tab_focus(bridge: Bridge) -> None:
    bridge.create("Ana")
    tab_id = bridge.ok("createTab", {"templateName": "msdyn_search", "isFocused": True})
    assert bridge.ok("getFocusedTab") == tab_id


def test_template_parameters_resolve_parameters_and_title(bridge: Bridge) -> None:
    bridge.create("Ana")
    request = {"templateName": "msdyn_search", "templateParameters": {"searchText": "printers"}}
    created = tab(bridge, bridge.ok("createTab", request))
    assert created.title == "Search: printers"
    assert (created.parameters["searchType"], created.parameters["searchText"]) == (1, "printers")
    assert created.page_type == "search"


def test_session_values_fill_slugs_of_tabs_created_later(tabs: Bridge) -> None:
    tabs.create("Ana")
    request = {"templateName": "cifb_case", "templateParameters": {"ticket": "CAS-1"}}
    assert tab(tabs, tabs.ok("createTab", request)).title == "CAS-1 for Ana"


def test_template_tag_and_app_context_from_the_older_docs(tabs: Bridge) -> None:
    request = {"templateTag": "notes", "appContext": {"ticket": "CAS-9", "customerName": "Bo"}}
    created = tab(tabs, tabs.ok("createTab", request))
    assert created.template == "cifb_notes"  # the first template carrying the tag


def test_create_tab_from_home_when_home_is_focused(bridge: Bridge) -> None:
    bridge.create("Ana")
    bridge.engine.focus_session("session-id-0")
    tab_id = bridge.ok("createTab", {"templateName": "msdyn_contact_list"})
    assert [t.id for t in session(bridge, "session-id-0").tabs] == [tab_id]
    assert bridge.ok("getFocusedTab") == tab_id  # Home had no focused tab yet


def test_another_providers_focused_session_refuses_every_tab_call(two_providers: Bridge) -> None:
    two_providers.create("Ana")
    two_providers.create("Chat", provider=CHAT)
    expected = {"message": NOT_PROVIDER_SESSION, "errorCode": 1}
    calls: list[tuple[str, str, tuple[Any, ...]]] = [
        ("createTab", "createTab", ({"templateName": "msdyn_search"},)),
        ("getTabs", "getTabsByTagOrName", ("msdyn_entityrecord",)),
        ("focusTab", "focusTab", ("tab-id-3",)),
        ("refreshTab", "refreshTab", ("tab-id-3",)),
        ("setTabTitle", "setTabTitle", ("tab-id-3", {"title": "x"})),
        ("closeTab", "closeTab", ("tab-id-4",)),
    ]
    for api, wire_name, args in calls:
        assert two_providers.error(api, *args) == {**expected, "msdyn_name": wire_name}, api
    assert two_providers.ok("getFocusedTab") is None
    assert len(session(two_providers, "session-id-2").tabs) == 2
    assert two_providers.engine.workspace.next_tab == 5


def test_unknown_template_rejects_with_an_error_code_and_uses_no_id(bridge: Bridge) -> None:
    error = bridge.error("createTab", {"templateName": "cifb_nosuchtab"})
    assert error == {
        "message": "Did not find application tab template by name (cifb_nosuchtab)",
        "msdyn_name": "createTab",
        "errorCode": 2,
    }
    assert bridge.ok("createTab", {"templateName": "msdyn_search"}) == "tab-id-1"


def test_create_tab_in_home_session_leaves_the_focused_session_alone(bridge: Bridge) -> None:
    sid = bridge.create("Ana")
    tab_id = bridge.ok("createTabInHomeSession", {"templateName": "msdyn_search"})
    assert [t.id for t in session(bridge, "session-id-0").tabs] == [tab_id]
    assert len(session(bridge, sid).tabs) == 2
    assert bridge.ok("getFocusedSession") == sid
    assert bridge.ok("getTabs", "msdyn_search") is None


def test_create_tab_in_home_session_while_another_provider_is_focused(
    two_providers: Bridge,
) -> None:
    two_providers.create("Chat", provider=CHAT)
    tab_id = two_providers.ok("createTabInHomeSession", {"templateName": "msdyn_search"})
    assert tab(two_providers, tab_id) in session(two_providers, "session-id-0").tabs


def test_get_tabs_by_name_then_by_tag(tabs: Bridge) -> None:
    tabs.create("Ana")
    notes = tabs.ok("createTab", {"templateName": "cifb_notes"})
    case = tabs.ok("createTab", {"templateName": "cifb_case"})
    assert tabs.ok("getTabs", "cifb_notes") == [notes]
    assert tabs.ok("getTabs", "cifb_notes", "notes") == [notes]
    assert tabs.ok("getTabs", "cifb_nosuch", "notes") == [notes, case]
    assert tabs.ok("getTabs", "cifb_nosuch", "nosuchtag") is None
    assert tabs.ok("getTabs", "cifb_nosuch") is None


def test_get_tabs_accepts_the_docs_correlation_id_in_the_tags_slot(bridge: Bridge) -> None:
    bridge.create("Ana")
    correlation = "0d5e5f3a-7b1c-4f2e-9a0b-1c2d3e4f5a6b"
    assert bridge.ok("getTabs", "msdyn_bing_search", correlation) == ["tab-id-2"]


def test_get_tabs_requires_a_name_with_the_librarys_message(bridge: Bridge) -> None:
    for args in [(), (None, "tag"), ("",)]:
        assert bridge.error("getTabs", *args) == {"message": NAME_REQUIRED}, args


def test_focus_tab_only_within_the_focused_session(bridge: Bridge) -> None:
    bridge.create("Ana")  # tab-id-1, tab-id-2
    bridge.create("Bob")  # tab-id-3, tab-id-4, focused
    assert bridge.ok("focusTab", "tab-id-4") is None
    assert bridge.ok("getFocusedTab") == "tab-id-4"
    error = bridge.error("focusTab", "tab-id-2")
    assert error == {
        "message": "Tab with ID:tab-id-2 does not exist in the focused session",
        "msdyn_name": "focusTab",
        "errorCode": 3,
    }
    assert session(bridge, "session-id-1").focused_tab == "tab-id-1"


def test_refresh_tab_counts_reloads_for_the_workspace_view(bridge: Bridge) -> None:
    sid = bridge.create("Ana")
    bridge.ok("refreshTab", "tab-id-2")
    bridge.ok("refreshTab", "tab-id-2")
    view = workspace_view(bridge.engine)
    shown = next(s for s in view["sessions"] if s["id"] == sid)
    assert [(t["id"], t["refreshCount"]) for t in shown["tabs"]] == [
        ("tab-id-1", 0),
        ("tab-id-2", 2),
    ]


def test_set_tab_title_resolves_slugs_and_the_view_shows_it(bridge: Bridge) -> None:
    bridge.create("Ana")
    tab_id = bridge.ok("createTab", {"templateName": "msdyn_search"})
    assert bridge.ok("setTabTitle", tab_id, {"searchText": "refunds"}) == "Search: refunds"
    view = workspace_view(bridge.engine)
    titles = {t["id"]: t["title"] for s in view["sessions"] for t in s["tabs"]}
    assert titles[tab_id] == "Search: refunds"


def test_set_tab_title_without_a_template_title_takes_input_title(tabs: Bridge) -> None:
    tab_id = tabs.ok("createTab", {"templateName": "cifb_notes"})
    assert tab(tabs, tab_id).title == "Notes"
    assert tabs.ok("setTabTitle", tab_id, {"title": "Call notes"}) == "Call notes"
    assert tabs.ok("setTabTitle", tab_id, {}) == "Call notes"


def test_close_tab_refuses_anchor_and_pinned_tabs(tabs: Bridge) -> None:
    tabs.create("Ana")
    pinned = tabs.ok("createTab", {"templateName": "cifb_pinned"})
    anchor = tabs.error("closeTab", "tab-id-1")
    assert anchor == {
        "message": "The anchor tab of a session cannot be closed",
        "msdyn_name": "closeTab",
        "errorCode": 4,
    }
    assert tabs.error("closeTab", pinned)["errorCode"] == 4
    assert tabs.ok("getTabs", "cifb_pinned") == [pinned]


def test_closing_the_focused_tab_focuses_a_neighbour(bridge: Bridge) -> None:
    sid = bridge.create("Ana")  # tab-id-1 anchor, tab-id-2 Bing
    third = bridge.ok("createTab", {"templateName": "msdyn_search"})
    bridge.ok("focusTab", "tab-id-2")
    assert bridge.ok("closeTab", "tab-id-2") is None
    assert bridge.ok("getFocusedTab") == third  # right-hand neighbour
    bridge.ok("closeTab", third)
    assert bridge.ok("getFocusedTab") == "tab-id-1"  # no right-hand one left
    assert [t.id for t in session(bridge, sid).tabs] == ["tab-id-1"]


def test_closing_another_tab_keeps_the_focus(bridge: Bridge) -> None:
    bridge.create("Ana")
    bridge.ok("closeTab", "tab-id-2")
    assert bridge.ok("getFocusedTab") == "tab-id-1"


def test_tab_calls_send_no_events(bridge: Bridge) -> None:
    bridge.create("Ana")
    for api, args in [
        ("createTab", ({"templateName": "msdyn_search", "isFocused": True},)),
        ("focusTab", ("tab-id-1",)),
        ("refreshTab", ("tab-id-1",)),
        ("setTabTitle", ("tab-id-3", {})),
        ("closeTab", ("tab-id-3",)),
    ]:
        assert bridge.call(api, *args).deliveries == (), api


def test_a_retried_create_tab_opens_one_tab(bridge: Bridge) -> None:
    request = {"templateName": "msdyn_search"}
    first = bridge.call("createTab", request, rid="r-1")
    again = bridge.call("createTab", request, rid="r-1")
    assert first.value == again.value == "tab-id-1"
    assert len(session(bridge, "session-id-0").tabs) == 1


def test_agent_opens_a_tab_from_the_plus_menu_with_focus(bridge: Bridge) -> None:
    first = bridge.create("Ana")
    bridge.create("Bob")
    params = {"searchText": "printers"}
    result = bridge.engine.agent(
        "openTab", session_id=first, template_name="msdyn_search", template_parameters=params
    )
    assert result.value == "tab-id-5" and result.mutated
    assert session(bridge, first).focused_tab == "tab-id-5"
    assert tab(bridge, "tab-id-5").title == "Search: printers"
    assert bridge.ok("getFocusedSession") == "session-id-2"  # no session switch
    assert result.deliveries == ()


def test_agent_focuses_and_closes_tabs_under_the_same_rules(tabs: Bridge) -> None:
    sid = tabs.create("Ana")
    tabs.engine.agent("focusTab", session_id=sid, tab_id="tab-id-2")
    assert tabs.ok("getFocusedTab") == "tab-id-2"
    tabs.engine.agent("closeTab", session_id=sid, tab_id="tab-id-2")
    assert tabs.ok("getFocusedTab") == "tab-id-1"
    with pytest.raises(AgentActionRefused) as anchor:
        tabs.engine.agent("closeTab", session_id=sid, tab_id="tab-id-1")
    assert (anchor.value.kind, anchor.value.message) == (
        "conflict",
        "The anchor tab of a session cannot be closed",
    )


@pytest.mark.parametrize(
    ("action", "params", "message"),
    [
        ("openTab", {"session_id": "session-id-9", "template_name": "msdyn_search"},
         "Session session-id-9 is not open"),
        ("openTab", {"session_id": "session-id-1", "template_name": "cifb_nosuch"},
         "Did not find application tab template by name (cifb_nosuch)"),
        ("focusTab", {"session_id": "session-id-1", "tab_id": "tab-id-9"},
         "Tab tab-id-9 is not open in session session-id-1"),
        ("closeTab", {"session_id": "session-id-0", "tab_id": "tab-id-1"},
         "Tab tab-id-1 is not open in session session-id-0"),
    ],
)  # fmt: skip
def test_agent_tab_actions_refuse_unknown_things_with_404(
    bridge: Bridge, action: str, params: dict[str, str], message: str
) -> None:
    bridge.create("Ana")
    with pytest.raises(AgentActionRefused) as refused:
        bridge.engine.agent(action, **params)
    assert (refused.value.kind, refused.value.message) == ("not_found", message)


def test_view_lists_tab_templates_for_the_plus_menu(tabs: Bridge) -> None:
    view = workspace_view(tabs.engine)
    assert {"uniqueName": "cifb_pinned", "name": "Pinned", "pageType": "webresource"} in view[
        "tabTemplates"
    ]
    assert [t["uniqueName"] for t in view["tabTemplates"]][:2] == [
        "msdyn_entityrecord",
        "msdyn_kbsearch",
    ]
    pinned = tabs.ok("createTab", {"templateName": "cifb_pinned"})
    home = workspace_view(tabs.engine)["sessions"][0]
    assert [(t["id"], t["closable"]) for t in home["tabs"]] == [(pinned, False)]


def test_tab_state_round_trips_and_keeps_its_slug_values(bridge: Bridge) -> None:
    bridge.create("Ana")
    request = {"templateName": "msdyn_search", "templateParameters": {"searchText": "first"}}
    tab_id = bridge.ok("createTab", request)
    bridge.ok("refreshTab", tab_id)
    saved = json.loads(json.dumps(bridge.engine.snapshot()))

    restored = Engine(bridge.engine.config, clock=bridge.clock)
    restored.restore(saved)
    assert restored.snapshot() == bridge.engine.snapshot()
    bridge.engine = bridge.dispatcher.engine = restored
    assert tab(bridge, tab_id).refresh_count == 1
    assert bridge.ok("setTabTitle", tab_id, {}) == "Search: first"
