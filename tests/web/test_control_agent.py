"""The agent's presence, panel, clicks and custom events over HTTP and Socket.IO."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import socketio

from tests.web.conftest import AgentFactory, ServerFactory, Widget, WidgetFactory, wait_for_events

CHAT_PROVIDER = {
    "providers": [
        {
            "uniqueName": "cifb_chatdesk",
            "label": "Chat desk",
            "landingUrl": "http://localhost:9000/chat.html",
            "trustedDomains": ["localhost"],
            "order": 2,
        }
    ]
}


def decoded(widget: Widget, name: str) -> list[Any]:
    return [json.loads(e["data"]) for e in widget.events if e["name"] == name]


async def test_presence_changes_reach_every_provider(
    serve: ServerFactory,
    connect_widget: WidgetFactory,
    tmp_path: Path,
    agent_for: AgentFactory,
) -> None:
    config = tmp_path / "two.json"
    config.write_text(json.dumps(CHAT_PROVIDER), encoding="utf-8")
    server = await serve(config_path=config)
    phone = await connect_widget(server, provider="cifb_softphone")
    chat = await connect_widget(server, provider="cifb_chatdesk")
    agent = agent_for(server)
    status, body = await agent.request("POST", "/api/presence", {"presenceText": "Busy"})
    assert status == 200 and body["presence"]["presenceText"] == "Busy"
    assert await phone.value("getPresence") == "Busy"
    assert await chat.value("setPresence", "Do not disturb") is True
    for widget in (phone, chat):
        await wait_for_events(widget, 2)
        texts = [e["presenceInfo"]["presenceText"] for e in decoded(widget, "onPresenceChange")]
        assert texts == ["Busy", "Do not disturb"]
    status, body = await agent.request("GET", "/api/presence")
    assert body["presence"]["presenceText"] == "Do not disturb"
    assert "onVoiceCall" in [p["presenceText"] for p in body["presences"]]
    status, body = await agent.request("POST", "/api/presence", {"presenceText": "Lunch"})
    assert status == 404 and body["error"]["message"] == "No presence has presenceText 'Lunch'"


async def test_panel_changes_by_the_agent_reach_the_widget(
    serve: ServerFactory,
    connect_widget: WidgetFactory,
    agent_for: AgentFactory,
) -> None:
    server = await serve()
    widget = await connect_widget(server)
    agent = agent_for(server)
    status, body = await agent.request("POST", "/api/panel", {"mode": 0, "width": 450})
    assert (status, body) == (200, {"mode": 0, "width": 450})
    assert await widget.value("getMode") == 0
    await wait_for_events(widget, 2)
    assert decoded(widget, "onmodechanged") == [{"value": 0}]
    assert decoded(widget, "onsizechanged") == [{"value": 450}]
    status, body = await agent.request("GET", "/api/panel")
    assert body == {"mode": 0, "width": 450, "activeProvider": "cifb_softphone"}
    status, body = await agent.request("POST", "/api/panel", {"width": 120})
    assert status == 400


async def test_click_to_act_navigation_and_kb_articles(
    serve: ServerFactory,
    connect_widget: WidgetFactory,
    agent_for: AgentFactory,
) -> None:
    server = await serve()
    widget = await connect_widget(server)
    agent = agent_for(server)
    click = {"value": "+1 555 0100", "name": "telephone1", "entityLogicalName": "contact"}
    status, body = await agent.request("POST", "/api/click-to-act", click)
    assert (status, body) == (200, {"provider": "cifb_softphone", "delivered": True})
    await widget.value("setClickToAct", False)
    status, body = await agent.request("POST", "/api/click-to-act", click)
    assert body["delivered"] is False
    await agent.request("POST", "/api/navigate", {"url": "https://x/main.aspx"})
    await agent.request("POST", "/api/kb-articles/send", {"title": "T", "link": "https://k"})
    await wait_for_events(widget, 3)
    assert decoded(widget, "onclicktoact") == [{**click, "format": "phone"}]
    assert decoded(widget, "onpagenavigate") == [{"value": "https://x/main.aspx"}]
    assert decoded(widget, "onsendkbarticle") == [{"title": "T", "link": "https://k"}]
    status, body = await agent.request("POST", "/api/click-to-act", {"value": "1"})
    assert status == 400


async def test_custom_events_between_the_page_and_the_widgets(
    serve: ServerFactory,
    connect_widget: WidgetFactory,
    agent_for: AgentFactory,
) -> None:
    server = await serve()
    widget = await connect_widget(server)
    page = socketio.AsyncClient(reconnection=False)
    on_page: list[dict[str, Any]] = []
    page.on("workspace:event", on_page.append, namespace="/workspace")
    await page.connect(
        str(server.make_url("/")), namespaces=["/workspace"], transports=["websocket"]
    )
    agent = agent_for(server)
    try:
        assert await widget.value("raiseEvent", "callEnded", '{"callId": "c-9"}') is True
        status, body = await agent.request("POST", "/api/events/holdRequested", {"data": {"n": 1}})
        assert (status, body) == (200, {"provider": None, "delivered": True})
        await wait_for_events(widget, 2)
        assert decoded(widget, "callEnded") == [{"callId": "c-9"}]
        assert decoded(widget, "holdRequested") == [{"n": 1}]
        for _ in range(200):
            if on_page:
                break
            await page.sleep(0.01)
        assert on_page == [{"name": "callEnded", "data": '{"callId":"c-9"}'}]
    finally:
        await page.disconnect()


async def test_a_conversation_linked_by_the_agent_can_be_updated(
    serve: ServerFactory,
    connect_widget: WidgetFactory,
    agent_for: AgentFactory,
) -> None:
    server = await serve()
    widget = await connect_widget(server)
    agent = agent_for(server)
    conversation = "8c5e2f1a-0b9d-4c7e-a6f5-3d2c1b0a9e8f"
    session = await widget.value("createSession", {"templateName": "msdyn_chat_session"})
    path = f"/api/sessions/{session}/conversation"
    status, body = await agent.request("POST", path, {"conversationId": conversation})
    assert (status, body) == (200, {"sessionId": session, "conversationId": conversation})
    answer = await widget.value("updateConversation", conversation, '{"subject": "Refund"}')
    assert answer == {"entityType": "msdyn_ocliveworkitem", "id": conversation}
    status, view = await agent.request("GET", "/api/workspace")
    assert view["conversations"] == {conversation: {"subject": "Refund"}}
