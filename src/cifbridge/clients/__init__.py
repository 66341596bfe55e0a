"""The user-facing SDK: Python clients of the bridge and the pytest plugin.

`from cifbridge.clients import BridgeClient, WidgetClient` is the supported import; the
modules behind it (`bridge`, `omnichannel`, `pytest_plugin`) may move.
"""

from .bridge import BridgeClient, BridgeError, CifCallError, PendingCall, WidgetClient
from .omnichannel import ConversationAgent, CustomerClient

__all__ = [
    "BridgeClient",
    "BridgeError",
    "CifCallError",
    "ConversationAgent",
    "CustomerClient",
    "PendingCall",
    "WidgetClient",
]
