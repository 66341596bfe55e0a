"""Edge diagnostics: what the raw positional arguments of a call reveal before anything runs.

The engine's own checks (templates, presences, events, parameters, slugs) live in
engine/base/diagnostics.py; these need the arguments as the widget passed them, or the input
schemas, so they run here. None of them changes what the call does (see that module's rules).
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Mapping, Sequence
from typing import Any

from cifbridge.api.validation import SchemaSet
from cifbridge.engine.base.diagnostics import Diagnostic
from cifbridge.engine.config.names import did_you_mean

# Functions whose first argument is an input object the real library reads fields off.
INPUT_APIS = ("createSession", "createTab", "createTabInHomeSession", "notifyEvent")
# Keys the 2020 library reads from notifyEvent's input besides those the schema checks.
_READ_BUT_UNCHECKED = {"notifyEvent": ("eventType", "templateNameResolver", "notificationUXObject")}
_GUID = re.compile(r"^\{?[0-9a-fA-F]{8}(-[0-9a-fA-F]{4}){3}-[0-9a-fA-F]{12}\}?$")


def edge_warnings(schemas: SchemaSet, api: str, args: Sequence[Any]) -> list[Diagnostic]:
    """Return the warnings the raw arguments of one call deserve."""
    first = args[0] if args else None
    if api in INPUT_APIS and isinstance(first, str):
        return [_input_as_string(api, first)]
    if api in INPUT_APIS and isinstance(first, Mapping):
        return _unknown_keys(api, first, input_keys(schemas, api))
    if api == "requestFocusSession" and len(args) > 1 and isinstance(args[1], str):
        return [_count_as_string(args[1])]
    return []


def _input_as_string(api: str, text: str) -> Diagnostic:
    try:
        parsed = json.loads(text)
    except ValueError:
        parsed = None
    what = "a JSON string" if isinstance(parsed, dict) else "a string"
    return Diagnostic(
        "input-as-json-string",
        f"{api}: the input is {what}; the real library reads templateName and"
        " templateParameters off an object and loses them: pass the object itself"
        " (without JSON.stringify)",
    )


def _unknown_keys(api: str, given: Mapping[str, Any], known: frozenset[str]) -> list[Diagnostic]:
    if not known:
        return []
    return [
        Diagnostic(
            "unknown-input-key",
            f"{api}: input.{key} is not a key the real library reads{did_you_mean(key, known)};"
            " it is ignored",
        )
        for key in given
        if key not in known
    ]


def _count_as_string(value: str) -> Diagnostic:
    what = "a GUID" if _GUID.match(value) else "a string"
    return Diagnostic(
        "focus-count-not-number",
        f"requestFocusSession: the second argument is {what}, but the real library reads it as"
        " messagesCount (sessionId, messagesCount, correlationId); pass"
        " (sessionId, undefined, correlationId) or a number",
    )


@functools.cache
def _input_keys_cached(schemas: SchemaSet, api: str) -> frozenset[str]:
    schema = schemas.schemas.get(f"urn:cifbridge:api:{api}", {})
    node: Mapping[str, Any] = schema.get("properties", {}).get("input", {})
    ref = node.get("$ref")
    if isinstance(ref, str):
        base = schema.get("$id", "")
        target = ref if not ref.startswith("#") else base + ref
        node = schemas.registry.resolver().lookup(target).contents
    keys = set(node.get("properties", {})) | set(_READ_BUT_UNCHECKED.get(api, ()))
    return frozenset(keys)


def input_keys(schemas: SchemaSet, api: str) -> frozenset[str]:
    """Return the top-level input keys the real library reads for `api` (from its schema)."""
    return _input_keys_cached(schemas, api)
