"""Compact JSON text (engine/base/json_text.py): the standard library's JSON, made faster."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import pytest

from cifbridge.engine.base.json_text import compact


def stdlib(value: Any, default: Any = None) -> str:
    return json.dumps(value, default=default, separators=(",", ":"), ensure_ascii=False)


@pytest.mark.parametrize(
    "value",
    [
        {"sessionId": "session-id-1", "focused": True, "context": None},
        {"customerName": "Ana María Ñúñez 山田", "emoji": "☎️"},
        [1, -2, 0.1, 1e16, 1764000000.123, 9_007_199_254_740_993, True, False, None, ""],
        {"nested": {"deep": [[{"a": [1, {"b": "c"}]}]]}, "tuple": (1, 2)},
        {1: "int key", 2.5: "float key", None: "null key"},
        'a "quoted" \\ text\n with\ttabs and \u2028 separators',
    ],
)
def test_the_text_is_the_standard_librarys_compact_json(value: Any) -> None:
    assert compact(value) == stdlib(value)
    assert json.loads(compact(value)) == json.loads(stdlib(value))


def test_a_float_with_a_small_exponent_may_be_written_another_way_with_the_same_value() -> None:
    values = [1.5e-7, 2.5e-10, -3e-5]
    assert compact(values) == "[1.5e-7,2.5e-10,-0.00003]"  # json.dumps: [1.5e-07,2.5e-10,-3e-05]
    assert json.loads(compact(values)) == values


def test_what_orjson_refuses_is_made_by_the_standard_library() -> None:
    huge = {"count": 2**70, "negative": -(2**65)}
    assert compact(huge) == '{"count":1180591620717411303424,"negative":-36893488147419103232}'


@dataclass
class Tab:
    id: str
    title: str


def test_dataclasses_go_through_default_as_with_json_dumps() -> None:
    def plain(value: object) -> dict[str, Any]:
        if isinstance(value, Tab):
            return {"kind": "tab", **vars(value)}
        raise TypeError(f"{type(value).__name__} is not JSON")

    value = {"tabs": [Tab("tab-id-1", "Ana")]}
    assert compact(value, plain) == stdlib(value, plain)
    assert compact(value, plain) == '{"tabs":[{"kind":"tab","id":"tab-id-1","title":"Ana"}]}'


def test_a_value_neither_knows_raises_what_default_raises() -> None:
    def plain(value: object) -> Any:
        raise TypeError(f"{type(value).__name__} is not part of the workspace state")

    with pytest.raises(TypeError, match="set is not part of the workspace state"):
        compact({"odd": {1, 2}}, plain)
