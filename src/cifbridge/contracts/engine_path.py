"""The engine path: a fresh engine and dispatcher per case, no transport at all.

Time is a per-case clock that stands still unless a step advances it, so cases never depend on
how fast they run; a deferred call's answer is the settlement carrying its request id.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable
from typing import Any

from cifbridge.api.catalog import APIS
from cifbridge.api.control_bodies import action_keywords, body_problem
from cifbridge.api.dispatcher import Caller, Dispatcher
from cifbridge.api.dispatcher import Outcome as CallOutcome
from cifbridge.api.validation import SchemaSet
from cifbridge.contracts.agent_routes import ROUTES, split_params
from cifbridge.contracts.cases import SESSION_ACTIONS, AdvanceClock, AgentAction, Call, Case, Step
from cifbridge.contracts.configs import CaseConfigError, CaseConfigs
from cifbridge.contracts.outcome import Outcome, acted, failed, pending, rejected, resolved
from cifbridge.engine import ANY_PROVIDER, AgentActionRefused, Delivery, Engine, Result
from cifbridge.engine.base.errors import INVALID

FIXED_NOW = 1_700_000_000.0


class SetupFailed(RuntimeError):
    """A setup step did not succeed, so the case could not be played."""


class CaseClock:
    """A clock that starts at FIXED_NOW and moves only when a step advances it."""

    def __init__(self) -> None:
        self.now = FIXED_NOW

    def __call__(self) -> float:
        return self.now


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
            clock = CaseClock()
            engine = Engine(self.configs.config(case), clock=clock)
            caller = self.configs.caller(case)
            dispatcher = Dispatcher(engine, self.schemas)
            for number, step in enumerate(case.setup):
                self._step(dispatcher, clock, caller, f"setup[{number}]", step)
            return self._subject(dispatcher, clock, caller, case)
        except (CaseConfigError, SetupFailed) as error:
            return failed(str(error))

    def _step(
        self, dispatcher: Dispatcher, clock: CaseClock, caller: str, where: str, step: Step
    ) -> Result:
        """Take a setup or after step; a refusal or rejection means the case can't be played."""
        if isinstance(step, AdvanceClock):
            clock.now += step.seconds
            return dispatcher.engine.advance()
        if isinstance(step, AgentAction):
            try:
                return _act(dispatcher.engine, self.schemas, step)
            except AgentActionRefused as error:
                raise SetupFailed(f"{where}: agent {step.action}: {error.message}") from error
        outcome = self._call(dispatcher, step.provider or caller, step)
        if not outcome.ok:  # a deferred call is fine: it waits, like a widget's promise
            raise SetupFailed(f"{where}: {step.api} rejected: {outcome.error}")
        return Result(outcome.value, outcome.deliveries, outcome.mutated, outcome.settlements)

    def _subject(
        self, dispatcher: Dispatcher, clock: CaseClock, caller: str, case: Case
    ) -> Outcome:
        subject = case.subject
        if isinstance(subject, AdvanceClock):  # the case format has no such subject
            return failed("the subject of a case is a call or an agent action")
        if isinstance(subject, AgentAction):
            try:
                deliveries = _act(dispatcher.engine, self.schemas, subject).deliveries
            except AgentActionRefused as error:
                return failed(f"agent {subject.action} refused: {error.message}")
            return acted(events_for(caller, deliveries))
        request_id = f"contract-{next(self._request_ids)}"
        outcome = self._call(dispatcher, caller, subject, request_id)
        events = events_for(caller, outcome.deliveries)
        answers = _answers(dispatcher, outcome.settlements)
        for number, step in enumerate(case.after):
            done = self._step(dispatcher, clock, caller, f"after[{number}]", step)
            events.extend(events_for(caller, done.deliveries))
            answers.update(_answers(dispatcher, done.settlements))
        if outcome.deferred:
            answer = answers.get(request_id)
            if answer is None:
                return pending(events)
            return _settled(subject, answer, events)
        if outcome.ok:
            return resolved(outcome.value, APIS[subject.api].encoding, events)
        return rejected(outcome.error, outcome.origin or "host", events)

    def _call(
        self, dispatcher: Dispatcher, provider: str, call: Call, request_id: str | None = None
    ) -> CallOutcome:
        request_id = request_id or f"contract-{next(self._request_ids)}"
        return dispatcher.call(Caller(provider), call.api, call.wire_args(), request_id)


def _answers(dispatcher: Dispatcher, settlements: Iterable[Any]) -> dict[str, dict[str, Any]]:
    # The late answers as the bridge sends them (`cif:result`), by request id.
    return {a.message["requestId"]: a.message for a in dispatcher.settle(list(settlements))}


def _settled(call: Call, answer: dict[str, Any], events: list[dict[str, Any]]) -> Outcome:
    if answer.get("ok"):
        return resolved(answer.get("value"), APIS[call.api].encoding, events)
    return rejected(answer.get("error"), str(answer.get("origin") or "host"), events)


def _act(engine: Engine, schemas: SchemaSet, action: AgentAction) -> Result:
    if action.action in SESSION_ACTIONS:
        return engine.agent(action.engine_action, session_id=action.session_id)
    if action.action in ROUTES:
        # The bridge's edge checks: a body the route's schema refuses never reaches the engine.
        route = ROUTES[action.action]
        path, body = split_params(action.action, action.params)
        problem = body_problem(schemas, route, body)
        if problem is not None:
            raise AgentActionRefused(problem, INVALID)
        return engine.agent(route.action, **action_keywords(route, path, body))
    return engine.agent(action.action, notification_id=action.notification_id)


def events_for(provider: str, deliveries: Iterable[Delivery]) -> list[dict[str, Any]]:
    """Return the events a provider's widget receives from these deliveries."""
    return [
        {"name": d.name, "data": d.payload}
        for d in deliveries
        if d.provider in (provider, ANY_PROVIDER)
    ]
