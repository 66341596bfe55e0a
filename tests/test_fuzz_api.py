"""Property-based fuzzing of a live bridge: every API's schema, inputs past the schemas, frames
no client would send. Zero crashes, zero unanswered calls, and the state saved afterwards loads.

The bridge runs as `cifbridge serve --store sqlite` in a child process; widgets reach it over
Socket.IO (python-socketio's client for JSON values, a raw websocket for raw frames). A crash
is a dead process, an acknowledgement saying "internal error", or a traceback in its output.
The run is bounded (CIFBRIDGE_FUZZ_EXAMPLES examples per property, 60 by default) and
derandomized, so it is the same run in CI; raise the number to fuzz longer.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import socketio
import websocket
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis_jsonschema import from_schema

from cifbridge.api.catalog import APIS
from cifbridge.api.dispatcher import api_schema_id
from cifbridge.api.validation import SchemaSet
from cifbridge.clients.bridge import BridgeClient
from cifbridge.files.resources import data_dir
from tests.conftest import free_port

EXAMPLES = int(os.environ.get("CIFBRIDGE_FUZZ_EXAMPLES", "60"))
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    database=None,
    derandomize="CIFBRIDGE_FUZZ_EXAMPLES" not in os.environ,
    suppress_health_check=list(HealthCheck),
)
SCHEMAS = SchemaSet(data_dir("schemas"))
AUTH = {"href": "http://127.0.0.1/samples/softphone.html"}
ACK_TIMEOUT = 10.0
VOICE = "msdyn_voicecall_session"
_NOT_GENERATED = {"$schema", "$id", "$defs", "x-cif-message", "title", "description"}


def inlined(node: Any, document: dict[str, Any]) -> Any:
    """Return a schema with every `$ref` replaced by its target (hypothesis-jsonschema reads
    no registry)."""
    if isinstance(node, list):
        return [inlined(item, document) for item in node]
    if not isinstance(node, dict):
        return node
    if "$ref" in node:
        base, _, pointer = node["$ref"].partition("#")
        target_document = SCHEMAS.schemas[base] if base else document
        target: Any = target_document
        for part in filter(None, pointer.split("/")):
            target = target[part]
        rest = {k: v for k, v in node.items() if k != "$ref"}
        resolved = inlined(target, target_document)
        return {"allOf": [resolved, inlined(rest, document)]} if rest else resolved
    return {k: inlined(v, document) for k, v in node.items() if k not in _NOT_GENERATED}


def named_arguments(api: str) -> st.SearchStrategy[dict[str, Any]]:
    schema = SCHEMAS.schemas[api_schema_id(api)]
    return from_schema(inlined(schema, schema))


FUZZED_APIS = sorted(api for api in APIS if SCHEMAS.has(api_schema_id(api)))
ARGUMENTS = {api: named_arguments(api) for api in FUZZED_APIS}
JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=40),
    lambda inner: st.lists(inner, max_size=6) | st.dictionaries(st.text(max_size=8), inner),
    max_leaves=30,
)


def nest(levels: int) -> Any:
    value: Any = "x"
    for _ in range(levels):
        value = {"k": value}
    return value


@st.composite
def deep_value(draw: st.DrawFn) -> Any:
    """An object or array nested past any limit, as JSON a browser can send."""
    value: Any = draw(JSON_VALUES)
    for _ in range(draw(st.integers(min_value=30, max_value=150))):
        value = [value] if draw(st.booleans()) else {"k": value}
    return value


class FuzzedBridge:
    """The bridge process, its log, and a widget connection to it."""

    def __init__(self, state: Path, log: Path) -> None:
        self.state = state
        self.log = log
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.process = self._start()
        self.widget = socketio.SimpleClient()
        self.widget.connect(self.url, namespace="/widget", auth=AUTH, transports=["websocket"])

    def _start(self) -> subprocess.Popen[bytes]:
        command = [sys.executable, "-m", "cifbridge", "serve", "--port", str(self.port)]
        command += ["--store", "sqlite", "--state", str(self.state)]
        with self.log.open("ab") as out:
            process = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT)
        BridgeClient(self.url).wait_until_ready()
        return process

    def call(self, packet: Any) -> Any:
        """Send one `cif` event and return its acknowledgement (TimeoutError if none comes)."""
        return self.widget.call("cif", packet, timeout=ACK_TIMEOUT)

    def raw_call(self, payload: str | bytes, ack_id: int = 1) -> str:
        """Send `42/widget,<id><payload>` on a fresh websocket; return the ack frame."""
        ws = websocket.create_connection(
            f"ws://127.0.0.1:{self.port}/socket.io/?EIO=4&transport=websocket",
            timeout=ACK_TIMEOUT,
        )
        try:
            ws.recv()  # the engine.io handshake
            ws.send("40/widget," + json.dumps(AUTH))
            assert ws.recv().startswith("40/widget,")
            if isinstance(payload, bytes):
                ws.send_binary(payload)
                ws.send(f"42/widget,{ack_id}" + '["cif",{"api":"getMode"}]')
            else:
                ws.send(f"42/widget,{ack_id}{payload}")
            while not (frame := ws.recv()).startswith(f"43/widget,{ack_id}["):
                pass
            return str(frame)
        finally:
            ws.send("1")
            ws.close()

    def restart(self) -> None:
        """Stop the process and start it again on the same state file."""
        self.widget.disconnect()
        self.stop()
        self.process = self._start()

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=30)


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[FuzzedBridge]:
    folder = tmp_path_factory.mktemp("fuzz")
    bridge = FuzzedBridge(folder / "state.sqlite3", folder / "bridge.log")
    yield bridge
    if bridge.process.poll() is None:
        bridge.stop()


def assert_answered(ack: Any) -> None:
    """An acknowledgement, success or CIF rejection, and never an internal error."""
    assert isinstance(ack, dict) and isinstance(ack.get("ok"), bool), ack
    if not ack["ok"]:
        message = str((ack.get("error") or {}).get("message", ""))
        assert "internal error" not in message, ack


def positional(api: str, named: dict[str, Any]) -> list[Any]:
    """Lay the named arguments out in the API's positional order."""
    return [named.get(param) for param in APIS[api].params]


