"""The engine is sans-I/O and layered: config → base → dataverse → cif → omnichannel, views apart.

Each zone imports only the zones before it (and itself); the read models (views) import
config, base, dataverse and the zones' pure `queries` modules, never a feature's internals
(engine/views/__init__.py); nothing in the engine imports the transport, storage or files.
"""

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
# Allowed on purpose: defusedxml and xml.etree (dataverse/fetchxml.py) parse a string in memory
# and touch no file, socket or clock; defusedxml is there so DTDs and entities are refused.
ENGINE = Path(cifbridge.engine.__file__).parent
PREFIX = "cifbridge.engine."
# Zone -> the zones its modules may import from.
ALLOWED = {
    "config": {"config"},
    "base": {"config", "base"},
    "dataverse": {"config", "base", "dataverse"},
    "cif": {"config", "base", "dataverse", "cif"},
    "omnichannel": {"config", "base", "dataverse", "cif", "omnichannel"},
    "views": {"config", "base", "dataverse", "views"},
}
QUERIES = {"cifbridge.engine.cif.queries", "cifbridge.engine.omnichannel.queries"}
READ_ONLY = {"config", "base", "dataverse"}  # what a queries module may import besides QUERIES


def imports(path: Path) -> list[ast.Import | ast.ImportFrom]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return [n for n in ast.walk(tree) if isinstance(n, ast.Import | ast.ImportFrom)]


def imported_modules(path: Path) -> set[str]:
    names: set[str] = set()
    for node in imports(path):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif node.level == 0 and node.module:
            names.add(node.module.split(".")[0])
    return names


def imported_engine_modules(path: Path) -> set[str]:
    """Return every cifbridge module a file imports, by full name (relative ones as '.')."""
    names: set[str] = set()
    for node in imports(path):
        if isinstance(node, ast.Import):
            names.update(a.name for a in node.names if a.name.startswith("cifbridge"))
        elif node.level > 0:
            names.add("." * node.level + (node.module or ""))
        elif node.module and node.module.startswith("cifbridge"):
            # `from cifbridge.engine.cif import queries` imports a module too.
            names.update(f"{node.module}.{a.name}" for a in node.names)
    return names


def zone_of(module: str) -> str | None:
    """Return the zone a cifbridge module name lies in (None: outside the zones)."""
    if not module.startswith(PREFIX):
        return None
    zone = module.removeprefix(PREFIX).split(".")[0]
    return zone if zone in ALLOWED else None


def refused(zone: str, module: str, path: Path) -> bool:
    """Tell whether a module of `zone` (file `path`) may not import `module`."""
    queries = any(module == q or module.startswith(q + ".") for q in QUERIES)
    target = zone_of(module)
    if path.stem == "queries":
        return not queries and target not in READ_ONLY
    if queries and zone == "views":
        return False
    return target is None or target not in ALLOWED[zone]


def layering_offenders() -> dict[str, list[str]]:
    offenders: dict[str, list[str]] = {}
    for path in sorted(ENGINE.rglob("*.py")):
        relative = path.relative_to(ENGINE)
        if len(relative.parts) < 2:
            continue  # core.py, features.py and the package itself collect the zones
        zone = relative.parts[0]
        bad = sorted(m for m in imported_engine_modules(path) if refused(zone, m, path))
        if bad:
            offenders[str(relative)] = bad
    return offenders


def test_engine_sources_import_nothing_forbidden() -> None:
    offenders = {
        str(path.relative_to(ENGINE)): sorted(imported_modules(path) & FORBIDDEN)
        for path in ENGINE.rglob("*.py")
        if imported_modules(path) & FORBIDDEN
    }
    assert offenders == {}


def test_each_zone_imports_only_the_zones_before_it() -> None:
    assert layering_offenders() == {}


def test_the_layering_check_catches_what_it_forbids() -> None:
    views, base = ENGINE / "views" / "workspace.py", ENGINE / "base" / "state.py"
    queries = ENGINE / "cif" / "queries.py"
    assert refused("config", "cifbridge.engine.base.state", ENGINE / "config" / "agent.py")
    assert refused("base", "cifbridge.engine.dataverse.records", base)
    assert refused("dataverse", "cifbridge.engine.cif.tabs", ENGINE / "dataverse" / "odata.py")
    assert refused("cif", "cifbridge.engine.omnichannel.queries", ENGINE / "cif" / "tabs.py")
    assert refused("cif", "cifbridge.engine.views.workspace", ENGINE / "cif" / "tabs.py")
    assert refused("omnichannel", "cifbridge.engine.views", ENGINE / "omnichannel" / "elevation.py")
    assert refused("views", "cifbridge.engine.cif.notifications", views)
    assert refused("views", "cifbridge.engine.core", views)
    assert refused("views", "cifbridge.engine.Engine", views)
    assert refused("cif", "cifbridge.api.catalog", ENGINE / "cif" / "tabs.py")
    assert refused("cif", "cifbridge.engine.cif.tabs", queries)
    assert not refused("views", "cifbridge.engine.omnichannel.queries.link", views)
    assert not refused(
        "omnichannel", "cifbridge.engine.cif.queries", ENGINE / "omnichannel" / "x.py"
    )


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
