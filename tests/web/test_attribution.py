"""Which provider a standalone widget page speaks for: the documented rules, in order."""

from __future__ import annotations

import pytest

from cifbridge.engine.config.workspace import Provider
from cifbridge.web.origins import UnknownProvider, attribute, untrusted_advice

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
