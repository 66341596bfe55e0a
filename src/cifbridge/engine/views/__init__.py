"""Read models: what pages and the control API show of the workspace; they change nothing.

Rules:
- a view reads plain state: the workspace, the configuration and the time (`EngineState`,
  which an Engine is); it never builds a CallContext and never calls a feature;
- views import engine.base, engine.config, engine.dataverse and the `queries` module of a
  zone (engine/cif/queries.py, engine/omnichannel/queries.py), and nothing else of the engine.
  A read that a feature and a view both need is a pure function of plain data in its zone's
  queries module; the features import it from there too, so the page and the rules can't
  drift apart. tests/test_engine_purity.py checks this.
"""

from __future__ import annotations

from typing import Protocol

from cifbridge.engine.base.record_store import RecordStore
from cifbridge.engine.base.state import Workspace
from cifbridge.engine.config.workspace import WorkspaceConfig


class EngineState(Protocol):
    """What a view reads: the engine's workspace, configuration, clock and the org's records."""

    @property
    def records(self) -> RecordStore:
        """The org's record store."""

    @property
    def workspace(self) -> Workspace:
        """The workspace as it is."""

    @property
    def config(self) -> WorkspaceConfig:
        """The configuration it runs with."""

    def clock(self) -> float:
        """The engine's time."""
