"""The user-facing SDK: Python clients of the bridge and the pytest plugin.

`from cifbridge.clients import BridgeClient, WidgetClient` is the supported import; the
modules behind it (`bridge`, `omnichannel`, `processes`, `pages`, `pytest_plugin`) may move.
"""

from .bridge import BridgeClient, BridgeError, CifCallError, PendingCall, WidgetClient
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
    "PendingCall",
    "WidgetClient",
    "WidgetPages",
]
