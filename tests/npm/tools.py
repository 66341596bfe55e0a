"""Run the npm package's pinned tools (TypeScript, Biome) from the tests.

npm/node_modules is installed with `npm ci` from npm/package-lock.json when it is missing or
older than the lock file, so a fresh checkout (and CI) gets exactly the pinned versions.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tarfile
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.npm.declarations import NPM_DIR

REPO_ROOT = NPM_DIR.parent
NODE_MODULES = NPM_DIR / "node_modules"
# npm writes this file on every install; its age tells whether the lock file changed since.
INSTALL_STAMP = NODE_MODULES / ".package-lock.json"
LOCK_FILE = NPM_DIR / "package-lock.json"
TOOL_SECONDS = 300


def needs_install() -> bool:
    """Tell whether npm/node_modules is missing or older than the lock file."""
    if not INSTALL_STAMP.exists():
        return True
    return INSTALL_STAMP.stat().st_mtime < LOCK_FILE.stat().st_mtime


def ensure_installed(say: Callable[[str], None]) -> None:
    """Run `npm ci` in npm/ when needed, saying so; fail with npm's output if it fails."""
    if not needs_install():
        return
    npm = shutil.which("npm")
    if npm is None:
        raise RuntimeError("npm is not on PATH; the JavaScript quality gates need Node.js and npm")
    say(f"cifbridge: installing the npm package's pinned tools (npm ci in {NPM_DIR})")
    command = [npm, "ci", "--no-audit", "--no-fund", "--loglevel=error"]
    result = subprocess.run(
        command, cwd=NPM_DIR, capture_output=True, text=True, timeout=TOOL_SECONDS, check=False
    )
    if result.returncode != 0:
        raise RuntimeError(f"npm ci failed ({result.returncode}):\n{result.stdout}{result.stderr}")


def run_tool(
    tool: str, *args: str, cwd: Path = REPO_ROOT, stdin: str = ""
) -> subprocess.CompletedProcess[str]:
    """Run npm/node_modules/.bin/<tool> with `args`; never raises on a non-zero exit."""
    executable = NODE_MODULES / ".bin" / tool
    env = {**os.environ, "NO_COLOR": "1"}
    return subprocess.run(
        [str(executable), *args],
        cwd=cwd,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=TOOL_SECONDS,
        check=False,
        env=env,
    )


def report(result: subprocess.CompletedProcess[str]) -> str:
    """Return a failed tool run's command line and output, for an assertion message."""
    command = " ".join(str(part) for part in result.args)
    return f"$ {command}\nexit {result.returncode}\n{result.stdout}{result.stderr}"


def compile_typed_widget(out_dir: Path) -> subprocess.CompletedProcess[str]:
    """Compile the typed sample widget into `out_dir` (widget.js)."""
    project = NPM_DIR / "examples" / "typed-widget"
    return run_tool("tsc", "-p", str(project), "--outDir", str(out_dir))


def say_through(config: pytest.Config) -> Callable[[str], None]:
    """Return a function that prints a line past pytest's output capture."""
    capture = config.pluginmanager.get_plugin("capturemanager")

    def say(text: str) -> None:
        if capture is None:
            print(text, file=sys.stderr)
            return
        with capture.global_and_fixture_disabled():
            print(f"\n{text}", file=sys.stderr)

    return say


def pack(destination: Path) -> tuple[Path, list[str]]:
    """Run `npm pack` into `destination`; return the tarball and the paths it holds."""
    npm = shutil.which("npm") or "npm"
    command = [npm, "pack", "--json", "--pack-destination", str(destination)]
    result = subprocess.run(
        command, cwd=NPM_DIR, capture_output=True, text=True, timeout=TOOL_SECONDS, check=False
    )
    assert result.returncode == 0, report(result)
    (packed,) = json.loads(result.stdout)
    return destination / packed["filename"], sorted(f["path"] for f in packed["files"])


def install_tarball(tarball: Path, project: Path) -> Path:
    """Unpack an npm tarball as <project>/node_modules/cifbridge, as `npm install` lays it."""
    target = project / "node_modules" / "cifbridge"
    target.mkdir(parents=True)
    with tarfile.open(tarball) as archive:
        for member in archive.getmembers():
            if not member.isfile():
                continue
            source = archive.extractfile(member)
            assert source is not None
            path = target / member.name.removeprefix("package/")
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(source.read())
    return target


def readme_typescript_example() -> str:
    """Return the first TypeScript code block of the README's "TypeScript" section."""
    readme = (REPO_ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("\n## TypeScript\n", 1)[1].split("\n## ", 1)[0]
    return section.split("```ts\n", 1)[1].split("\n```", 1)[0] + "\n"


def consumer_project(project: Path, code: str) -> Path:
    """Write a widget project holding `code` as example.ts, with a consumer's strict tsconfig."""
    project.mkdir(parents=True, exist_ok=True)
    (project / "example.ts").write_text(code, encoding="utf-8")
    config = {
        "compilerOptions": {
            "target": "es2022",
            "lib": ["es2022", "dom"],
            "strict": True,
            "types": [],
            "outDir": "dist",
        },
        "files": ["example.ts"],
    }
    (project / "tsconfig.json").write_text(json.dumps(config, indent=2), encoding="utf-8")
    return project
