"""Real partner configurations, diagnostics in the console and the journal, and --strict."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import BrowserContext, Page, expect

from tests.browser.conftest import LiveBridge, WidgetSite, start_bridge
from tests.browser.helpers import cif, open_widget, rejected, resolved
from tests.browser.workspace_page import open_workspace

pytestmark = pytest.mark.browser

CALL = "msdyn_voicecall_session"
GUID = "6f2c8a1e-3b4d-4c5e-8f90-1a2b3c4d5e6f"

# Names as a partner copies them from the org: two-letter publisher prefixes, an unprefixed
# tab template (the docs' "Bing"), presences added without ids or colours.
PARTNER_CONFIG = """\
providers:
  - uniqueName: cb_nice_cxone
    label: NICE CXone
    landingUrl: {landing}
    trustedDomains: [localhost]
sessionTemplates:
  - uniqueName: cb_nice_sessao
    name: Sessao de voz
    title: "Chamada de {{customerName}}"
    anchorTab: kb_default_session
    additionalTabs: [Bing]
applicationTabTemplates:
  - uniqueName: kb_default_session
    name: Registo
    pageType: entityrecord
    title: "{{entityName}}"
    parameters:
      entityName: {{value: "", isRuntime: true}}
      entityId: {{value: "", isRuntime: true}}
  - uniqueName: Bing
    pageType: thirdpartywebsite
    title: "Bing: {{customerName}}"
    parameters:
      url: {{value: "https://www.bing.com/search?q="}}
      data: {{value: "{{customerName}}"}}
presences:
  extend:
    - {{presenceText: Em pausa, basePresenceStatus: AWAY}}
