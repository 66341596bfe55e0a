"""Every public method of the Python clients sends a request of the route table, well formed."""

from __future__ import annotations

import inspect
import re
from collections.abc import Callable
from typing import Any

import pytest

from cifbridge.api.control_bodies import body_problem
from cifbridge.api.control_routes import ROUTES, Route
from cifbridge.api.validation import SchemaSet
from cifbridge.clients import BridgeClient, ConversationAgent, CustomerClient
from cifbridge.engine.base.state import new_workspace, to_json
from cifbridge.files.state_file import state_document

NOT_CONTROL_ROUTES = {
    "request": "the transport every other method goes through",
    "wait_until_ready": "polls /healthz, which exists once the bridge is up",
    "script_tag_for": "builds the script tag a widget page loads the library with; sends nothing",
    "for_agent": "makes a client of the same bridge for another agent; sends nothing",
}
SAMPLES: dict[str, Any] = {
    "session_id": "session-id-1",
    "conversation_id": "conversation-1",
    "notification_id": "notification-id-1",
    "since": 3,
    "api": "createSession",
    "seconds": 5,
    "presence_text": "Busy",
    "channel": "chat",
    "customer": {"contact": "Maria Campbell"},
    "case": "CAS-1",
    "details": {"phoneNumber": "+1 425 555 0142"},
    "provider": "cifb_softphone",
    "text": "Hello",
    "sentiment": "negative",
    "link": "https://contoso.com/chat?oc.reconnectid=x",
    "choice": "new",
    "disposition": "Resolved",
    "confirmed": True,
    "dialog_id": "dialog-id-1",
    "parameters": {"param_reason": "Callback"},
    "bar_id": "0f8fad5b-d9cb-469f-a165-70867728950e",
    "kind": "event,fault",
    "effect": "reject",
    "times": 2,
    "error": {"form": "host", "message": "Down for maintenance"},
    "delay_ms": 1500,
    "match": {"input": {"templateName": "msdyn_chat_session"}},
    "target": "call",
    "event": "onSessionSwitched",
    "connection": "a-connection-id",
    "fault_id": "fault-1",
    "routing_id": "routing-1",
    "agent": "alice",
    "records": True,
    "document": state_document(to_json(new_workspace(0.0)), 0.0, 0.0, []),
}


class Answer(dict[str, Any]):
    """Whatever a method reads from an answer: every key leads to another Answer."""

    def __getitem__(self, key: str) -> Any:
        return Answer()


class Recorder(BridgeClient):
    """A BridgeClient that records what it would send instead of sending it."""

    def __init__(self) -> None:
        super().__init__("http://bridge.invalid")
        self.sent: list[tuple[str, str, Any]] = []

    def request(self, method: str, path: str, body: Any = None) -> Any:
        self.sent.append((method, path, body))
        return Answer()


def _matching(method: str, path: str) -> list[Route]:
    bare = path.split("?", 1)[0]
    return [
        r
        for r in ROUTES
        if r.method == method and re.fullmatch(re.sub(r"\{\w+\}", "[^/?]+", r.path), bare)
    ]


def _public_methods() -> list[tuple[type[Any], str]]:
    found = []
    for client in (BridgeClient, CustomerClient, ConversationAgent):
        for name, _ in inspect.getmembers(client, inspect.isfunction):
            skipped = client is BridgeClient and name in NOT_CONTROL_ROUTES
            if not name.startswith("_") and not skipped:
                found.append((client, name))
    return found


def _calls(method: Callable[..., Any]) -> list[dict[str, Any]]:
    """Return the arguments to call a method with: what it needs, then everything it takes."""
    parameters = list(inspect.signature(method).parameters.values())[1:]
    missing = [p.name for p in parameters if p.name not in SAMPLES]
    assert not missing, f"add a sample for {missing}"
    needed = {p.name: SAMPLES[p.name] for p in parameters if p.default is p.empty}
    return [needed, {p.name: SAMPLES[p.name] for p in parameters}]


@pytest.mark.parametrize(
    ("client", "name"), _public_methods(), ids=lambda v: getattr(v, "__name__", str(v))
)
def test_every_public_method_sends_a_table_route(
    schemas: SchemaSet, client: type[Any], name: str
) -> None:
    recorder = Recorder()
    instance = recorder if client is BridgeClient else client(recorder)
    for arguments in _calls(getattr(client, name)):
        recorder.sent.clear()
        getattr(instance, name)(**arguments)
        assert recorder.sent, f"{name} sent nothing"
        for method, path, body in recorder.sent:
            (route,) = _matching(method, path)
            if route.schema_id is None:
                assert body is None, f"{name} sends a body {route.name} does not read"
            else:
                assert body_problem(schemas, route, body) is None, (name, body)


def test_the_path_values_are_quoted() -> None:
    recorder = Recorder()
    ConversationAgent(recorder).conversation("a/b c")
    assert recorder.sent == [("GET", "/api/conversations/a%2Fb%20c", None)]


def test_the_journal_query_leaves_out_what_is_not_asked() -> None:
    recorder = Recorder()
    recorder.journal()
    recorder.journal(2, "notifyEvent")
    recorder.journal(kind="all")
    assert [path for _, path, _ in recorder.sent] == [
        "/api/journal?since=0",
        "/api/journal?since=2&api=notifyEvent",
        "/api/journal?since=0&kind=all",
    ]


def test_fault_methods_send_only_the_fields_given() -> None:
    recorder = Recorder()
    recorder.set_fault("delay", "createSession", delay_ms=500, times=1)
    recorder.clear_fault()
    recorder.clear_fault("fault-2")
    assert recorder.sent == [
        ("POST", "/api/faults", {"effect": "delay", "api": "createSession", "times": 1,
                                 "delayMs": 500}),
        ("DELETE", "/api/faults", None),
        ("DELETE", "/api/faults/fault-2", None),
    ]  # fmt: skip
