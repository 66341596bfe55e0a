"""The npm package as a widget team uses it: packed, installed in an outside project, run by Node.

One JavaScript project per session, in a temporary folder outside the checkout, installs the
`npm pack` tarball and @playwright/test (one `npm install`), holds the README's JavaScript
examples exactly as printed plus the specs of tests/package/js/, and runs them with the Python
package installed from the wheel in a fresh virtualenv (its `cifbridge` first on PATH) and
Debian's Chromium: the client from ES modules and CommonJS, Playwright Test with a bridge per
worker and with one bridge from the globalSetup, and tsc over the TypeScript the team writes.
"""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

import pytest

from tests.npm import tools
from tests.package.conftest import Installed
from tests.package.readme_examples import Example, write_js_project

pytestmark = [pytest.mark.package, pytest.mark.timeout(900)]
WHEEL = pytest.mark.parametrize("installed", ["wheel"], indirect=True)
KIT = sorted((Path(__file__).parent / "js").glob("*.spec.ts"))
NPM_PACKAGE = json.loads((tools.NPM_DIR / "package.json").read_text(encoding="utf-8"))
# What the team's project installs besides the tarball, at the versions the package is built with.
PROJECT_DEPENDENCIES = ("@playwright/test", "@types/node")
CONSUMER_TSCONFIG = {
    "compilerOptions": {
        "target": "es2022",
        "module": "esnext",
        "moduleResolution": "bundler",
        "lib": ["es2022", "dom"],
        "types": ["node", "cifbridge"],
        "strict": True,
        "noEmit": True,
        "skipLibCheck": False,
    },
    "include": ["**/*.ts"],
    "exclude": ["node_modules"],
}
CJS_SCRIPT = """
const { CifbridgeError } = require("cifbridge/client");
const { startBridge } = require("cifbridge/process");
(async () => {
  const bridge = await startBridge();
  const answer = await bridge.client.closeSession("session-id-0").catch((error) => error);
  console.log(answer instanceof CifbridgeError, answer.status, answer.body.error.message);
  await bridge.stop();
})();
"""


class JsProject:
    """The team's project: its folder and the README examples written into it."""

    def __init__(self, root: Path, examples: list[Example]) -> None:
        self.root = root
        self.examples = examples

    def run(self, installed: Installed, *command: str, timeout: float = 600) -> str:
        """Run a command in the project with the virtualenv's cifbridge on PATH; return output."""
        done = subprocess.run(
            list(command),
            cwd=self.root,
            env={**installed.env, "NO_COLOR": "1"},
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
        output = done.stdout + done.stderr
        assert done.returncode == 0, f"{' '.join(command)} exited {done.returncode}:\n{output}"
        return output

    def tool(self, name: str) -> str:
        return str(self.root / "node_modules" / ".bin" / name)

    def bridge_urls(self) -> dict[str, set[str]]:
        """Return the bridge URLs the kit's tests noted, by worker."""
        folder = self.root / "bridge-urls"
        return {p.stem: set(p.read_text().split()) for p in sorted(folder.glob("*.url"))}


@pytest.fixture(scope="session")
def js_project(pytestconfig: pytest.Config, tmp_path_factory: pytest.TempPathFactory) -> JsProject:
    """Pack the package and install it with @playwright/test into a project of its own, once."""
    tools.ensure_installed(tools.say_through(pytestconfig))
    root = tmp_path_factory.mktemp("widget-team")
    tarball, _ = tools.pack(root)
    pins = {name: NPM_PACKAGE["devDependencies"][name] for name in PROJECT_DEPENDENCIES}
    manifest = {"name": "widget-team", "private": True, "type": "module"}
    manifest["devDependencies"] = {"cifbridge": f"file:./{tarball.name}", **pins}
    (root / "package.json").write_text(json.dumps(manifest, indent=2), encoding="utf-8")
    (root / "tsconfig.json").write_text(json.dumps(CONSUMER_TSCONFIG, indent=2), encoding="utf-8")
    examples = write_js_project(root)
    for spec in KIT:
        (root / "tests" / spec.name).write_text(spec.read_text(encoding="utf-8"), encoding="utf-8")
    install = ["npm", "install", "--no-audit", "--no-fund", "--loglevel=error"]
    done = subprocess.run(install, cwd=root, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, f"npm install failed:\n{done.stdout}{done.stderr}"
    return JsProject(root, examples)


def spec_tests(project: JsProject) -> int:
    """Count the Playwright tests the project's spec files declare."""
    specs = [e.text for e in project.examples if e.target.endswith(".spec.ts")]
    specs += [spec.read_text(encoding="utf-8") for spec in KIT]
    return sum(len(re.findall(r"^\s*test\(", text, re.MULTILINE)) for text in specs)


def test_the_package_has_no_runtime_dependencies() -> None:
    assert "dependencies" not in NPM_PACKAGE
    assert NPM_PACKAGE["peerDependenciesMeta"]["@playwright/test"] == {"optional": True}


@WHEEL
def test_the_readme_client_example_runs_with_node(
    installed: Installed, js_project: JsProject
) -> None:
    output = js_project.run(installed, "node", "agent.mjs")
    assert output.splitlines() == ["Home, Ana", "409 The Home session cannot be closed"]


@WHEEL
def test_the_client_loads_from_commonjs(installed: Installed, js_project: JsProject) -> None:
    output = js_project.run(installed, "node", "--input-type=commonjs", "-e", CJS_SCRIPT)
    assert output.strip() == "true 409 The Home session cannot be closed"


@WHEEL
def test_the_playwright_suite_passes_with_a_bridge_per_worker(
    installed: Installed, js_project: JsProject
) -> None:
    output = js_project.run(installed, js_project.tool("playwright"), "test", "--workers", "2")
    assert re.search(rf"^\s*{spec_tests(js_project)} passed", output, re.MULTILINE), output
    urls = js_project.bridge_urls()
    assert sorted(urls) == ["worker-0", "worker-1"], output
    assert all(len(noted) == 1 for noted in urls.values()), urls  # one bridge a worker, kept
    assert urls["worker-0"] != urls["worker-1"]


@WHEEL
def test_the_global_setup_serves_one_bridge_to_the_whole_run(
    installed: Installed, js_project: JsProject
) -> None:
    for noted in (js_project.root / "bridge-urls").glob("*.url"):
        noted.unlink()
    config = "playwright.shared.config.ts"
    run = [js_project.tool("playwright"), "test", "--config", config, "--workers", "2"]
    output = js_project.run(installed, *run)
    assert re.search(rf"^\s*{spec_tests(js_project)} passed", output, re.MULTILINE), output
    urls = js_project.bridge_urls()
    assert sorted(urls) == ["worker-0", "worker-1"], output  # both workers ran tests ...
    assert len(set().union(*urls.values())) == 1, urls  # ... on the one bridge, an agent a test


def test_the_typescript_the_team_writes_type_checks(js_project: JsProject) -> None:
    # The pinned tsc of the package, over the README's specs, configs and the kit.
    result = tools.run_tool("tsc", "-p", str(js_project.root), cwd=js_project.root)
    assert result.returncode == 0, tools.report(result)
