"""A call is answered before its events are sent, and its events before any later answer.

The hub publishes events after the acknowledgement (so a call's answer does not wait for a
fan-out to every widget), through one ordered queue per agent: the frames a widget receives
show that order.
"""

from __future__ import annotations

import json
import re
from collections.abc import AsyncIterator

import aiohttp
import pytest

from tests.web.conftest import ServerFactory
from tests.web.raw_socketio import ACK, RawWidget

EVENT = re.compile(r"^42/widget,(.*)$", re.DOTALL)
CREATE = '{"templateName":"msdyn_chat_session","customerName":"Ana"}'


@pytest.fixture
async def http() -> AsyncIterator[aiohttp.ClientSession]:
    async with aiohttp.ClientSession() as session:
        yield session


def what(frame: str) -> str:
    """Name a frame: `ack <id>` or `event <CIF event name>`."""
    ack = ACK.match(frame)
    if ack:
        return f"ack {ack.group(1)}"
    event = EVENT.match(frame)
    assert event, frame
    name, message = json.loads(event.group(1))
    assert name == "cif:event", frame
    return f"event {message['name']}"


async def frames_until_ack(widget: RawWidget, ack_id: int) -> list[str]:
    seen: list[str] = []
    while f"ack {ack_id}" not in seen:
        seen.append(what(await widget.receive()))
    return seen


@pytest.mark.parametrize("store", ["memory", "sqlite"])
async def test_each_answer_comes_before_its_events_and_after_the_earlier_calls_events(
    serve: ServerFactory, http: aiohttp.ClientSession, store: str
) -> None:
    server = await serve(store=store)
    caller = await RawWidget.open(http, server)
    listener = await RawWidget.open(http, server)  # another widget of the same provider
    # Two changes and a read, sent at once: each answer is sent before the events of its
    # own call, and after every event of the calls before it.
    first = await caller.send_call(f'{{"api":"createSession","args":[{CREATE}],"requestId":"o1"}}')
    second = await caller.send_call(f'{{"api":"createSession","args":[{CREATE}],"requestId":"o2"}}')
    third = await caller.send_call('{"api":"getMode","args":[],"requestId":"o3"}')

    seen = await frames_until_ack(caller, third)

    acks = [seen.index(f"ack {number}") for number in (first, second, third)]
    assert acks[0] == 0 and acks[2] == len(seen) - 1
    first_events, second_events = seen[acks[0] + 1 : acks[1]], seen[acks[1] + 1 : acks[2]]
    assert first_events and second_events  # each call's events came between the answers
    assert set(first_events + second_events) == {"event onSessionSwitched"}
    # The other widget of the provider hears the same events, once each.
    events = first_events + second_events
    assert [what(await listener.receive()) for _ in events] == events
    await caller.close()
    await listener.close()
