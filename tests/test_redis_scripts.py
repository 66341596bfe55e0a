"""The Redis store's scripts, pipelined on one connection (store/redis_scripts.py).

Calls sent at once each get their own answer, in any mix of scripts; a script's error fails
only its call; a script Redis does not know is sent whole once; a lost connection fails the calls
that were waiting on it (the store refuses those calls) and the next call connects again.
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator

import pytest
from redis.asyncio import Redis
from redis.exceptions import RedisError, ResponseError

from cifbridge.engine.base.context import DEFAULT_AGENT
from cifbridge.store import StoreFailed
from cifbridge.store.redis import RedisStore
from cifbridge.store.redis_scripts import Script, ScriptChannel

pytestmark = pytest.mark.redis

REDIS_URL = "redis://127.0.0.1:6379/0"
ECHO = Script("return {KEYS[1], ARGV[1]}")
REFUSE_ODD = Script(
    "if tonumber(ARGV[1]) % 2 == 1 then return redis.error_reply('odd ' .. ARGV[1]) end"
    " return tonumber(ARGV[1])"
)


@pytest.fixture
async def channel() -> AsyncIterator[ScriptChannel]:
    client = Redis.from_url(REDIS_URL)
    scripts = ScriptChannel(client)
    yield scripts
    await scripts.close()
    await client.aclose()


async def test_calls_sent_at_once_each_get_their_own_answer(channel: ScriptChannel) -> None:
    answers = await asyncio.gather(
        *(channel.call(ECHO, [f"key-{n}"], [f"value-{n}"]) for n in range(200)),
        *(channel.call(REFUSE_ODD, [], [n]) for n in range(20)),
        return_exceptions=True,
    )
    assert answers[:200] == [[f"key-{n}".encode(), f"value-{n}".encode()] for n in range(200)]
    refused = answers[200:]
    assert refused[0::2] == list(range(0, 20, 2))  # the even ones were answered
    for number, error in zip(range(1, 20, 2), refused[1::2], strict=True):
        assert isinstance(error, ResponseError) and f"odd {number}" in str(error)
    assert await channel.call(ECHO, ["after"], ["errors"]) == [b"after", b"errors"]


async def test_a_script_redis_does_not_know_is_sent_whole_once(channel: ScriptChannel) -> None:
    # A script Redis never saw answers NOSCRIPT to its EVALSHA, as after a restart or a
    # SCRIPT FLUSH (not sent here: it would empty the cache of everything on this Redis).
    script = Script(f"return 'unknown-{uuid.uuid4().hex}'")
    expected = script.text.split(b"'")[1]
    assert (
        await asyncio.gather(*(channel.call(script, [], []) for _ in range(3))) == [expected] * 3
    )  # sent at once: each EVALSHA refused, each sent again whole
    assert await channel.call(script, [], []) == expected  # now known: EVALSHA answers
    client = Redis.from_url(REDIS_URL)
    try:
        assert await client.script_exists(script.sha.decode()) == [True]
    finally:
        await client.aclose()


async def test_a_lost_connection_fails_the_waiting_calls_and_the_next_one_connects_again(
    channel: ScriptChannel,
) -> None:
    assert await channel.call(ECHO, ["k"], ["before"]) == [b"k", b"before"]
    connection = channel._connection
    assert connection is not None and connection._writer is not None
    waiting = asyncio.ensure_future(channel.call(ECHO, ["k"], ["lost"]))
    await asyncio.sleep(0)  # queued, not answered
    connection._writer.transport.abort()  # as if Redis or the network dropped it
    with pytest.raises(RedisError):
        await waiting
    assert await channel.call(ECHO, ["k"], ["again"]) == [b"k", b"again"]
    assert channel._connection is not connection


async def test_the_store_refuses_a_save_whose_connection_was_lost_and_saves_the_next() -> None:
    key = f"cifbridge:test:{uuid.uuid4().hex}"
    store = RedisStore(REDIS_URL, key)
    try:
        async with store.exclusive(DEFAULT_AGENT):  # the lock goes on the scripts' connection
            connection = store._scripts._connection
            assert connection is not None and connection._writer is not None
            connection._writer.transport.abort()
            with pytest.raises(StoreFailed, match="did not answer the save"):
                await store.save(DEFAULT_AGENT, '{"saved": 1}', 1)
        async with store.exclusive(DEFAULT_AGENT):  # the refused hold released its lock
            await store.save(DEFAULT_AGENT, '{"saved": 2}', 2)
        assert await store.load(DEFAULT_AGENT) == '{"saved": 2}'
    finally:
        await store.clear(DEFAULT_AGENT)
        await store.close()


async def test_sends_made_while_the_connection_opens_keep_their_order(
    channel: ScriptChannel,
) -> None:
    name = f"cifbridge:test:{uuid.uuid4().hex}"
    listener = Redis.from_url(REDIS_URL)
    pubsub = listener.pubsub()
    try:
        await pubsub.subscribe(name)
        await pubsub.get_message(timeout=5)  # the subscription's confirmation
        sent = []
        for number in range(40):  # the first opens the connection; the loop turns meanwhile
            sent.append(channel.send(b"PUBLISH", name.encode(), str(number).encode()))
            await asyncio.sleep(0)
        assert await asyncio.gather(*sent) == [1] * 40  # each heard by the one subscriber
        heard = []
        while len(heard) < 40:
            message = await pubsub.get_message(timeout=5)
            assert message is not None, heard
            heard.append(int(message["data"]))
        assert heard == list(range(40))
    finally:
        await pubsub.aclose()
        await listener.aclose()
