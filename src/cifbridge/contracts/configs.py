"""The effective workspace configuration of each case, loaded once, exactly as the bridge loads it.

A case's partial `config` is written to a file and read with `load_config`, the same function
`create_app` uses for `--config`, so every path sees the same merged and checked configuration.
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path
from types import TracebackType
from typing import Any

from cifbridge.api.validation import SchemaSet
from cifbridge.contracts.cases import Call, Case
from cifbridge.engine import WorkspaceConfig
from cifbridge.files.config import load_config


class CaseConfigError(ValueError):
    """The case's configuration or providers do not make a usable workspace."""


def config_key(case: Case) -> str:
    """Return a key that is equal for cases with the same configuration."""
    return "" if case.config is None else json.dumps(case.config, sort_keys=True)


class CaseConfigs:
    """Writes and loads case configurations, caching by content; close to remove the files."""

    def __init__(self, schemas: SchemaSet) -> None:
        self.schemas = schemas
        self._folder = tempfile.TemporaryDirectory(prefix="cifbridge-contracts-")
        self._paths: dict[str, Path | None] = {}
        self._configs: dict[str, WorkspaceConfig] = {}

    def __enter__(self) -> CaseConfigs:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        """Remove the configuration files written so far."""
        self._folder.cleanup()

    def path(self, case: Case) -> Path | None:
        """Return the file holding the case's configuration (None: the defaults alone)."""
        key = config_key(case)
        if key not in self._paths:
            self._paths[key] = self._write(case.config)
        return self._paths[key]

    def config(self, case: Case) -> WorkspaceConfig:
        """Return the effective configuration, checking the case's providers against it."""
        key = config_key(case)
        if key not in self._configs:
            try:
                self._configs[key] = load_config(self.schemas, self.path(case))
            except ValueError as error:
                raise CaseConfigError(f"config: {error}") from error
        config = self._configs[key]
        for provider in providers_used(case):
            if config.provider(provider) is None:
                raise CaseConfigError(f"provider {provider} is not configured")
        return config

    def caller(self, case: Case) -> str:
        """Return the provider whose widget makes the case's call."""
        return case.provider or self.config(case).providers[0].unique_name

    def _write(self, config: dict[str, Any] | None) -> Path | None:
        if config is None:
            return None
        path = Path(self._folder.name) / f"config-{len(self._paths)}.json"
        path.write_text(json.dumps(config), encoding="utf-8")
        return path


def providers_used(case: Case) -> list[str]:
    """Return the providers the case names explicitly, for itself or for setup steps."""
    named = [case.provider] if case.provider else []
    named.extend(s.provider for s in case.setup if isinstance(s, Call) and s.provider)
    return named
