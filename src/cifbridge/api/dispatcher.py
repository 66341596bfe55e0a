"""Run one widget call: trust check, idempotency, normalization, validation, engine.

Pure and synchronous like the engine it wraps, so the contract runner's "engine" path and the
Socket.IO transport go through exactly the same steps. It never raises for a failed call: every
failure becomes an `Outcome` carrying the CIF error, mapped to the wire in `Outcome.to_wire`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from cifbridge.api.catalog import APIS
from cifbridge.api.limits import input_problem
from cifbridge.api.signatures import normalize
from cifbridge.api.validation import SchemaSet
from cifbridge.engine import DEFERRED, CifError, Delivery, Engine, InvalidInput, Settlement
from cifbridge.engine.base.errors import HostError, OriginNotTrusted, XrmError
from cifbridge.engine.base.texts import ORIGIN_NOT_TRUSTED

RECENT_REQUESTS_KEPT = 256


def api_schema_id(api: str) -> str:
    """Return the `$id` of the schema that validates an API's named arguments."""
    return f"urn:cifbridge:api:{api}"


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


@dataclass(frozen=True)
class Outcome:
    """The result of one call, ready to acknowledge and to journal."""

    ok: bool
    value: Any = None
    error: dict[str, Any] | None = None
    origin: str | None = None
    deliveries: tuple[Delivery, ...] = field(default=())
    mutated: bool = False
    deferred: bool = False
    settlements: tuple[Settlement, ...] = field(default=())

    def to_wire(self) -> dict[str, Any]:
        """Return the Socket.IO acknowledgement envelope."""
        if self.deferred:
            return {"ok": True, "deferred": True}
        if self.ok:
            return {"ok": True, "value": self.value}
        return {"ok": False, "error": self.error, "origin": self.origin}


class Dispatcher:
    """Applies widget calls to an engine after checking them at the edge."""

    def __init__(self, engine: Engine, schemas: SchemaSet) -> None:
        self.engine = engine
        self.schemas = schemas

    def call(
        self, caller: Caller, api: str, args: Sequence[Any], request_id: str | None = None
    ) -> Outcome:
        """Run one call and return its outcome; never raises for a failed call."""
        spec = APIS.get(api)
        if spec is None:
            return _failure(InvalidInput(f"Microsoft.CIFramework.{api} is not a CIF function"), api)
        recent = self.engine.workspace.recent_requests
        key = request_key(caller.provider, api, request_id) if request_id else None
        if key is not None and key in recent:
            return Outcome(**recent[key])
        try:
            outcome = self._run(caller, api, args, request_id or self._anonymous_id())
        except CifError as error:
            return _failure(error, spec.message_type)
        if key is not None and (outcome.mutated or outcome.deferred):
            _remember(recent, key, outcome)
        return outcome

    def settle(self, settlements: Sequence[Settlement]) -> list[Answer]:
        """Turn late answers into `cif:result` messages, remembering each so that a widget
        which retries after missing the message gets the answer in its acknowledgement."""
        messages = []
        recent = self.engine.workspace.recent_requests
        for settlement in settlements:
            if isinstance(settlement.error, CifError):
                outcome = _failure(settlement.error, APIS[settlement.api].message_type)
            else:
                outcome = Outcome(True, settlement.value)
            key = request_key(settlement.provider, settlement.api, settlement.request_id)
            if key in recent:
                _remember(recent, key, outcome)
            message = {"requestId": settlement.request_id, **outcome.to_wire()}
            messages.append(Answer(settlement.provider, settlement.api, message))
        return messages

    def _anonymous_id(self) -> str:
        # Calls without a requestId (plain clients) still need a ticket for deferred answers.
        self.engine.workspace.next_anonymous += 1
        return f"anonymous-{self.engine.workspace.next_anonymous}"

    def _run(self, caller: Caller, api: str, args: Sequence[Any], request_id: str) -> Outcome:
        if not caller.trusted:
            raise OriginNotTrusted(ORIGIN_NOT_TRUSTED)
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
        result = self.engine.call(caller.provider, api, named, request_id)
        return Outcome(
            True,
            None if result.value is DEFERRED else result.value,
            deliveries=result.deliveries,
            mutated=result.mutated,
            deferred=result.value is DEFERRED,
            settlements=result.settlements,
        )


def request_key(provider: str, api: str, request_id: str) -> str:
    """Return the key under which a request's answer is remembered."""
    return f"{provider}:{api}:{request_id}"


def _failure(error: CifError, message_type: str) -> Outcome:
    if error.origin == "client":
        return Outcome(False, error={"message": error.message}, origin="client")
    if isinstance(error, XrmError):  # the host's IErrorHandler, not {message, msdyn_name}
        return Outcome(False, error=error.body, origin="host")
    # Documented errors keep the docs' msdyn_name ("NotifyEvent"), others the message type.
    name = error.msdyn_name or message_type
    body: dict[str, Any] = {"message": error.message, "msdyn_name": name}
    if error.error_code is not None:
        body["errorCode"] = error.error_code
    return Outcome(False, error=body, origin="host")


def _remember(recent: dict[str, Any], key: str, outcome: Outcome) -> None:
    # Only what the widget saw is kept: a replay must not deliver the events a second time.
    remembered: dict[str, Any] = {"ok": outcome.ok, "value": outcome.value}
    if outcome.deferred:
        remembered["deferred"] = True
    if not outcome.ok:
        remembered.update(error=outcome.error, origin=outcome.origin)
    recent[key] = remembered
    while len(recent) > RECENT_REQUESTS_KEPT:
        del recent[next(iter(recent))]
