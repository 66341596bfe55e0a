"""Conversations in the agent workspace page, driven by the issue's scenario file (issue 5).

The scenario runner plays docs/scenarios/two-chats-and-a-call.yaml against a live bridge a
few steps at a time while the workspace page is open; between the steps the test looks at the
page as the agent would, and some of the agent's steps are done in the page instead of through
the control API: accepting from the toast, focusing a session, replying from the communication
panel, elevating, ending and wrapping up from the Active conversation tab. The runner's own
expectations then check that the page's clicks did what the file says.
"""

from __future__ import annotations

import io
import re
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Locator, Page, expect

from cifbridge.api.validation import SchemaSet
from cifbridge.clients.bridge import BridgeClient
from cifbridge.files.resources import data_dir
from cifbridge.scenario.files import Scenario, Step, load_scenario
from cifbridge.scenario.runner import ScenarioRunner
from tests.browser.conftest import LiveBridge
from tests.browser.workspace_page import (
    SCREENSHOT_SIZE,
    XSS_NAME,
    expect_focused,
    focus,
    open_workspace,
    post_json,
    screenshot,
    session,
    sessions,
    tab_strip,
    tooltip_of,
)

pytestmark = pytest.mark.browser

SCENARIO = Path(__file__).resolve().parents[2] / "docs" / "scenarios" / "two-chats-and-a-call.yaml"
DURATION = re.compile(r"^\d+:\d\d$")
URGENT = "Maria Campbell. Urgent attention is needed in your conversation."
CONNECTED = re.compile(r"^Active\s*Customer connected$")
SHARE = re.compile(r"^Share it with the customer")


class Story:
    """Plays a scenario file through the runner, up to the steps the page takes over."""

    def __init__(self, bridge: LiveBridge, path: Path) -> None:
        self.scenario: Scenario = load_scenario(SchemaSet(data_dir("schemas")), path)
        self.out = io.StringIO()
        self.runner = ScenarioRunner(BridgeClient(bridge.url), self.out)
        self.position = 0

    def alias(self, name: str) -> str:
        """Return the conversation id the scenario calls `name`."""
        return self.runner.aliases[name]

    def play_until(self, action: str, params: Any) -> Step:
        """Play every step before the next `action` with `params`; return that step, unplayed."""
        steps = self.scenario.steps
        end = next(
            (
                i
                for i in range(self.position, len(steps))
                if steps[i].action == action and steps[i].params == params
            ),
            None,
        )
        assert end is not None, f"no step {action}: {params!r} left in {self.scenario.path}"
        self._run(steps[self.position : end])
        return steps[end]

    def done_in_the_page(self, action: str, params: Any) -> None:
        """Skip the next step: the test did it in the page (it must be that step)."""
        step = self.play_until(action, params)
        self.position = step.index  # 1-based: the step after it
        print(f"{step.index:>3} page {action} {params!r}", file=self.out)

    def play_rest(self) -> None:
        """Play the remaining steps."""
        self._run(self.scenario.steps[self.position :])

    def _run(self, steps: tuple[Step, ...]) -> None:
        if not steps:
            return
        first = steps[0].index == 1
        chunk = replace(self.scenario, steps=steps, reset=self.scenario.reset and first)
        report = self.runner.run(chunk)
        assert report.ok, self.out.getvalue()
        self.position = steps[-1].index


def pane(page: Page, session_id: str) -> Locator:
    """The Active conversation page of a session (visible while the session is focused)."""
    return page.locator(f'.session-pane[data-session-id="{session_id}"] .conversation-page')


def session_id_of(page: Page, title: str) -> str:
    item = sessions(page).filter(has=page.locator(".session-title", has_text=title))
    expect(item).to_have_count(1)
    value = item.get_attribute("data-session-id")
    assert value
    return value


def toast_for(page: Page, conversation_id: str) -> Locator:
    toast = f'#toasts .toast[data-host="conversation"][data-subject="{conversation_id}"]'
    return page.locator(toast)


def navigator_item(conversation: Locator, channel: str, index: int = 0) -> Locator:
    group = conversation.locator(f'.contact-group[data-channel="{channel}"]')
    return group.locator(".contact-item").nth(index)


