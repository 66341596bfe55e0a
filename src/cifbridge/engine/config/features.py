"""Feature flags as configured (`features` in the workspace configuration), for the library's
isFeatureEnabled and getFcsValue (reference §2.11).

Rules:
- `features.enabled` maps a feature name to true or false: what isFeatureEnabled(name) answers;
  a name not listed is off, as the host answers for a feature it does not know;
- `features.fcs` maps a feature namespace to its settings, name to value (feature control
  settings are not only booleans): what getFcsValue(namespace, name) answers; a setting not
  configured answers null, as the library does when the host's answer has no value;
- a user's section merges into the bundled one name by name, so a file can switch one flag
  without restating the others.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class FeatureFlags:
    """The feature flags and feature control settings the host reports."""

    enabled: Mapping[str, bool] = field(default_factory=dict)
    fcs: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)

    def is_enabled(self, name: str) -> bool:
        """Answer isFeatureEnabled: true only for a flag configured on."""
        return self.enabled.get(name, False) is True

    def fcs_value(self, namespace: str, name: str) -> Any:
        """Answer getFcsValue: the configured setting, or None when there is none."""
        return self.fcs.get(namespace, {}).get(name)


def feature_flags_from_dict(raw: Mapping[str, Any]) -> FeatureFlags:
    """Build the flags from the validated `features` section."""
    return FeatureFlags(
        enabled={str(k): bool(v) for k, v in raw.get("enabled", {}).items()},
        fcs={str(ns): dict(values) for ns, values in raw.get("fcs", {}).items()},
    )


def merge_feature_config(base: Mapping[str, Any], override: Mapping[str, Any]) -> dict[str, Any]:
    """Merge a user's `features` into the bundled ones, flag by flag and setting by setting."""
    mine, theirs = base.get("features", {}), override.get("features", {})
    fcs = {ns: dict(values) for ns, values in mine.get("fcs", {}).items()}
    for namespace, values in theirs.get("fcs", {}).items():
        fcs[namespace] = {**fcs.get(namespace, {}), **values}
    enabled = {**mine.get("enabled", {}), **theirs.get("enabled", {})}
    return {"features": {"enabled": enabled, "fcs": fcs}}
