"""The sans-I/O session engine: all CIF semantics, no transport, no storage, no clock of its own."""

from cifbridge.engine.base.context import ANY_PROVIDER, DEFERRED, Deferred, Delivery, Settlement
from cifbridge.engine.base.errors import AgentActionRefused, CifError, HostError, InvalidInput
from cifbridge.engine.config.workspace import HOME_SESSION_ID, WorkspaceConfig, config_from_dict
from cifbridge.engine.core import Engine, Result

__all__ = [
    "ANY_PROVIDER",
    "DEFERRED",
    "HOME_SESSION_ID",
    "AgentActionRefused",
    "CifError",
    "Deferred",
    "Delivery",
    "Engine",
    "HostError",
    "InvalidInput",
    "Result",
    "Settlement",
    "WorkspaceConfig",
    "config_from_dict",
]
