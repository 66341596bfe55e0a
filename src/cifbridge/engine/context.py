"""What one engine call works with: config, state, caller, clock, and the events it raises."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from .config import WorkspaceConfig
from .state import JSON, Workspace

ANY_PROVIDER = "*"


@dataclass(frozen=True)
class Delivery:
    """An event for the widgets of one provider (or of every provider, ANY_PROVIDER)."""

    provider: str
    name: str
    payload: JSON


@dataclass
class CallContext:
    """The mutable scratchpad of one engine call."""

    config: WorkspaceConfig
    workspace: Workspace
    provider: str | None
    clock: Callable[[], float]
    deliveries: list[Delivery] = field(default_factory=list)
    mutated: bool = False

    def emit(self, provider: str | None, name: str, payload: JSON) -> None:
        """Queue an event for a provider's widgets; sessions without a provider notify nobody."""
        if provider is not None:
            self.deliveries.append(Delivery(provider, name, payload))

    def changed(self) -> None:
        """Mark the workspace as changed so the transport persists it before the ack."""
        self.mutated = True
