"""Assemble the widget library served at the real path, once per process.

The shim source keeps two placeholders: the official socket.io-client bundle goes inside the
shim's own function scope (so no global `io` leaks into the partner's page), and the API table
from `api.catalog` goes where the shim reads its configuration, so Python and JavaScript can
never disagree about names, encodings or timeouts.
"""

from __future__ import annotations

import json

from cifbridge.api.catalog import BUILT_IN_EVENTS, shim_table
from cifbridge.engine.base.texts import TIMEOUT
from cifbridge.files.resources import data_dir, read_socket_io_client
from cifbridge.settings import Settings
from cifbridge.web.hub import WIDGET_NAMESPACE

SOCKET_IO_PLACEHOLDER = "/*CIFBRIDGE_SOCKET_IO_CLIENT*/"
CONFIG_PLACEHOLDER = "/*CIFBRIDGE_CONFIG*/null"
TIMEOUT_MS = 10_000


def build_shim(settings: Settings) -> bytes:
    """Return the complete msdyn_ciLibrary.js for this bridge."""
    source = (data_dir("static") / "shim" / "msdyn_ciLibrary.js").read_text(encoding="utf-8")
    config = {
        "apis": shim_table(),
        "events": list(BUILT_IN_EVENTS),
        "fidelity": settings.fidelity,
        "strict": settings.strict,
        "timeoutMs": TIMEOUT_MS,
        "timeoutMessage": TIMEOUT,
        "namespace": WIDGET_NAMESPACE,
    }
    for placeholder in (SOCKET_IO_PLACEHOLDER, CONFIG_PLACEHOLDER):
        if source.count(placeholder) != 1:
            raise ValueError(f"the shim source must hold {placeholder} exactly once")
    source = source.replace(CONFIG_PLACEHOLDER, json.dumps(config))
    source = source.replace(SOCKET_IO_PLACEHOLDER, read_socket_io_client())
    return source.encode("utf-8")
