"""The shim in Chromium: a partner widget on another origin drives the bridge like Dynamics.

These are the acceptance criteria of the widget library: CIFInitDone, the real result
encodings (JSON strings, a real Map, plain values), the real rejection forms, events as JSON
strings after agent actions, the 10-session limit, origin trust, and a clean global scope.
"""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from playwright.sync_api import Page

from tests.browser.conftest import LiveBridge, WidgetSite, start_bridge
from tests.browser.helpers import (
    VOICE_TEMPLATE,
    create_session,
    open_widget,
    rejected,
    resolved,
    wait_for_events,
)

pytestmark = pytest.mark.browser

MAX_SESSIONS_MESSAGE = "Maximum sessions reached. Close a session before opening another."
ORIGIN_NOT_TRUSTED = (
    "Sender domain is not a recognised or is invalid and hence the message cant be processed"
)
PREEXISTING_MICROSOFT = """
<script>window.Microsoft = {Dynamics: {Portal: {version: "9.2"}}, marker: "kept"};</script>
"""


@pytest.fixture
def widget(page: Page, live_bridge: LiveBridge, widget_site: WidgetSite) -> Page:
    """A widget page from http://localhost:<port>, CIF ready, talking to the bridge."""
    open_widget(
        page, widget_site.widget_page("widget.html", live_bridge, head=PREEXISTING_MICROSOFT)
    )
    return page


def test_cif_init_done_names_the_bridge_and_the_api_is_there(
    widget: Page, live_bridge: LiveBridge, widget_site: WidgetSite
) -> None:
    assert widget.evaluate("location.origin") == widget_site.url
    assert widget.evaluate("cifTest.init") == [live_bridge.url]
    kinds = widget.evaluate(
        "['createSession', 'getSession', 'addHandler', 'notifyEvent', 'getEnvironment']"
        ".map(name => typeof Microsoft.CIFramework[name])"
    )
    assert kinds == ["function"] * 5


def test_create_session_and_get_session_resolves_a_map(widget: Page) -> None:
    assert resolved(widget, "canCreateSession") == {"kind": "boolean", "value": True}
    first = create_session(widget, "Ana")
    second = create_session(widget, "Ben")
    assert (first, second) == ("session-id-1", "session-id-2")

    session = widget.evaluate(
        """async id => {
            const info = await Microsoft.CIFramework.getSession(id);
            return {isMap: info instanceof Map, keys: [...info.keys()],
                    id: info.get("sessionId"), focused: info.get("focused")};
        }""",
        second,
    )
    assert session == {
        "isMap": True,
        "keys": ["sessionId", "focused", "context", "conversationId"],
        "id": second,
        "focused": True,
    }
    assert resolved(widget, "getAllSessions")["value"] == [first, second]
    assert resolved(widget, "getFocusedSession")["value"] == second


def test_agent_focus_and_close_deliver_events_as_json_strings(
    widget: Page, live_bridge: LiveBridge
) -> None:
    widget.evaluate(
        """() => ["onSessionSwitched", "onSessionClosed"].forEach(name =>
            Microsoft.CIFramework.addHandler(name, cifTest.record(name)))"""
    )
    first = create_session(widget, "Ana")
    second = create_session(widget, "Ben")
    # The creations' own focus events (Ana's, then Ana's loss and Ben's) follow their answers;
    # they are all in before the slate is wiped, so what follows is the agent's alone.
    wait_for_events(widget, "onSessionSwitched", 3)
    widget.evaluate("cifTest.events = []")

    status, _ = live_bridge.api("POST", f"/api/sessions/{first}/focus")
    assert status == 200
    switched = wait_for_events(widget, "onSessionSwitched", 2)
    assert all(isinstance(data, str) for data in switched)
    payloads = [json.loads(data) for data in switched]
    assert {(p["sessionId"], p["focused"], p["focussed"]) for p in payloads} == {
        (second, False, False),
        (first, True, True),
    }
    assert all(set(p) == {"sessionId", "focused", "focussed", "context"} for p in payloads)
    types = widget.evaluate("cifTest.events.map(e => typeof e.data)")
    assert types == ["string", "string"]

    status, _ = live_bridge.api("DELETE", f"/api/sessions/{first}")
    assert status == 200
    (closed,) = wait_for_events(widget, "onSessionClosed", 1)
    assert widget.evaluate(
        "typeof cifTest.events.find(e => e.name === 'onSessionClosed').data"
    ) == ("string")
    assert json.loads(closed) == {"sessionId": first, "context": None}
    # Focus falls back to the most recently focused session still open.
    refocused = json.loads(wait_for_events(widget, "onSessionSwitched", 3)[-1])
    assert (refocused["sessionId"], refocused["focused"], refocused["focussed"]) == (
        second,
        True,
        True,
    )
    assert resolved(widget, "getAllSessions")["value"] == [second]


def test_the_eleventh_session_is_refused(widget: Page) -> None:
    for number in range(1, 11):
        assert resolved(widget, "canCreateSession")["value"] is True
        assert create_session(widget, f"Caller {number}") == f"session-id-{number}"

    assert resolved(widget, "canCreateSession") == {"kind": "boolean", "value": False}
    error = rejected(
        widget, "createSession", {"templateName": VOICE_TEMPLATE, "templateParameters": {}}
    )
    assert error["kind"] == "Map"
    assert error["value"]["message"] == MAX_SESSIONS_MESSAGE
    assert error["value"]["msdyn_name"] == "createSession"
    assert len(resolved(widget, "getAllSessions")["value"]) == 10


