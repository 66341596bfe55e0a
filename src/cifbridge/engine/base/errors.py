"""The one error tree of the engine; transports map it to the wire in one place each.

EngineError                   every failure the engine raises; `message` is what the caller sees
 ├── CifError                 a widget's CIF call failed (api/envelope.py maps it to the ack)
 │    ├── InvalidInput        argument checks the real library makes in the widget
 │    │                       (wire: a JSON string '{"message": ...}', no msdyn_name)
 │    └── HostError           failures the real host reports (wire: {message, msdyn_name})
 │         ├── TemplateNotFound
 │         ├── SessionNotFound
 │         ├── SessionLimitReached
 │         ├── NotAllowedForProvider
 │         ├── TabNotFound
 │         ├── TabNotClosable
 │         ├── OriginNotTrusted
 │         ├── NotifyEventFailed   msdyn_name "NotifyEvent", as the docs spell it
 │         ├── CancelEventFailed   msdyn_name "CancelEvent", as the docs spell it
 │         └── HostMapError   the host rejects with a map of its own, sent as it is (`body`)
 │              ├── XrmError  an Xrm.WebApi / Xrm.Navigation / Xrm.Utility failure (records);
 │              │             wire: {"value": {errorMsg, sourceFunc, reportTime, errorType}}
 │              └── NotesFlapExpanded  insertNotes while the flap is open;
 │                            wire: {"value": "Flap already expanded", "errorCode": 101}
 ├── RecordError              the record store (dataverse/) failed, with Dataverse's text and
 │                            `status` 404 or 400. Nobody answers it as it is: a CIF record
 │                            function turns it into its XrmError (cif/records.py names the
 │                            sourceFunc), and Engine.agent into an AgentActionRefused with
 │                            the kind its status means, for every agent action at once
 └── AgentActionRefused       control-API refusals (closing the Home session, ...); its `kind`
                              is not_found, conflict or invalid, mapped to HTTP statuses by
                              web/errors.py (malformed bodies never get here: the transports
                              check them against the action's JSON Schema first)
"""

from __future__ import annotations

from typing import Any, Literal


class EngineError(Exception):
    """Something the engine was asked cannot be done; `message` says why."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class CifError(EngineError):
    """A CIF call failed with a message the widget sees."""

    origin = "host"
    # The docs' msdyn_name for this error where it differs from the wire message type.
    msdyn_name: str | None = None

    def __init__(self, message: str, error_code: int | None = None) -> None:
        super().__init__(message)
        self.error_code = error_code
        # Diagnostics (base/diagnostics.py) found before the call failed; they travel with it.
        self.warnings: tuple[Any, ...] = ()


class InvalidInput(CifError):
    """An argument failed the checks the real widget library makes before sending."""

    origin = "client"


class HostError(CifError):
    """The host refused or failed the request."""


class TemplateNotFound(HostError):
    """No template has the given unique name or tag."""


class SessionNotFound(HostError):
    """The session does not exist or does not belong to the caller."""


class SessionLimitReached(HostError):
    """The workspace already holds its maximum number of sessions."""


class NotAllowedForProvider(HostError):
    """The ownership rules forbid this provider the operation."""


class TabNotFound(HostError):
    """The tab is not open in the session the call acts on."""


class TabNotClosable(HostError):
    """The tab is an anchor tab or its template does not allow closing it."""


class OriginNotTrusted(HostError):
    """The widget's origin is not among its provider's trusted domains."""


class NotifyEventFailed(HostError):
    """notifyEvent failed before any notification was shown (reference §2.5)."""

    msdyn_name = "NotifyEvent"


class CancelEventFailed(HostError):
    """cancelEvent found nothing to cancel (reference §2.5)."""

    msdyn_name = "CancelEvent"


class HostMapError(HostError):
    """The host rejects with a map of its own rather than {message, msdyn_name}: `body`."""

    body: dict[str, object]


class NotesFlapExpanded(HostMapError):
    """insertNotes while the notes flap is open: the host's ErrorCode map (reference §2.11)."""

    NOTES_FLAP_ALREADY_EXPANDED = 101

    def __init__(self) -> None:
        super().__init__("Flap already expanded", self.NOTES_FLAP_ALREADY_EXPANDED)
        self.body = {"value": self.message, "errorCode": self.NOTES_FLAP_ALREADY_EXPANDED}


class XrmError(HostMapError):
    """A Dataverse call failed; the host rejects with its IErrorHandler under "value" ([SRC]).

    The JSON-encoded record functions stringify that object as it is, so the widget sees
    '{"value":{"errorMsg":...,"sourceFunc":...,"reportTime":...,"errorType":2}}' and no message.
    """

    INVALID_PARAMS, TIME_OUT, XRM_API_ERROR, GENERIC_ERROR = 0, 1, 2, 3

    def __init__(
        self, message: str, source_func: str, report_time: str, error_type: int = XRM_API_ERROR
    ) -> None:
        super().__init__(message)
        self.body = {
            "value": {
                "errorMsg": message,
                "sourceFunc": source_func,
                "reportTime": report_time,
                "errorType": error_type,
            }
        }


class RecordError(EngineError):
    """A Dataverse-style failure; `status` is what the control API answers (404 or 400)."""

    def __init__(self, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.status = status


RefusalKind = Literal["not_found", "conflict", "invalid"]
NOT_FOUND: RefusalKind = "not_found"  # an unknown session, conversation, record, channel...
CONFLICT: RefusalKind = "conflict"  # the state does not allow the action now
INVALID: RefusalKind = "invalid"  # well-formed, but against a rule (a limit, a vocabulary)


class AgentActionRefused(EngineError):
    """An agent action from the control API cannot be carried out.

    Malformed parameters never get here: the transports check them against the action's JSON
    Schema first. `kind` says why the engine refused, in the engine's own terms.
    """

    def __init__(self, message: str, kind: RefusalKind = CONFLICT) -> None:
        super().__init__(message)
        self.kind: RefusalKind = kind
