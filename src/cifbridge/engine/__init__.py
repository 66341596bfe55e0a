"""The sans-I/O session engine: all CIF semantics, no transport, no storage, no clock of its own."""

from .config import HOME_SESSION_ID, WorkspaceConfig, config_from_dict
from .context import ANY_PROVIDER, DEFERRED, Deferred, Delivery, Settlement
from .core import Engine, Result
from .errors import AgentActionRefused, CifError, HostError, InvalidInput

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
