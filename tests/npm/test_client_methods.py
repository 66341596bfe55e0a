"""Every control route has a named method in the JS client, so the next route is not forgotten.

`call(name, ...)` reaches any route of the table, but a team reads the client's methods (and
their doc comments) to find what it can do: each route of api/control_routes.py must be called
by name from a method of npm/src/ (the client, the record store's, the conversation clients),
or be listed in ROUTES_WITHOUT_A_METHOD with the reason. And the JS client offers what the
Python BridgeClient offers, under the camelCase name.
"""

from __future__ import annotations

import inspect
import re
from collections.abc import Iterable, Mapping

from cifbridge.api.control_routes import ROUTES, Route
from cifbridge.clients.bridge import BridgeClient
from tests.npm.declarations import NPM_DIR

SOURCES = NPM_DIR / "src"
# The modules whose classes make up CifbridgeClient (it extends HarnessApi, which extends
# ControlApi): where BridgeClient's methods have their counterparts.
CLIENT_MODULES = ("client.ts", "harness.ts", "request.ts")

# Routes the JS client leaves to `call(name, ...)` on purpose, each with the reason. None today:
# add a route here only with a comment saying why no method should exist for it.
ROUTES_WITHOUT_A_METHOD: dict[str, str] = {}

# BridgeClient methods whose JS counterpart has another name, and why.
RENAMED = {
    # Python's request(method, path, body) is ControlApi.send(method, path, body) in JS:
    # `request` would read as the fetch Request it sends.
    "request": "send",
}


def without_comments(text: str) -> str:
    """Return TypeScript source without its comments (a route named in a comment is no method)."""
    return re.sub(r"//[^\n]*", "", re.sub(r"/\*.*?\*/", "", text, flags=re.DOTALL))


def client_sources() -> dict[str, str]:
    """Return the hand-written client modules by file name, comments removed."""
    return {
        path.name: without_comments(path.read_text(encoding="utf-8"))
        for path in sorted(SOURCES.glob("*.ts"))
        if path.name != "routes.generated.ts"
    }


def routes_called(sources: Iterable[str]) -> set[str]:
    """Return the route names the sources call by name: `.call("name"`."""
    return {name for text in sources for name in re.findall(r'\.call\(\s*"(\w+)"', text)}


def routes_without_a_method(
    routes: Iterable[Route], sources: Iterable[str], exempt: Mapping[str, str]
) -> list[str]:
    """Return the routes no method calls and no exemption names, in table order."""
    called = routes_called(sources)
    return [r.name for r in routes if r.name not in called and r.name not in exempt]


def methods_of(text: str) -> set[str]:
    """Return the names of the class members a TypeScript module declares (two-space indent)."""
    member = r"^  (?:async |get |static )*(\w+)\s*(?:<[^>\n]*>)?\("
    return set(re.findall(member, text, re.MULTILINE))


def camel_case(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(part.capitalize() for part in rest)


def test_every_route_has_a_named_method() -> None:
    missing = routes_without_a_method(ROUTES, client_sources().values(), ROUTES_WITHOUT_A_METHOD)
    assert missing == [], (
        "routes without a method in npm/src/ (add one mirroring the Python BridgeClient, or list"
        f" the route in ROUTES_WITHOUT_A_METHOD with the reason): {missing}"
    )


def test_every_exemption_is_a_route_without_a_method_and_says_why() -> None:
    names = {r.name for r in ROUTES}
    called = routes_called(client_sources().values())
    for name, reason in ROUTES_WITHOUT_A_METHOD.items():
        assert name in names, f"{name} is exempted but the route table has no such route"
        assert name not in called, f"{name} is exempted but a method calls it: drop the exemption"
        assert reason.strip(), f"{name} is exempted without a reason"


def test_a_route_added_to_the_table_without_a_method_is_reported() -> None:
    added = Route("listWidgets", "GET", "/api/widgets", "view", None, "Widgets", "value", "x")
    sources = client_sources().values()
    assert routes_without_a_method([*ROUTES, added], sources, {}) == ["listWidgets"]
    assert routes_without_a_method([*ROUTES, added], sources, {"listWidgets": "why"}) == []


def test_a_route_named_only_in_a_comment_has_no_method() -> None:
    text = '/** bridge.call("setFault") */\n// this.call("listFaults")\nthis.call("getClock");\n'
    assert routes_called([without_comments(text)]) == {"getClock"}


def test_the_client_has_every_method_of_the_python_bridge_client() -> None:
    sources = client_sources()
    offered = set().union(*(methods_of(sources[name]) for name in CLIENT_MODULES))
    python = [
        name
        for name, member in inspect.getmembers(BridgeClient)
        if not name.startswith("_") and (callable(member) or isinstance(member, property))
    ]
    wanted = {name: RENAMED.get(name, camel_case(name)) for name in python}
    missing = {name: js for name, js in wanted.items() if js not in offered}
    assert missing == {}, "BridgeClient methods without their JS counterpart (Python: JS)"
    # The counterparts found are the real ones, not a pattern that matches anything.
    assert {"setFault", "journalPage", "exportState", "answerDialog", "scriptTag"} <= offered
    assert "listFaults" not in offered
