"""Records over the wire: the agent's control routes, and a quick create form answered late."""

from __future__ import annotations

from typing import Any

from tests.web.conftest import AgentFactory, ServerFactory, Widget, WidgetFactory

MARIA = "d8378461-2f3a-4cd2-8048-1451d3dbef2e"
CONTOSO = "58a6bfe6-b281-4eb7-8bb5-a14678268380"


async def test_the_agent_lists_reads_edits_creates_and_deletes(
    serve: ServerFactory, agent_for: AgentFactory
) -> None:
    agent = agent_for(await serve())
    status, entities = await agent.request("GET", "/api/entities")
    assert status == 200
    assert {e["LogicalName"] for e in entities["value"]} >= {"contact", "incident"}
    query = "$select=fullname&$filter=address1_city%20eq%20'London'&$orderby=fullname"
    status, listed = await agent.request("GET", f"/api/records/contact?{query}")
    assert [r["fullname"] for r in listed["value"]] == ["Patrick Sands", "Rene Valdes"]

    status, edited = await agent.request(
        "PATCH", f"/api/records/contact/{MARIA}", {"jobtitle": "COO"}
    )
    assert (status, edited["jobtitle"]) == (200, "COO")
    status, read = await agent.request("GET", f"/api/records/contact/{MARIA}?$select=jobtitle")
    assert read["jobtitle"] == "COO" and set(read) == {"@odata.etag", "contactid", "jobtitle"}

    body = {
        "lastname": "Lee",
        "parentcustomerid_account@odata.bind": f"/accounts({CONTOSO})",
    }
    status, created = await agent.request("POST", "/api/records/contact", body)
    assert status == 201
    assert created["_parentcustomerid_value@OData.Community.Display.V1.FormattedValue"] == (
        "Contoso Pharmaceuticals"
    )
    path = f"/api/records/contact/{created['contactid']}"
    assert (await agent.request("DELETE", path))[0] == 200
    assert (await agent.request("GET", path))[0] == 404


async def test_a_query_string_reads_plus_as_a_space_and_percent_2b_as_a_plus(
    serve: ServerFactory, agent_for: AgentFactory
) -> None:
    # What requests, curl --data-urlencode -G and urllib.parse.urlencode send.
    agent = agent_for(await serve())
    query = "$select=fullname&$filter=address1_city+eq+'London'&$orderby=fullname"
    status, listed = await agent.request("GET", f"/api/records/contact?{query}")
    assert status == 200
    assert [r["fullname"] for r in listed["value"]] == ["Patrick Sands", "Rene Valdes"]
    status, _ = await agent.request("POST", "/api/records/contact", {"lastname": "C+D"})
    assert status == 201
    query = "$select=lastname&$filter=lastname+eq+'C%2BD'"
    status, listed = await agent.request("GET", f"/api/records/contact?{query}")
    assert [r["lastname"] for r in listed["value"]] == ["C+D"]


async def test_refusals_carry_dataverse_messages(
    serve: ServerFactory, agent_for: AgentFactory
) -> None:
    agent = agent_for(await serve())
    status, body = await agent.request("GET", "/api/records/nothing")
    assert status == 404
    assert "'nothing' with namemapping = 'Logical'" in body["error"]["message"]
    status, body = await agent.request("PATCH", f"/api/records/contact/{MARIA}", {"x": 1})
    assert status == 400
    assert body["error"]["message"].startswith("The property 'x' does not exist")
    status, body = await agent.request("GET", "/api/records/contact?$top=many")
    assert status == 400 and "$top" in body["error"]["message"]
    status, body = await agent.request("POST", "/api/forms/tab-id-9/save", {})
    assert status == 404


async def late_answers(widget: Widget) -> list[dict[str, Any]]:
    received: list[dict[str, Any]] = []
    widget.client.on("cif:result", received.append, namespace="/widget")
    return received


async def test_a_quick_create_form_answers_when_the_agent_saves(
    serve: ServerFactory,
    connect_widget: WidgetFactory,
    agent_for: AgentFactory,
) -> None:
    server = await serve()
    widget = await connect_widget(server)
    received = await late_answers(widget)
    agent = agent_for(server)
    options = '{"entityName":"contact","useQuickCreateForm":true}'
    ack = await widget.call("openForm", options, '{"lastname":"Lee"}', request_id="f-1")
    assert ack == {"ok": True, "deferred": True}
    view = (await agent.request("GET", "/api/workspace"))[1]
    home = next(s for s in view["sessions"] if s["id"] == "session-id-0")
    tab_id = home["focusedTabId"]
    status, form = await agent.request("GET", f"/api/forms/{tab_id}")
    assert (status, form["data"], form["quickCreate"]) == (200, {"lastname": "Lee"}, True)

    status, saved = await agent.request("POST", f"/api/forms/{tab_id}/save", {"firstname": "Ann"})
    assert status == 200 and saved["name"] == "Ann Lee"
    await widget.call("canCreateSession")  # its ack follows the late answer
    assert received == [
        {"requestId": "f-1", "ok": True, "value": {"savedEntityReference": [saved]}}
    ]
    found = await widget.value(
        "searchAndOpenRecords", "contact", "?$select=fullname&$filter=lastname eq 'Lee'", True
    )
    assert [r["fullname"] for r in found] == ["Ann Lee"]
