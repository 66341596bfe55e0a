"""JSON Schemas of what the control API answers: one per answer kind, and the error body.

The OpenAPI document (api/openapi.py) puts them in `components.schemas` and each route's
success response refers to the one of its `answer` kind (api/control_routes.ANSWERS). They
describe the views of engine/views/ and the shapes the web/control/ modules build: the fields
a client relies on are required, and every object stays open to fields added later.
"""

from __future__ import annotations

from typing import Any

Schema = dict[str, Any]


def ref(name: str) -> Schema:
    """Return a reference to a schema of the document's components."""
    return {"$ref": f"#/components/schemas/{name}"}


def _object(required: dict[str, Schema], description: str = "", **optional: Schema) -> Schema:
    schema: Schema = {
        "type": "object",
        "properties": {**required, **optional},
        "required": sorted(required),
    }
    if description:
        schema["description"] = description
    return schema


def _nullable(kind: str) -> Schema:
    return {"type": [kind, "null"]}


STRING: Schema = {"type": "string"}
NUMBER: Schema = {"type": "number"}
INTEGER: Schema = {"type": "integer"}
BOOLEAN: Schema = {"type": "boolean"}
ANY: Schema = {"description": "Any JSON value."}
OBJECT: Schema = {"type": "object"}

ERROR_BODY = _object(
    {"error": _object({"message": STRING}, "Why the request was refused and what to change.")},
    "The one error body of the control API (web/errors.py).",
)

TAB = _object(
    {"id": STRING, "title": STRING, "template": STRING, "pageType": STRING, "anchor": BOOLEAN},
    closable=BOOLEAN,
    parameters=OBJECT,
    refreshCount=INTEGER,
)
SESSION = _object(
    {
        "id": STRING,
        "title": STRING,
        "providerId": _nullable("string"),
        "focused": BOOLEAN,
        "tabs": {"type": "array", "items": ref("Tab")},
    },
    "A session; the Home session has no provider.",
    template=_nullable("string"),
    focusedTabId=_nullable("string"),
    conversationId=_nullable("string"),
    unread=INTEGER,
    context=ANY,
)
PANEL = _object({"mode": INTEGER, "width": INTEGER}, "The communication panel.")
NOTIFICATIONS = _object(
    {
        "displayed": {"anyOf": [OBJECT, {"type": "null"}], "description": "The toast shown."},
        "queued": {"type": "array", "items": OBJECT},
        "queueLength": INTEGER,
        "maxQueued": INTEGER,
    },
    "The displayed notification and the queue behind it.",
)
CONVERSATION = _object(
    {
        "conversationId": STRING,
        "channel": STRING,
        "providerId": STRING,
        "state": {"enum": ["open", "active", "waiting", "wrapup", "closed"]},
        "sessionId": _nullable("string"),
        "messages": {"type": "array", "items": OBJECT},
    },
    "One conversation (a live work item) with its timers and sentiment.",
    sentiment=STRING,
    customer=OBJECT,
)
CONVERSATIONS = _object(
    {
        "now": NUMBER,
        "capacity": OBJECT,
        "channels": {"type": "array", "items": OBJECT},
        "conversations": {"type": "array", "items": ref("Conversation")},
    },
    "Capacity, thresholds and every conversation.",
    sentimentLevels={"type": "array", "items": STRING},
)
OVERLAYS = _object(
    {
        "dialogs": {"type": "array", "items": OBJECT, "description": "The shown one first."},
        "messageBars": {"type": "array", "items": OBJECT},
        "progress": _nullable("object"),
        "notes": _nullable("object"),
    },
    "What widgets lay over the workspace: dialogs, message bars, progress, the notes flap.",
)
WORKSPACE = _object(
    {
        "focusedSessionId": STRING,
        "maxSessions": INTEGER,
        "canCreateSession": BOOLEAN,
        "panel": ref("Panel"),
        "sessions": {"type": "array", "items": ref("Session")},
        "providers": {"type": "array", "items": OBJECT},
        "presence": _nullable("object"),
        "presences": {"type": "array", "items": OBJECT},
        "activeProvider": _nullable("string"),
        "notifications": ref("Notifications"),
        "omnichannel": ref("Conversations"),
    },
    "Everything the agent sees (the workspace page draws this).",
    tabTemplates={"type": "array", "items": OBJECT},
    overlays=ref("Overlays"),
    conversations={**OBJECT, "description": "The conversations' raw state, by id."},
    analytics={"type": "array", "items": OBJECT, "description": "logAnalyticsEvent's events."},
    recordsVersion={**INTEGER, "description": "Bumped by every write to the org's records."},
)
ROUTE = _object(
    {
        "name": STRING,
        "method": STRING,
        "path": STRING,
        "body": _nullable("string"),
        "summary": STRING,
        "answer": STRING,
    }
)