def test_invalid_input_rejects_with_a_json_string_naming_the_path(widget: Page) -> None:
    error = rejected(widget, "createSession", {"templateName": 5})
    assert error["kind"] == "string"
    message = json.loads(error["value"])["message"]
    assert "$.input.templateName" in message

    # The failure left nothing behind: the next calls work.
    assert resolved(widget, "canCreateSession")["value"] is True
    assert create_session(widget, "Ana") == "session-id-1"


def test_host_errors_of_map_apis_reject_with_a_map(widget: Page) -> None:
    error = rejected(widget, "getSession", "session-id-99")
    assert error == {
        "kind": "Map",
        "value": {
            "message": "Session with ID:session-id-99 does not exist",
            "msdyn_name": "getSession",
        },
    }


def test_handlers_are_kept_per_exact_name_and_faulty_ones_do_not_stop_others(
    widget: Page, live_bridge: LiveBridge
) -> None:
    removed = widget.evaluate(
        """async () => {
            const C = Microsoft.CIFramework;
            const unused = () => {};
            await C.addHandler("onSessionSwitched", () => { throw new Error("widget bug"); });
            await C.addHandler("onSessionSwitched", () => Promise.reject(new Error("async bug")));
            await C.addHandler("onSessionSwitched", cifTest.record("onSessionSwitched"));
            await C.addHandler("onsessionswitched", cifTest.record("wrong case"));
            await C.addHandler("onSessionSwitched", unused);
            return [await C.removeHandler("onSessionSwitched", unused),
                    await C.removeHandler("onSessionSwitched", unused)];
        }"""
    )
    assert removed == [True, False]
    session = create_session(widget, "Ana")
    status, _ = live_bridge.api("POST", "/api/sessions/session-id-0/focus")
    assert status == 200
    data = wait_for_events(widget, "onSessionSwitched", 2)
    assert json.loads(data[-1]) == {
        "sessionId": session,
        "focused": False,
        "focussed": False,
        "context": None,
    }
    assert widget.evaluate("cifTest.events.filter(e => e.name === 'wrong case').length") == 0


def test_add_handler_without_a_function_rejects_like_the_library(widget: Page) -> None:
    # The real library checks this in the widget, so it rejects with a JSON string.
    error = rejected(widget, "addHandler", "onSessionClosed", "not a function")
    assert error["kind"] == "string"
    message = json.loads(error["value"])["message"]
    assert message == "Passing data parameters to addHandler is mandatory."


def test_existing_microsoft_namespace_survives(widget: Page) -> None:
    kept = widget.evaluate(
        "[Microsoft.marker, Microsoft.Dynamics.Portal.version, typeof Microsoft.CIFramework]"
    )
    assert kept == ["kept", "9.2", "object"]


def test_no_global_io_leaks_into_the_widget_page(widget: Page) -> None:
    assert widget.evaluate("typeof window.io") == "undefined"
    assert widget.evaluate("Object.keys(window).filter(k => /^(io|module|exports)$/.test(k))") == []


def test_a_widget_shipping_its_own_io_keeps_it(
    page: Page, live_bridge: LiveBridge, widget_site: WidgetSite
) -> None:
    own_io = '<script>window.io = function partnerSocketIo() { return "partner"; };</script>'
    open_widget(page, widget_site.widget_page("own-io.html", live_bridge, head=own_io))
    assert page.evaluate("io()") == "partner"
    assert resolved(page, "canCreateSession")["value"] is True


def test_calls_made_before_cif_init_done_are_answered(
    page: Page, live_bridge: LiveBridge, widget_site: WidgetSite
) -> None:
    # Made synchronously right after the script tag, before the socket has connected.
    early = (
        "<script>window.earlyCall = cifTest.settle(Microsoft.CIFramework.getAllSessions());"
        "</script>"
    )
    open_widget(page, widget_site.widget_page("early.html", live_bridge, tail=early))
    assert page.evaluate("window.earlyCall") == {
        "ok": True,
        "result": {"kind": "object", "value": []},
    }


def test_a_provider_the_bridge_does_not_know_fails_fast(
    page: Page, live_bridge: LiveBridge, widget_site: WidgetSite
) -> None:
    url = widget_site.widget_page("unknown.html", live_bridge, attrs='data-provider="nope_unknown"')
    open_widget(page, url)
    error = rejected(page, "canCreateSession")
    assert error["kind"] == "string"
    assert "nope_unknown" in json.loads(error["value"])["message"]


@pytest.fixture(scope="module")
def untrusting_bridge(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveBridge]:
    """A bridge whose only provider trusts contoso.example, so localhost is a stranger."""
    folder = tmp_path_factory.mktemp("untrusting")
    config = folder / "contoso-only.yaml"
    config.write_text(
        "providers:\n"
        "  - uniqueName: cifb_softphone\n"
        "    label: Contoso Softphone\n"
        "    landingUrl: https://contoso.example/softphone.html\n"
        "    trustedDomains: [contoso.example]\n",
        encoding="utf-8",
    )
    bridge = start_bridge(folder, "untrusting bridge", "--config", str(config))
    yield bridge
    bridge.server.stop()


def test_a_widget_from_an_untrusted_origin_is_refused(
    page: Page, untrusting_bridge: LiveBridge, widget_site: WidgetSite
) -> None:
    open_widget(page, widget_site.widget_page("untrusted.html", untrusting_bridge))
    calls = (
        ("canCreateSession", ()),
        ("createSession", ({"templateName": VOICE_TEMPLATE},)),
        ("getAllSessions", ()),
    )
    for api, args in calls:
        error = rejected(page, api, *args)
        assert error["kind"] == "Map"
        assert error["value"]["message"] == ORIGIN_NOT_TRUSTED
    status, view = untrusting_bridge.api("GET", "/api/workspace")
    assert status == 200
    assert [s["id"] for s in view["sessions"]] == ["session-id-0"]
