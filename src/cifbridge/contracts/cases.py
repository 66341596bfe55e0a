"""Read contract case files (YAML or JSON), validate them, and expose each case as data.

A file holds one case, or several under `cases:`; every file is checked against
`urn:cifbridge:contract-case` and every failure names the file and the JSON path inside it.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError

from cifbridge.api.catalog import APIS
from cifbridge.api.validation import SchemaSet
from cifbridge.files.documents import DocumentError, read_document

CASE_SCHEMA = "urn:cifbridge:contract-case"
CASE_SUFFIXES = (".yaml", ".yml", ".json")
FUNCTION_MARKER = "$function"
HINT = "x-message"
# The agent's session moves, by the short names case files give them: the engine's actions.
SESSION_ACTIONS = {"focus": "focusSession", "close": "closeSession"}


class ContractError(ValueError):
    """A case file is unreadable or does not follow the case format."""


@dataclass(frozen=True)
class Call:
    """A widget call: a `Microsoft.CIFramework` function and its positional arguments."""

    api: str
    args: tuple[Any, ...]
    provider: str | None = None

    def wire_args(self) -> list[Any]:
        """Return the arguments as a transport sends them: a handler function becomes `true`."""
        return [without_functions(a) for a in self.args]


@dataclass(frozen=True)
class AgentAction:
    """What the agent does in the workspace: focus or close a session, or answer the displayed
    notification (acceptNotification, rejectNotification; by id, or whichever is displayed)."""

    action: str
    session_id: str = ""
    notification_id: str | None = None
    params: dict[str, Any] = field(default_factory=dict)  # agent_routes.ROUTES actions

    @property
    def engine_action(self) -> str:
        """Return the engine's name of the action (focus and close have short names here)."""
        return SESSION_ACTIONS.get(self.action, self.action)


@dataclass(frozen=True)
class AdvanceClock:
    """Time passing: the bridge's clock moves forward and whatever falls due fires."""

    seconds: float


Step = Call | AgentAction | AdvanceClock


@dataclass(frozen=True)
class Case:
    """One validated case: setup, the call or agent action under test, and the expectation."""

    file: Path
    index: int | None
    description: str
    source: str
    config: dict[str, Any] | None
    provider: str | None
    setup: tuple[Step, ...]
    subject: Step
    expect: dict[str, Any]
    after: tuple[Step, ...] = ()  # run while the subject call waits for its answer

    def label(self, root: Path | None = None) -> str:
        """Return the file (relative to `root` when inside it) and the position in `cases:`."""
        where = self.file
        if root is not None and self.file.is_relative_to(root):
            where = self.file.relative_to(root)
        index = "" if self.index is None else f"[{self.index}]"
        return f"{where}{index}"


def without_functions(value: Any) -> Any:
    """Replace every `{"$function": ...}` marker inside `value` with `True`."""
    if isinstance(value, dict):
        if set(value) == {FUNCTION_MARKER}:
            return True
        return {k: without_functions(v) for k, v in value.items()}
    if isinstance(value, list):
        return [without_functions(v) for v in value]
    return value


def case_files(paths: Iterable[Path]) -> list[Path]:
    """Expand folders into the case files below them, sorted; files are taken as given."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found.extend(sorted(p for p in path.rglob("*") if p.suffix in CASE_SUFFIXES))
        elif path.exists():
            found.append(path)
        else:
            raise ContractError(f"{path}: no such file or folder")
    return found


def load_cases(schemas: SchemaSet, paths: Iterable[Path]) -> list[Case]:
    """Load every case of the given files and folders; raise ContractError listing all problems."""
    cases: list[Case] = []
    problems: list[str] = []
    for path in case_files(paths):
        try:
            cases.extend(load_file(schemas, path))
        except ContractError as error:
            problems.append(str(error))
    if problems:
        raise ContractError("\n".join(problems))
    return cases


def load_file(schemas: SchemaSet, path: Path) -> list[Case]:
    """Load and validate the cases of one file."""
    data = _read(path)
    errors = case_format_errors(schemas, data)
    if errors:
        raise ContractError("\n".join(f"{path}: {e}" for e in errors))
    if "cases" in data:
        raw_cases: Iterator[tuple[int | None, Any]] = enumerate(data["cases"])
    else:
        raw_cases = iter([(None, data)])
    cases = [_case(path, index, raw) for index, raw in raw_cases]
    unknown = [f"{path}: {where}: {api} is not a CIF function" for where, api in _apis(cases)]
    if unknown:
        raise ContractError("\n".join(unknown))
    return cases


def case_format_errors(schemas: SchemaSet, data: Any) -> list[str]:
    """Return every way `data` breaks the case format, each naming its JSON path."""
    validator = Draft202012Validator(schemas.schemas[CASE_SCHEMA], registry=schemas.registry)
    errors = sorted(validator.iter_errors(data), key=lambda e: list(e.absolute_path))
    return [f"{e.json_path}: {_hint(e) or e.message}" for e in errors]


def _hint(error: ValidationError) -> str | None:
    # Combinators fail with a dump of the instance; the schema says in words what it wants.
    schema = error.schema if isinstance(error.schema, dict) else {}
    hint = schema.get(HINT)
    if error.validator in ("oneOf", "anyOf", "not") and isinstance(hint, str):
        return hint
    return None


def _read(path: Path) -> Any:
    try:
        return read_document(path)
    except DocumentError as error:
        raise ContractError(str(error)) from error


def _case(path: Path, index: int | None, raw: dict[str, Any]) -> Case:
    subject = _step(raw) if "agent" in raw else _call(raw["call"], None)
    return Case(
        file=path,
        index=index,
        description=raw["description"],
        source=raw["source"],
        config=raw.get("config"),
        provider=raw.get("provider"),
        setup=tuple(_step(s) for s in raw.get("setup", [])),
        subject=subject,
        expect=raw["expect"],
        after=tuple(_step(s) for s in raw.get("after", [])),
    )


def _step(raw: dict[str, Any]) -> Step:
    if "advanceClock" in raw:
        return AdvanceClock(float(raw["advanceClock"]))
    if "agent" in raw:
        agent = raw["agent"]
        return AgentAction(
            agent["action"],
            agent.get("sessionId", ""),
            agent.get("notificationId"),
            dict(agent.get("params", {})),
        )
    return _call(raw["call"], raw.get("provider"))


def _call(raw: dict[str, Any], provider: str | None) -> Call:
    return Call(raw["api"], tuple(raw.get("args", [])), provider)


def _apis(cases: list[Case]) -> Iterator[tuple[str, str]]:
    for case in cases:
        prefix = "$" if case.index is None else f"$.cases[{case.index}]"
        for number, step in enumerate(case.setup):
            if isinstance(step, Call) and step.api not in APIS:
                yield f"{prefix}.setup[{number}].call.api", step.api
        for number, step in enumerate(case.after):
            if isinstance(step, Call) and step.api not in APIS:
                yield f"{prefix}.after[{number}].call.api", step.api
        if isinstance(case.subject, Call) and case.subject.api not in APIS:
            yield f"{prefix}.call.api", case.subject.api
