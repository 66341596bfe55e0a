"""What one engine call works with: config, state, caller, clock, and what the call caused."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from cifbridge.engine.base.diagnostics import Diagnostic
from cifbridge.engine.base.record_store import MemoryRecords, RecordStore
from cifbridge.engine.base.state import JSON, Workspace
from cifbridge.engine.config.entities import derived_guid
from cifbridge.engine.config.workspace import WorkspaceConfig

if TYPE_CHECKING:
    from cifbridge.engine.base.feature import Hooks

ANY_PROVIDER = "*"
# The agent of a bridge's first workspace: today's URLs (no /agents/<agent>/) mean this one.
DEFAULT_AGENT = "default"
# An agent's name, wherever one is taken (URLs, the control API, the command line): it is
# part of store keys and URLs, so it starts with a letter or digit (a store's own keys, such as
# the routing state's, start otherwise).
AGENT_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")


class BadAgentName(ValueError):
    """A name that cannot be an agent's."""


def checked_agent(name: str) -> str:
    """Return the name if it can be an agent's, else raise BadAgentName saying why."""
    if not AGENT_NAME.match(name):
        raise BadAgentName(
            f"{name!r} is not an agent name: 1 to 64 letters, digits, '.', '_' or '-',"
            " starting with a letter or digit"
        )
    return name


# Not a provider: the agent workspace page (raiseEvent reaches it as well as the widgets).
WORKSPACE_PAGE = "#workspace"


@dataclass(frozen=True)
class Delivery:
    """An event for the widgets of one provider (or of every provider, ANY_PROVIDER)."""

    provider: str
    name: str
    payload: JSON


@dataclass(frozen=True)
class Settlement:
    """The late answer to a deferred call (e.g. notifyEvent, answered when the agent acts)."""

    provider: str
    request_id: str
    api: str
    ok: bool
    value: JSON = None
    error: Exception | None = None


class Deferred:
    """Returned by a handler whose answer comes later, as a Settlement for `ctx.request_id`."""

    def __repr__(self) -> str:
        return "DEFERRED"


DEFERRED = Deferred()


@dataclass
class CallContext:
    """The mutable scratchpad of one engine call or agent action.

    `hooks` are every feature's hooks (feature.py), for the code that fires them; `records`
    is the org's record store, shared by every agent; `agent` is whose workspace this is.
    """

    config: WorkspaceConfig
    workspace: Workspace
    provider: str | None
    clock: Callable[[], float]
    hooks: Hooks
    request_id: str = ""
    records: RecordStore = field(default_factory=lambda: MemoryRecords({}))
    agent: str = DEFAULT_AGENT
    deliveries: list[Delivery] = field(default_factory=list)
    settlements: list[Settlement] = field(default_factory=list)
    mutated: bool = False
    warnings: list[Diagnostic] = field(default_factory=list)

    def user(self) -> tuple[str, str]:
        """Return the signed-in user of this workspace: (systemuserid, name).

        The default agent is the configured user; every other agent is a user of the same org,
        named after the agent, with an id derived from the org and that name.
        """
        org = self.config.organization
        if self.agent == DEFAULT_AGENT:
            return org.user_id, org.username
        return derived_guid("systemuser", org.org_id, self.agent), self.agent

    def warn(self, *found: Diagnostic | None) -> None:
        """Note what this call does that production does differently (once per cause)."""
        for warning in found:
            if warning is not None and warning not in self.warnings:
                self.warnings.append(warning)

    def emit(self, provider: str | None, name: str, payload: JSON) -> None:
        """Queue an event for a provider's widgets; sessions without a provider notify nobody."""
        if provider is not None:
            self.deliveries.append(Delivery(provider, name, payload))

    def settle(self, provider: str, request_id: str, api: str, value: JSON) -> None:
        """Answer a deferred call successfully."""
        self.settlements.append(Settlement(provider, request_id, api, True, value))
        self.changed()

    def settle_error(self, provider: str, request_id: str, api: str, error: Exception) -> None:
        """Answer a deferred call with a CIF error."""
        self.settlements.append(Settlement(provider, request_id, api, False, error=error))
        self.changed()

    def changed(self) -> None:
        """Mark the workspace as changed so the transport persists it before the ack."""
        self.mutated = True
