"""Fixtures shared by the engine, API and transport tests."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from cifbridge.api.dispatcher import Caller, Dispatcher, Outcome
from cifbridge.api.validation import SchemaSet
from cifbridge.engine import Engine, config_from_dict
from cifbridge.engine.core import RECENT_REQUESTS_KEPT
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


def add_event(engine: Engine, number: int) -> None:
    """Log an analytics event as engine/cif/analytics.py keeps them: appended, the oldest
    beyond 200 dropped."""
    engine.workspace.analytics.append({"api": "logAnalyticsEvent", "n": number})
    del engine.workspace.analytics[:-200]


def keep_as_busy_agent(engine: Engine) -> None:
    """Keep as many answers (256) and analytics events (200) as a busy agent keeps."""
    for number in range(RECENT_REQUESTS_KEPT):
        engine.remember("p", "setMode", f"r{number}", {"ok": True, "value": None})
    for number in range(200):
        add_event(engine, number)


def busy_step(engine: Engine, step: int) -> None:
    """One step of a busy agent: one more answer (the oldest forgotten), every other step an
    analytics event more, every 97th an old answer replaced in place (a deferred call's late
    answer, which makes the engine start a new log of its answers' texts)."""
    engine.remember("p", "setMode", f"n{step}", {"ok": True, "n": step})
    if step % 97 == 0:
        older = list(engine.workspace.recent_requests)[10].split(":", 2)[2]
        engine.remember("p", "setMode", older, {"ok": True, "late": step}, if_known=True)
    if step % 2:
        add_event(engine, 1000 + step)
