"""A widget whose calls wait for the agent (dialogs, the notes flap): their late answers."""

from __future__ import annotations

import itertools
from typing import Any

from cifbridge.engine import Result
from tests.conftest import SOFTPHONE, Bridge


class Waiting:
    """Start calls the agent answers later, act as the agent, and read the answers."""

    def __init__(self, bridge: Bridge) -> None:
        self.bridge = bridge
        self.answers: dict[str, Any] = {}
        self._ids = itertools.count(1)

    def start(self, api: str, *args: Any, provider: str = SOFTPHONE) -> str:
        """Make a call that must wait for the agent; return its request id."""
        rid = f"{api}-{next(self._ids)}"
        outcome = self.bridge.call(api, *args, provider=provider, rid=rid)
        assert outcome.ok and outcome.deferred, outcome
        return rid

    def call(self, api: str, *args: Any, provider: str = SOFTPHONE) -> Any:
        """Make a call that answers at once; keep the answers it settled; return its value."""
        outcome = self.bridge.call(api, *args, provider=provider)
        assert outcome.ok, outcome.error
        self._keep(outcome.settlements)
        return outcome.value

    def agent(self, action: str, **params: Any) -> Result:
        """Act as the agent and keep the answers the action settled."""
        result = self.bridge.engine.agent(action, **params)
        self.collect(result)
        return result

    def collect(self, result: Result) -> None:
        """Keep the answers an engine result settled."""
        self._keep(result.settlements)

    def _keep(self, settlements: Any) -> None:
        for answer in self.bridge.dispatcher.settle(settlements):
            message = answer.message
            self.answers[message["requestId"]] = message["value"] if message["ok"] else message

    def answer(self, rid: str) -> Any:
        """Return what the call resolved with (or its rejection envelope), None while waiting."""
        return self.answers.get(rid)
