"""Workspace configuration: the bundled default, merging, and clear errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from cifbridge.api.validation import SchemaSet
from cifbridge.files.config import ConfigError, load_config


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
