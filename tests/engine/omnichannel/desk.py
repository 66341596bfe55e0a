"""A desk for the conversation tests: customers arrive, the agent works, time moves by hand."""

from __future__ import annotations

from typing import Any

import pytest

from cifbridge.engine import AgentActionRefused, Delivery
from cifbridge.engine.base.conversation_state import Conversation
from cifbridge.engine.views.workspace import workspace_view
from tests.conftest import Bridge

MARIA = "Maria Campbell"  # a contact of the bundled record store
FABRIKAM = "Fabrikam Inc."  # an account


class Desk:
    """Drives the engine's conversation actions and keeps the events widgets would receive."""

    def __init__(self, bridge: Bridge) -> None:
        self.bridge = bridge
        self.engine = bridge.engine
        self.clock = bridge.clock
        self.events: list[Delivery] = []

    def act(self, action: str, **params: Any) -> Any:
        result = self.engine.agent(action, **params)
        self.events.extend(result.deliveries)
        return result.value

    def refused(self, action: str, **params: Any) -> AgentActionRefused:
        with pytest.raises(AgentActionRefused) as caught:
            self.engine.agent(action, **params)
        return caught.value

    def arrive(
        self, channel: str = "chat", customer: dict[str, Any] | None = None, **extra: Any
    ) -> str:
        params = {"channel": channel, **({"customer": customer} if customer else {}), **extra}
        value: str = self.act("arriveConversation", **params)["conversationId"]
        return value

    def accept(self, conversation_id: str) -> str:
        """Accept, first letting time pass until its notification is the displayed one."""
        for _ in range(20):
            if self._displayed() == self.conversation(conversation_id).notification_id:
                break
            self.advance(1)
        session_id: str = self.act("acceptConversation", conversation_id=conversation_id)[
            "sessionId"
        ]
        return session_id

    def start(
        self, channel: str = "chat", customer: dict[str, Any] | None = None
    ) -> tuple[str, str]:
        """Arrive and accept; return (conversation id, session id)."""
        conversation_id = self.arrive(channel, customer)
        return conversation_id, self.accept(conversation_id)

    def advance(self, seconds: float) -> None:
        self.clock.advance(seconds)
        self.events.extend(self.engine.advance().deliveries)

    def conversation(self, conversation_id: str) -> Conversation:
        return self.engine.workspace.omnichannel.conversations[conversation_id]

    def view(self, conversation_id: str) -> dict[str, Any]:
        found = workspace_view(self.engine)["omnichannel"]["conversations"]
        view: dict[str, Any] = next(c for c in found if c["conversationId"] == conversation_id)
        return view

    def session(self, session_id: str) -> dict[str, Any]:
        sessions = workspace_view(self.engine)["sessions"]
        view: dict[str, Any] = next(s for s in sessions if s["id"] == session_id)
        return view

    def workspace(self) -> dict[str, Any]:
        return workspace_view(self.engine)

    def named(self, name: str) -> list[Any]:
        return [d.payload for d in self.events if d.name == name]

    def _displayed(self) -> str | None:
        shown = self.engine.workspace.notifications
        return next((n.id for n in shown if n.shown_at is not None), None)
