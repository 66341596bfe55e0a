"""What the host knows around a call: environment, a session's automation dictionary, conversations.

Rules (reference §2.3, §4.4, §6.2, §8.13):
- getEnvironment describes the org, the signed-in agent and the page: the page's URL parameters
  (`pagetype`, and `etn`/`id` for a record, ...) come from the focused session's focused tab,
  the default dashboard on Home; they are left out when the focused session belongs to another
  provider. `customParams` is the calling provider's configured text; `userId` is in braces;
  `cifVersion` is the CIF version the calling provider is configured for (its apiVersion);
- updateContext merges values into a session's parameter bag, the automation dictionary that
  later slug resolution reads (setSessionTitle, new tabs); with isDelete it removes the named
  keys (an array of names, or an object whose keys are removed). The session is `sessionId`,
  else the focused one, and must be the caller's; it resolves the whole bag;
- updateConversation updates the live work item (`msdyn_ocliveworkitem`) of one of the
  caller's sessions, named by its conversation id; `data` is an object or its JSON string.
  An id no session of the caller's carries does not exist, as Dataverse says for a missing
  record. The agent links a conversation to a session through the control API.
"""

from __future__ import annotations

import json
from typing import Any

from cifbridge.engine.base.context import CallContext
from cifbridge.engine.base.errors import (
    CONFLICT,
    NOT_FOUND,
    AgentActionRefused,
    HostError,
    InvalidInput,
)
from cifbridge.engine.base.feature import Feature
from cifbridge.engine.base.state import Session, Tab
from cifbridge.engine.base.texts import (
    INVALID_SESSION_ID,
    UPDATE_CONTEXT_INPUT,
    UPDATE_CONVERSATION_DATA,
    record_does_not_exist,
)

LIVE_WORK_ITEM = "msdyn_ocliveworkitem"
DEFAULT_CIF_VERSION = "2.0"  # a multisession app runs CIF 2.0 (reference §6.4)
# The session navigation type the 2020 host reports for multisession apps (SessionType).
MULTISESSION = "1"
# Page type -> (the URL's pagetype, [(tab parameter, URL parameter)]).
PAGES: dict[str, tuple[str, tuple[tuple[str, str], ...]]] = {
    "entityrecord": ("entityrecord", (("entityName", "etn"), ("entityId", "id"))),
    "entitylist": ("entitylist", (("entityName", "etn"), ("viewId", "viewid"))),
    "dashboard": ("dashboard", (("dashboardId", "id"),)),
    "webresource": ("webresource", (("webresourceName", "webresourceName"), ("data", "data"))),
    "search": ("search", (("searchText", "searchText"), ("searchType", "searchType"))),
    "control": ("control", (("controlName", "controlName"),)),
    "custom": ("custom", (("name", "name"), ("entityName", "etn"), ("recordId", "id"))),
}
# A third-party website tab is a web resource hosting the page (reference §4.2).
EXTERNAL_PAGE = {
    "pagetype": "webresource",
    "webresourceName": "msdyn_ExternalWebPageContainer.html",
}


def get_environment(ctx: CallContext, args: dict[str, Any]) -> dict[str, Any]:
    """Describe the app, the page, the org and the agent (the shim sends it as JSON text)."""
    org = ctx.config.organization
    provider = ctx.config.provider(ctx.provider or "")
    focused = ctx.workspace.sessions[ctx.workspace.focused]
    user_id, username = ctx.user()
    env: dict[str, Any] = {"appid": org.app_id}
    if focused.is_home or focused.provider == ctx.provider:
        env.update(page_parameters(focused))
    env.update(
        customParams=provider.custom_params if provider else "",
        cifVersion=provider.api_version if provider else DEFAULT_CIF_VERSION,
        clientUrl=org.url,
        appUrl=f"{org.url}/main.aspx?appid={org.app_id}",
        orgLcid=org.lcid,
        orgUniqueName=org.unique_name,
        orgId=org.org_id,
        orgGeo=org.geo,
        userId="{" + user_id.upper() + "}",
        userLcid=org.user_lcid,
        username=username,
        userRoles=list(org.user_roles),
        crmVersion=org.crm_version,
        isDirty=False,
        navigationType=MULTISESSION,
    )
    return env


