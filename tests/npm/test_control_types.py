"""The JS client's view of the control API is generated from the route table and stays in step.

npm/src/routes.generated.ts must be exactly what `python -m cifbridge.api.control_typescript`
makes of today's route table and body schemas (a route, a body field or a summary changed
without regenerating fails here), and the conversion keeps what a caller relies on: required
and optional fields, nullable types, closed and open objects. The hand-written answer types
must cover every answer kind of the table (tsc fails otherwise; this says which is missing).
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

import cifbridge
from cifbridge.api import control_typescript
from cifbridge.api.control_routes import ANSWERS, ROUTES, Route
from tests.npm import tools
from tests.npm.declarations import NPM_DIR

GENERATED = NPM_DIR / "src" / "routes.generated.ts"
PROBE_OPTIONS = {
    "target": "es2022",
    "module": "es2022",
    "moduleResolution": "bundler",
    "lib": ["es2022", "dom"],
    "strict": True,
}


def test_the_committed_file_is_what_the_generator_makes() -> None:
    fresh = control_typescript.generate()
    regenerate = "python -m cifbridge.api.control_typescript --write"
    assert GENERATED.read_text(encoding="utf-8") == fresh, f"stale: run `{regenerate}`"


def test_the_module_prints_the_same_text() -> None:
    printed = subprocess.run(
        [sys.executable, "-m", "cifbridge.api.control_typescript"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert printed == control_typescript.generate()


def test_every_route_is_listed_by_name_with_its_method_path_and_body() -> None:
    text = GENERATED.read_text(encoding="utf-8")
    table = text.split("export const ROUTES = {", 1)[1].split("} as const;", 1)[0]
    listed = re.findall(r"^  (\w+): \{ method: \"(\w+)\", path: \"([^\"]+)\"", table, re.MULTILINE)
    assert listed == [(r.name, r.method, r.path) for r in ROUTES]
    bodies = text.split("export interface RouteBodies {", 1)[1].split("}", 1)[0]
    assert re.findall(r"^  (\w+):", bodies, re.MULTILINE) == [r.name for r in ROUTES if r.body]


def test_a_new_route_appears_in_the_generated_table() -> None:
    added = Route("listFaults", "GET", "/api/faults/{api}", "view", None, "Faults", "value", "x")
    text = control_typescript.generate([*ROUTES, added])
    entry = 'listFaults: { method: "GET", path: "/api/faults/{api}", params: ["api"], body: false }'
    assert entry in text
    assert 'listFaults: Answers["value"];' in text


# Answer kinds of routes that other changes add to the table (state export and the OpenAPI
# document; faults), typed ahead in answers.ts. Drop a kind from here once the table has it.
PENDING_KINDS: frozenset[str] = frozenset()


def test_the_generated_routes_are_the_openapi_operations() -> None:
    # The OpenAPI document (another change adds it) is built from the same table and schemas:
    # once it is here, its operations and body schemas must be the generated ones, by name.
    openapi = pytest.importorskip("cifbridge.api.openapi")
    document = openapi.build_openapi(cifbridge.__version__)
    operations = {
        (operation["operationId"], method.upper(), path)
        for path, item in document["paths"].items()
        for method, operation in item.items()
        if isinstance(operation, dict) and "operationId" in operation
    }
    assert operations == {(r.name, r.method, r.path) for r in ROUTES}
    components = {name for name in document["components"]["schemas"] if name.endswith("Body")}
    generated = re.findall(r"^export type (\w+Body) =", GENERATED.read_text(), re.MULTILINE)
    assert components == set(generated)


def test_every_answer_kind_has_a_type() -> None:
    answers = (NPM_DIR / "src" / "answers.ts").read_text(encoding="utf-8")
    block = answers.split("export interface Answers {", 1)[1].split("\n}\n", 1)[0]
    typed = set(re.findall(r"^  (\w+):", block, re.MULTILINE))
    assert set(ANSWERS) - typed == set(), "answer kinds without a type in npm/src/answers.ts"
    assert typed - set(ANSWERS) <= PENDING_KINDS, "types of answer kinds the table does not have"


@pytest.mark.parametrize(
    ("schema", "expected"),
    [
        ({"type": "string"}, "string"),
        ({"type": ["string", "null"]}, "string | null"),
        ({"enum": ["continue", "new"]}, '"continue" | "new"'),
        ({"type": "array", "items": {"type": "integer"}}, "Array<number>"),
        ({"type": "object", "additionalProperties": False}, "Record<string, never>"),
        ({"type": "object"}, "{\n  [key: string]: unknown;\n}"),
        (
            {
                "type": "object",
                "properties": {"seconds": {"type": "number"}, "odd-name": {"type": "boolean"}},
                "required": ["seconds"],
                "additionalProperties": False,
            },
            '{\n  seconds: number;\n  "odd-name"?: boolean;\n}',
        ),
        ({"description": "anything"}, "unknown"),
    ],
)
def test_json_schema_becomes_the_typescript_a_caller_expects(
    schema: dict[str, object], expected: str
) -> None:
    assert control_typescript.ts_type(schema) == expected


@pytest.fixture(scope="module")
def npm_tools(pytestconfig: pytest.Config) -> None:
    tools.ensure_installed(tools.say_through(pytestconfig))


def test_the_client_sources_compile(npm_tools: None) -> None:
    result = tools.run_tool("tsc", "-p", str(NPM_DIR / "tsconfig.build.json"), "--noEmit")
    assert result.returncode == 0, tools.report(result)


def test_a_route_called_with_a_wrong_body_does_not_compile(npm_tools: None, tmp_path: Path) -> None:
    # Route names and bodies are types, not strings: a typo or a wrong field is a compile error.
    client = (NPM_DIR / "src" / "client.js").as_posix()
    probe = tmp_path / "probe.ts"
    probe.write_text(
        f'import {{ CifbridgeClient }} from "{client}";\n'
        "const bridge = new CifbridgeClient('http://127.0.0.1:1');\n"
        'void bridge.call("advanceClock", { body: { seconds: "soon" } });\n'
        'void bridge.call("advanceClok");\n'
        'void bridge.call("advanceClock", { body: { seconds: 5 } });\n',
        encoding="utf-8",
    )
    options = {**PROBE_OPTIONS, "noEmit": True, "types": []}
    config = {"compilerOptions": options, "files": [str(probe)]}
    (tmp_path / "tsconfig.json").write_text(json.dumps(config), encoding="utf-8")
    result = tools.run_tool("tsc", "-p", str(tmp_path), cwd=tmp_path)
    errors = re.findall(r"probe\.ts\((\d+),", result.stdout)
    assert sorted(set(errors)) == ["3", "4"], tools.report(result)
