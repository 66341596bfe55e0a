"""The user-facing SDK: Python clients of the bridge and the pytest plugin.

`from cifbridge.clients import BridgeClient, WidgetClient` is the supported import (both work
for one agent of the bridge: `agent=`, or a URL `<bridge>/agents/<agent>`; docs/agents.md); the
modules behind it (`bridge`, `journal`, `omnichannel`, `processes`, `pages`, `pytest_plugin`) may
move.
"""

from .bridge import BridgeClient, BridgeError, CifCallError, PendingCall, WidgetClient
from .journal import (
    JournalAssertionError,
    assert_no_rejected_call,
    count_calls,
    find_calls,
    journal_mark,
    wait_for_call,
)
from .omnichannel import ConversationAgent, CustomerClient
from .pages import WidgetPages
from .processes import BridgeProcess, BridgeStartError

__all__ = [
    "BridgeClient",
    "BridgeError",
    "BridgeProcess",
    "BridgeStartError",
    "CifCallError",
    "ConversationAgent",
    "CustomerClient",
    "JournalAssertionError",
    "PendingCall",
    "WidgetClient",
    "WidgetPages",
    "assert_no_rejected_call",
    "count_calls",
    "find_calls",
    "journal_mark",
    "wait_for_call",
]
