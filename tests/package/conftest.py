"""The package as its users get it: built once per session, installed into fresh virtualenvs.

`dist` builds the sdist and the wheel from this checkout with `python -m build` (the README's
command). `wheelhouse` holds wheels of every pinned dependency, made once and kept in the user
cache, so each fresh virtualenv installs offline (`--no-index`) in seconds. `installed` is a
virtualenv in a temporary folder outside the checkout, with the wheel, or with the sdist (pip
builds it, without npm and without network), plus pytest, pytest-xdist and pytest-playwright
for the outside sample project.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
VERSION = "0.1.0"
# What the sample project needs besides cifbridge; pytest-playwright is the one not in dev deps.
SAMPLE_TOOLS = ("pytest", "pytest-xdist", "playwright")
PYTEST_PLAYWRIGHT = "pytest-playwright==0.10.0"
BUILD_SECONDS = 600


def pinned(names: tuple[str, ...]) -> list[str]:
    """Return the dev dependency pins of these packages."""
    dev = PYPROJECT["project"]["optional-dependencies"]["dev"]
    return [pin for pin in dev if pin.split("==")[0] in names]


def tools() -> list[str]:
    """Return what the sample project's virtualenv gets besides cifbridge."""
    return [*pinned(SAMPLE_TOOLS), PYTEST_PLAYWRIGHT]


def run(command: list[str], env: Mapping[str, str] | None = None, cwd: Path | None = None) -> str:
    """Run a command; fail with its output when it fails."""
    done = subprocess.run(
        command, env=env, cwd=cwd, capture_output=True, text=True, timeout=BUILD_SECONDS
    )
    if done.returncode != 0:
        pytest.fail(f"{' '.join(command)} exited {done.returncode}:\n{done.stdout}\n{done.stderr}")
    return done.stdout


@dataclass(frozen=True)
class Dist:
    """The built artifacts."""

    wheel: Path
    sdist: Path


@pytest.fixture(scope="session")
def dist(tmp_path_factory: pytest.TempPathFactory) -> Dist:
    """Build the sdist and the wheel from this checkout, once."""
    out = tmp_path_factory.mktemp("dist")
    run([sys.executable, "-m", "build", "--sdist", "--wheel", "--outdir", str(out), str(ROOT)])
    return Dist(out / f"cifbridge-{VERSION}-py3-none-any.whl", out / f"cifbridge-{VERSION}.tar.gz")


@pytest.fixture(scope="session")
def wheelhouse() -> Path:
    """Return a folder with a wheel of every dependency (made once, kept in the user cache)."""
    requirements = sorted(
        [*PYPROJECT["project"]["dependencies"], *tools(), *PYPROJECT["build-system"]["requires"]]
    )
    digest = hashlib.sha256("\n".join(requirements).encode()).hexdigest()[:16]
    cache = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    folder = cache / "cifbridge-tests" / f"wheelhouse-{digest}"
    if (folder / "complete").is_file():
        return folder
    building = folder.with_name(f"{folder.name}.{os.getpid()}")
    run([sys.executable, "-m", "pip", "wheel", "-q", "-w", str(building), *requirements])
    (building / "complete").write_text("\n".join(requirements) + "\n", encoding="utf-8")
    if folder.exists():  # another worker finished first
        shutil.rmtree(building)
    else:
        building.rename(folder)
    return folder


@dataclass(frozen=True)
class Installed:
    """A fresh virtualenv holding cifbridge, and how to run things in it."""

    kind: str  # "wheel" or "sdist"
    venv: Path
    env: dict[str, str]

    @property
    def python(self) -> Path:
        """Return the virtualenv's interpreter."""
        return self.venv / "bin" / "python"

    def command(self, name: str) -> str:
        """Return the path of a console script of the virtualenv."""
        return str(self.venv / "bin" / name)


def clean_env(venv: Path) -> dict[str, str]:
    """Return an environment in which only the virtualenv's packages are importable."""
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("CIFBRIDGE_", "PYTEST_", "PYTHON", "VIRTUAL_ENV", "COV_"))
    }
    dev_bin = str(Path(sys.executable).parent)
    path = [p for p in env.get("PATH", "").split(os.pathsep) if p and p != dev_bin]
    env["PATH"] = os.pathsep.join([str(venv / "bin"), *path])
    env["VIRTUAL_ENV"] = str(venv)
    return env


@pytest.fixture(scope="module", params=["wheel", "sdist"])
def installed(
    request: pytest.FixtureRequest,
    dist: Dist,
    wheelhouse: Path,
    tmp_path_factory: pytest.TempPathFactory,
) -> Installed:
    """A virtualenv outside the checkout with the wheel or the sdist installed in it."""
    kind: str = request.param
    venv = tmp_path_factory.mktemp(f"venv-{kind}")
    run([sys.executable, "-m", "venv", "--without-pip", str(venv)])
    artifact = dist.wheel if kind == "wheel" else dist.sdist
    # No npm on the PATH and no index: the sdist must build from what it carries.
    env = {**clean_env(venv), "PATH": str(venv / "bin")}
    pip = [sys.executable, "-m", "pip", "--python", str(venv / "bin" / "python"), "install"]
    offline = ["-q", "--no-index", "--find-links", str(wheelhouse)]
    run([*pip, *offline, str(artifact), *tools()], env=env, cwd=venv)
    return Installed(kind, venv, clean_env(venv))
