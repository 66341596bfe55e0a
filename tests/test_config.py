"""Workspace configuration: the bundled default, merging, and clear errors."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from cifbridge.api.validation import SchemaSet
from cifbridge.engine import config_from_dict
from cifbridge.files.config import (
    ConfigError,
    default_config_data,
    load_config,
    merge_config,
    read_config_file,
)
from cifbridge.files.documents import YAML_LOADER
from cifbridge.files.resources import default_config_path


def test_bundled_default_has_the_out_of_box_templates(schemas: SchemaSet) -> None:
    config = load_config(schemas)
    assert {"msdyn_chat_session", "msdyn_voicecall_session"} <= set(config.session_templates)
    page_types = {t.page_type for t in config.tab_templates.values()}
    assert {"entityrecord", "thirdpartywebsite", "webresource", "search"} <= page_types
    assert config.providers[0].unique_name == "cifb_softphone"
    assert config.max_sessions == 10


def test_user_file_extends_and_replaces_by_unique_name(schemas: SchemaSet, tmp_path: Path) -> None:
    path = tmp_path / "ws.yaml"
    path.write_text(
        "limits: {maxSessions: 3}\n"
        "sessionTemplates:\n"
        "  - {uniqueName: msdyn_chat_session, name: Chat, title: 'Chat with {customerName}'}\n"
        "  - {uniqueName: cont_sms_session, name: SMS, title: SMS}\n"
    )
    config = load_config(schemas, path)
    assert config.max_sessions == 3
    assert config.session_templates["msdyn_chat_session"].title == "Chat with {customerName}"
    assert "cont_sms_session" in config.session_templates
    assert "msdyn_voicecall_session" in config.session_templates


def test_extends_none_stands_alone(schemas: SchemaSet, tmp_path: Path) -> None:
    path = tmp_path / "ws.json"
    path.write_text(
        '{"extends": "none", "providers": [{"uniqueName": "abc_phone", "landingUrl": "/x"}]}'
    )
    config = load_config(schemas, path)
    assert [p.unique_name for p in config.providers] == ["abc_phone"]
    assert config.session_templates == {}


def test_invalid_file_names_the_json_path(schemas: SchemaSet, tmp_path: Path) -> None:
    path = tmp_path / "ws.yaml"
    path.write_text("limits: {maxSessions: zero}\n")
    with pytest.raises(ConfigError, match=r"\$\.limits\.maxSessions: 'zero' is not of type"):
        load_config(schemas, path)


def test_dangling_tab_template_reference_is_reported(schemas: SchemaSet, tmp_path: Path) -> None:
    path = tmp_path / "ws.yaml"
    path.write_text(
        "sessionTemplates:\n  - {uniqueName: cont_x_session, name: X, anchorTab: cont_missing}\n"
    )
    with pytest.raises(ConfigError, match="names application tab template cont_missing"):
        load_config(schemas, path)


def test_unreadable_and_malformed_files(schemas: SchemaSet, tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="No such file"):
        load_config(schemas, tmp_path / "absent.yaml")
    broken = tmp_path / "broken.yaml"
    broken.write_text("limits: [\n")
    with pytest.raises(ConfigError, match="not valid YAML"):
        load_config(schemas, broken)


def test_the_shared_defaults_survive_merges_and_changes_to_their_results() -> None:
    fresh = read_config_file(default_config_path())
    override = {
        "limits": {"maxSessions": 3},
        "providers": [{"uniqueName": "extra", "landingUrl": "http://localhost/x.html"}],
        "channels": {"chat": {"reconnection": {"enabled": True}}},
        "records": {"contact": [{"firstname": "Zed"}]},
    }
    for merged in (merge_config(default_config_data(), override), merge_config({}, override)):
        merged["limits"]["maxSessions"] = 1
        merged["providers"][0]["label"] = "changed"
        merged["presences"] = []
        merged["channels"]["chat"]["reconnection"]["enabled"] = False
        merged["records"]["contact"].clear()
        for entity in merged.get("entities", []):
            entity["logicalName"] = "changed"
    config_from_dict(default_config_data())
    assert default_config_data() == fresh
    assert override["limits"] == {"maxSessions": 3}
    assert override["records"] == {"contact": [{"firstname": "Zed"}]}


def test_the_bundled_yaml_reads_the_same_with_either_loader() -> None:
    text = default_config_path().read_text(encoding="utf-8")
    assert yaml.load(text, YAML_LOADER) == yaml.load(text, yaml.SafeLoader)


def test_features_merge_flag_by_flag(schemas: SchemaSet, tmp_path: Path) -> None:
    path = tmp_path / "ws.yaml"
    path.write_text(
        "features:\n"
        "  enabled: {OmnichannelCIFv2: false, cont_Beta: true}\n"
        "  fcs: {Omnichannel: {EnableSmartAssist: true}, Contoso: {Region: emea}}\n"
    )
    features = load_config(schemas, path).features
    assert features.is_enabled("cont_Beta") and not features.is_enabled("OmnichannelCIFv2")
    assert features.is_enabled("msdyn_MultisessionNavigation")  # bundled, not restated
    assert features.fcs_value("Omnichannel", "EnableSmartAssist") is True
    assert features.fcs_value("Omnichannel", "EnableProductivityPane") is True
    assert features.fcs_value("Contoso", "Region") == "emea"
    path.write_text("features: {enabled: {cont_Beta: 'yes'}}\n")
    with pytest.raises(
        ConfigError, match=r"\$\.features\.enabled\.cont_Beta: 'yes' is not of type"
    ):
        load_config(schemas, path)
