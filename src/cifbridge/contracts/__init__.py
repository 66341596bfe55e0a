"""Contract cases: language-neutral files pinning the CIF input format, and the one runner
that plays each through the engine, Socket.IO and the shim in Chromium (all must agree)."""

from cifbridge.contracts.cases import (
    AdvanceClock,
    AgentAction,
    Call,
    Case,
    ContractError,
    case_files,
    load_cases,
    load_file,
)
from cifbridge.contracts.runner import PATH_NAMES, CaseResult, ContractRunner

__all__ = [
    "PATH_NAMES",
    "AdvanceClock",
    "AgentAction",
    "Call",
    "Case",
    "CaseResult",
    "ContractError",
    "ContractRunner",
    "case_files",
    "load_cases",
    "load_file",
]
