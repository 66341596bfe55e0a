"""Run one widget call: trust check, idempotency, normalization, validation, engine.

Pure and synchronous like the engine it wraps, so the contract runner's "engine" path and the
Socket.IO transport go through exactly the same steps. It never raises for a failed call: every
failure becomes an `Outcome` carrying the CIF error as envelope.py maps it to the wire. The
answers kept for retried requests live in the workspace, behind the engine's `recall` and
`remember`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple

from cifbridge.api import envelope
from cifbridge.api.catalog import APIS
from cifbridge.api.diagnostics import edge_warnings
from cifbridge.api.limits import input_problem
from cifbridge.api.signatures import normalize
from cifbridge.api.validation import SchemaSet
from cifbridge.engine import DEFERRED, CifError, Delivery, Engine, InvalidInput, Settlement
from cifbridge.engine.base.diagnostics import Diagnostic, strict_rejection
from cifbridge.engine.base.errors import HostError, OriginNotTrusted
from cifbridge.engine.base.record_store import Change
from cifbridge.engine.base.texts import ORIGIN_NOT_TRUSTED


def api_schema_id(api: str) -> str:
    """Return the `$id` of the schema that validates an API's named arguments."""
    return _SCHEMA_IDS.get(api) or f"urn:cifbridge:api:{api}"


_SCHEMA_IDS = {api: f"urn:cifbridge:api:{api}" for api in APIS}  # built once, asked every call


@dataclass(frozen=True)
class Answer:
    """The late answer to a deferred call, for the widgets of one provider."""

    provider: str
    api: str
    message: dict[str, Any]


@dataclass(frozen=True)
class Caller:
    """Who is calling: a provider's widget, and whether its origin is trusted."""

    provider: str
    trusted: bool = True


class Outcome(NamedTuple):
    """The result of one call, ready to acknowledge and to journal (a named tuple, as the
    engine's Result: one is built for every call)."""

    ok: bool
    value: Any = None
    error: dict[str, Any] | None = None
    origin: str | None = None
    deliveries: tuple[Delivery, ...] = ()
    mutated: bool = False
    deferred: bool = False
    settlements: tuple[Settlement, ...] = ()
    warnings: tuple[dict[str, str], ...] = ()
    record_changes: tuple[Change, ...] = ()

    def to_wire(self) -> dict[str, Any]:
        """Return the Socket.IO acknowledgement envelope."""
        if self.deferred:
            ack = envelope.deferred()
        elif self.ok:
            ack = envelope.resolved(self.value)
        else:
            ack = envelope.rejected(self.error, self.origin)
        return envelope.with_warnings(ack, self.warnings)


class Dispatcher:
    """Applies widget calls to an engine after checking them at the edge."""

    def __init__(self, engine: Engine, schemas: SchemaSet, *, strict: bool = False) -> None:
        self.engine = engine
        self.schemas = schemas
        # --strict: a call that draws a warning is refused instead (and changes nothing).
        self.strict = strict

    def call(
        self, caller: Caller, api: str, args: Sequence[Any], request_id: str | None = None
    ) -> Outcome:
        """Run one call and return its outcome; never raises for a failed call."""
        spec = APIS.get(api)
        if spec is None:
            return _failure(InvalidInput(f"Microsoft.CIFramework.{api} is not a CIF function"), api)
        remembered = self.engine.recall(caller.provider, api, request_id) if request_id else None
        if remembered is not None:
            return Outcome(**remembered)
        try:
            outcome = self._run(caller, api, args, request_id or self.engine.ticket())
        except CifError as error:
            return _failure(error, spec.message_type)
        if request_id and (outcome.mutated or outcome.deferred):
            self.engine.remember(caller.provider, api, request_id, _remembered(outcome))
        return outcome

    def settle(self, settlements: Sequence[Settlement]) -> list[Answer]:
        """Turn late answers into `cif:result` messages, remembering each so that a widget
        which retries after missing the message gets the answer in its acknowledgement."""
        messages = []
        for settlement in settlements:
            if isinstance(settlement.error, CifError):
                outcome = _failure(settlement.error, APIS[settlement.api].message_type)
            else:
                outcome = Outcome(True, settlement.value)
            provider, api, request_id = settlement.provider, settlement.api, settlement.request_id
            self.engine.remember(provider, api, request_id, _remembered(outcome), if_known=True)
            message = envelope.late_answer(request_id, outcome.to_wire())
            messages.append(Answer(settlement.provider, settlement.api, message))
        return messages

    def _run(self, caller: Caller, api: str, args: Sequence[Any], request_id: str) -> Outcome:
        if not caller.trusted:
            raise OriginNotTrusted(ORIGIN_NOT_TRUSTED)
        edge = tuple(edge_warnings(self.schemas, api, args))
        if edge and self.strict:
            raise strict_rejection(api, edge)
        try:
            return self._checked(caller, api, args, request_id, edge)
        except CifError as error:
            error.warnings = (*edge, *error.warnings)
            raise

    def _checked(
        self,
        caller: Caller,
        api: str,
        args: Sequence[Any],
        request_id: str,
        edge: tuple[Diagnostic, ...],
    ) -> Outcome:
        named = normalize(api, args)
        bounds = input_problem(named, self.engine.config.input_limits)
        if bounds is not None:  # before the schema: a validator recurses into what it checks
            raise InvalidInput(f"{api}: {bounds}")
        schema_id = api_schema_id(api)
        if not self.engine.implements(api) or not self.schemas.has(schema_id):
            raise HostError(f"cifbridge does not emulate {api} yet (see docs/parity.md)")
        problem = self.schemas.first_error(schema_id, named)
        if problem is not None:
            raise InvalidInput(problem.text if problem.exact else f"{api}: {problem.text}")
        result = self.engine.call(caller.provider, api, named, request_id, strict=self.strict)
        return Outcome(
            True,
            None if result.value is DEFERRED else result.value,
            deliveries=result.deliveries,
            mutated=result.mutated,
            deferred=result.value is DEFERRED,
            settlements=result.settlements,
            warnings=tuple(w.to_json() for w in (*edge, *result.warnings))
            if edge or result.warnings
            else (),
            record_changes=result.record_changes,
        )


def _failure(error: CifError, message_type: str) -> Outcome:
    body, origin = envelope.error_body(error, message_type)
    warnings = tuple(w.to_json() for w in error.warnings if isinstance(w, Diagnostic))
    return Outcome(False, error=body, origin=origin, warnings=warnings)


def _remembered(outcome: Outcome) -> dict[str, Any]:
    # Only what the widget saw is kept: a replay must not deliver the events a second time.
    remembered: dict[str, Any] = {"ok": outcome.ok, "value": outcome.value}
    if outcome.warnings:
        remembered["warnings"] = [dict(w) for w in outcome.warnings]
    if outcome.deferred:
        remembered["deferred"] = True
    if not outcome.ok:
        remembered.update(error=outcome.error, origin=outcome.origin)
    return remembered
