"""A widget connection speaking Socket.IO by hand, to send frames no client library would send
(JSON nested 3,000 levels deep, text that is not JSON, events that are not `[name, ...]`)."""

from __future__ import annotations

import json
import re
from typing import Any

import aiohttp
from aiohttp.test_utils import TestServer

ACK = re.compile(r"^43/widget,(\d+)(.*)$", re.DOTALL)
SOFTPHONE_AUTH = {"href": "http://127.0.0.1/samples/softphone.html"}


class RawWidget:
    """One websocket to the bridge, connected to the /widget namespace."""

    def __init__(self, ws: aiohttp.ClientWebSocketResponse) -> None:
        self.ws = ws
        self.next_id = 0

    @classmethod
    async def open(
        cls, http: aiohttp.ClientSession, server: TestServer, origin: str = "http://localhost:5173"
    ) -> RawWidget:
        url = server.make_url("/socket.io/?EIO=4&transport=websocket")
        ws = await http.ws_connect(url, headers={"Origin": origin})
        widget = cls(ws)
        assert (await widget.receive()).startswith("0{")
        await ws.send_str("40/widget," + json.dumps(SOFTPHONE_AUTH))
        assert (await widget.receive()).startswith("40/widget,")
        return widget

    async def receive(self) -> str:
        """Return the next Socket.IO frame, answering engine.io pings on the way."""
        while True:
            message = await self.ws.receive(timeout=10)
            assert message.type == aiohttp.WSMsgType.TEXT, message
            if message.data == "2":
                await self.ws.send_str("3")
                continue
            text: str = message.data
            return text

    async def send_call(self, payload_text: str) -> int:
        """Send `["cif", <payload_text>]` as it is; return the ack id to wait for."""
        return await self.send_event(f'["cif",{payload_text}]')

    async def send_event(self, array_text: str) -> int:
        """Send an event frame whose JSON part is `array_text`, verbatim."""
        self.next_id += 1
        await self.ws.send_str(f"42/widget,{self.next_id}{array_text}")
        return self.next_id

    async def answer(self, ack_id: int) -> Any:
        """Wait for the acknowledgement of one frame; return its first value."""
        while True:
            frame = await self.receive()
            match = ACK.match(frame)
            if match and int(match.group(1)) == ack_id:
                return json.loads(match.group(2))[0]

    async def call(self, api: str, *args_text: str) -> Any:
        """Call `api` with arguments given as raw JSON texts; return the acknowledgement."""
        payload = (
            f'{{"api":"{api}","args":[{",".join(args_text)}],"requestId":"raw-{self.next_id}"}}'
        )
        return await self.answer(await self.send_call(payload))

    async def close(self) -> None:
        """Say goodbye as engine.io does, so the server forgets the session at once."""
        if not self.ws.closed:
            await self.ws.send_str("1")
        await self.ws.close()
