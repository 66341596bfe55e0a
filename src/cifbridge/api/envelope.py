"""The Socket.IO acknowledgement of a CIF call, and the engine's errors as the widget sees them.

Rules (DESIGN.md "Wire protocol"):
- a call that resolved is acknowledged `{ok: true, value}`; one whose answer comes later
  `{ok: true, deferred: true}` (the answer follows as `cif:result` with the same envelope and
  its `requestId`); one that failed `{ok: false, error, origin}`;
- `origin` "client" is a failure the real library raises in the widget before sending
  (InvalidInput, and a malformed frame): error `{message}`; "host" is one the host reports:
  error `{message, msdyn_name}` (the docs' msdyn_name where they give one, else the message
  type), with `errorCode` when the error has one, or the host's own map where it rejects with
  one (the Xrm error body of a record function, insertNotes' flap error);
  "timeout" is only ever made by a fault (web/faults.py): the library's own timeout rejection,
  error `{message}`, which the shim gives the real timeout form whatever the encoding;
- an acknowledgement of either kind may carry `warnings`, a list of {code, message}: calls that
  work here but are fragile or different in production (engine/base/diagnostics.py); the
  key is there only when there is a warning;
- a failure inside cifbridge itself is a host error saying so, never a missing acknowledgement.
This module is the only place that builds these shapes.
"""

from __future__ import annotations

from typing import Any

from cifbridge.engine import CifError
from cifbridge.engine.base.errors import HostMapError

CLIENT, HOST, TIMEOUT = "client", "host", "timeout"


def resolved(value: Any) -> dict[str, Any]:
    """Acknowledge a call that resolved with `value`."""
    return {"ok": True, "value": value}


def deferred() -> dict[str, Any]:
    """Acknowledge a call whose answer comes later as `cif:result`."""
    return {"ok": True, "deferred": True}


def rejected(error: dict[str, Any] | None, origin: str | None) -> dict[str, Any]:
    """Acknowledge a call that failed with this error body."""
    return {"ok": False, "error": error, "origin": origin}


def with_warnings(ack: dict[str, Any], warnings: Any) -> dict[str, Any]:
    """Add the call's diagnostics ({code, message} each) to an acknowledgement, if any."""
    return {**ack, "warnings": [dict(w) for w in warnings]} if warnings else ack


def late_answer(request_id: str, acknowledgement: dict[str, Any]) -> dict[str, Any]:
    """Return the `cif:result` message that answers a deferred call."""
    return {"requestId": request_id, **acknowledgement}


def error_body(error: CifError, message_type: str) -> tuple[dict[str, Any], str]:
    """Return the error body the widget sees for an engine error, and its origin."""
    if error.origin == CLIENT:
        return {"message": error.message}, CLIENT
    if isinstance(error, HostMapError):  # the host's own map, not {message, msdyn_name}
        return error.body, HOST
    # Documented errors keep the docs' msdyn_name ("NotifyEvent"), others the message type.
    body: dict[str, Any] = {
        "message": error.message,
        "msdyn_name": error.msdyn_name or message_type,
    }
    if error.error_code is not None:
        body["errorCode"] = error.error_code
    return body, HOST


def malformed(problem: str) -> dict[str, Any]:
    """Acknowledge a frame that is not a call at all (the widget's own mistake)."""
    return rejected({"message": problem}, CLIENT)


def not_applied(api: Any, message: str) -> dict[str, Any]:
    """Acknowledge a call the bridge could not apply (stopping, or its save failed)."""
    return rejected({"message": message, "msdyn_name": api}, HOST)


def internal_error(api: Any, error: Exception) -> dict[str, Any]:
    """Acknowledge a call that failed inside cifbridge, so the widget's promise still settles."""
    message = f"cifbridge internal error: {error}"
    return rejected({"message": message, "msdyn_name": api}, HOST)
