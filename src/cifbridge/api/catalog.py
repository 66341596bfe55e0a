"""Every `Microsoft.CIFramework` function: positional parameters, wire name, result encoding.

This table is the single source for the Python side and for the shim, which receives it as JSON
when it is served, so the two can never disagree about names, encodings or timeouts.
Encodings (reference §1.2): "json" resolves a JSON string, "map" a JS Map, "plain" the value.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Encoding = Literal["json", "map", "plain"]


@dataclass(frozen=True)
class ApiSpec:
    """One CIF function as the widget sees it."""

    name: str
    params: tuple[str, ...]
    message_type: str
    encoding: Encoding = "plain"
    timeout: bool = True


def _spec(name: str, params: str, message_type: str = "", **kw: object) -> ApiSpec:
    names = tuple(p for p in params.split() if p)
    return ApiSpec(name, names, message_type or name, **kw)  # type: ignore[arg-type]


_JSON: dict[str, object] = {"encoding": "json"}
_JSON_NO_TIMEOUT: dict[str, object] = {"encoding": "json", "timeout": False}

APIS: dict[str, ApiSpec] = {
    s.name: s
    for s in (
        # Communication panel (§2.1)
        _spec("setWidth", "value correlationId", "setwidth"),
        _spec("getWidth", "correlationId", "getwidth"),
        _spec("setMode", "value correlationId", "setmode"),
        _spec("getMode", "correlationId", "getmode"),
        # Records (§2.2, §2.3)
        _spec("createRecord", "entityName data correlationId", "createrecord", **_JSON),
        _spec("retrieveRecord", "entityName entityId query correlationId", "retrieverecord", **_JSON),
        _spec("updateRecord", "entityName entityId data correlationId", "updaterecord", **_JSON),
        _spec("deleteRecord", "entityName entityId correlationId", "deleterecord", **_JSON),
        _spec(
            "searchAndOpenRecords",
            "entityName queryParameters searchOnly correlationId searchType",
            "searchandopenrecords",
            **_JSON,
        ),
        _spec("renderSearchPage", "entityName searchString correlationId searchType"),
        _spec("openForm", "entityFormOptions formParameters correlationId", "openform", **_JSON_NO_TIMEOUT),
        _spec("refreshForm", "save correlationId", "refreshform", **_JSON),
        _spec("getEnvironment", "correlationId", "getenvironment", **_JSON),
        _spec("getEntityMetadata", "entityName attributes correlationId", **_JSON),
        _spec("setClickToAct", "value correlationId", "setclicktoact"),
        _spec("getClickToAct", "correlationId", "getclicktoact"),
        _spec("updateContext", "input sessionId isDelete correlationId"),
        _spec("updateConversation", "id data correlationId", **_JSON),
        # Events (§2.4)
        _spec("addHandler", "eventName handler", "addGenericHandler"),
        _spec("removeHandler", "eventName handler", "removeGenericHandler"),
        _spec("raiseEvent", "eventName eventInputParameters correlationId"),
        # Notifications (§2.5)
        _spec("notifyEvent", "input correlationId cancellationToken", **_JSON_NO_TIMEOUT),
        _spec("cancelEvent", "cancellationToken correlationId"),
        # Tabs (§2.6)
        _spec("createTab", "input correlationId"),
        _spec("createTabInHomeSession", "input correlationId"),
        _spec("getTabs", "name tags correlationId", "getTabsByTagOrName"),
        _spec("focusTab", "tabId correlationId"),
        _spec("getFocusedTab", "correlationId"),
        _spec("refreshTab", "tabId correlationId"),
        _spec("setTabTitle", "tabId input correlationId"),
        _spec("closeTab", "tabId correlationId"),
        # Sessions (§2.7)
        _spec("canCreateSession", "correlationId"),
        _spec("createSession", "input correlationId providerSessionId"),
        _spec("getSession", "sessionId correlationId", encoding="map"),
        _spec("getFocusedSession", "correlationId"),
        _spec("getAllSessions", "correlationId"),
        _spec("setSessionTitle", "input correlationId"),
        _spec("requestFocusSession", "sessionId messagesCount correlationId"),
        # Indicators, presence, analytics (§2.8-2.10)
        _spec("notifyKpiBreach", "sessionId shouldReset details correlationId"),
        _spec("notifyNewActivity", "sessionId count shouldReset correlationId"),
        _spec("setPresence", "presenceText correlationId"),
        _spec("getPresence", "correlationId"),
        _spec("logAnalyticsEvent", "data eventName correlationId"),
        _spec("initLogAnalytics", "data correlationId"),
        # Present in the library, not in the public docs (§2.11)
        _spec("isConsoleApp", "correlationId"),
        _spec(
            "insertNotes",
            "entityName entitySetName entityId annotationId correlationId",
            **_JSON_NO_TIMEOUT,
        ),
        _spec("closeNotes", "correlationId"),
        _spec("openKBSearchControl", "value correlationId", "openkbsearchcontrol"),
        _spec("setAgentPresence", "presenceInfo correlationId"),
        _spec("initializeAgentPresenceList", "presenceList correlationId"),
    )
}

BUILT_IN_EVENTS = (
    "onclicktoact",
    "onmodechanged",
    "onsizechanged",
    "onpagenavigate",
    "onsendkbarticle",
    "onSessionSwitched",
    "onSessionClosed",
    "onPresenceChange",
)


def shim_table() -> dict[str, dict[str, object]]:
    """Return what the shim needs to know of each function."""
    return {
        s.name: {"params": list(s.params), "encoding": s.encoding, "timeout": s.timeout}
        for s in APIS.values()
    }
