"""Build hook: put the socket.io-client browser bundle into the wheel and the sdist.

The bundle comes from the npm registry, pinned by package-lock.json, and is never committed.
Building from a checkout takes it from node_modules/socket.io-client (running `npm ci` when it
is missing or not the pinned version); the sdist carries it under vendor/socket.io-client/, so
a wheel built from the sdist needs neither npm nor network. The wheel gets it under
cifbridge/_data/socket.io-client/, where cifbridge.files.resources looks first. An editable
install gets nothing: it reads node_modules in the checkout.

Rules:
- the licence file travels with the bundle, always;
- building from an sdist never runs npm: a missing vendored bundle is an error.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

from hatchling.builders.hooks.plugin.interface import BuildHookInterface

PACKAGE = "socket.io-client"
VENDORED = f"vendor/{PACKAGE}"
IN_WHEEL = f"cifbridge/_data/{PACKAGE}"
# Where each shipped file sits in node_modules/socket.io-client.
FILES = {
    "socket.io.min.js": "dist/socket.io.min.js",
    "LICENSE": "LICENSE",
    "package.json": "package.json",
}


class BundleHook(BuildHookInterface):  # type: ignore[misc]
    """Add the bundle, its licence and its package.json to the artifact being built."""

    PLUGIN_NAME = "custom"

    def initialize(self, version: str, build_data: dict[str, Any]) -> None:
        """Map the bundle's files into the wheel or the sdist."""
        if self.target_name == "wheel" and version == "editable":
            return
        sources = self._sources()
        target = IN_WHEEL if self.target_name == "wheel" else VENDORED
        for name, source in sources.items():
            build_data["force_include"][str(source)] = f"{target}/{name}"

    def _sources(self) -> dict[str, Path]:
        root = Path(self.root)
        if (root / "PKG-INFO").is_file():  # an unpacked sdist
            vendored = {name: root / VENDORED / name for name in FILES}
            missing = [str(p) for p in vendored.values() if not p.is_file()]
            if missing:
                raise RuntimeError(f"this sdist lacks the {PACKAGE} bundle: {', '.join(missing)}")
            return vendored
        installed = root / "node_modules" / PACKAGE
        pinned = pinned_version(root)
        if installed_version(installed) != pinned:
            run_npm_ci(root, pinned)
        found = installed_version(installed)
        if found != pinned:
            raise RuntimeError(f"npm ci left {PACKAGE} {found}, package-lock.json pins {pinned}")
        return {name: installed / relative for name, relative in FILES.items()}


def pinned_version(root: Path) -> str:
    """Return the version of the package that package-lock.json pins."""
    lock = json.loads((root / "package-lock.json").read_text(encoding="utf-8"))
    version: str = lock["packages"][f"node_modules/{PACKAGE}"]["version"]
    return version


def installed_version(folder: Path) -> str | None:
    """Return the version installed in node_modules, or None when the bundle is incomplete."""
    if not all((folder / relative).is_file() for relative in FILES.values()):
        return None
    manifest = json.loads((folder / "package.json").read_text(encoding="utf-8"))
    version: str = manifest["version"]
    return version


def run_npm_ci(root: Path, pinned: str) -> None:
    """Install node_modules from package-lock.json, saying so (it takes a while)."""
    npm = shutil.which("npm")
    if npm is None:
        raise RuntimeError(
            f"building cifbridge from a checkout needs {PACKAGE} {pinned} from npm: install"
            " Node.js and npm (Debian: apt-get install npm), or build from the sdist"
        )
    print(f"cifbridge build: npm ci (installs {PACKAGE} {pinned} from package-lock.json)")
    subprocess.run([npm, "ci", "--no-audit", "--no-fund"], cwd=root, check=True)
