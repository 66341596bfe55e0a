"""isConsoleApp and openKBSearchControl (undocumented library functions, reference §2.11)."""

from __future__ import annotations

from tests.conftest import CHAT, Bridge, BridgeFactory


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


def test_feature_flags_come_from_the_configuration(make_bridge: BridgeFactory) -> None:
    bridge = make_bridge(
        {
            "features": {
                "enabled": {"msdyn_MultisessionNavigation": False, "cont_SoftphoneV2": True},
                "fcs": {"Omnichannel": {"EnableSmartAssist": True, "MaxTabs": 12}},
            }
        }
    )
    assert bridge.ok("isFeatureEnabled", "cont_SoftphoneV2") is True
    assert bridge.ok("isFeatureEnabled", "msdyn_MultisessionNavigation") is False
    assert bridge.ok("isFeatureEnabled", "OmnichannelCIFv2") is True  # the bundled one stays
    assert bridge.ok("getFcsValue", "Omnichannel", "EnableSmartAssist") is True
    assert bridge.ok("getFcsValue", "Omnichannel", "MaxTabs") == 12
    assert bridge.ok("getFcsValue", "Omnichannel", "EnableProductivityPane") is True


def test_unknown_flags_are_off_and_unknown_settings_null(bridge: Bridge) -> None:
    assert bridge.ok("isFeatureEnabled", "cont_NoSuchFeature") is False
    assert bridge.ok("isFeatureEnabled", "omnichannelcifv2") is False  # names match exactly
    assert bridge.ok("getFcsValue", "Omnichannel", "NoSuchSetting") is None
    assert bridge.ok("getFcsValue", "NoSuchNamespace", "EnableProductivityPane") is None


def test_feature_names_are_required(bridge: Bridge) -> None:
    assert bridge.error("isFeatureEnabled")["message"].startswith("isFeatureEnabled: ")
    assert "featureUniqueName" in bridge.error("getFcsValue", "Omnichannel")["message"]
