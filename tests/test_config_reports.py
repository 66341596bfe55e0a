"""Real partner configurations load unchanged; each bad entry is named with file, path and fix."""

from __future__ import annotations

from pathlib import Path

import pytest

from cifbridge.api.validation import SchemaSet
from cifbridge.engine.config.names import domain_host, landing_url_problem, unique_name_warning
from cifbridge.files.config import ConfigError, LoadedConfig, load_config_reported

PARTNER = """\
providers:
  - uniqueName: cb_nice_cxone
    landingUrl: http://localhost:5173/agent/index.html
    trustedDomains: [localhost]
sessionTemplates:
  - uniqueName: cb_nice_sessao
    title: "Chamada de {customerName}"
    anchorTab: kb_default_tab
    additionalTabs: [Bing]
applicationTabTemplates:
  - uniqueName: kb_default_tab
    pageType: entityrecord
    parameters:
      entityName: {value: "", isRuntime: true}
      entityId: {value: "", isRuntime: true}
  - {uniqueName: Bing, pageType: thirdpartywebsite, parameters: {url: {value: "https://www.bing.com/search?q="}}}
"""


def load(schemas: SchemaSet, tmp_path: Path, text: str, name: str = "org.yaml") -> LoadedConfig:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return load_config_reported(schemas, path)


def refusal(schemas: SchemaSet, tmp_path: Path, text: str) -> str:
    with pytest.raises(ConfigError) as refused:
        load(schemas, tmp_path, text)
    return str(refused.value)


def test_partner_names_load_unchanged_and_quietly(schemas: SchemaSet, tmp_path: Path) -> None:
    loaded = load(schemas, tmp_path, PARTNER)
    config = loaded.config
    assert loaded.warnings == ()
    assert config.provider("cb_nice_cxone") is not None
    session = config.session_templates["cb_nice_sessao"]
    assert (session.name, session.anchor_tab, session.additional_tabs) == (
        "cb_nice_sessao",  # the name defaults to the unique name
        "kb_default_tab",
        ("Bing",),
    )
    assert config.tab_templates["Bing"].name == "Bing"


def test_an_unusual_name_is_a_warning_with_its_path(schemas: SchemaSet, tmp_path: Path) -> None:
    text = PARTNER.replace("uniqueName: cb_nice_sessao", "uniqueName: c_nice-sessao")
    loaded = load(schemas, tmp_path, text)
    assert "c_nice-sessao" in loaded.config.session_templates
    assert loaded.warnings == (
        f"{tmp_path / 'org.yaml'}: $.sessionTemplates[0].uniqueName: unique name 'c_nice-sessao'"
        " has characters Dataverse unique names do not use: '-'; it is accepted as it is; check"
        " it against the name in your org",
    )


def test_the_name_rules() -> None:
    assert unique_name_warning("cb_nice_sessao") is None
    assert unique_name_warning("Bing") is None
    assert unique_name_warning("msdyn_chat_session") is None
    assert "publisher prefix 'contosoltd'" in str(unique_name_warning("contosoltd_phone"))
    assert "does not start with a letter" in str(unique_name_warning("1x_phone"))


def test_duplicate_unique_names_name_both_entries(schemas: SchemaSet, tmp_path: Path) -> None:
    text = PARTNER + "  - {uniqueName: Bing, pageType: webresource}\n"
    assert refusal(schemas, tmp_path, text) == (
        f"{tmp_path / 'org.yaml'}: $.applicationTabTemplates[2].uniqueName: 'Bing' is also the"
        " uniqueName of $.applicationTabTemplates[1]; give each entry its own uniqueName, or"
        " merge the two entries into one"
    )


def test_a_trusted_domain_written_as_a_url_is_read_as_its_host(
    schemas: SchemaSet, tmp_path: Path
) -> None:
    text = PARTNER.replace(
        "trustedDomains: [localhost]", 'trustedDomains: ["http://localhost:5173"]'
    )
    loaded = load(schemas, tmp_path, text)
    provider = loaded.config.provider("cb_nice_cxone")
    assert provider is not None and provider.trusted_domains == ("localhost",)
    assert loaded.warnings == (
        f"{tmp_path / 'org.yaml'}: $.providers[0].trustedDomains[0]: trusted domain"
        " 'http://localhost:5173' is read as the host name 'localhost': the origin check compares"
        " host names only, ports and paths are ignored; write the host name alone (*.example.com"
        " for its subdomains)",
    )
    assert domain_host("widgets.contoso.com:8443/app") == "widgets.contoso.com"
    assert domain_host("*.contoso.com") == "*.contoso.com"


