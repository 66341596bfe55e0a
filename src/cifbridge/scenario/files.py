"""Read a scenario file (YAML or JSON), validate it, and expose its steps as data.

A scenario is `{name, description?, reset?, steps: [...]}`; each step holds one action (its
key, e.g. `arrive`, `route`, `accept`, `advance`, `expect`) with its parameters, and
optionally `refused` (the step passes only if the bridge refuses it with that text), `note`
and `agent` (the agent who acts, or whose workspace an expectation reads; default: default).
Failures name the file and the JSON path inside it.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cifbridge.api.validation import SchemaSet
from cifbridge.files.documents import DocumentError, read_document

SCENARIO_SCHEMA = "urn:cifbridge:scenario"
STEP_OPTIONS = ("refused", "note", "agent")


class ScenarioError(ValueError):
    """The scenario file is unreadable or does not follow the format."""


@dataclass(frozen=True)
class Step:
    """One step: its 1-based position, its action and parameters, and what it expects."""

    index: int
    action: str
    params: Any
    refused: str | None = None
    note: str | None = None
    agent: str | None = None  # the agent who acts (None: the default agent)


@dataclass(frozen=True)
class Scenario:
    """A validated scenario file."""

    path: Path
    name: str
    description: str
    reset: bool
    steps: tuple[Step, ...]


def load_scenario(schemas: SchemaSet, path: Path) -> Scenario:
    """Read and validate a scenario file."""
    data = _read(path)
    problems = schemas.all_errors(SCENARIO_SCHEMA, data)
    if problems:
        raise ScenarioError(f"{path}: " + "; ".join(problems))
    steps = []
    for index, raw in enumerate(data["steps"], start=1):
        (action,) = [key for key in raw if key not in STEP_OPTIONS]
        options = {key: raw.get(key) for key in STEP_OPTIONS}
        steps.append(Step(index, action, raw[action], **options))
    return Scenario(
        path=path,
        name=data["name"],
        description=data.get("description", ""),
        reset=bool(data.get("reset", True)),
        steps=tuple(steps),
    )


def _read(path: Path) -> dict[str, Any]:
    try:
        data = read_document(path)
    except DocumentError as error:
        raise ScenarioError(str(error)) from error
    if not isinstance(data, dict):
        raise ScenarioError(f"{path}: a scenario is a mapping with name and steps")
    return data
