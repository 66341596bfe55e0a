"""The engine is sans-I/O: it imports no transport, storage, event loop or filesystem module."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import cifbridge.engine

FORBIDDEN = {
    "aiohttp",
    "socketio",
    "engineio",
    "asyncio",
    "sqlite3",
    "redis",
    "socket",
    "os",
    "pathlib",
    "io",
    "time",
    "threading",
    "subprocess",
    "jsonschema",
    "yaml",
}


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module.split(".")[0])
    return names


def test_engine_sources_import_nothing_forbidden() -> None:
    package = Path(cifbridge.engine.__file__).parent
    offenders = {
        str(path.name): sorted(imported_modules(path) & FORBIDDEN)
        for path in package.rglob("*.py")
        if imported_modules(path) & FORBIDDEN
    }
    assert offenders == {}


def test_importing_the_engine_loads_no_io_module() -> None:
    probe = (
        "import sys; import cifbridge.engine; "
        "print(sorted(m for m in ('aiohttp','socketio','engineio','asyncio','sqlite3','redis',"
        "'jsonschema','yaml') if m in sys.modules))"
    )
    out = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True
    ).stdout
    assert out.strip() == "[]"
