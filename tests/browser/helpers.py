"""Calling Microsoft.CIFramework in a widget page from Python, and waiting on what it hears."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any

from playwright.sync_api import Page, WebSocketRoute

VOICE_TEMPLATE = "msdyn_voicecall_session"
SOCKET_IO = re.compile(r"/socket\.io/")
# A Socket.IO event with an acknowledgement id in the widget namespace, as the shim sends it.
CIF_FRAME = re.compile(r"^42/widget,(\d+)(\[.*\])$", re.DOTALL)

Filter = Callable[[str | bytes], bool]
Answer = Callable[[dict[str, Any]], dict[str, Any] | None]


def open_widget(page: Page, url: str) -> None:
    """Load a widget page and wait until the library said CIFInitDone."""
    page.goto(url)
    page.wait_for_function("window.cifTest.init !== null")


def cif(page: Page, api: str, *args: Any) -> dict[str, Any]:
    """Call Microsoft.CIFramework.<api>(*args) in the page; return {ok, result: {kind, value}}."""
    outcome: dict[str, Any] = page.evaluate(
        "([api, args]) => cifTest.settle(Microsoft.CIFramework[api](...args))", [api, list(args)]
    )
    return outcome


def resolved(page: Page, api: str, *args: Any) -> Any:
    outcome = cif(page, api, *args)
    assert outcome["ok"], f"{api} rejected with {outcome['result']}"
    return outcome["result"]


def rejected(page: Page, api: str, *args: Any) -> dict[str, Any]:
    outcome = cif(page, api, *args)
    assert not outcome["ok"], f"{api} unexpectedly resolved {outcome['result']}"
    result: dict[str, Any] = outcome["result"]
    return result


def create_session(page: Page, customer: str) -> str:
    request = {
        "templateName": VOICE_TEMPLATE,
        "templateParameters": {
            "customerName": customer,
            "msdyn_entityrecord": {"entityName": "contact", "entityId": "0c9a-42"},
        },
    }
    result = resolved(page, "createSession", request)
    assert result["kind"] == "string"
    session_id: str = result["value"]
    return session_id


def wait_for_events(page: Page, name: str, count: int) -> list[str]:
    """Wait until `count` events called `name` arrived; return their raw data."""
    page.wait_for_function(
        "([name, count]) => cifTest.events.filter(e => e.name === name).length >= count",
        arg=[name, count],
    )
    data: list[str] = page.evaluate(
        "name => cifTest.events.filter(e => e.name === name).map(e => e.data)", name
    )
    return data


def relay(
    page: Page,
    *,
    swallow: Filter = lambda _: False,
    cut_before: Filter = lambda _: False,
    answer: Answer = lambda _: None,
) -> None:
    """Stand between the page and the bridge on every Socket.IO connection.

    `swallow` picks frames to the bridge that get lost; `cut_before` picks frames to the page
    before which the connection drops (both ends); `answer` may acknowledge a CIF call itself
    (return the ack) instead of passing it to the bridge.
    """

    def route(ws: WebSocketRoute) -> None:
        bridge = ws.connect_to_server()

        def to_bridge(message: str | bytes) -> None:
            if swallow(message) or answered(ws, message, answer):
                return
            bridge.send(message)

        def to_page(message: str | bytes) -> None:
            if cut_before(message):
                ws.close()
                bridge.close()
            else:
                ws.send(message)

        ws.on_message(to_bridge)
        bridge.on_message(to_page)

    page.route_web_socket(SOCKET_IO, route)


def answered(ws: WebSocketRoute, message: str | bytes, answer: Answer) -> bool:
    match = CIF_FRAME.match(message) if isinstance(message, str) else None
    if match is None:
        return False
    event, packet = json.loads(match.group(2))
    ack = answer(packet) if event == "cif" else None
    if ack is None:
        return False
    ws.send(f"43/widget,{match.group(1)}{json.dumps([ack])}")
    return True