def test_two_chats_and_a_call_in_the_workspace_page(page: Page, live_bridge: LiveBridge) -> None:
    workspace = open_workspace(page, live_bridge)
    workspace.set_viewport_size(SCREENSHOT_SIZE)
    story = Story(live_bridge, SCENARIO)
    panel = workspace.locator("#panel-conversation")

    # Two chats and a call arrive: one toast at a time, the others queued under it.
    story.play_until("accept", "maria")
    maria_chat = story.alias("maria")
    toast = toast_for(workspace, maria_chat)
    expect(toast.locator(".toast-title")).to_have_text("Incoming chat from Maria Campbell")
    expect(toast.locator(".toast-queue-count")).to_have_text("2 more waiting")
    expect(toast.locator(".toast-queued")).to_have_text(
        ["Incoming chat request", "Incoming call from Fabrikam Inc."]
    )
    expect(workspace.locator("#capacity .capacity-value")).to_have_text("3 / 10")

    # The agent accepts Maria's chat from the toast: her session opens on the conversation.
    toast.get_by_role("button", name="Accept").click()
    expect(toast).to_have_count(0)
    expect(sessions(workspace).locator(".session-title")).to_have_text(["Home", "Maria Campbell"])
    maria = session_id_of(workspace, "Maria Campbell")
    expect_focused(workspace, maria)
    expect(tab_strip(workspace)).to_have_text(["Active conversation", "Knowledge search"])
    conversation = pane(workspace, maria)
    expect(conversation.locator(".customer-name")).to_have_text("Maria Campbell")
    expect(conversation.locator(".customer-kind")).to_have_text("Contact · authenticated")
    detail = conversation.locator(".contact-detail")
    expect(detail.locator(".contact-title")).to_have_text("Chat with Maria Campbell")
    expect(detail.locator(".contact-pills")).to_have_text(CONNECTED)
    expect(detail.locator(".contact-total")).to_have_text(DURATION)
    story.done_in_the_page("accept", "maria")

    # The visitor is accepted through the control API; the call is answered from its toast.
    story.play_until("accept", "caller")
    caller_toast = toast_for(workspace, story.alias("caller"))
    expect(caller_toast.locator(".toast-title")).to_have_text("Incoming call from Fabrikam Inc.")
    caller_toast.get_by_role("button", name="Answer").click()
    expect(sessions(workspace).locator(".session-title")).to_have_text(
        ["Home", "Maria Campbell", "Visitor 1", "Fabrikam Inc."]
    )
    caller = session_id_of(workspace, "Fabrikam Inc.")
    visitor = session_id_of(workspace, "Visitor 1")
    expect_focused(workspace, caller)
    call = pane(workspace, caller).locator(".contact-detail")
    expect(call.locator(".contact-title")).to_have_text("Voice with Fabrikam Inc.")
    expect(pane(workspace, caller).locator(".customer-kind")).to_have_text("Account")
    # A call can only become an email: the page offers exactly what the table allows.
    expect(call.locator(".contact-actions button")).to_have_text(
        ["Elevate to email", "End conversation"]
    )
    expect(panel.locator(".panel-conversation-note")).to_have_text(
        "On a call: calls have no transcript."
    )
    story.done_in_the_page("accept", "caller")

    # Customer messages raise the unread badges of the sessions the agent is not looking at.
    story.play_until("focus", "maria")
    expect(session(workspace, maria).locator(".session-badge")).to_have_text("1")
    expect(session(workspace, visitor).locator(".session-badge")).to_have_text("2")
    expect(session(workspace, caller).locator(".session-badge")).to_be_hidden()
    expect(session(workspace, maria).locator(".session-alert")).to_be_visible()
    expect(session(workspace, visitor).locator(".session-alert")).to_be_hidden()
    tip = tooltip_of(workspace, session(workspace, maria).locator(".session-select"))
    expect(tip).to_have_text(URGENT)

    # The agent goes to Maria: her badge clears; the sentiment shows on her conversation.
    focus(workspace, maria)
    expect(session(workspace, maria).locator(".session-badge")).to_be_hidden()
    expect(detail.locator(".sentiment-label")).to_have_text("Negative")
    expect(detail.locator(".sentiment-alert")).to_be_visible()
    expect(detail.locator(".wait-chip")).to_have_attribute("data-state", "normal")
    expect(detail.locator(".wait-label")).to_have_text("Waiting for a response")
    expect(conversation.locator(".transcript-card .message-text")).to_have_text(
        ["Hi, my shipment arrived damaged"]
    )
    story.done_in_the_page("focus", "maria")

    # She answers from the communication panel, sharing the reconnect link.
    reply = panel.get_by_role("textbox", name="Reply to Maria Campbell")
    expect(panel.locator(".panel-conversation-title")).to_have_text("Chat · Maria Campbell")
    reply.fill("Sorry about that. If we get cut off: ")
    panel.get_by_role("button", name="Insert reconnect link").click()
    expect(reply).to_have_value(re.compile(r"cut off: https://\S+\?oc\.reconnectid=[0-9a-f-]+$"))
    reply.press("Enter")
    expect(reply).to_have_value("")
    expect(panel.locator(".message")).to_have_count(2)
    expect(panel.locator(".message").nth(1).locator(".message-author")).to_have_text("You")
    expect(detail.locator(".wait-chip")).to_have_attribute("data-state", "idle")
    link = detail.get_by_role("textbox", name="Reconnect link")
    expect(link).to_have_value(
        re.compile(r"^https://portal\.contoso\.com/support\?oc\.reconnectid=")
    )
    expect(panel.locator(".message-text").nth(1)).to_contain_text(link.input_value())
    story.done_in_the_page(
        "reply",
        {
            "conversation": "maria",
            "text": "Sorry about that. If we get cut off: {ReconnectUrl{ReconnectID}}",
        },
    )

    # The visitor has waited past the threshold: the wait timer has turned.
    story.play_until("elevate", {"conversation": "maria", "to": "phone", "as": "mariaCall"})
    focus(workspace, visitor)
    waiting = pane(workspace, visitor).locator(".contact-detail .wait-chip")
    expect(waiting).to_have_attribute("data-state", "exceeded")
    expect(waiting.locator(".wait-label")).to_have_text("Response overdue")
    expect(waiting.locator(".wait-value")).to_have_text(DURATION)
    expect(pane(workspace, visitor).locator(".contact-actions button")).to_have_text(
        ["Elevate to email", "Elevate to phone", "End conversation"]
    )

    # Maria's chat continues as a phone call inside her session, elevated from the page.
    focus(workspace, maria)
    detail.get_by_role("button", name="Elevate to phone").click()
    expect(conversation.locator(".contact-group")).to_have_count(2)
    expect(navigator_item(conversation, "chat")).to_contain_text("Active")
    expect(navigator_item(conversation, "voice")).to_contain_text("Active")
    expect(conversation.locator(".contact-count")).to_contain_text("2 contacts")
    expect(detail.locator(".contact-title")).to_have_text("Voice with Maria Campbell (elevated)")
    expect(conversation.locator(".navigator-position")).to_have_text("Contact 2 of 2")
    expect(sessions(workspace)).to_have_count(4)
    expect(workspace.locator("#capacity .capacity-value")).to_have_text("4 / 10")
    # The chat goes on beside the call: the panel still offers to reply to it.
    expect(panel.locator(".panel-conversation-title")).to_have_text("Chat · Maria Campbell")
    call_id = navigator_item(conversation, "voice").get_attribute("data-conversation-id")
    assert call_id
    story.runner.aliases["mariaCall"] = call_id
    story.done_in_the_page("elevate", {"conversation": "maria", "to": "phone", "as": "mariaCall"})

    # The navigator goes back to the chat; the choice survives a reload.
    conversation.get_by_role("button", name="Previous contact").click()
    expect(detail.locator(".contact-title")).to_have_text("Chat with Maria Campbell")
    workspace.reload()
    expect(workspace.locator("#connection")).to_have_attribute("data-state", "live")
    expect_focused(workspace, maria)
    expect(conversation.locator(".contact-group")).to_have_count(2)
    expect(detail.locator(".contact-title")).to_have_text("Chat with Maria Campbell")
    expect(navigator_item(conversation, "chat")).to_have_attribute("aria-current", "true")

    # Maria drops: her chat stays active while she may come back, with the time left.
    story.play_until("advance", 120)
    expect(detail.locator(".contact-pills")).to_have_text(re.compile(r"Customer disconnected"))
    expect(detail.locator(".reconnect-status")).to_have_text(
        re.compile(r"^The customer can reconnect to this session for \d+:\d\d$")
    )
    expect(panel.locator(".panel-conversation-note")).to_have_text(
        "The customer is disconnected and may reconnect; they see your replies when they do."
    )
    screenshot(workspace, "workspace-conversations.png")

    # She comes back through the link within the limit: the same session, active again.
    story.play_until("disconnect", "visitor")
    expect(detail.locator(".contact-pills")).to_have_text(CONNECTED)
    expect(detail.locator(".reconnect-status")).to_have_text(SHARE)
    expect(session(workspace, maria)).to_have_count(1)
    expect_focused(workspace, maria)
    expect(conversation.locator(".transcript-card .message-text")).to_contain_text(
        ["The customer disconnected", "The customer reconnected"]
    )

    # The visitor drops and misses the limit: the chat lands in wrap-up.
    story.play_until("reconnect", {"conversation": "visitor", "as": "visitorAgain"})
    focus(workspace, visitor)
    ended = pane(workspace, visitor)
    expect(ended.locator(".session-state")).to_have_text("Wrap-up")
    expect(ended.locator(".contact-detail .contact-pills")).to_have_text("Wrap-up")
    expect(ended.locator(".contact-ended")).to_have_text("The customer did not reconnect in time")
    expect(ended.locator(".reconnect")).to_be_hidden()
    expect(ended.locator(".contact-actions")).to_be_hidden()
    expect(ended.get_by_role("textbox", name="Disposition")).to_be_visible()
    expect(panel.get_by_role("textbox", name="Reply to Visitor 1")).to_be_disabled()

    # Coming back too late starts afresh: a new request, which the agent rejects in the page.
    story.play_until("end", "mariaCall")
    again = toast_for(workspace, story.alias("visitorAgain"))
    expect(again.locator(".toast-title")).to_have_text("Incoming chat request")
    expect(again.locator(".toast-fields dd").first).to_have_text("Visitor 2")
    again.get_by_role("button", name="Reject").click()
    expect(again).to_have_count(0)
    expect(sessions(workspace)).to_have_count(4)

    # The agent ends Maria's call and wraps it up from her Active conversation tab.
    focus(workspace, maria)
    navigator_item(conversation, "voice").click()
    expect(detail.locator(".contact-title")).to_have_text("Voice with Maria Campbell (elevated)")
    detail.get_by_role("button", name="End conversation").click()
    expect(detail.locator(".contact-pills")).to_have_text("Wrap-up")
    story.done_in_the_page("end", "mariaCall")
    disposition = detail.get_by_role("textbox", name="Disposition")
    complete = detail.get_by_role("button", name="Complete wrap-up")
    expect(complete).to_be_disabled()
    disposition.fill("Replacement agreed by phone")
    complete.click()
    expect(detail.locator(".contact-disposition")).to_have_text(
        "Disposition: Replacement agreed by phone"
    )
    expect(detail.locator(".contact-pills")).to_have_text("Closed")
    expect(conversation.locator(".session-state")).to_have_text("Active")
    story.done_in_the_page(
        "wrapUp", {"conversation": "mariaCall", "disposition": "Replacement agreed by phone"}
    )

    # The chat ends and is wrapped up too: only then is the session complete.
    story.play_rest()
    expect(conversation.locator(".session-state")).to_have_text("Completed")
    expect(navigator_item(conversation, "chat")).to_contain_text("Closed")
    expect(navigator_item(conversation, "voice")).to_contain_text("Closed")
    expect(session(workspace, maria).locator(".session-alert")).to_be_hidden()