"""

# A partner-style widget flow: handlers first (returning promises), then a call comes in.
PARTNER_FLOW = """
async () => {
  const cif = Microsoft.CIFramework;
  const seen = [];
  await cif.addHandler("onSessionSwitched", async (data) => { seen.push(JSON.parse(data)); });
  const sessionId = await cif.createSession({
    templateName: "cb_nice_sessao",
    templateParameters: {
      customerName: "Joana Silva",
      kb_default_session: {entityName: "contact", entityId: "0c9a0042"}
    }
  });
  const info = await cif.getSession(sessionId);
  const bing = (await cif.getTabs("Bing")).length;
  const paused = await cif.setPresence("Em pausa");
  const presence = await cif.getPresence();
  const env = JSON.parse(await cif.getEnvironment());
  return {sessionId, focused: info.get("focused"), bing, paused, presence,
          customParams: env.customParams, switched: seen.length};
}
"""


@pytest.fixture(scope="module")
def partner_bridge(
    tmp_path_factory: pytest.TempPathFactory, widget_site: WidgetSite
) -> Iterator[tuple[LiveBridge, str]]:
    folder = tmp_path_factory.mktemp("partner")
    landing = f"{widget_site.url}/nice/agent.html"
    config = folder / "org.yaml"
    config.write_text(PARTNER_CONFIG.format(landing=landing), encoding="utf-8")
    bridge = start_bridge(Path(folder), "partner bridge", "--config", str(config))
    (widget_site.root / "nice").mkdir(exist_ok=True)
    widget_site.widget_page("nice/agent.html", bridge)
    yield bridge, landing
    bridge.server.stop()


def test_a_partner_configuration_runs_a_partner_flow_unchanged(
    page: Page, partner_bridge: tuple[LiveBridge, str], console: list[str]
) -> None:
    bridge, landing = partner_bridge
    bridge.reset()
    open_widget(page, landing)
    outcome = page.evaluate(PARTNER_FLOW)
    assert outcome == {
        "sessionId": "session-id-1",
        "focused": True,
        "bing": 1,
        "paused": True,
        "presence": "Em pausa",
        "customParams": "",
        "switched": 1,
    }
    _, view = bridge.api("GET", "/api/workspace")
    session = view["sessions"][1]
    assert session["title"] == "Chamada de Joana Silva"
    assert [t["title"] for t in session["tabs"]] == ["contact", "Bing: Joana Silva"]
    _, journal = bridge.api("GET", "/api/journal")
    assert [e["provider"] for e in journal["entries"]] == ["cb_nice_cxone"] * 7
    assert not any("warnings" in e for e in journal["entries"])
    assert not [line for line in console if "cifbridge" in line], console


def test_a_page_no_rule_attributes_is_told_what_to_set(
    page: Page, partner_bridge: tuple[LiveBridge, str], widget_site: WidgetSite
) -> None:
    bridge, _ = partner_bridge
    bridge.reset()
    lost = widget_site.widget_page("lost.html", bridge)
    with page.expect_console_message(lambda m: "[provider-guessed]" in m.text) as told:
        open_widget(page, lost)
    assert told.value.type == "warning"
    assert told.value.text == (
        f"cifbridge: warning: [provider-guessed] this widget page ({lost}) has no data-provider"
        " and is under no provider's landingUrl, so cifbridge guessed cb_nice_cxone, the first"
        ' of 2 providers; put data-provider="cb_nice_cxone" or data-provider="cifb_softphone"'
        f" on its script tag, or make {lost} the landingUrl of its provider"
    )
    assert resolved(page, "getPresence")["value"] == "Available"  # it works, as the guess


# Each diagnostic, caused twice: the console must show each once, the journal each call.
DIAGNOSTICS = """
async ([guid]) => {
  const cif = Microsoft.CIFramework;
  const settle = (p) => p.then(() => "resolved", () => "rejected");
  const out = [];
  await cif.addHandler("onSessionSwitched", () => undefined);  // no promise
  for (let round = 0; round < 2; round++) {
    const text = JSON.stringify({templateName: "msdyn_voicecall_session"});
    out.push(await settle(cif.createSession(text)));
    out.push(await settle(cif.createSession({templateName: "msdyn_voicecall_session",
                                             customerName: "Ana", templateParams: {}})));
    out.push(await settle(cif.createSession({templateName: "msdyn_voicecal_session"})));
    out.push(await settle(cif.addHandler("onSessionSwitch", () => Promise.resolve())));
    out.push(await settle(cif.setPresence("OnVoicecall")));
    out.push(await settle(cif.createSession({templateName: "msdyn_voicecall_session"})));
    out.push(await settle(cif.requestFocusSession("session-id-1", guid)));
    out.push(await settle(cif.createTab({templateName: "msdyn_kbsearch",
                                         templateParameters: {data: "printer"}})));
  }
  return out;
}
"""
CODES = {
    "input-as-json-string",
    "unknown-input-key",
    "unknown-template",
    "unknown-event",
    "presence-case",
    "unfilled-slug",
    "focus-count-not-number",
    "runtime-parameter-ignored",
    "handler-returned-no-promise",
}


def warned(console: list[str], prefix: str = "warning: cifbridge: warning: [") -> list[str]:
    return [line[len(prefix) :].split("]")[0] for line in console if line.startswith(prefix)]


def test_each_diagnostic_shows_once_in_the_console_and_in_the_journal(
    page: Page,
    context: BrowserContext,
    live_bridge: LiveBridge,
    widget_site: WidgetSite,
    console: list[str],
) -> None:
    workspace = open_workspace(context.new_page(), live_bridge)
    open_widget(page, widget_site.widget_page("diagnostics.html", live_bridge))
    results = page.evaluate(DIAGNOSTICS, [GUID])
    # The behaviour is the real one: only the string input and the misspelt template reject.
    assert results == ["rejected", "resolved", "rejected", *["resolved"] * 5] * 2
    codes = warned(console)
    assert sorted(codes) == sorted(CODES), console  # each cause once, though caused twice

    # The drawer shows every call's warnings (the widget's own report arrives on its own).
    workspace.locator("#journal-toggle").click()
    shown = workspace.locator(".journal-entry.has-warnings .journal-warning")
    expect(shown.filter(has_text="[handler-returned-no-promise]")).to_have_count(1)
    expect(shown.filter(has_text="[presence-case]")).to_have_count(2)
    expect(shown.filter(has_text="did you mean onSessionSwitched?")).to_have_count(2)

    _, journal = live_bridge.api("GET", "/api/journal")
    flagged = [w["code"] for e in journal["entries"] for w in e.get("warnings", [])]
    assert set(flagged) == CODES
    assert flagged.count("presence-case") == 2  # every call carries its own warnings
    handler = [e for e in journal["entries"] if e["api"] == "handler:onSessionSwitched"]
    assert [w["code"] for e in handler for w in e["warnings"]] == ["handler-returned-no-promise"]


@pytest.fixture(scope="module")
def strict_bridge(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveBridge]:
    folder = tmp_path_factory.mktemp("strict")
    bridge = start_bridge(Path(folder), "strict bridge", "--strict")
    yield bridge
    bridge.server.stop()


def test_strict_turns_a_diagnostic_into_a_rejection_that_changes_nothing(
    page: Page, strict_bridge: LiveBridge, widget_site: WidgetSite, console: list[str]
) -> None:
    strict_bridge.reset()
    open_widget(page, widget_site.widget_page("strict.html", strict_bridge))
    error = rejected(page, "setPresence", "OnVoicecall")
    assert error["kind"] == "string"  # a client-side rejection, as the real library's checks
    assert json.loads(error["value"]) == {
        "message": "cifbridge --strict refused setPresence: [presence-case] setPresence:"
        " 'OnVoicecall' differs only by case from the configured presence 'onVoiceCall'; the"
        " real setPresence compares exactly and resolves false"
    }
    untitled = rejected(page, "createSession", {"templateName": CALL})
    assert "[unfilled-slug]" in json.loads(untitled["value"])["message"]
    _, view = strict_bridge.api("GET", "/api/workspace")
    assert [s["id"] for s in view["sessions"]] == ["session-id-0"]  # nothing was created
    clean = {"templateName": CALL, "customerName": "Ana"}
    assert resolved(page, "createSession", clean)["value"] == "session-id-1"
    assert "presence-case" in warned(console, "error: cifbridge --strict: [")
    assert cif(page, "getPresence")["result"]["value"] == "Available"
