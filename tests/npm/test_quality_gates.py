"""Quality gates for the JavaScript and TypeScript: Biome lint and tsc, with the pinned tools.

The shim, the workspace modules, the samples and the npm package must lint clean; the
declarations, their type-level tests, the typed sample widget and the README's TypeScript
example must compile. Each failure shows the tool's own output.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from tests.npm import tools
from tests.npm.declarations import NPM_DIR

LINTED = ("static/shim", "static/workspace", "static/samples", "npm")


@pytest.fixture(scope="module", autouse=True)
def npm_tools(pytestconfig: pytest.Config) -> None:
    tools.ensure_installed(tools.say_through(pytestconfig))


def linted_files() -> set[str]:
    """Return the files biome.jsonc means to lint, found independently of Biome."""
    found: set[str] = set()
    for folder in LINTED:
        for path in (tools.REPO_ROOT / folder).rglob("*"):
            parts = path.relative_to(tools.REPO_ROOT).parts
            if path.suffix in {".js", ".ts"} and not {"node_modules", "dist"} & set(parts):
                found.add("/".join(parts))
    return found


def test_biome_finds_nothing_in_the_browser_side_code() -> None:
    result = tools.run_tool("biome", "lint", "--error-on-warnings", "--verbose")
    assert result.returncode == 0, tools.report(result)
    # Biome skips what its includes miss without a word: make sure it saw every file.
    listed = set(re.findall(r"^\s+- (\S+\.(?:js|ts))$", result.stdout, re.MULTILINE))
    assert listed == linted_files(), tools.report(result)


def test_biome_fails_on_a_finding_in_a_sample(tmp_path: Path) -> None:
    # The gate is not vacuous: the same configuration flags loose equality in static/samples.
    shutil.copy(tools.REPO_ROOT / "biome.jsonc", tmp_path)
    sample = tmp_path / "static" / "samples" / "loose.js"
    sample.parent.mkdir(parents=True)
    sample.write_text("if (window.name == 1) {\n  window.close();\n}\n", encoding="utf-8")
    result = tools.run_tool("biome", "lint", "--error-on-warnings", cwd=tmp_path)
    assert result.returncode != 0, tools.report(result)
    finding = "static/samples/loose.js:1:17 lint/suspicious/noDoubleEquals"
    assert finding in result.stdout + result.stderr, tools.report(result)


def test_the_declarations_and_their_type_tests_compile() -> None:
    result = tools.run_tool("tsc", "-p", str(NPM_DIR))
    assert result.returncode == 0, tools.report(result)


def test_the_typed_widget_type_checks() -> None:
    result = tools.run_tool("tsc", "--noEmit", "-p", str(NPM_DIR / "examples" / "typed-widget"))
    assert result.returncode == 0, tools.report(result)


def test_the_typed_widget_compiles_to_a_module_without_imports(tmp_path: Path) -> None:
    result = tools.compile_typed_widget(tmp_path)
    assert result.returncode == 0, tools.report(result)
    emitted = (tmp_path / "widget.js").read_text(encoding="utf-8")
    # Type-only imports vanish, so the browser loads widget.js as is, with no bundler.
    assert "cifbridge" not in emitted.split("*/", 1)[1]
    assert "cif.createSession(input)" in emitted


def test_the_package_packs_the_declarations_and_the_compiled_client(tmp_path: Path) -> None:
    _, files = tools.pack(tmp_path)
    declarations = [f"types/{p.name}" for p in (NPM_DIR / "types").glob("*.d.ts")]
    # prepack compiles every module of src/ twice: ES modules and CommonJS, with declarations.
    modules = [p.name.removesuffix(".ts") for p in (NPM_DIR / "src").glob("*.ts")]
    compiled = [
        f"dist/{kind}/{module}{suffix}"
        for kind in ("esm", "cjs")
        for module in modules
        for suffix in (".js", ".d.ts")
    ]
    marks = ["dist/esm/package.json", "dist/cjs/package.json"]
    expected = ["README.md", "index.d.ts", "package.json", *declarations, *compiled, *marks]
    assert files == sorted(expected)


def test_the_readme_example_compiles_against_the_packed_package(tmp_path: Path) -> None:
    tarball, _ = tools.pack(tmp_path)
    project = tools.consumer_project(tmp_path / "widget", tools.readme_typescript_example())
    tools.install_tarball(tarball, project)
    result = tools.run_tool("tsc", "-p", str(project), cwd=project)
    assert result.returncode == 0, tools.report(result)
    emitted = (project / "dist" / "example.js").read_text(encoding="utf-8")
    assert "export" not in emitted, "a classic script, loaded before the library's tag"