def fuzz_schema_valid_calls(live: FuzzedBridge) -> None:
    """Send EXAMPLES schema-valid calls of every fuzzed API; each must be answered."""

    @FUZZ
    @given(st.data())
    def run(data: st.DataObject) -> None:
        api = data.draw(st.sampled_from(FUZZED_APIS))
        args = positional(api, data.draw(ARGUMENTS[api]))
        assert_answered(
            live.call({"api": api, "args": args, "requestId": data.draw(st.uuids()).hex})
        )

    run()


def test_every_schema_valid_call_is_answered(live: FuzzedBridge) -> None:
    fuzz_schema_valid_calls(live)


def test_inputs_past_the_schemas_are_answered(live: FuzzedBridge) -> None:
    apis = st.sampled_from(FUZZED_APIS) | st.text(max_size=20)
    args = st.lists(JSON_VALUES | deep_value(), max_size=5) | JSON_VALUES

    @FUZZ
    @given(api=apis, args=args, request_id=st.none() | st.text(max_size=10) | st.integers())
    def run(api: str, args: Any, request_id: Any) -> None:
        assert_answered(live.call({"api": api, "args": args, "requestId": request_id}))

    run()
    # Past every bound at once; sent as they are (hypothesis could not print them).
    for api, edge, refusal in [
        ("createSession", [{"templateName": VOICE, "context": nest(300)}], "maxInputDepth"),
        ("createSession", [{"templateName": VOICE, "x": float("nan")}], "not a finite number"),
        ("createRecord", ["contact", "[" * 2000], "maxInputDepth"),
        ("logAnalyticsEvent", [list(range(20_000)), "E"], "maxInputItems"),
    ]:
        ack = live.call({"api": api, "args": edge, "requestId": f"edge-{api}-{refusal}"})
        assert ack["ok"] is False and refusal in ack["error"]["message"], ack


def test_malformed_frames_are_answered(live: FuzzedBridge) -> None:
    frames = (
        st.text(max_size=60).map(lambda text: " " + text)  # never read as part of the ack id
        | st.integers(30, 3000).map(lambda n: '["cif",{"api":"createSession","args":[' + "[" * n)
        | st.integers(30, 3000).map(lambda n: '["cif",' + "{}" * n + "]")
        | st.binary(max_size=40)
    )

    @settings(FUZZ, max_examples=max(10, EXAMPLES // 3))
    @given(frames)
    def run(frame: str | bytes) -> None:
        ack = live.raw_call(frame)
        assert_answered(json.loads(ack[ack.index("[") :])[0])

    run()


def test_the_state_saved_after_fuzzing_loads(live: FuzzedBridge) -> None:
    client = BridgeClient(live.url)
    if len(client.journal()) < EXAMPLES:  # run alone (-k): the tests above did not fuzz it
        fuzz_schema_valid_calls(live)
    calls = len(client.journal())
    assert calls >= EXAMPLES, "the fuzz runs did not reach the bridge"
    before = client.workspace()
    assert live.process.poll() is None, "the bridge died while fuzzed"
    live.restart()
    after = client.workspace()
    for part in ("sessions", "focusedSessionId", "presence", "panel", "recordsVersion"):
        assert after[part] == before[part], part
    live.stop()
    output = live.log.read_text(encoding="utf-8", errors="replace")
    assert "Traceback" not in output, output[-4000:]