FAULT = _object(
    {
        "id": STRING,
        "target": {"enum": ["call", "event", "connection"]},
        "effect": STRING,
        "remaining": _nullable("integer"),
        "fired": INTEGER,
    },
    "A fault standing (web/faults.py): its body as set, what is left of it and how often it fired.",
)

ROUTED = _object(
    {
        "routingId": STRING,
        "channel": STRING,
        "state": {"enum": ["queued", "offered", "accepted", "abandoned", "failed"]},
        "target": _nullable("string"),
        "agent": _nullable("string"),
        "conversationId": _nullable("string"),
        "declinedBy": {"type": "array", "items": STRING},
        "history": {"type": "array", "items": OBJECT},
        "arrival": OBJECT,
    },
    "A conversation routing placed or holds (web/routing.py): queued, offered to `agent` (its"
    " id in that agent's workspace is `conversationId`), accepted by it, abandoned by the"
    " customer, or failed (`reason`); `declinedBy` never get it again.",
    reason=STRING,
)

# By answer kind (control_routes.ANSWERS); StateExport is schemas/state/export.json, which the
# builder brings in with importState's body.
ANSWER_SCHEMAS: dict[str, Schema] = {
    "workspace": ref("Workspace"),
    "presences": _object(
        {"presence": _nullable("object"), "presences": {"type": "array", "items": OBJECT}}
    ),
    "presence": _object({"presence": _nullable("object")}),
    "panel": _object({"mode": INTEGER, "width": INTEGER, "activeProvider": _nullable("string")}),
    "value": ANY,
    "notifications": ref("Notifications"),
    "answered": {
        **NOTIFICATIONS,
        "properties": {**NOTIFICATIONS["properties"], "answered": ANY},
        "required": sorted([*NOTIFICATIONS["required"], "answered"]),
        "description": "The notifications view after the answer; `answered` names the one.",
    },
    "conversations": ref("Conversations"),
    "conversation": ref("Conversation"),
    "result": _object(
        {"result": ANY, "conversation": {"anyOf": [ref("Conversation"), {"type": "null"}]}}
    ),
    "entities": _object({"value": {"type": "array", "items": OBJECT}}),
    "created": {**OBJECT, "description": "The record created, in the Web API form."},
    "deleted": _object({"entityType": STRING, "id": STRING}),
    "empty": {"type": "object", "maxProperties": 0},
    "clock": _object({"now": NUMBER}, "Seconds since the epoch on the bridge's clock."),
    "journal": _object(
        {"entries": {"type": "array", "items": OBJECT}, "dropped": INTEGER, "size": INTEGER},
        "`dropped`: entries the size bound let go since the last reset; `size`: the bound.",
    ),
    "fault": _object(
        {"fault": ref("Fault")},
        "The fault set; a connection fault also lists the `connections` it dropped.",
        connections={"type": "array", "items": STRING},
    ),
    "faults": _object({"faults": {"type": "array", "items": ref("Fault")}}),
    "routes": _object({"routes": {"type": "array", "items": ref("Route")}}),
    "openapi": _object({"openapi": STRING, "paths": OBJECT}),
    "state": ref("StateExport"),
    "agents": _object(
        {
            "agents": {
                "type": "array",
                "items": _object(
                    {"agent": STRING, "sessions": INTEGER},
                    focusedSessionId=STRING,
                    presence=_nullable("string"),
                ),
            }
        },
        "The agents this bridge hosts, the default one first, each with its workspace in brief.",
    ),
    "routing": _object(
        {
            "cursor": _nullable("string"),
            "queue": {"type": "array", "items": ref("RoutedConversation")},
            "offers": {"type": "array", "items": ref("RoutedConversation")},
            "finished": {"type": "array", "items": ref("RoutedConversation")},
        },
        "The queue (oldest first), the offers standing, the latest finished conversations and"
        " the agent round robin chose last.",
    ),
    "routed": ref("RoutedConversation"),
}

# The shared pieces the answers refer to, by component name.
SHARED_SCHEMAS: dict[str, Schema] = {
    "Error": ERROR_BODY,
    "Tab": TAB,
    "Session": SESSION,
    "Panel": PANEL,
    "Notifications": NOTIFICATIONS,
    "Conversation": CONVERSATION,
    "Conversations": CONVERSATIONS,
    "Overlays": OVERLAYS,
    "Workspace": WORKSPACE,
    "Route": ROUTE,
    "Fault": FAULT,
    "RoutedConversation": ROUTED,
}
