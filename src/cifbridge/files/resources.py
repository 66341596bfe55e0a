"""Locate the data the bridge ships (schemas, contracts, static files, npm packages).

In a wheel they live under `cifbridge/_data/`; in a source checkout (editable install) they are
the top-level folders of the repository. Neither depends on the working directory.
"""

from __future__ import annotations

import os
from pathlib import Path

_PACKAGE_DIR = Path(__file__).resolve().parents[1]
_REPO_ROOT = _PACKAGE_DIR.parents[1]


def data_dir(name: str) -> Path:
    """Return the folder of shipped data called `name` ("schemas", "contracts", "static")."""
    bundled = _PACKAGE_DIR / "_data" / name
    if bundled.is_dir():
        return bundled
    return _REPO_ROOT / name


def node_modules_dir() -> Path:
    """Return where the npm packages were installed (CIFBRIDGE_NODE_MODULES overrides)."""
    override = os.environ.get("CIFBRIDGE_NODE_MODULES")
    if override:
        return Path(override)
    return _REPO_ROOT / "node_modules"


def default_config_path() -> Path:
    """Return the bundled default workspace configuration."""
    return _PACKAGE_DIR / "defaults" / "workspace.yaml"
