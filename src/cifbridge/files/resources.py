"""Locate the data the bridge ships (schemas, contracts, static files, the socket.io-client bundle).

In an installed wheel they live under `cifbridge/_data/` (the build hook puts the npm bundle
there too, as `_data/socket.io-client/`); in a source checkout (editable install) they are the
top-level folders of the repository and `node_modules/`. Neither depends on the working
directory.
"""

from __future__ import annotations

import os
from pathlib import Path

_PACKAGE_DIR = Path(__file__).resolve().parents[1]
_REPO_ROOT = _PACKAGE_DIR.parents[1]
_BUNDLE = "socket.io.min.js"


class MissingResource(FileNotFoundError):
    """A file the bridge serves is not where the installation should have put it."""


def data_dir(name: str) -> Path:
    """Return the folder of shipped data called `name` ("schemas", "contracts", "static")."""
    bundled = _PACKAGE_DIR / "_data" / name
    if bundled.is_dir():
        return bundled
    return _REPO_ROOT / name


def socket_io_client_path() -> Path:
    """Return the socket.io-client bundle (CIFBRIDGE_NODE_MODULES, the wheel's, the checkout's)."""
    override = os.environ.get("CIFBRIDGE_NODE_MODULES")
    if override:
        return Path(override) / "socket.io-client" / "dist" / _BUNDLE
    bundled = _PACKAGE_DIR / "_data" / "socket.io-client" / _BUNDLE
    if bundled.is_file() or not is_checkout():
        return bundled
    return _REPO_ROOT / "node_modules" / "socket.io-client" / "dist" / _BUNDLE


def read_socket_io_client() -> str:
    """Read the socket.io-client bundle, or explain how to get it."""
    path = socket_io_client_path()
    if path.is_file():
        return path.read_text(encoding="utf-8")
    if is_checkout() and not os.environ.get("CIFBRIDGE_NODE_MODULES"):
        fix = "run `npm ci` in the cifbridge checkout"
    else:
        fix = "reinstall cifbridge from a wheel or sdist built with `python -m build`"
    raise MissingResource(
        f"the socket.io-client bundle is missing ({path}); {fix}"
        " (or set CIFBRIDGE_NODE_MODULES to a node_modules folder holding socket.io-client)"
    )


def is_checkout() -> bool:
    """Tell whether cifbridge runs from its source checkout (an editable install)."""
    return (_REPO_ROOT / "pyproject.toml").is_file() and (_REPO_ROOT / "schemas").is_dir()


def default_config_path() -> Path:
    """Return the bundled default workspace configuration."""
    return _PACKAGE_DIR / "defaults" / "workspace.yaml"
