"""Load a workspace configuration file (YAML or JSON), validate it, merge it into the defaults.

Rules:
- the bundled defaults are parsed once per process and shared (`default_config_data`): nobody
  writes into them. `merge_config` builds new containers for everything it changes and never
  writes into either input, and the typed configuration is built from the data, not into it;
- a user's file is validated on its own, then the merged whole is validated and cross-checked.
"""

from __future__ import annotations

import copy
import functools
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from cifbridge.api.validation import SchemaSet
from cifbridge.engine import WorkspaceConfig, config_from_dict
from cifbridge.engine.config.channels import channel_config_problems, merge_channel_config
from cifbridge.engine.config.entities import merge_record_config, record_config_problems
from cifbridge.engine.config.features import merge_feature_config
from cifbridge.files.documents import DocumentError, read_document
from cifbridge.files.resources import default_config_path

CONFIG_SCHEMA = "urn:cifbridge:workspace-config"
_MERGED_LISTS = (
    "providers",
    "sessionTemplates",
    "applicationTabTemplates",
    "notificationTemplates",
)


class ConfigError(ValueError):
    """The configuration file is unreadable, invalid or inconsistent."""


def read_config_file(path: Path) -> dict[str, Any]:
    """Parse a YAML or JSON configuration file into a dict."""
    try:
        data = read_document(path)
    except DocumentError as error:
        raise ConfigError(str(error)) from error
    if not isinstance(data, dict):
        raise ConfigError(f"{path}: the configuration must be a mapping")
    return data


@functools.cache
def default_config_data() -> Mapping[str, Any]:
    """Return the bundled default configuration, parsed once; shared, so never mutate it."""
    return read_config_file(default_config_path())


def merge_config(base: Mapping[str, Any], override: Mapping[str, Any]) -> dict[str, Any]:
    """Merge a user's configuration into a copy of the defaults; same uniqueName replaces."""
    if override.get("extends") == "none":
        return copy.deepcopy({k: v for k, v in override.items() if k != "extends"})
    merged = {**base, "limits": {**base.get("limits", {}), **override.get("limits", {})}}
    for key in _MERGED_LISTS:
        entries = {e["uniqueName"]: e for e in base.get(key, [])}
        entries.update({e["uniqueName"]: e for e in override.get(key, [])})
        merged[key] = list(entries.values())
    for key in ("organization", "agent"):  # key by key
        merged[key] = {**base.get(key, {}), **override.get(key, {})}
    if "presences" in override:  # a presence list replaces the bundled one
        merged["presences"] = override["presences"]
    merged.update(merge_record_config(base, override))  # same logical name / record id replaces
    merged.update(merge_channel_config(base, override))  # channel by channel, key by key
    merged.update(merge_feature_config(base, override))  # flag by flag, setting by setting
    # A copy all the way down: a caller may change its result, never the shared defaults.
    return copy.deepcopy(merged)


def load_config(schemas: SchemaSet, path: Path | None = None) -> WorkspaceConfig:
    """Return the effective configuration: the defaults, merged with `path` if given."""
    data: Mapping[str, Any] = default_config_data()
    if path is not None:
        user = read_config_file(path)
        _check(schemas, user, str(path))
        data = merge_config(data, user)
    _check(schemas, data, "effective configuration")
    _check_references(data)
    return config_from_dict(data)


def _check(schemas: SchemaSet, data: Mapping[str, Any], where: str) -> None:
    problems = schemas.all_errors(CONFIG_SCHEMA, data)
    if problems:
        raise ConfigError(f"{where}: " + "; ".join(problems))


def _check_references(data: Mapping[str, Any]) -> None:
    tabs = {t["uniqueName"] for t in data.get("applicationTabTemplates", [])}
    problems = []
    for template in data.get("sessionTemplates", []):
        wanted = [template.get("anchorTab"), *template.get("additionalTabs", [])]
        for name in filter(None, wanted):
            if name not in tabs:
                problems.append(
                    f"session template {template['uniqueName']} names application tab "
                    f"template {name}, which is not configured"
                )
    if not data.get("providers"):
        problems.append("at least one channel provider must be configured")
    problems.extend(record_config_problems(data))
    problems.extend(channel_config_problems(data))
    presence = data.get("agent", {}).get("presence", "Available")
    texts = [p["presenceText"] for p in data.get("presences", [])]
    if texts and presence not in texts:
        problems.append(f"agent presence {presence!r} is not one of the configured presences")
    if problems:
        raise ConfigError("; ".join(problems))
