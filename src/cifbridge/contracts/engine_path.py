"""The engine path: a fresh engine and dispatcher per case, no transport at all."""

from __future__ import annotations

import itertools
from collections.abc import Iterable
from typing import Any

from ..api.catalog import APIS
from ..api.dispatcher import Caller, Dispatcher
from ..api.dispatcher import Outcome as CallOutcome
from ..api.validation import SchemaSet
from ..engine import ANY_PROVIDER, AgentActionRefused, Delivery, Engine
from .cases import AgentAction, Call, Case, Step
from .configs import CaseConfigError, CaseConfigs
from .outcome import Outcome, acted, failed, rejected, resolved

FIXED_NOW = 1_700_000_000.0
DEFERRED_UNSUPPORTED = "the case format cannot settle deferred calls yet"


class SetupFailed(RuntimeError):
    """A setup step did not succeed, so the case could not be played."""


def fixed_clock() -> float:
    """Return the same instant on every call, so cases never depend on time."""
    return FIXED_NOW


class EnginePath:
    """Plays cases through `Dispatcher` and `Engine` directly."""

    name = "engine"

    def __init__(self, schemas: SchemaSet, configs: CaseConfigs) -> None:
        self.schemas = schemas
        self.configs = configs
        self._request_ids = itertools.count(1)

    async def run(self, case: Case) -> Outcome:
        """Play one case (the engine never awaits; async only to share the paths' interface)."""
        return self.play(case)

    def play(self, case: Case) -> Outcome:
        """Play one case and return its normalized outcome."""
        try:
            engine = Engine(self.configs.config(case), clock=fixed_clock)
            caller = self.configs.caller(case)
            dispatcher = Dispatcher(engine, self.schemas)
            for number, step in enumerate(case.setup):
                self._setup_step(dispatcher, caller, number, step)
            return self._subject(dispatcher, caller, case.subject)
        except (CaseConfigError, SetupFailed) as error:
            return failed(str(error))

    def _setup_step(self, dispatcher: Dispatcher, caller: str, number: int, step: Step) -> None:
        if isinstance(step, AgentAction):
            try:
                _act(dispatcher.engine, step)
            except AgentActionRefused as error:
                raise SetupFailed(
                    f"setup[{number}]: agent {step.action}: {error.message}"
                ) from error
            return
        outcome = self._call(dispatcher, step.provider or caller, step)
        if outcome.deferred:
            raise SetupFailed(
                f"setup[{number}]: {step.api} answered later ({DEFERRED_UNSUPPORTED})"
            )
        if not outcome.ok:
            raise SetupFailed(f"setup[{number}]: {step.api} rejected: {outcome.error}")

    def _subject(self, dispatcher: Dispatcher, caller: str, subject: Step) -> Outcome:
        if isinstance(subject, AgentAction):
            try:
                deliveries = _act(dispatcher.engine, subject)
            except AgentActionRefused as error:
                return failed(f"agent {subject.action} refused: {error.message}")
            return acted(events_for(caller, deliveries))
        outcome = self._call(dispatcher, caller, subject)
        events = events_for(caller, outcome.deliveries)
        if outcome.deferred:
            return failed(f"{subject.api} answered later ({DEFERRED_UNSUPPORTED})")
        if outcome.ok:
            return resolved(outcome.value, APIS[subject.api].encoding, events)
        return rejected(outcome.error, outcome.origin or "host", events)

    def _call(self, dispatcher: Dispatcher, provider: str, call: Call) -> CallOutcome:
        request_id = f"contract-{next(self._request_ids)}"
        return dispatcher.call(Caller(provider), call.api, call.wire_args(), request_id)


def _act(engine: Engine, action: AgentAction) -> tuple[Delivery, ...]:
    if action.action == "focus":
        return engine.focus_session(action.session_id).deliveries
    return engine.close_session(action.session_id).deliveries


def events_for(provider: str, deliveries: Iterable[Delivery]) -> list[dict[str, Any]]:
    """Return the events a provider's widget receives from these deliveries."""
    return [
        {"name": d.name, "data": d.payload}
        for d in deliveries
        if d.provider in (provider, ANY_PROVIDER)
    ]
