"""Literal texts the real host and library use, kept in one place so tests can pin them."""

ORIGIN_NOT_TRUSTED = (
    "Sender domain is not a recognised or is invalid and hence the message cant be processed"
)
TIMEOUT = "Timeout occurred as no response was received from listener window"
MAX_SESSIONS = "Maximum sessions reached. Close a session before opening another."
NOT_PROVIDER_SESSION = (
    "Focused session is neither the default session nor it belongs to the provider"
)
GENERIC_ONLY = "createSession supports session templates of type Generic only ({name} is {type})"
HOME_NOT_CLOSABLE = "The Home session cannot be closed"
EVENT_NAME_BLANK = "The parameter EventName is blank. Provide a value to the parameter."
HANDLER_MISSING = "Passing data parameters to addHandler is mandatory."
NOTIFICATION_TEMPLATE_NOT_FOUND = "NotificationTemplateNotFoundError"
REJECT_AFTER_CLIENT_ERROR = "RejectAfterClientError"


def template_not_found(name: str) -> str:
    """Say that no session template has this name, as the real host does."""
    return f"Did not find template by name ({name})"


def session_does_not_exist(session_id: str) -> str:
    """Say that the session id is unknown to the caller, as the real host does."""
    return f"Session with ID:{session_id} does not exist"


ANCHOR_TAB_NOT_CLOSABLE = "The anchor tab of a session cannot be closed"


def tab_template_not_found(key: str, value: str) -> str:
    """Say that no application tab template has this name (key "name") or tag (key "tag")."""
    return f"Did not find application tab template by {key} ({value})"


def tab_not_in_focused_session(tab_id: str) -> str:
    """Say that the tab is not open in the session a tab call acts on."""
    return f"Tab with ID:{tab_id} does not exist in the focused session"


def tab_not_closable(tab_id: str, template: str) -> str:
    """Say that the tab's application tab template does not allow closing it."""
    return f"Tab with ID:{tab_id} cannot be closed: its template {template} has canClose false"
