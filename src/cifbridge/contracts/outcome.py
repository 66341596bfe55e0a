"""The normalized outcome every path produces, and how it is held against a case's expectation.

Outcome forms (all plain JSON data, so paths compare with `==`-like strictness):
    {"resolves": <decoded value>, "encoding": "json"|"map"|"plain", "events": [...]}
    {"rejects": {"message": ..., "msdyn_name"?: ..., "errorCode"?: ...},
     "form": "client"|"host", "events": [...]}
    {"pending": true, "events": [...]}     a deferred call with no answer yet
    {"events": [...]}                      an agent action
    {"error": "<why the path could not play the case>"}
Each event is `{"name": ..., "data": <decoded from its JSON string>}`.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from typing import Any

from jsonschema import Draft202012Validator

from cifbridge.api.catalog import APIS
from cifbridge.api.validation import SchemaSet, describe
from cifbridge.contracts.cases import Call, Case

Outcome = dict[str, Any]
REPORT_TIME = "<UTC date>"
UTC_STRING = re.compile(
    r"(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d\d [A-Z][a-z]{2} \d{4} \d\d:\d\d:\d\d GMT"
)


def as_json(value: Any) -> Any:
    """Return `value` as the JSON data it serializes to (tuples become lists, and so on)."""
    return json.loads(json.dumps(value))


def resolved(value: Any, encoding: str, events: Sequence[Mapping[str, Any]]) -> Outcome:
    """Return the outcome of a call that resolved."""
    if encoding == "json" and isinstance(value, list | tuple):
        # The real library stringifies a converted Map, which turns an array into an object
        # keyed "0", "1", ... (reference §1.2); the shim does the same, so every path must.
        value = {str(index): item for index, item in enumerate(value)}
    return {"resolves": as_json(value), "encoding": encoding, "events": as_json(list(events))}


def rejected(error: Any, form: str, events: Sequence[Mapping[str, Any]]) -> Outcome:
    """Return the outcome of a call that rejected."""
    return {"rejects": _timeless(as_json(error)), "form": form, "events": as_json(list(events))}


def _timeless(error: Any) -> Any:
    # A Dataverse failure carries the time it happened; each path has its own clock, so a
    # well-formed reportTime is replaced by a marker (a malformed one stays, and fails).
    inner = error.get("value") if isinstance(error, dict) else None
    if not isinstance(inner, dict):
        return error
    stamp = inner.get("reportTime")
    if isinstance(stamp, str) and UTC_STRING.fullmatch(stamp):
        return {**error, "value": {**inner, "reportTime": REPORT_TIME}}
    return error


def pending(events: Sequence[Mapping[str, Any]]) -> Outcome:
    """Return the outcome of a deferred call that has no answer yet."""
    return {"pending": True, "events": as_json(list(events))}


def acted(events: Sequence[Mapping[str, Any]]) -> Outcome:
    """Return the outcome of an agent action: the events the widget received."""
    return {"events": as_json(list(events))}


def failed(reason: str) -> Outcome:
    """Return the outcome of a path that could not play the case at all."""
    return {"error": reason}


def same(left: Any, right: Any) -> bool:
    """Compare JSON values as JavaScript would see them: booleans are not numbers."""
    if isinstance(left, bool) or isinstance(right, bool):
        return type(left) is type(right) and left == right
    if isinstance(left, int | float) and isinstance(right, int | float):
        return left == right
    if isinstance(left, dict) and isinstance(right, dict):
        return left.keys() == right.keys() and all(same(left[k], right[k]) for k in left)
    if isinstance(left, list) and isinstance(right, list):
        return len(left) == len(right) and all(same(a, b) for a, b in zip(left, right, strict=True))
    return type(left) is type(right) and bool(left == right)


def show(value: Any) -> str:
    """Render a JSON value on one line for a failure message."""
    return json.dumps(value, sort_keys=True, ensure_ascii=False)


def check(case: Case, outcome: Outcome, schemas: SchemaSet) -> list[str]:
    """Return every way the outcome differs from what the case expects (empty: it passed)."""
    if "error" in outcome:
        return [str(outcome["error"])]
    expect = case.expect
    problems: list[str] = []
    if isinstance(case.subject, Call):
        problems.extend(_check_call(case.subject, expect, outcome, schemas))
    if "events" in expect and not same(expect["events"], outcome.get("events")):
        problems.append(f"events: expected {show(expect['events'])}, got {show(outcome['events'])}")
    return problems


def _check_call(
    call: Call, expect: Mapping[str, Any], outcome: Outcome, schemas: SchemaSet
) -> list[str]:
    spec = APIS[call.api]
    if "pending" in expect:
        if "pending" in outcome:
            return []
        return [f"expected the call to be still waiting, it settled: {show(outcome)}"]
    if "pending" in outcome:
        return ["expected the call to settle, it is still waiting for its answer"]
    if "rejects" in expect:
        return _check_rejection(expect["rejects"], spec.message_type, outcome)
    if "resolves" not in outcome:
        return [f"expected the call to resolve, it rejected: {show(_rejection_view(outcome))}"]
    problems = []
    if outcome["encoding"] != spec.encoding:
        problems.append(f"encoding: expected {spec.encoding}, got {outcome['encoding']}")
    value = outcome["resolves"]
    if "resolves" in expect and not same(expect["resolves"], value):
        problems.append(f"resolves: expected {show(expect['resolves'])}, got {show(value)}")
    if "resolvesLike" in expect:
        validator = Draft202012Validator(expect["resolvesLike"], registry=schemas.registry)
        problems.extend(f"resolvesLike: {describe(e)}" for e in validator.iter_errors(value))
    return problems


def _check_rejection(want: Mapping[str, Any], message_type: str, outcome: Outcome) -> list[str]:
    if "rejects" not in outcome:
        return [f"expected the call to reject, it resolved {show(outcome.get('resolves'))}"]
    got = _rejection_view(outcome)
    if "xrm" in want:
        xrm = {**want["xrm"], "reportTime": REPORT_TIME}
        wanted_xrm = {"value": xrm, "form": want["form"]}
        return (
            []
            if same(wanted_xrm, got)
            else [f"rejects: expected {show(wanted_xrm)}, got {show(got)}"]
        )
    if "hostMap" in want:
        wanted_map = {**want["hostMap"], "form": want["form"]}
        return (
            []
            if same(wanted_map, got)
            else [f"rejects: expected {show(wanted_map)}, got {show(got)}"]
        )
    wanted: dict[str, Any] = {"message": want["message"], "form": want["form"]}
    if want["form"] == "host":
        wanted["msdyn_name"] = want.get("msdyn_name", message_type)
    if "errorCode" in want:
        wanted["errorCode"] = want["errorCode"]
    if not same(wanted, got):
        return [f"rejects: expected {show(wanted)}, got {show(got)}"]
    return []


def _rejection_view(outcome: Outcome) -> dict[str, Any]:
    error = outcome.get("rejects")
    view = dict(error) if isinstance(error, dict) else {"value": error}
    view["form"] = outcome.get("form")
    return view


def disagreements(outcomes: Mapping[str, Outcome]) -> list[str]:
    """Return how each path's outcome differs from the first path's (empty: all agree)."""
    if not outcomes:
        return []
    names = list(outcomes)
    first = names[0]
    return [
        f"{first} and {name} disagree: {show(outcomes[first])} != {show(outcomes[name])}"
        for name in names[1:]
        if not same(outcomes[first], outcomes[name])
    ]
