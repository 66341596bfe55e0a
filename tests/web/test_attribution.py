"""Which provider a standalone widget page speaks for: the documented rules, in order."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import aiohttp
import pytest
import socketio
from aiohttp.test_utils import TestServer

from cifbridge.engine.config.workspace import Provider
from cifbridge.web.origins import UnknownProvider, attribute, untrusted_advice
from tests.web.conftest import ServerFactory, Widget, WidgetFactory

PHONE = Provider("cb_phone", "Phone", "http://localhost:5173/phone/index.html")
CHAT = Provider("kb_chat", "Chat", "https://widgets.contoso.com/chat/")
SAMPLE = Provider("cifb_softphone", "Sample", "/samples/softphone.html")
BRIDGE = "127.0.0.1:8765"


def test_data_provider_comes_first() -> None:
    found = attribute("kb_chat", "http://localhost:5173/phone/index.html", [PHONE, CHAT], BRIDGE)
    assert (found.provider, found.rule, found.reason, found.advice) == (
        CHAT,
        "data-provider",
        "data-provider",
        None,
    )
    workspace = attribute("cb_phone", "", [PHONE, CHAT], BRIDGE, from_workspace=True)
    assert workspace.rule == "workspace"


def test_an_unknown_data_provider_is_refused() -> None:
    with pytest.raises(UnknownProvider, match="no channel provider is configured as 'nope'"):
        attribute("nope", "http://localhost:5173/", [PHONE], BRIDGE)


def test_the_landing_url_matches_by_host_and_path_ignoring_ports_on_loopback() -> None:
    for href in (
        "http://localhost:5173/phone/index.html",
        "http://localhost:4000/phone/index.html?ucilib=x",  # the dev server moved
        "http://127.0.0.1:5173/phone/index.html/deep",
    ):
        found = attribute(None, href, [CHAT, PHONE], BRIDGE)
        assert (found.provider, found.rule) == (PHONE, "landing-url"), href
        assert found.reason == "its page is under the landing URL"
    assert attribute(None, "https://widgets.contoso.com/chat/app.html", [PHONE, CHAT]).provider == (
        CHAT
    )


def test_off_loopback_the_port_counts_and_a_sibling_path_is_not_under() -> None:
    for href in (
        "https://widgets.contoso.com:8443/chat/app.html",  # another port on a real host
        "https://other.contoso.com/chat/app.html",
        "http://localhost:5173/phonebook/index.html",
    ):
        found = attribute(None, href, [PHONE, CHAT], BRIDGE)
        assert found.rule == "first-provider", href


def test_a_path_only_landing_url_is_on_the_bridge() -> None:
    on_bridge = attribute(None, f"http://{BRIDGE}/samples/softphone.html", [PHONE, SAMPLE], BRIDGE)
    assert on_bridge.provider == SAMPLE
    elsewhere = "https://widgets.contoso.com/samples/softphone.html"
    assert attribute(None, elsewhere, [PHONE, SAMPLE], BRIDGE).rule == "first-provider"


def test_the_only_provider_is_taken_and_said_so() -> None:
    found = attribute(None, "http://evil.example/x.html", [PHONE], BRIDGE)
    assert (found.provider, found.rule, found.advice) == (PHONE, "only-provider", None)
    assert found.reason == "the only provider: no data-provider, no landing URL match"


def test_with_several_providers_a_guess_says_what_to_set() -> None:
    found = attribute(None, "http://localhost:3000/widget.html?x=1", [PHONE, CHAT], BRIDGE)
    assert (found.provider, found.rule) == (PHONE, "first-provider")
    assert found.reason == (
        "a guess, the first of 2 providers: no data-provider, no landing URL match"
    )
    assert found.advice == (
        "this widget page (http://localhost:3000/widget.html?x=1) has no data-provider and is"
        " under no provider's landingUrl, so cifbridge guessed cb_phone, the first of 2"
        ' providers; put data-provider="cb_phone" or data-provider="kb_chat" on its script'
        " tag, or make http://localhost:3000/widget.html the landingUrl of its provider"
    )


def test_a_refused_origin_is_told_which_domain_to_add_where() -> None:
    assert untrusted_advice("evil.example", "cb_phone", ["localhost"]) == (
        "add evil.example to trustedDomains of provider cb_phone in the workspace configuration"
        " (host names, ports ignored; trusted now: localhost)"
    )
    assert "has no origin" in untrusted_advice(None, "cb_phone", [])


async def journal(server: TestServer) -> list[dict[str, Any]]:
    async with aiohttp.ClientSession() as http, http.get(server.make_url("/api/journal")) as got:
        entries: list[dict[str, Any]] = (await got.json())["entries"]
        return entries


def two_providers(tmp_path: Path) -> Path:
    path = tmp_path / "two.yaml"
    path.write_text(
        "providers: [{uniqueName: kb_chat, landingUrl: 'http://localhost:9000/chat/'}]\n",
        encoding="utf-8",
    )
    return path


async def test_a_refused_origin_is_journaled_with_the_domain_to_add(
    serve: ServerFactory, connect_widget: WidgetFactory
) -> None:
    server = await serve()
    widget = await connect_widget(server, origin="https://intruder.example")
    assert (await widget.call("getPresence"))["ok"] is False  # the real refusal, per call
    (entry,) = [e for e in await journal(server) if e["api"] == "widget:connect"]
    assert entry["ok"] is False and entry["provider"] == "cifb_softphone"
    assert entry["warnings"][0]["code"] == "origin-not-trusted"
    assert entry["warnings"][0]["message"].startswith(
        "add intruder.example to trustedDomains of provider cifb_softphone"
    )


async def test_a_guessed_provider_is_told_to_the_widget_and_refused_under_strict(
    serve: ServerFactory, connect_widget: WidgetFactory, tmp_path: Path
) -> None:
    config = two_providers(tmp_path)
    server = await serve(config_path=config)
    widget = Widget()
    told: list[dict[str, str]] = []
    widget.client.on("cif:warning", told.append, namespace="/widget")
    auth = {"provider": None, "href": "http://localhost:3000/lost.html"}
    await widget.connect(str(server.make_url("/")), auth, {"Origin": "http://localhost:3000"})
    assert await widget.value("getPresence") == "Available"  # attributed, as a guess
    await widget.client.disconnect()
    assert [w["code"] for w in told] == ["provider-guessed"]
    (entry,) = [e for e in await journal(server) if e["api"] == "widget:connect"]
    assert entry["value"]["rule"] == "first-provider" and entry["provider"] == "kb_chat"

    strict = await serve(config_path=config, strict=True)
    refused, why = Widget(), []
    refused.client.on("connect_error", why.append, namespace="/widget")
    with pytest.raises(socketio.exceptions.ConnectionError):
        await refused.connect(str(strict.make_url("/")), auth, {"Origin": "http://localhost:3000"})
    assert str(why[0]["message"]).startswith(
        "cifbridge --strict refused the connection: this widget page"
    )


async def test_the_shims_own_diagnostics_are_journaled(
    serve: ServerFactory, connect_widget: WidgetFactory
) -> None:
    server = await serve()
    widget = await connect_widget(server)
    warning = {"code": "handler-returned-no-promise", "message": "a onSessionClosed handler ..."}
    report = {"event": "onSessionClosed", "warnings": [warning]}
    assert await widget.client.call("cif_diagnostic", report, namespace="/widget") == {"ok": True}
    bad = await widget.client.call("cif_diagnostic", {"event": 3}, namespace="/widget")
    assert bad["ok"] is False
    (entry,) = [e for e in await journal(server) if e["api"].startswith("handler:")]
    assert entry["api"] == "handler:onSessionClosed" and entry["warnings"] == [warning]
