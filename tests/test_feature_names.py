"""One name per feature: the engine module, its FEATURE, the catalog section, contracts/<name>/
and tests/engine/<zone>/test_<name>.py all agree.

A contract case belongs in the folder of the feature it exercises: its subject call's catalog
section, or its subject agent action's feature. A case whose subject reads back (a get… call
of another feature) what its last setup step did belongs with that step's feature: openForm's
new tab is checked with getTabs, and stays with openForm.
"""

from __future__ import annotations

import importlib
import pkgutil
from pathlib import Path
from types import ModuleType

import pytest

import cifbridge.engine
from cifbridge.api.catalog import APIS, SECTIONS
from cifbridge.api.validation import SchemaSet
from cifbridge.contracts import AgentAction, Call, Case, load_cases
from cifbridge.engine.base.feature import Feature
from cifbridge.engine.features import FEATURES
from cifbridge.files.resources import data_dir

ENGINE = Path(cifbridge.engine.__file__).parent
TESTS = Path(__file__).parent / "engine"
CONTRACTS = data_dir("contracts")
ZONES = ("cif", "omnichannel")
BY_NAME = {feature.name: feature for feature in FEATURES}
ACTION_FEATURE = {action: f.name for f in FEATURES for action in f.agent_actions}


def feature_modules() -> dict[str, ModuleType]:
    """Return every engine module that declares a FEATURE, by its dotted name."""
    found: dict[str, ModuleType] = {}
    for zone in ZONES:
        package = importlib.import_module(f"cifbridge.engine.{zone}")
        for info in pkgutil.iter_modules(package.__path__):
            module = importlib.import_module(f"{package.__name__}.{info.name}")
            if isinstance(getattr(module, "FEATURE", None), Feature):
                found[module.__name__] = module
    return found


def zone_of(feature: Feature) -> str:
    module = next(m for m in feature_modules().values() if m.FEATURE is feature)
    return module.__name__.split(".")[-2]


def last_name(module_name: str) -> str:
    return module_name.rsplit(".", 1)[-1]


def test_every_declared_feature_is_listed_and_named_after_its_module() -> None:
    declared = feature_modules()
    assert sorted(m.FEATURE.name for m in declared.values()) == sorted(BY_NAME)
    assert {n: m.FEATURE.name for n, m in declared.items() if m.FEATURE.name != last_name(n)} == {}
    assert [m.FEATURE for m in declared.values() if m.FEATURE not in FEATURES] == []


def test_every_handler_lives_in_its_feature_and_its_catalog_section() -> None:
    wrong = {
        api: (feature.name, last_name(handler.__module__), APIS[api].section)
        for feature in FEATURES
        for api, handler in feature.handlers.items()
        if not feature.name == last_name(handler.__module__) == APIS[api].section
    }
    assert wrong == {}


def test_every_agent_action_lives_in_its_feature_module() -> None:
    wrong = {
        action: (feature.name, last_name(function.__module__))
        for feature in FEATURES
        for action, function in feature.agent_actions.items()
        if feature.name != last_name(function.__module__)
    }
    assert wrong == {}


def test_every_catalog_section_is_a_cif_feature_module() -> None:
    assert [s for s in SECTIONS if not (ENGINE / "cif" / f"{s}.py").is_file()] == []
    assert [s for s in SECTIONS if s not in BY_NAME or zone_of(BY_NAME[s]) != "cif"] == []


def test_every_feature_has_its_engine_test_module() -> None:
    expected = {f.name: TESTS / zone_of(f) / f"test_{f.name}.py" for f in FEATURES}
    assert {n: str(p.relative_to(TESTS)) for n, p in expected.items() if not p.is_file()} == {}


def feature_of_step(step: object) -> str | None:
    """Return the feature a call or agent action belongs to (None: time passing)."""
    if isinstance(step, Call):
        return APIS[step.api].section
    if isinstance(step, AgentAction):
        return ACTION_FEATURE.get(step.engine_action)
    return None


def misplaced(case: Case, folder: str) -> str | None:
    """Say why a case does not belong in contracts/<folder>/, or None when it does."""
    subject = case.subject
    owner = feature_of_step(subject)
    if owner == folder:
        return None
    if isinstance(subject, Call) and subject.api.startswith("get") and case.setup:
        read_back = feature_of_step(case.setup[-1])
        if read_back == folder:
            return None
    kind = f"call {subject.api}" if isinstance(subject, Call) else "agent action"
    return f"{kind} belongs to {owner}"


@pytest.fixture(scope="module")
def cases(schemas: SchemaSet) -> list[Case]:
    return load_cases(schemas, [CONTRACTS])


def test_every_contract_folder_is_a_feature(cases: list[Case]) -> None:
    folders = {p.name for p in CONTRACTS.iterdir() if p.is_dir()}
    assert sorted(folders - set(BY_NAME)) == []
    assert [c.label(CONTRACTS) for c in cases if c.file.parent.parent != CONTRACTS] == []


def test_every_contract_case_is_in_its_feature_folder(cases: list[Case]) -> None:
    wrong = {
        case.label(CONTRACTS): why
        for case in cases
        if (why := misplaced(case, case.file.parent.name)) is not None
    }
    assert wrong == {}


def test_the_folder_check_catches_a_misplaced_case(cases: list[Case]) -> None:
    created = next(
        c for c in cases if isinstance(c.subject, Call) and c.file.name == "createSession.yaml"
    )
    assert misplaced(created, "sessions") is None
    assert misplaced(created, "focus") == "call createSession belongs to sessions"
    read_back = next(c for c in cases if c.file.name == "openForm.yaml" and c.setup)
    assert misplaced(read_back, "records") is None
    assert misplaced(read_back, "sessions") == "call getFocusedTab belongs to tabs"
    closing = next(c for c in cases if c.file.name == "onSessionClosed.yaml")
    assert misplaced(closing, "focus") is None
    assert misplaced(closing, "sessions") == "agent action belongs to focus"
