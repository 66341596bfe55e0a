"""The sans-I/O session engine: all CIF semantics, no transport, no storage, no clock of its own."""

from .config import HOME_SESSION_ID, WorkspaceConfig, config_from_dict
from .context import ANY_PROVIDER, Delivery
from .core import Engine, Result
from .errors import AgentActionRefused, CifError, HostError, InvalidInput

__all__ = [
    "ANY_PROVIDER",
    "HOME_SESSION_ID",
    "AgentActionRefused",
    "CifError",
    "Delivery",
    "Engine",
    "HostError",
    "InvalidInput",
    "Result",
    "WorkspaceConfig",
    "config_from_dict",
]
