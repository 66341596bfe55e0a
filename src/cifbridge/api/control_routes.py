"""The control API's one route table: each route's name, method, path, action, body and answer.

Everything about the control API's surface comes from here: the aiohttp routes
(`web/control/__init__.py`), the Python clients (`clients/`), the contract runner's agent steps
(`contracts/agent_routes.py`) and the workspace page, which gets the table as JSON and calls
routes by name (`static/workspace/modules/api.js`). Only the standard library is imported, so
clients use the table without aiohttp.

Rules:
- `name` is unique and is how clients call a route; a route serving an engine agent action is
  named after it, unless two routes serve one action (a notification answered by id or not);
- `path` placeholders are the action's keyword names (snake_case), filled from the URL;
- `action` is an engine agent action (`Engine.agent`), or one of HANDLER_KINDS for what the web
  layer answers by itself (views, reset, journal, clock, this table);
- `body` names the JSON Schema `schemas/control/<body>.json` that the request body must
  satisfy before the engine is called; None: the route reads no body. A body's fields become
  the action's keywords (camelCase on the wire, snake_case in Python), except the bodies named
  in WHOLE_BODIES, which the action takes whole as one keyword;
- `answer` is the kind of JSON that comes back, one of ANSWERS;
- QUERIES names the query parameters a route reads (the OpenAPI document lists them);
- `resource` is the module of `web/control/` that serves the route.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote, urlencode

CONTROL_SCHEMA_PREFIX = "urn:cifbridge:control:"
# Every control route lives under this path; the security layer guards what starts with it.
CONTROL_PATH_PREFIX = "/api/"
HANDLER_KINDS = frozenset(
    {"view", "reset", "journal", "clock", "advanceClock", "routes", "openapi"}
    | {"setFault", "listFaults", "clearFault", "clearFaults"}
    | {"exportState", "importState"}
    | {"listAgents", "removeAgent"}
    | {"routeConversation", "getRouting", "getRoutedConversation"}
)
# Served only at /api/...: they are about the bridge's agents, not one agent's workspace.
# Every other route is also served at /agents/{agent}/api/... for that agent (AGENT_PREFIX).
ORG_ROUTES = frozenset(
    {"listAgents", "removeAgent", "routeConversation", "getRouting", "getRoutedConversation"}
)
AGENT_PREFIX = "/agents/{agent}"
WHOLE_BODIES = {"attributes": "data"}  # Web API attributes: the record, not keywords
ANSWERS = {
    "workspace": "the workspace view",
    "presences": '{"presence": presenceInfo, "presences": [presenceInfo]}',
    "presence": '{"presence": presenceInfo}',
    "panel": '{"mode", "width", "activeProvider"}',
    "value": "what the engine action answers",
    "notifications": "the displayed notification and the queue",
    "answered": 'the notifications view plus "answered": <notification id>',
    "conversations": "capacity, thresholds and every conversation",
    "conversation": "one conversation's view",
    "result": '{"result": <what the action answers>, "conversation": <its view>}',
    "entities": '{"value": [entity metadata]}',
    "created": "the record created, with status 201",
    "deleted": '{"entityType", "id"}',
    "empty": "{}",
    "clock": '{"now": <seconds since the epoch>}',
    "journal": '{"entries": [journal entries], "dropped": <entries the bound dropped>, "size"}'
    " (JSON Lines with ?format=jsonl)",
    "fault": '{"fault": the fault set, "connections": [ids dropped]}, with status 201',
    "faults": '{"faults": [the faults standing, oldest first]}',
    "routes": '{"routes": [this table]}',
    "openapi": "the OpenAPI 3.1 description of this API",
    "state": "the whole state as a file holds it (schemas/state/export.json)",
    "agents": '{"agents": [{"agent", "sessions", "focusedSessionId", "presence"}]}',
    "routing": '{"cursor", "queue": [routed], "offers": [routed], "finished": [routed]}',
    "routed": '{"routingId", "state", "agent", "conversationId", "declinedBy", ...}',
}
# The query string each route reads, by route name: (name, JSON Schema, what it says).
# The records' OData options are the ones the engine's dataverse/odata.py takes.
_TEXT: dict[str, Any] = {"type": "string"}
_SELECT = ("$select", _TEXT, "Web API properties to return, comma-separated.")
_EXPAND = ("$expand", _TEXT, "Lookups to follow, e.g. parentcustomerid_account($select=name).")
QUERIES: dict[str, tuple[tuple[str, dict[str, Any], str], ...]] = {
    "getJournal": (
        ("since", {"type": "integer"}, "Only the entries numbered after this (default 0)."),
        ("api", _TEXT, "Only the calls of this CIF function."),
        (
            "kind",
            _TEXT,
            "Entry kinds, comma-separated (call, answer, event, fault) or all; calls and answers"
            " when left out.",
        ),
        ("format", {"enum": ["json", "jsonl"]}, "jsonl: JSON Lines, one entry per line."),
    ),
    "listRecords": (
        _SELECT,
        ("$filter", _TEXT, "An OData filter, e.g. fullname eq 'Ana'."),
        ("$orderby", _TEXT, "Properties with asc or desc, comma-separated."),
        ("$top", {"type": "integer", "minimum": 0}, "At most this many records."),
        _EXPAND,
        ("$search", _TEXT, "Records whose primary name or a text attribute holds this."),
    ),
    "getRecord": (_SELECT, _EXPAND),
    "reset": (
        (
            "records",
            {"enum": ["true", "false"]},
            "Start the org's records over too: true by default at /api/reset (the default"
            " agent), false at /agents/{agent}/api/reset.",
        ),
    ),
}
_PLACEHOLDER = re.compile(r"\{(\w+)\}")


@dataclass(frozen=True)
class Route:
    """One route of the control API."""

    name: str
    method: str
    path: str
    action: str
    body: str | None
    summary: str
    answer: str
    resource: str

    @property
    def placeholders(self) -> tuple[str, ...]:
        """Return the names of the path's placeholders, in order."""
        return tuple(_PLACEHOLDER.findall(self.path))

    @property
    def query(self) -> tuple[tuple[str, dict[str, Any], str], ...]:
        """Return the query parameters the route reads: (name, JSON Schema, description)."""
        return QUERIES.get(self.name, ())

    @property
    def schema_id(self) -> str | None:
        """Return the `$id` of the body's schema, or None when the route reads no body."""
        return None if self.body is None else CONTROL_SCHEMA_PREFIX + self.body

    def url(
        self, path_params: Mapping[str, Any] | None = None, query: Mapping[str, Any] | None = None
    ) -> str:
        """Return the path with its placeholders filled (each quoted) and the query appended."""
        values = dict(path_params or {})
        missing = [p for p in self.placeholders if p not in values]
        if missing:
            raise KeyError(f"{self.name} needs {', '.join(missing)}")
        path = _PLACEHOLDER.sub(lambda m: quote(str(values[m.group(1)]), safe=""), self.path)
        given = {k: v for k, v in (query or {}).items() if v is not None}
        return f"{path}?{urlencode(given)}" if given else path

    def to_json(self) -> dict[str, Any]:
        """Return the route as the workspace page and GET /api/routes describe it."""
        return {
            "name": self.name,
            "method": self.method,
            "path": self.path,
            "body": self.schema_id,
            "summary": self.summary,
            "answer": self.answer,
        }


