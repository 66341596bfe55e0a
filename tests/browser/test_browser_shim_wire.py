"""What the shim sends and how it rebuilds answers, checked against hand-made acknowledgements.

Playwright answers chosen CIF calls in place of the bridge, so every encoding of reference
§1.2/§1.3 is covered whether or not the engine emulates that function yet.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import Page

from tests.browser.conftest import LiveBridge, WidgetSite, start_bridge
from tests.browser.helpers import cif, open_widget, rejected, relay

pytestmark = pytest.mark.browser

RECORDS = [{"fullname": "Ana Ruiz"}, {"fullname": "Ben Ode"}]
HOST_ERROR = {"message": "Something failed on the host", "msdyn_name": "x"}

ANSWERS: dict[str, dict[str, Any]] = {
    "searchAndOpenRecords": {"ok": True, "value": RECORDS},
    "getEnvironment": {"ok": True, "value": {"appid": "a1", "pagetype": "entityrecord"}},
    "getWidth": {"ok": True, "value": 378},
    "getSession": {"ok": True, "value": {"sessionId": "session-id-3", "focused": False}},
    "retrieveRecord": {"ok": False, "error": HOST_ERROR, "origin": "host"},
    "getFocusedTab": {"ok": False, "error": HOST_ERROR, "origin": "host"},
    "createRecord": {"ok": False, "error": {"message": "blank"}, "origin": "client"},
}


@pytest.fixture
def wire(
    page: Page, live_bridge: LiveBridge, widget_site: WidgetSite
) -> tuple[Page, list[dict[str, Any]]]:
    """A widget whose calls in ANSWERS are answered by the test; the packets it sent."""
    sent: list[dict[str, Any]] = []

    def answer(packet: dict[str, Any]) -> dict[str, Any] | None:
        sent.append(packet)
        return ANSWERS.get(packet["api"])

    relay(page, answer=answer)
    open_widget(page, widget_site.widget_page("wire.html", live_bridge))
    return page, sent


@pytest.mark.parametrize(
    ("api", "args", "expected"),
    [
        # JSON strings; an array becomes an index-keyed object, as in the real library.
        (
            "searchAndOpenRecords",
            ["contact", "?$select=fullname", True],
            {
                "kind": "string",
                "value": json.dumps({"0": RECORDS[0], "1": RECORDS[1]}, separators=(",", ":")),
            },
        ),
        (
            "getEnvironment",
            [],
            {"kind": "string", "value": '{"appid":"a1","pagetype":"entityrecord"}'},
        ),
        # Plain values.
        ("getWidth", [], {"kind": "number", "value": 378}),
        # A Map.
        (
            "getSession",
            ["session-id-3"],
            {"kind": "Map", "value": {"sessionId": "session-id-3", "focused": False}},
        ),
    ],
)
def test_results_are_rebuilt_in_the_library_encoding(
    wire: tuple[Page, list[dict[str, Any]]], api: str, args: list[Any], expected: dict[str, Any]
) -> None:
    page, _ = wire
    assert cif(page, api, *args) == {"ok": True, "result": expected}


def test_rejections_take_the_library_forms(wire: tuple[Page, list[dict[str, Any]]]) -> None:
    page, _ = wire
    # Host error of a JSON-encoded function: the error object as a JSON string.
    error = rejected(page, "retrieveRecord", "contact", "0c9a-42")
    assert error["kind"] == "string"
    assert json.loads(error["value"]) == HOST_ERROR
    # Host error of any other function: a Map.
    assert rejected(page, "getFocusedTab") == {"kind": "Map", "value": HOST_ERROR}
    # Client-side check: a JSON string holding only the message.
    assert rejected(page, "createRecord", "", "{}") == {
        "kind": "string",
        "value": '{"message":"blank"}',
    }


def test_arguments_travel_as_the_widget_passed_them(
    wire: tuple[Page, list[dict[str, Any]]],
) -> None:
    page, sent = wire
    page.evaluate(
        """() => Promise.allSettled([
            Microsoft.CIFramework.getWidth("corr-7"),
            Microsoft.CIFramework.getSession("session-id-3", undefined),
            Microsoft.CIFramework.searchAndOpenRecords(
                "contact", "?$top=1", true, undefined, 1, () => "ignored"),
            Microsoft.CIFramework.getEnvironment(
                {appContext: new Map([["etn", "contact"]]), skip: undefined}),
        ])"""
    )
    by_api = {packet["api"]: packet for packet in sent}
    assert by_api["getWidth"]["args"] == ["corr-7"]
    assert by_api["getWidth"]["correlationId"] == "corr-7"
    assert by_api["getSession"]["args"] == ["session-id-3", None]
    assert by_api["getSession"]["correlationId"] is None
    assert by_api["searchAndOpenRecords"]["args"] == ["contact", "?$top=1", True, None, 1, True]
    assert by_api["getEnvironment"]["args"] == [{"appContext": {"etn": "contact"}}]
    request_ids = [packet["requestId"] for packet in sent]
    assert len(set(request_ids)) == len(request_ids)
    assert all(isinstance(rid, str) and len(rid) >= 16 for rid in request_ids)


def test_add_handler_sends_whether_a_function_was_given(
    wire: tuple[Page, list[dict[str, Any]]],
) -> None:
    page, sent = wire
    page.evaluate(
        """() => Promise.allSettled([
            Microsoft.CIFramework.addHandler("onSessionClosed", () => {}),
            Microsoft.CIFramework.addHandler("onSessionClosed", {not: "a function"}),
            Microsoft.CIFramework.removeHandler("onSessionClosed", () => {}),
        ])"""
    )
    handler_calls = [(p["api"], p["args"]) for p in sent if p["api"].endswith("Handler")]
    assert handler_calls == [
        ("addHandler", ["onSessionClosed", True]),
        ("addHandler", ["onSessionClosed", False]),
        ("removeHandler", ["onSessionClosed", True]),
    ]


@pytest.fixture(scope="module")
def docs_bridge(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveBridge]:
    """A bridge answering with the docs' error objects instead of the library's forms."""
    bridge = start_bridge(tmp_path_factory.mktemp("docs"), "docs bridge", "--fidelity", "docs")
    yield bridge
    bridge.server.stop()


def test_docs_fidelity_rejects_with_plain_error_objects(
    page: Page, docs_bridge: LiveBridge, widget_site: WidgetSite
) -> None:
    open_widget(page, widget_site.widget_page("docs.html", docs_bridge))
    missing = rejected(page, "getSession", "session-id-99")
    assert missing == {
        "kind": "object",
        "value": {
            "message": "Session with ID:session-id-99 does not exist",
            "msdyn_name": "getSession",
        },
    }
    invalid = rejected(page, "createSession", {"templateName": 5})
    assert invalid["kind"] == "object"
    assert set(invalid["value"]) == {"message"}
    assert "$.input.templateName" in invalid["value"]["message"]
    failed = rejected(page, "retrieveRecord", "contact", "00000000-0000-0000-0000-000000000000")
    assert failed["kind"] == "object"
    assert "Does Not Exist" in failed["value"]["message"]
    # The host's own map (insertNotes' flap error) keeps its code and gains its text as message.
    maria = "d8378461-2f3a-4cd2-8048-1451d3dbef2e"
    page.evaluate(
        "id => { Microsoft.CIFramework.insertNotes('contact', 'contacts', id, ''); }", maria
    )
    flap = rejected(page, "insertNotes", "contact", "contacts", maria, "")
    assert flap == {
        "kind": "object",
        "value": {"message": "Flap already expanded", "errorCode": 101},
    }