def test_conversation_text_from_customers_stays_text(page: Page, live_bridge: LiveBridge) -> None:
    workspace = open_workspace(page, live_bridge)
    dialogs: list[str] = []
    workspace.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    arrived = post_json(
        live_bridge, "/api/conversations", {"channel": "chat", "customer": {"name": XSS_NAME}}
    )
    chat = arrived["result"]["conversationId"]
    toast = toast_for(workspace, chat)
    expect(toast.locator(".toast-title")).to_have_text(f"Incoming chat from {XSS_NAME}")
    toast.get_by_role("button", name="Accept").click()
    post_json(live_bridge, f"/api/conversations/{chat}/messages", {"text": XSS_NAME})
    panel = workspace.locator("#panel-conversation")
    expect(panel.locator(".message-text")).to_have_text([XSS_NAME])
    expect(panel.locator(".message-author")).to_have_text([XSS_NAME])
    expect(workspace.locator(".conversation-page .customer-name").first).to_have_text(XSS_NAME)
    reply = panel.get_by_role("textbox", name=f"Reply to {XSS_NAME}")
    reply.fill(f"Hello {XSS_NAME}")
    panel.get_by_role("button", name="Send").click()
    expect(panel.locator(".message-text")).to_have_text([XSS_NAME, f"Hello {XSS_NAME}"])
    expect(workspace.locator("img:not(.toast-icon)")).to_have_count(0)
    assert dialogs == []
