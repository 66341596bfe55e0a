"""Settings of one bridge process; the CLI fills them from flags and their environment twins."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Literal

StoreKind = Literal["memory", "sqlite", "redis"]
Fidelity = Literal["library", "docs"]


@dataclass(frozen=True)
class Settings:
    """Everything `create_app` needs to build a bridge."""

    host: str = "127.0.0.1"
    port: int = 8765
    config_path: Path | None = None
    store: StoreKind = "sqlite"
    state_path: Path = Path(".cifbridge/workspace.sqlite3")
    redis_url: str = "redis://127.0.0.1:6379/0"
    redis_key: str = "cifbridge:workspace"
    fidelity: Fidelity = "library"
    reset: bool = False
    # Every diagnostic (engine/base/diagnostics.py) refuses its call instead of warning: for CI.
    strict: bool = False
    max_frame_bytes: int = 1_000_000
    # Journal entries kept (calls, events, faults); the oldest are dropped and counted.
    journal_size: int = 10_000
    # Who may reach and control the bridge (docs/security.md).
    token: str | None = None
    allow_remote: bool = False
    allowed_hosts: tuple[str, ...] = ()
    allowed_origins: tuple[str, ...] = ()

    @property
    def public_url(self) -> str:
        """Return the URL people and widgets use to reach this bridge."""
        host = "127.0.0.1" if self.host in ("0.0.0.0", "") else self.host
        return f"http://{host}:{self.port}"
