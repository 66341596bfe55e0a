"""One runner, three paths: every case through the engine, Socket.IO and the shim in Chromium.

    async with ContractRunner(schemas, paths=("engine", "socketio")) as runner:
        result = await runner.run(case)      # outcomes per path, problems, disagreements

Bridges and Chromium start on first use and stop when the runner closes; each path's outcome
of a case is computed once and kept, so a per-path check and an agreement check share it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType
from typing import Protocol

from cifbridge.api.validation import SchemaSet
from cifbridge.contracts.bridge import Bridges
from cifbridge.contracts.browser_path import DEFAULT_CHROMIUM, BrowserPath
from cifbridge.contracts.cases import Case
from cifbridge.contracts.configs import CaseConfigs
from cifbridge.contracts.engine_path import EnginePath
from cifbridge.contracts.outcome import Outcome, check, disagreements
from cifbridge.contracts.socketio_path import SocketIOPath

PATH_NAMES = ("engine", "socketio", "browser")


class CasePath(Protocol):
    """What each path offers the runner."""

    name: str

    async def run(self, case: Case) -> Outcome:
        """Play one case and return its normalized outcome."""


@dataclass
class CaseResult:
    """What happened to one case on each path."""

    case: Case
    outcomes: dict[str, Outcome]
    problems: dict[str, list[str]] = field(default_factory=dict)
    disagreements: list[str] = field(default_factory=list)

    @property
    def passed(self) -> bool:
        """Tell whether every path met the expectation and all paths agree."""
        return not self.disagreements and not any(self.problems.values())


class ContractRunner:
    """Plays cases through the selected paths; use as an async context manager."""

    def __init__(
        self,
        schemas: SchemaSet,
        paths: Sequence[str] = PATH_NAMES,
        chromium: Path = DEFAULT_CHROMIUM,
    ) -> None:
        unknown = [p for p in paths if p not in PATH_NAMES]
        if unknown:
            raise ValueError(f"unknown path(s) {', '.join(unknown)}; choose from {PATH_NAMES}")
        self.schemas = schemas
        self.path_names = tuple(paths)
        self.configs = CaseConfigs(schemas)
        self.bridges = Bridges(self.configs)
        self.engine = EnginePath(schemas, self.configs)
        self.socketio = SocketIOPath(self.configs, self.bridges)
        self.browser = BrowserPath(self.configs, self.bridges, chromium)
        self._players: dict[str, CasePath] = {
            "engine": self.engine,
            "socketio": self.socketio,
            "browser": self.browser,
        }
        self._outcomes: dict[tuple[str, Path, int | None], Outcome] = {}

    async def __aenter__(self) -> ContractRunner:
        return self

    async def __aexit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        await self.close()

    async def close(self) -> None:
        """Stop Chromium and the bridges, remove the configuration files."""
        try:
            await self.browser.close()
            await self.bridges.close()
        finally:
            self.configs.close()

    async def outcome(self, path: str, case: Case) -> Outcome:
        """Return the case's outcome on one path, playing it the first time only."""
        key = (path, case.file, case.index)
        if key not in self._outcomes:
            self._outcomes[key] = await self._players[path].run(case)
        return self._outcomes[key]

    def check(self, case: Case, outcome: Outcome) -> list[str]:
        """Return how an outcome misses the case's expectation."""
        return check(case, outcome, self.schemas)

    async def run(self, case: Case) -> CaseResult:
        """Play a case on every selected path, check each outcome and compare them."""
        outcomes = {path: await self.outcome(path, case) for path in self.path_names}
        problems = {path: self.check(case, outcome) for path, outcome in outcomes.items()}
        playable = {p: o for p, o in outcomes.items() if "error" not in o}
        return CaseResult(case, outcomes, problems, disagreements(playable))
