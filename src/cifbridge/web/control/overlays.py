"""The control API for what widgets lay over the workspace: dialogs, message bars, notes.

Routes (paths, methods and summaries in api/control_routes.py) and their bodies (the JSON
Schemas in schemas/control/):

    listDialogs             [dialog]: the open dialogs, the one shown first; a dialog is
                            {id, kind: "confirm"|"mdd", provider, title, subtitle, text,
                            confirmButtonLabel, cancelButtonLabel} or {id, kind, name,
                            parameters}
    answerDialog            {"confirmed": bool, "dialogId"?, "parameters"?}: press OK or Cancel
                            on the dialog shown; answers {"answered": id, "value": what the
                            widget's promise resolves with}
    listMessageBars         [bar]: {id, kind: "global"|"timeout", level 1..4, levelName,
                            message, showCloseButton, actionLabel, actionLink, expiresAt}
    closeMessageBar         press the bar's close button (409 when it has none)
    clickMessageBarAction   click its action (409 when it has none); answers {clicked,
                            actionLabel, actionLink}: the page opens the link
    getNotes                the open notes flap {entityName, entitySetName, entityId,
                            annotationId, sessionId, existingText} (404 when none is open)
    saveNotes               {"text": "..."}: save the note; answers {annotationId, entityName,
                            entityId}; the widget's insertNotes resolves {"value": id}
    cancelNotes             close the flap unsaved; answers {}

Closing a bar and clicking its action are journaled (provider null, actor "agent").
Unknown ids and a closed flap are 404, a dialog answered out of turn 409; errors are
`{"error": {"message": ...}}`. The workspace view carries the same under "overlays".
"""

from __future__ import annotations

from aiohttp import web

from cifbridge.api.control_routes import Route
from cifbridge.web.control.edge import act, hub_of

# What the agent does to a widget's message bar goes into the journal: the widget hears
# nothing of it (messagebars.py), so the journal is where its developer sees it happened.
JOURNALED = ("closeMessageBar", "clickMessageBarAction")


async def handle(request: web.Request, route: Route) -> web.Response:
    """Serve one overlay route."""
    value = (await act(request, route)).value
    if route.action in JOURNALED:
        await (await hub_of(request)).journal_agent(
            route.action, [request.match_info["bar_id"]], value
        )
    if route.answer == "empty":
        return web.json_response({})
    return web.json_response(value)
