"""The TypeScript declarations and the API catalog describe the same Microsoft.CIFramework.

A function added to the catalog (so the shim defines it) without a declaration, or declared
without the catalog knowing it, fails here; so do parameter names or order that differ from
the catalog's, results typed against the catalog's encoding, and event names that drift from
the built-in events.
"""

from __future__ import annotations

import json
import re
from functools import cache

import pytest

import cifbridge
from cifbridge.api.catalog import APIS, BUILT_IN_EVENTS
from tests.npm import declarations
from tests.npm.declarations import NPM_DIR, Signature

# What each catalog encoding resolves with (reference §1.2).
ENCODED_RESULTS = {"json": "Promise<string>", "map": "Promise<Map<string, any>>"}


@cache
def declared() -> dict[str, list[Signature]]:
    return declarations.functions(declarations.declaration_sources())


def is_subsequence(names: tuple[str, ...], of: tuple[str, ...]) -> bool:
    remaining = iter(of)
    return all(name in remaining for name in names)


def test_every_catalogued_function_is_declared() -> None:
    assert sorted(set(APIS) - set(declared())) == []


def test_only_catalogued_functions_are_declared() -> None:
    # Every function of the real library (reference §2, §2.11) is in the catalog now.
    assert sorted(set(declared()) - set(APIS)) == []


@pytest.mark.parametrize("api", sorted(APIS))
def test_parameters_follow_the_catalog(api: str) -> None:
    catalogued = APIS[api].params
    overloads = [s.params for s in declared().get(api, [])]
    # The library's signature is the catalog's; a docs variant (requestFocusSession's
    # (sessionId, correlationId), §8.3) drops parameters but never reorders them.
    assert catalogued in overloads, f"{api}: declared {overloads}, catalog {catalogued}"
    assert all(is_subsequence(o, catalogued) for o in overloads), overloads


@pytest.mark.parametrize("api", sorted(a for a, s in APIS.items() if s.encoding != "plain"))
def test_encoded_results_are_typed_as_the_shim_resolves_them(api: str) -> None:
    expected = ENCODED_RESULTS[APIS[api].encoding]
    assert {s.returns for s in declared()[api]} == {expected}


def test_correlation_id_is_always_optional() -> None:
    text = declarations.declaration_sources()
    required = re.findall(r"\bfunction\s+(\w+)\([^;]*\bcorrelationId:", text)
    # Only the docs' requestFocusSession(sessionId, correlationId) names it without "?".
    assert required == ["requestFocusSession"]


def test_the_event_names_are_the_built_in_events() -> None:
    text = declarations.declaration_sources()
    assert declarations.string_union(text, "BuiltInEventName") == set(BUILT_IN_EVENTS)
    assert declarations.interface_keys(text, "EventData") == set(BUILT_IN_EVENTS)


def test_index_exports_every_named_type() -> None:
    names = set(declarations.named_types(declarations.declaration_sources()))
    names.discard("WindowEventMap")  # a global augmentation, not a CIF type
    index = declarations.source(NPM_DIR / "index.d.ts")
    exported = set(re.findall(r"export type (\w+) = Microsoft\.CIFramework\.\1;", index))
    assert sorted(names - exported) == []
    assert sorted(exported - names) == []


def test_index_references_every_declaration_file() -> None:
    index = (NPM_DIR / "index.d.ts").read_text(encoding="utf-8")
    referenced = set(re.findall(r'/// <reference path="\./types/([\w.-]+)" />', index))
    assert referenced == {p.name for p in (NPM_DIR / "types").glob("*.d.ts")}


def test_the_package_is_cifbridge_at_the_python_version() -> None:
    package = json.loads((NPM_DIR / "package.json").read_text(encoding="utf-8"))
    assert package["name"] == "cifbridge"
    # pyproject takes its version from the package (hatch's dynamic version).
    assert package["version"] == cifbridge.__version__
    assert package["types"] == "./index.d.ts"
    assert {"index.d.ts", "types/"} <= set(package["files"])
    pinned = package["devDependencies"]
    assert {"typescript", "@biomejs/biome"} <= set(pinned)
    assert all(re.fullmatch(r"\d+\.\d+\.\d+", v) for v in pinned.values()), pinned
