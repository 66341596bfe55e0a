"""Tab routes of the control API, and tab calls over Socket.IO (acknowledgements, errorCode)."""

from __future__ import annotations

from typing import Any

from tests.web.conftest import AgentFactory, ServerFactory, WidgetFactory


def session_of(view: dict[str, Any], session_id: str) -> dict[str, Any]:
    found: dict[str, Any] = next(s for s in view["sessions"] if s["id"] == session_id)
    return found


async def test_agent_opens_focuses_and_closes_tabs(
    serve: ServerFactory,
    connect_widget: WidgetFactory,
    agent_for: AgentFactory,
) -> None:
    server = await serve()
    widget = await connect_widget(server)
    sid = await widget.value("createSession", {"templateName": "msdyn_chat_session"})
    agent = agent_for(server)
    status, view = await agent.request(
        "POST",
        f"/api/sessions/{sid}/tabs",
        {"templateName": "msdyn_search", "templateParameters": {"searchText": "printers"}},
    )
    assert status == 200
    shown = session_of(view, sid)
    assert shown["focusedTabId"] == "tab-id-3"
    assert shown["tabs"][-1]["title"] == "Search: printers"
    assert await widget.value("getFocusedTab") == "tab-id-3"

    status, view = await agent.request("POST", f"/api/sessions/{sid}/tabs/tab-id-2/focus")
    assert (status, session_of(view, sid)["focusedTabId"]) == (200, "tab-id-2")
    assert await widget.value("getFocusedTab") == "tab-id-2"

    status, view = await agent.request("DELETE", f"/api/sessions/{sid}/tabs/tab-id-2")
    assert status == 200
    assert [t["id"] for t in session_of(view, sid)["tabs"]] == ["tab-id-1", "tab-id-3"]
    assert session_of(view, sid)["focusedTabId"] == "tab-id-3"
    assert await widget.value("getTabs", "msdyn_kbsearch") is None


async def test_agent_tab_refusals_use_the_one_error_shape(
    serve: ServerFactory,
    connect_widget: WidgetFactory,
    agent_for: AgentFactory,
) -> None:
    server = await serve()
    widget = await connect_widget(server)
    sid = await widget.value("createSession", {"templateName": "msdyn_chat_session"})
    agent = agent_for(server)
    refusals = [
        ("DELETE", f"/api/sessions/{sid}/tabs/tab-id-1", None, 409,
         "The anchor tab of a session cannot be closed"),
        ("DELETE", f"/api/sessions/{sid}/tabs/tab-id-9", None, 404,
         f"Tab tab-id-9 is not open in session {sid}"),
        ("POST", "/api/sessions/session-id-7/tabs/tab-id-1/focus", None, 404,
         "Session session-id-7 is not open"),
        ("POST", f"/api/sessions/{sid}/tabs", {"templateName": "cifb_nosuch"}, 404,
         "Did not find application tab template by name (cifb_nosuch)"),
        ("POST", f"/api/sessions/{sid}/tabs", {}, 400, "openTab: $.templateName: is required"),
        ("POST", f"/api/sessions/{sid}/tabs",
         {"templateName": "msdyn_search", "templateParameters": [1]}, 400,
         "openTab: $.templateParameters: [1] is not of type 'object', 'null'"),
    ]  # fmt: skip
    for method, path, body, status, message in refusals:
        got = await agent.request(method, path, body)
        assert got == (status, {"error": {"message": message}}), (method, path, body)
    view = await (await agent.session.get(server.make_url("/api/workspace"))).json()
    assert [t["id"] for t in session_of(view, sid)["tabs"]] == ["tab-id-1", "tab-id-2"]


async def test_workspace_view_offers_templates_and_counts_refreshes(
    serve: ServerFactory,
    connect_widget: WidgetFactory,
    agent_for: AgentFactory,
) -> None:
    server = await serve()
    widget = await connect_widget(server)
    sid = await widget.value("createSession", {"templateName": "msdyn_chat_session"})
    assert await widget.value("refreshTab", "tab-id-2") is None
    agent = agent_for(server)
    async with agent.session.get(server.make_url("/api/workspace")) as response:
        view = await response.json()
    menu = {t["uniqueName"]: t for t in view["tabTemplates"]}
    assert menu["msdyn_search"] == {
        "uniqueName": "msdyn_search",
        "name": "Search",
        "pageType": "search",
    }
    tabs = session_of(view, sid)["tabs"]
    assert [(t["id"], t["refreshCount"], t["closable"]) for t in tabs] == [
        ("tab-id-1", 0, False),
        ("tab-id-2", 1, True),
    ]


async def test_tab_errors_reach_the_widget_with_their_error_code(
    serve: ServerFactory, connect_widget: WidgetFactory
) -> None:
    server = await serve()
    widget = await connect_widget(server)
    ack = await widget.call("createTab", {"templateName": "cifb_nosuch"})
    assert ack == {
        "ok": False,
        "error": {
            "message": "Did not find application tab template by name (cifb_nosuch)",
            "msdyn_name": "createTab",
            "errorCode": 2,
        },
        "origin": "host",
    }
    ack = await widget.call("getTabs")
    assert ack == {
        "ok": False,
        "error": {"message": "The name parameter is null. Provide a value to the parameter"},
        "origin": "client",
    }
    assert await widget.value("createTab", {"templateName": "msdyn_search"}) == "tab-id-1"