def _routes(resource: str, *rows: tuple[str, str, str, str, str | None, str, str]) -> list[Route]:
    return [Route(*row, resource=resource) for row in rows]


# (name, method, path, action, body schema, summary, answer)
ROUTES: tuple[Route, ...] = (
    *_routes(
        "workspace",
        ("getWorkspace", "GET", "/api/workspace", "view", None,
         "Return the workspace view", "workspace"),
        ("focusSession", "POST", "/api/sessions/{session_id}/focus", "focusSession", None,
         "Switch to a session (fires onSessionSwitched)", "workspace"),
        ("closeSession", "DELETE", "/api/sessions/{session_id}", "closeSession", None,
         "Close a session (fires onSessionClosed)", "workspace"),
        ("reset", "POST", "/api/reset", "reset", None,
         "Start over with only the Home session, an empty journal and no faults", "workspace"),
        ("getJournal", "GET", "/api/journal", "journal", None,
         "Return the entries after ?since=N: calls, or ?kind=event,fault,all; ?api=; "
         "?format=jsonl", "journal"),
        ("getClock", "GET", "/api/clock", "clock", None,
         "Return the bridge's current time", "clock"),
        ("advanceClock", "POST", "/api/clock/advance", "advanceClock", "advanceClock",
         "Fast-forward the clock, firing what falls due", "clock"),
        ("listRoutes", "GET", "/api/routes", "routes", None,
         "Return this route table", "routes"),
        ("getOpenApi", "GET", "/api/openapi.json", "openapi", None,
         "Return the OpenAPI 3.1 description of this API", "openapi"),
    ),
    *_routes(
        "agents",
        ("listAgents", "GET", "/api/agents", "listAgents", None,
         "Return the agents this bridge hosts, each with its workspace in brief", "agents"),
        ("removeAgent", "DELETE", "/api/agents/{agent_name}", "removeAgent", None,
         "Remove an agent: its waiting calls are answered, its workspace and journal go",
         "agents"),
    ),
    *_routes(
        "routing",
        ("routeConversation", "POST", "/api/routing/conversations", "routeConversation",
         "routeConversation", "A conversation arrives and is offered to one agent, or queued",
         "routed"),
        ("getRouting", "GET", "/api/routing", "getRouting", None,
         "Return the routing queue, the offers standing and what finished", "routing"),
        ("getRoutedConversation", "GET", "/api/routing/conversations/{routing_id}",
         "getRoutedConversation", None, "Return one routed conversation", "routed"),
    ),
    *_routes(
        "state",
        ("exportState", "POST", "/api/state/export", "exportState", "noFields",
         "Return the whole state: workspace, clock and journal, as a file holds it", "state"),
        ("importState", "POST", "/api/state/import", "importState", "importState",
         "Replace the workspace, clock and journal with an exported state", "workspace"),
    ),
    *_routes(
        "faults",
        ("setFault", "POST", "/api/faults", "setFault", "setFault",
         "Make calls fail, answer late or never, delay or drop events, drop connections",
         "fault"),
        ("listFaults", "GET", "/api/faults", "listFaults", None,
         "Return the faults standing", "faults"),
        ("clearFault", "DELETE", "/api/faults/{fault_id}", "clearFault", None,
         "Clear one fault", "faults"),
        ("clearFaults", "DELETE", "/api/faults", "clearFaults", None,
         "Clear every fault", "faults"),
    ),
    *_routes(
        "agent",
        ("getPresence", "GET", "/api/presence", "view", None,
         "Return the presence in effect and the presences to choose from", "presences"),
        ("setPresence", "POST", "/api/presence", "setPresence", "setPresence",
         "Pick a presence by its text or id (fires onPresenceChange)", "presence"),
        ("getPanel", "GET", "/api/panel", "view", None,
         "Return the panel's mode and width and whose widget it shows", "panel"),
        ("setPanel", "POST", "/api/panel", "setPanel", "setPanel",
         "Toggle or resize the panel (fires onmodechanged, onsizechanged)", "value"),
        ("clickToAct", "POST", "/api/click-to-act", "clickToAct", "clickToAct",
         "Click a phone number on a form (fires onclicktoact)", "value"),
        ("navigate", "POST", "/api/navigate", "navigate", "navigate",
         "Navigate the main page (fires onpagenavigate)", "value"),
        ("sendKbArticle", "POST", "/api/kb-articles/send", "sendKbArticle", "sendKbArticle",
         "Send a knowledge article (fires onsendkbarticle)", "value"),
        ("raiseEvent", "POST", "/api/events/{event_name}", "raiseEvent", "raiseEvent",
         "Raise a custom event to one provider's widgets, or to all", "value"),
        ("linkConversation", "POST", "/api/sessions/{session_id}/conversation",
         "linkConversation", "linkConversation", "Give a session its conversation", "value"),
    ),
    *_routes(
        "notifications",
        ("listNotifications", "GET", "/api/notifications", "view", None,
         "Return the displayed notification and the queue", "notifications"),
        ("acceptNotification", "POST", "/api/notifications/accept", "acceptNotification", None,
         "Press Accept on the displayed notification", "answered"),
        ("rejectNotification", "POST", "/api/notifications/reject", "rejectNotification", None,
         "Press Reject on the displayed notification", "answered"),
        ("acceptNotificationById", "POST", "/api/notifications/{notification_id}/accept",
         "acceptNotification", None, "Press Accept on the notification named", "answered"),
        ("rejectNotificationById", "POST", "/api/notifications/{notification_id}/reject",
         "rejectNotification", None, "Press Reject on the notification named", "answered"),
    ),
    *_routes(
        "records",
        ("listEntities", "GET", "/api/entities", "listEntities", None,
         "Return every entity's metadata with all its attributes", "entities"),
        ("listRecords", "GET", "/api/records/{entity_name}", "listRecords", None,
         "Return an entity's records; the query string takes OData options", "value"),
        ("createRecord", "POST", "/api/records/{entity_name}", "createRecord", "attributes",
         "Create a record from Web API attributes", "created"),
        ("getRecord", "GET", "/api/records/{entity_name}/{record_id}", "getRecord", None,
         "Return one record ($select and $expand allowed)", "value"),
        ("updateRecord", "PATCH", "/api/records/{entity_name}/{record_id}", "updateRecord",
         "attributes", "Save the agent's edits to a record", "value"),
        ("deleteRecord", "DELETE", "/api/records/{entity_name}/{record_id}", "deleteRecord",
         None, "Delete a record", "deleted"),
        ("getForm", "GET", "/api/forms/{tab_id}", "getForm", None,
         "Return the create form a tab holds", "value"),
        ("saveForm", "POST", "/api/forms/{tab_id}/save", "saveForm", "attributes",
         "Save a create form with these attributes", "value"),
        ("cancelForm", "POST", "/api/forms/{tab_id}/cancel", "cancelForm", None,
         "Discard a create form and close its tab", "empty"),
    ),
    *_routes(
        "overlays",
        ("listDialogs", "GET", "/api/dialogs", "listDialogs", None,
         "Return the open dialogs (openDialog, openMDDDialog), the one shown first", "value"),
        ("answerDialog", "POST", "/api/dialogs/answer", "answerDialog", "answerDialog",
         "Press OK or Cancel on the dialog shown; its widget's promise resolves", "value"),
        ("listMessageBars", "GET", "/api/message-bars", "listMessageBars", None,
         "Return the message bars across the workspace", "value"),
        ("closeMessageBar", "POST", "/api/message-bars/{bar_id}/close", "closeMessageBar",
         None, "Press a message bar's close button", "value"),
        ("clickMessageBarAction", "POST", "/api/message-bars/{bar_id}/action",
         "clickMessageBarAction", None, "Click a message bar's action link", "value"),
        ("getNotes", "GET", "/api/notes", "getNotes", None,
         "Return the open notes flap (insertNotes)", "value"),
        ("saveNotes", "POST", "/api/notes/save", "saveNotes", "saveNotes",
         "Save the note (an annotation of the record); insertNotes resolves its id", "value"),
        ("cancelNotes", "POST", "/api/notes/cancel", "cancelNotes", None,
         "Close the notes flap without saving", "empty"),
    ),
    *_routes(
        "tabs",
        ("openTab", "POST", "/api/sessions/{session_id}/tabs", "openTab", "openTab",
         "Open a tab from an application tab template (the + menu)", "workspace"),
        ("focusTab", "POST", "/api/sessions/{session_id}/tabs/{tab_id}/focus", "focusTab",
         None, "Focus a tab of a session", "workspace"),
        ("closeTab", "DELETE", "/api/sessions/{session_id}/tabs/{tab_id}", "closeTab", None,
         "Close a tab of a session", "workspace"),
    ),
    *_routes(
        "conversations",
        ("listConversations", "GET", "/api/conversations", "view", None,
         "Return capacity, thresholds and every conversation", "conversations"),
        ("arriveConversation", "POST", "/api/conversations", "arriveConversation",
         "arriveConversation", "A customer starts a conversation on a channel", "result"),
        ("followReconnectLink", "POST", "/api/reconnect", "reconnectCustomer",
         "followReconnectLink", "A customer follows a reconnect link", "result"),
        ("getConversation", "GET", "/api/conversations/{conversation_id}", "view", None,
         "Return one conversation", "conversation"),
        *(
            (action, "POST", f"/api/conversations/{{conversation_id}}/{verb}", action, body,
             summary, "result")
            for verb, action, body, summary in (
                ("messages", "customerMessage", "customerMessage", "The customer writes"),
                ("sentiment", "setSentiment", "setSentiment", "The sentiment changes"),
                ("disconnect", "disconnectCustomer", "noFields", "The chat customer drops"),
                ("close-window", "closeWindow", "noFields",
                 "The customer closes the chat window (or hangs up)"),
                ("reconnect", "reconnectCustomer", "reconnectCustomer",
                 "An authenticated customer answers the reconnect prompt"),
                ("accept", "acceptConversation", "noFields", "Accept its notification"),
                ("reject", "rejectConversation", "noFields", "Reject its notification"),
                ("offer", "offerConversation", "noFields", "Offer an open conversation again"),
                ("replies", "agentReply", "agentReply", "The agent answers"),
                ("elevate", "elevateConversation", "elevateConversation",
                 "Continue the contact on another channel"),
                ("end", "endConversation", "noFields", "End the contact: it moves to wrap-up"),
                ("wrap-up", "wrapUpConversation", "wrapUpConversation",
                 "Finish the post-contact work with a disposition"),
                ("close-session", "closeConversationSession", "noFields",
                 "Close the session holding the contact"),
            )
        ),
    ),
)  # fmt: skip
BY_NAME: dict[str, Route] = {route.name: route for route in ROUTES}


def route(name: str) -> Route:
    """Return the route called `name`."""
    found = BY_NAME.get(name)
    if found is None:
        raise KeyError(f"no control route is called {name!r}")
    return found


def table_json() -> list[dict[str, Any]]:
    """Return the whole table as JSON-ready data."""
    return [r.to_json() for r in ROUTES]
