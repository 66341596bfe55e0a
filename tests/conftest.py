"""Fixtures shared by the engine, API and transport tests."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from cifbridge.api.dispatcher import Caller, Dispatcher, Outcome
from cifbridge.api.validation import SchemaSet
from cifbridge.engine import Engine, config_from_dict
from cifbridge.files.config import default_config_data, merge_config
from cifbridge.files.resources import data_dir

SOFTPHONE = "cifb_softphone"
CHAT = "cifb_chatdesk"

SECOND_PROVIDER: dict[str, Any] = {
    "providers": [
        {
            "uniqueName": CHAT,
            "label": "Chat desk",
            "landingUrl": "http://localhost:9000/chat.html",
            "trustedDomains": ["localhost"],
            "order": 2,
        }
    ]
}


class FakeClock:
    """A clock the test moves by hand."""

    def __init__(self, now: float = 1_800_000_000.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


@pytest.fixture(scope="session")
def schemas() -> SchemaSet:
    return SchemaSet(data_dir("schemas"))


class Bridge:
    """A dispatcher over a fresh engine, with one caller per provider."""

    def __init__(self, schemas: SchemaSet, overrides: dict[str, Any] | None = None) -> None:
        # The defaults are parsed once per run and shared; merge_config returns a copy.
        data = (
            merge_config(default_config_data(), overrides) if overrides else default_config_data()
        )
        self.clock = FakeClock()
        self.engine = Engine(config_from_dict(data), clock=self.clock)
        self.dispatcher = Dispatcher(self.engine, schemas)

    def call(
        self, api: str, *args: Any, provider: str = SOFTPHONE, rid: str | None = None
    ) -> Outcome:
        return self.dispatcher.call(Caller(provider), api, list(args), rid)

    def ok(self, api: str, *args: Any, provider: str = SOFTPHONE) -> Any:
        outcome = self.call(api, *args, provider=provider)
        assert outcome.ok, outcome.error
        return outcome.value

    def error(self, api: str, *args: Any, provider: str = SOFTPHONE) -> dict[str, Any]:
        outcome = self.call(api, *args, provider=provider)
        assert not outcome.ok, f"{api} unexpectedly resolved {outcome.value!r}"
        assert outcome.error is not None
        return outcome.error

    def create(self, customer: str = "Ana", provider: str = SOFTPHONE, **extra: Any) -> str:
        request = {
            "templateName": "msdyn_voicecall_session",
            "templateParameters": {"customerName": customer},
            **extra,
        }
        value: str = self.ok("createSession", request, provider=provider)
        return value


@pytest.fixture
def bridge(schemas: SchemaSet) -> Bridge:
    return Bridge(schemas)


@pytest.fixture
def two_providers(schemas: SchemaSet) -> Bridge:
    return Bridge(schemas, SECOND_PROVIDER)


BridgeFactory = Callable[[dict[str, Any] | None], Bridge]


@pytest.fixture
def make_bridge(schemas: SchemaSet) -> BridgeFactory:
    return lambda overrides=None: Bridge(schemas, overrides)


def free_port() -> int:
    """Return a TCP port that was free on 127.0.0.1 a moment ago (for a child bridge)."""
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port
