"""What a call costs before any transport: schema validation, engine, the whole dispatcher."""

from __future__ import annotations

import copy
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _timing import median_us, report
from cifbridge.api.dispatcher import Caller, Dispatcher, api_schema_id
from cifbridge.api.signatures import normalize
from cifbridge.api.validation import SchemaSet
from cifbridge.engine import Engine
from cifbridge.files.config import load_config
from cifbridge.files.resources import data_dir

REQUEST = {
    "templateName": "msdyn_voicecall_session",
    "templateParameters": {
        "customerName": "Ana Gomez",
        "msdyn_entityrecord": {"entityName": "contact", "entityId": "c-42"},
    },
}


def main() -> None:
    """Measure and print."""
    schemas = SchemaSet(data_dir("schemas"))
    config = load_config(schemas)
    engine = Engine(config, clock=lambda: 0.0)
    dispatcher = Dispatcher(engine, schemas)
    caller = Caller("cifb_softphone")
    named = normalize("createSession", [REQUEST])
    schema = api_schema_id("createSession")

    def create_and_close() -> None:
        session_id = engine.call("cifb_softphone", "createSession", named).value
        engine.close_session(session_id)

    def dispatch_create_and_close() -> None:
        session_id = dispatcher.call(caller, "createSession", [REQUEST]).value
        engine.close_session(session_id)

    rows = {
        "baseline: deepcopy of the input": median_us(lambda: copy.deepcopy(REQUEST)),
        "jsonschema (reference): validate createSession": median_us(
            lambda: schemas.is_valid_reference(schema, named)
        ),
        "jsonschema-rs (hot path): validate createSession": median_us(
            lambda: schemas.is_valid(schema, named)
        ),
        "snapshot: workspace to JSON text": median_us(engine.snapshot_text),
        "engine: createSession + close": median_us(create_and_close),
        "dispatcher: createSession + close": median_us(dispatch_create_and_close),
        "dispatcher: getFocusedSession": median_us(
            lambda: dispatcher.call(caller, "getFocusedSession", [])
        ),
    }
    report("Per-call cost before any transport", "baseline: deepcopy of the input", rows)


if __name__ == "__main__":
    main()