def test_a_landing_url_without_a_scheme_is_refused_with_the_fix(
    schemas: SchemaSet, tmp_path: Path
) -> None:
    text = PARTNER.replace(
        "landingUrl: http://localhost:5173/agent/index.html",
        "landingUrl: localhost:5173/agent/index.html",
    )
    assert refusal(schemas, tmp_path, text) == (
        f"{tmp_path / 'org.yaml'}: $.providers[0].landingUrl: landing URL"
        " 'localhost:5173/agent/index.html' has no scheme, so the workspace frame would load"
        " nothing; write it with its scheme, e.g. http://localhost:5173/agent/index.html, or as"
        " a path on the bridge starting with /"
    )
    assert landing_url_problem("/samples/softphone.html") is None
    assert (
        landing_url_problem("ftp://x/y")
        == "landing URL 'ftp://x/y' is not an http(s) URL with a host"
    )


def test_an_unknown_tab_template_is_named_with_a_did_you_mean(
    schemas: SchemaSet, tmp_path: Path
) -> None:
    text = PARTNER.replace("additionalTabs: [Bing]", "additionalTabs: [bing]")
    assert refusal(schemas, tmp_path, text) == (
        f"{tmp_path / 'org.yaml'}: $.sessionTemplates[0].additionalTabs[0]: session template"
        " cb_nice_sessao names application tab template bing, which is not configured (did you"
        " mean Bing?); add an applicationTabTemplates entry with that uniqueName, or name one"
        " that exists"
    )


def test_a_bad_entry_is_refused_by_its_json_path(schemas: SchemaSet, tmp_path: Path) -> None:
    text = PARTNER.replace("uniqueName: cb_nice_cxone", "uniqueName: 'cb nice'")
    message = refusal(schemas, tmp_path, text)
    assert message.startswith(f"{tmp_path / 'org.yaml'}: $.providers[0].uniqueName: 'cb nice'")


def test_presences_extend_the_bundled_list_with_defaulted_ids_and_colours(
    schemas: SchemaSet, tmp_path: Path
) -> None:
    text = "presences:\n  extend:\n    - {presenceText: Wrap up, basePresenceStatus: BUSY}\n"
    config = load(schemas, tmp_path, text).config
    texts = [p.text for p in config.presences]
    assert texts[:2] == ["Available", "Busy"] and texts[-1] == "Wrap up"
    wrap_up = config.presences[-1]
    assert wrap_up.color == "#FF0000"  # the colour of its base status
    assert len(wrap_up.presence_id) == 36 and wrap_up.presence_id.count("-") == 4
    again = load(schemas, tmp_path, text, "again.yaml").config.presences[-1]
    assert again.presence_id == wrap_up.presence_id  # derived from the text: stable


def test_a_plain_presence_list_and_replace_both_replace(schemas: SchemaSet, tmp_path: Path) -> None:
    entry = "{presenceText: Available, basePresenceStatus: AVAILABLE}"
    for text in (f"presences: [{entry}]\n", f"presences:\n  replace: [{entry}]\n"):
        config = load(schemas, tmp_path, text).config
        assert [p.text for p in config.presences] == ["Available"]


def test_replace_drops_the_bundled_entries_extend_keeps_them(
    schemas: SchemaSet, tmp_path: Path
) -> None:
    own = "    - {uniqueName: cb_phone, landingUrl: http://localhost:5173/}\n"
    replaced = load(schemas, tmp_path, "providers:\n  replace:\n" + own).config
    assert [p.unique_name for p in replaced.providers] == ["cb_phone"]
    extended = load(schemas, tmp_path, "providers:\n  extend:\n" + own).config
    assert [p.unique_name for p in extended.providers] == ["cb_phone", "cifb_softphone"]
    tab = "applicationTabTemplates:\n  extend:\n    - {uniqueName: kb_tab, pageType: webresource}\n"
    tabs = load(schemas, tmp_path, tab).config.tab_templates
    assert "kb_tab" in tabs and "msdyn_entityrecord" in tabs


def test_records_of_a_new_entity_need_only_its_logical_name(
    schemas: SchemaSet, tmp_path: Path
) -> None:
    text = (
        "entities:\n  extend:\n    - {logicalName: cb_ticket}\n"
        "records:\n  cb_ticket:\n    - {name: Printer on fire}\n"
        "  contact:\n    - {firstname: Zed, lastname: Example}\n"
    )
    config = load(schemas, tmp_path, text).config
    ticket = config.entities["cb_ticket"]
    assert (ticket.entity_set_name, ticket.primary_id, ticket.primary_name) == (
        "cb_tickets",
        "cb_ticketid",
        "name",
    )
    (row,) = config.records["cb_ticket"].values()
    assert row["attrs"]["name"] == "Printer on fire" and row["attrs"]["cb_ticketid"]
    names = [r["attrs"].get("firstname") for r in config.records["contact"].values()]
    assert "Zed" in names and len(names) > 1  # added to the bundled contacts
