"""Every `Microsoft.CIFramework` function: positional parameters, wire name, result encoding.

This table is the single source for the Python side and for the shim, which receives it as JSON
when it is served, so the two can never disagree about names, encodings or timeouts.
Encodings (reference §1.2): "json" resolves a JSON string, "map" a JS Map, "plain" the value.
Functions are grouped by section, the name of the feature that handles them (one name per
feature: tests/test_feature_names.py).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Literal

Encoding = Literal["json", "map", "plain"]


@dataclass(frozen=True)
class ApiSpec:
    """One CIF function as the widget sees it; `section` names the feature that handles it."""

    name: str
    params: tuple[str, ...]
    message_type: str
    encoding: Encoding = "plain"
    timeout: bool = True
    section: str = ""  # filled from SECTIONS
    # Never changes the workspace or the records (checked per handler; tests/engine/
    # test_reads_only.py calls each on a populated workspace): shared stores answer it from
    # the process's copy, revalidated by revision, without taking the workspace lock.
    reads_only: bool = False


def _spec(
    name: str,
    params: str,
    message_type: str = "",
    encoding: Encoding = "plain",
    timeout: bool = True,
    *,
    reads_only: bool = False,
) -> ApiSpec:
    return ApiSpec(
        name, tuple(params.split()), message_type or name, encoding, timeout, reads_only=reads_only
    )


def _json(
    name: str,
    params: str,
    message_type: str = "",
    timeout: bool = True,
    *,
    reads_only: bool = False,
) -> ApiSpec:
    return _spec(name, params, message_type, "json", timeout, reads_only=reads_only)


# Section -> its functions. A section is the name of the feature that handles its functions
# (engine/cif/<section>.py), of its contract folder and of its engine tests.
SECTIONS: dict[str, tuple[ApiSpec, ...]] = {
    # Communication panel (§2.1)
    "panel": (
        _spec("setWidth", "value correlationId", "setwidth"),
        _spec("getWidth", "correlationId", "getwidth", reads_only=True),
        _spec("setMode", "value correlationId", "setmode"),
        _spec("getMode", "correlationId", "getmode", reads_only=True),
    ),
    # Records, search and forms (§2.2, §2.3)
    "records": (
        _json("createRecord", "entityName data correlationId", "createrecord"),
        _json(
            "retrieveRecord",
            "entityName entityId query correlationId",
            "retrieverecord",
            reads_only=True,
        ),
        _json("updateRecord", "entityName entityId data correlationId", "updaterecord"),
        _json("deleteRecord", "entityName entityId correlationId", "deleterecord"),
        _json(
            "searchAndOpenRecords",
            "entityName queryParameters searchOnly correlationId searchType",
            "searchandopenrecords",
        ),
        _spec("renderSearchPage", "entityName searchString correlationId searchType"),
        _json(
            "openForm", "entityFormOptions formParameters correlationId", "openform", timeout=False
        ),
        _json("getEntityMetadata", "entityName attributes correlationId", reads_only=True),
    ),
    # The host's context around a call (§2.3)
    "context": (
        _json("getEnvironment", "correlationId", "getenvironment", reads_only=True),
        _spec("updateContext", "input sessionId isDelete correlationId"),
        _json("updateConversation", "id data correlationId"),
    ),
    # Events and click-to-act (§2.3, §2.4)
    "events": (
        _spec("setClickToAct", "value correlationId", "setclicktoact"),
        _spec("getClickToAct", "correlationId", "getclicktoact", reads_only=True),
        _spec("addHandler", "eventName handler", "addGenericHandler"),
        _spec("removeHandler", "eventName handler", "removeGenericHandler"),
        _spec("raiseEvent", "eventName eventInputParameters correlationId"),
    ),
    # Notifications (§2.5)
    "notifications": (
        _json("notifyEvent", "input correlationId cancellationToken", timeout=False),
        _spec("cancelEvent", "cancellationToken correlationId"),
    ),
    # Tabs (§2.6)
    "tabs": (
        _spec("createTab", "input correlationId"),
        _spec("createTabInHomeSession", "input correlationId"),
        _spec("getTabs", "name tags correlationId", "getTabsByTagOrName", reads_only=True),
        _spec("focusTab", "tabId correlationId"),
        _spec("getFocusedTab", "correlationId", reads_only=True),
        _spec("refreshTab", "tabId correlationId"),
        _spec("setTabTitle", "tabId input correlationId"),
        _spec("closeTab", "tabId correlationId"),
    ),
    # Sessions (§2.7)
    "sessions": (
        _spec("canCreateSession", "correlationId", reads_only=True),
        _spec("createSession", "input correlationId providerSessionId"),
        _spec("getSession", "sessionId correlationId", encoding="map", reads_only=True),
        _spec("getFocusedSession", "correlationId", reads_only=True),
        _spec("getAllSessions", "correlationId", reads_only=True),
        _spec("setSessionTitle", "input correlationId"),
        _spec("requestFocusSession", "sessionId messagesCount correlationId"),
    ),
    # Session indicators (§2.8)
    "indicators": (
        _spec("notifyKpiBreach", "sessionId shouldReset details correlationId"),
        _spec("notifyNewActivity", "sessionId count shouldReset correlationId"),
    ),
    # Presence (§2.9), with the legacy presence control of the library (§2.11)
    "presence": (
        _spec("setPresence", "presenceText correlationId"),
        _spec("getPresence", "correlationId", reads_only=True),
        _spec("setAgentPresence", "presenceInfo correlationId"),
        _spec("initializeAgentPresenceList", "presenceList correlationId"),
    ),
    # Analytics (§2.10)
    "analytics": (
        _spec("logAnalyticsEvent", "data eventName correlationId"),
        _spec("initLogAnalytics", "data correlationId"),
    ),
    # Present in the library, not in the public docs (§2.11)
    "library": (
        _spec("isConsoleApp", "correlationId", reads_only=True),
        _json("refreshForm", "save correlationId", "refreshform"),
        _spec("openKBSearchControl", "value correlationId", "openkbsearchcontrol"),
        _spec("getFcsValue", "featureNameSpace featureUniqueName correlationId", reads_only=True),
        _spec("isFeatureEnabled", "featureName correlationId", reads_only=True),
    ),
    # The notes flap (§2.11): insertNotes waits for the agent [SRC]
    "notes": (
        _json(
            "insertNotes",
            "entityName entitySetName entityId annotationId correlationId",
            timeout=False,
        ),
        _spec("closeNotes", "correlationId"),
    ),
    # Data helpers of the library (§2.11): Web API queries (OData or FetchXML) and actions
    "webapi": (
        _json("executeFetchQuery", "entityName options correlationId", reads_only=True),
        _spec("executeAction", "request correlationId"),
    ),
    # Dialogs over the workspace (§2.11 [DTS]): they wait for the agent
    "dialogs": (
        _json("openDialog", "dialogStrings dialogOptions correlationId", timeout=False),
        _spec(
            "openMDDDialog",
            "dialogName dialogOptions dialogParams correlationId",
            encoding="map",
            timeout=False,
        ),
    ),
    # Message bars (§2.11 [DTS]); the library sends the first two without its timeout
    "messagebars": (
        _spec("showGlobalNotification", "notificationOptions correlationId", timeout=False),
        _spec("clearGlobalNotification", "notificationId correlationId", timeout=False),
        _spec("showTimeoutGlobalNotification", "correlationId"),
    ),
    # Xrm.Utility's progress indicator (§2.11 [DTS])
    "progress": (
        _spec("showProgressIndicator", "message correlationId"),
        _spec("closeProgressIndicator", "correlationId"),
    ),
}

APIS: dict[str, ApiSpec] = {
    spec.name: replace(spec, section=section)
    for section, specs in SECTIONS.items()
    for spec in specs
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