def page_parameters(session: Session) -> dict[str, str]:
    """Return the URL parameters of the page a session shows (its focused tab)."""
    tab = next((t for t in session.tabs if t.id == session.focused_tab), None)
    if tab is None:
        return {"pagetype": "dashboard"}
    if tab.page_type == "thirdpartywebsite":
        return dict(EXTERNAL_PAGE)
    return _tab_page(tab)


def _tab_page(tab: Tab) -> dict[str, str]:
    pagetype, names = PAGES.get(tab.page_type, (tab.page_type, ()))
    page = {"pagetype": pagetype}
    for parameter, url_name in names:
        value = tab.parameters.get(parameter)
        if value not in (None, ""):
            page[url_name] = value if isinstance(value, str) else json.dumps(value)
    return page


def update_context(ctx: CallContext, args: dict[str, Any]) -> dict[str, Any]:
    """Merge values into (or, with isDelete, remove keys from) a session's parameter bag."""
    session = _context_session(ctx, args.get("sessionId"))
    request = args["input"]
    if args.get("isDelete"):
        names = request if isinstance(request, list) else list(request)
        for name in names:
            session.parameters.pop(str(name), None)
    elif isinstance(request, dict):
        session.parameters.update(request)
    else:
        raise InvalidInput(UPDATE_CONTEXT_INPUT)
    ctx.changed()
    return dict(session.parameters)


def _context_session(ctx: CallContext, session_id: str | None) -> Session:
    session = ctx.workspace.session(session_id or ctx.workspace.focused)
    if session is None or session.is_home or session.provider != ctx.provider:
        raise HostError(INVALID_SESSION_ID)
    return session


def update_conversation(ctx: CallContext, args: dict[str, Any]) -> dict[str, str]:
    """Update the live work item of one of the caller's conversations."""
    conversation_id, data = args["id"], _decoded_data(args["data"])
    owned = any(
        s.provider == ctx.provider and _same_id(s.conversation_id, conversation_id)
        for s in ctx.workspace.sessions.values()
    )
    if not owned:
        raise HostError(record_does_not_exist(LIVE_WORK_ITEM, conversation_id))
    key = conversation_id.lower()
    ctx.workspace.conversations[key] = {**ctx.workspace.conversations.get(key, {}), **data}
    ctx.changed()
    return {"entityType": LIVE_WORK_ITEM, "id": conversation_id}


def _decoded_data(data: Any) -> dict[str, Any]:
    # §8.13: the table says Object, the example passes JSON.stringify(data); accept both.
    if isinstance(data, str):
        try:
            data = json.loads(data)
        except ValueError:
            raise InvalidInput(UPDATE_CONVERSATION_DATA) from None
    if not isinstance(data, dict):
        raise InvalidInput(UPDATE_CONVERSATION_DATA)
    return data


def _same_id(left: str | None, right: str) -> bool:
    # Dataverse ids compare without regard to case.
    return left is not None and left.lower() == right.lower()


def link_conversation(ctx: CallContext, *, session_id: str, conversation_id: str) -> dict[str, str]:
    """Agent action: give a session its conversation (the live work item Omnichannel opens)."""
    session = ctx.workspace.session(session_id)
    if session is None:
        raise AgentActionRefused(f"Session {session_id} is not open", NOT_FOUND)
    if session.is_home:
        raise AgentActionRefused("The Home session has no conversation", CONFLICT)
    session.conversation_id = conversation_id
    ctx.changed()
    return {"sessionId": session.id, "conversationId": session.conversation_id}


FEATURE = Feature(
    name="context",
    handlers={
        "getEnvironment": get_environment,
        "updateContext": update_context,
        "updateConversation": update_conversation,
    },
    agent_actions={"linkConversation": link_conversation},
)
