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


# Presence, panel, context (reference §1.4, §2.1, §2.3, §2.9, §2.11).
NOT_ACTIVE_PROVIDER = "This operation can be performed from the active provider"
INVALID_SESSION_ID = "Please provide valid session id"
PRESENCE_INFO_INVALID = (
    "setAgentPresence: presenceInfo must be a presence {presenceId, presenceText, presenceColor,"
    " basePresenceStatus} or its JSON text"
)
PRESENCE_LIST_INVALID = (
    "initializeAgentPresenceList: presenceList must be an array of presences {presenceId,"
    " presenceText, presenceColor, basePresenceStatus} or its JSON text"
)
UPDATE_CONTEXT_INPUT = (
    "updateContext: input must be an object of values, or with isDelete an array of names"
)
UPDATE_CONVERSATION_DATA = "updateConversation: data must be an object or its JSON text"


def record_does_not_exist(entity: str, record_id: str) -> str:
    """Say that a Dataverse record is missing, as Dataverse does."""
    return f"{entity} With Id = {record_id} Does Not Exist"


# Records (reference §2.2, §2.3): Dataverse's own texts where known, else a plain sentence.
ACTIVE_PROVIDER_ONLY = "This operation can be performed from the active provider"
LOOKUP_VALUE_NOT_WRITABLE = (
    "CRM do not support direct update of Entity Reference properties, "
    "Use Navigation properties instead."
)
DUPLICATE_RECORD = "A record with matching key values already exists."
EXAMPLE_GUID = "7b2d5c0e-1a2b-4c3d-8e9f-001122334455"
FORM_ENTITY_NAME_MISSING = "entityFormOptions must name the entity to open (entityName)"


def entity_not_found(name: str) -> str:
    """Say that no entity has this logical name, as Dataverse does."""
    return (
        f"The entity with a name = '{name}' with namemapping = 'Logical' was not found in the "
        "MetadataCache."
    )


def record_not_found(entity: str, record_id: str) -> str:
    """Say that the record does not exist, as Dataverse does."""
    return f"Entity '{entity}' With Id = {record_id} Does Not Exist"


def property_not_found(entity: str, name: str) -> str:
    """Say that a query names a property the entity does not have, as OData does."""
    return f"Could not find a property named '{name}' on type 'Microsoft.Dynamics.CRM.{entity}'."


def property_not_on_type(entity: str, name: str) -> str:
    """Say that a payload sets a property the entity does not have, as OData does."""
    return (
        f"The property '{name}' does not exist on type 'Microsoft.Dynamics.CRM.{entity}'. "
        "Make sure to only use property names that are defined by the type."
    )


def undeclared_navigation(name: str) -> str:
    """Say that an @odata.bind names no navigation property, as OData does."""
    return (
        f"An undeclared property '{name}' which only has property annotations in the payload "
        "but no property value was found in the payload. In OData, only declared navigation "
        "properties and declared named streams can be represented as properties without values."
    )


def not_convertible(value: object, edm_type: str) -> str:
    """Say that a value does not fit the attribute's type, as OData does."""
    return f"Cannot convert the literal '{value}' to the expected type 'Edm.{edm_type}'."


def option_out_of_range(value: object, name: str, entity: str, accepted: str) -> str:
    """Say that an option set value is not one of the options, as Dataverse does."""
    return (
        f"The value {value} of '{name}' on record of type '{entity}' is outside the valid "
        f"range. Accepted Values: {accepted}"
    )


def invalid_record_id(value: str) -> str:
    """Say that a record id is not a GUID."""
    return f"'{value}' is not a valid record id: expected a GUID such as {EXAMPLE_GUID}"


def unsupported_query_option(name: str) -> str:
    """Say that a query option is not supported, as OData does."""
    return f"The query parameter '{name}' is not supported."


def odata_syntax_error(position: int, text: str) -> str:
    """Say where a $filter fails to parse, as Dataverse does."""
    return f"Syntax error at position {position} in '{text}'."


WORKSPACE_RESET = "cifbridge: the workspace was reset before the agent answered"
BRIDGE_STOPPED = "cifbridge: the bridge stopped before the agent answered"


# Conversations (issue 5): the sentiment alert's tooltip [DOC-OC] and the agent-side refusals.
SENTIMENT_ALERT_TOOLTIP = "{title}. Urgent attention is needed in your conversation."
RECONNECT_PROMPT_UNAUTHENTICATED = (
    "Only authenticated customers are prompted to continue; a visitor reconnects with the link"
)


def conversation_state_refused(conversation_id: str, state: str, doing: str) -> str:
    """Say that a conversation's state does not allow what was asked."""
    return f"Conversation {conversation_id} is {state}, so it cannot {doing}"


def elevation_refused(source: str, target: str, allowed: tuple[str, ...]) -> str:
    """Say that the elevation table has no such pair, and what the contact can become."""
    contacts = f"{source[:1].upper()}{source[1:]} contacts"
    if not allowed:
        return f"{contacts} cannot be elevated (asked for {target})"
    return f"{contacts} can be elevated to {' or '.join(allowed)} only, not to {target}"
