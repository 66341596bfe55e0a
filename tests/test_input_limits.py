"""Free-form CIF arguments are bounded (depth, count, size) before the engine sees them.

Each refusal is an ordinary CIF rejection naming the JSON path of the first value past a bound,
and a refused call changes nothing in the workspace.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from cifbridge.api.dispatcher import Caller
from cifbridge.api.limits import input_problem, loads_bounded
from cifbridge.engine.config.limits import InputLimits
from tests.conftest import SOFTPHONE, Bridge, BridgeFactory

VOICE = "msdyn_voicecall_session"


def nested(levels: int, leaf: Any = "x") -> Any:
    """Return {"a": {"a": ... leaf}} with `levels` objects, built without recursion."""
    value = leaf
    for _ in range(levels):
        value = {"a": value}
    return value


# Every free-form value a widget passes, and the JSON path it has in the call's arguments.
FREE_FORM: dict[str, tuple[str, Callable[[Any], list[Any]], str]] = {
    "session context": (
        "createSession",
        lambda v: [{"templateName": VOICE, "context": v}],
        "$.input.context",
    ),
    "session templateParameters": (
        "createSession",
        lambda v: [{"templateName": VOICE, "templateParameters": {"customerName": "A", "x": v}}],
        "$.input.templateParameters.x",
    ),
    "tab templateParameters": (
        "createTab",
        lambda v: [{"templateName": "msdyn_search", "templateParameters": {"x": v}}],
        "$.input.templateParameters.x",
    ),
    "analytics payload": (
        "logAnalyticsEvent",
        lambda v: [{"conversationId": "c", "providerSessionId": "p", "events": [v]}, "E"],
        "$.data.events[0]",
    ),
    "analytics init": ("initLogAnalytics", lambda v: [{"x": v}], "$.data.x"),
    "record data": ("createRecord", lambda v: ["contact", {"lastname": v}], "$.data.lastname"),
    "custom event data": (
        "raiseEvent",
        lambda v: ["cifb_ping", {"x": v}],
        "$.eventInputParameters.x",
    ),
    "notification templateParameters": (
        "notifyEvent",
        lambda v: [
            {"templateName": "msdyn_chat_incoming_authenticated", "templateParameters": {"x": v}}
        ],
        "$.input.templateParameters.x",
    ),
    "updateContext input": ("updateContext", lambda v: [{"x": v}], "$.input.x"),
}


def refusal(bridge: Bridge, api: str, args: list[Any]) -> str:
    """Call once with a request id (so nothing else moves); assert nothing changed."""
    before = bridge.engine.snapshot_text()
    outcome = bridge.dispatcher.call(Caller(SOFTPHONE), api, args, "limits-1")
    assert not outcome.ok, f"{api} accepted an input past the limits"
    assert bridge.engine.snapshot_text() == before
    assert outcome.error is not None
    message: str = outcome.error["message"]
    return message


@pytest.mark.parametrize("where", FREE_FORM, ids=str)
def test_too_deep_a_value_is_refused_with_its_path(bridge: Bridge, where: str) -> None:
    bridge.create("Ana")
    api, args, path = FREE_FORM[where]
    message = refusal(bridge, api, args(nested(40)))
    assert message.startswith(f"{api}: {path}.a.a.a")
    assert message.endswith("nested deeper than 32 levels (limits.maxInputDepth)")


@pytest.mark.parametrize("where", FREE_FORM, ids=str)
def test_too_many_members_or_too_much_text_is_refused(bridge: Bridge, where: str) -> None:
    bridge.create("Ana")
    api, args, path = FREE_FORM[where]
    many = refusal(bridge, api, args(list(range(10_001))))
    assert many.startswith(f"{api}: {path}: more than 10000 members and elements")
    long = refusal(bridge, api, args("x" * 600_000))
    assert long.startswith(f"{api}: {path}: longer than 524288 characters of JSON")


def test_a_context_3000_levels_deep_is_answered_at_once(bridge: Bridge) -> None:
    message = refusal(bridge, "createSession", [{"templateName": VOICE, "context": nested(3000)}])
    assert "$.input.context.a.a" in message and "nested deeper than 32 levels" in message
    assert bridge.ok("getAllSessions") == []  # and the next call is served as usual


def test_values_within_the_limits_pass_untouched(bridge: Bridge) -> None:
    context = {"deep": nested(30), "list": list(range(5000)), "text": "y" * 100_000}
    session = bridge.ok("createSession", {"templateName": VOICE, "context": context})
    assert bridge.ok("getSession", session)["context"] == context


def test_json_text_arguments_are_bounded_like_objects(bridge: Bridge) -> None:
    deep_text = "[" * 3000 + "]" * 3000
    message = refusal(bridge, "createRecord", ["contact", deep_text])
    assert message == (
        "createRecord: $.data: holds JSON text nested deeper than 32 levels (limits.maxInputDepth)"
    )
    unbalanced = refusal(bridge, "raiseEvent", ["cifb_ping", "{" * 5000])
    assert "$.eventInputParameters: holds JSON text nested deeper" in unbalanced


def test_values_json_cannot_carry_are_refused(bridge: Bridge) -> None:
    context = {"ratio": float("nan")}
    message = refusal(bridge, "createSession", [{"templateName": VOICE, "context": context}])
    assert message == "createSession: $.input.context.ratio: is not a finite number"
    binary = refusal(bridge, "updateContext", [{"photo": b"\x89PNG"}])
    assert binary == "updateContext: $.input.photo: is bytes data, which is not a JSON value"


def test_the_limits_are_configurable(make_bridge: BridgeFactory) -> None:
    strict = make_bridge({"limits": {"maxInputDepth": 3, "maxInputItems": 5}})
    message = refusal(strict, "updateContext", [{"a": {"b": {"c": {}}}}])
    assert message == (
        "updateContext: $.input.a.b.c: nested deeper than 3 levels (limits.maxInputDepth)"
    )
    assert "more than 5 members" in refusal(strict, "updateContext", [{"a": [1, 2, 3, 4, 5]}])


def test_the_check_stops_at_the_first_value_past_a_bound() -> None:
    limits = InputLimits(max_depth=2, max_items=3, max_bytes=1024)
    assert input_problem({"a": [1, 2]}, limits) is None
    assert input_problem({"a": [[[]]]}, limits) == (
        "$.a[0][0]: nested deeper than 2 levels (limits.maxInputDepth)"
    )
    assert input_problem([1, 2, 3, 4], limits) == (
        "$: more than 3 members and elements in all (limits.maxInputItems)"
    )


def test_bounded_parsing_cuts_what_no_parser_could_read() -> None:
    deep = "[" * 5000 + "]" * 5000
    cut = loads_bounded(f'{{"a":{deep},"b":1}}', max_depth=3)
    assert cut == {"a": [[None]], "b": 1}
    assert loads_bounded('["[[[[", {"k": "]]]"}]', max_depth=2) == ["[[[[", {"k": "]]]"}]
    with pytest.raises(ValueError, match="nested deeper than 3 levels"):
        loads_bounded(deep, max_depth=3, refuse=True)
    with pytest.raises(ValueError, match="unbalanced"):
        loads_bounded("[" * 5000, max_depth=3)
    with pytest.raises(ValueError, match="too long"):
        loads_bounded("1" * 101)
