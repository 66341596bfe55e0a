"""Read the YAML or JSON files users write: configurations, contract cases, scenarios."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import yaml

# libyaml's loader parses the bundled configuration about seven times faster; the pure-Python
# one reads the same documents where PyYAML was built without it.
YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class DocumentError(ValueError):
    """A file could not be read or parsed; the message starts with its path."""


def read_document(path: Path) -> Any:
    """Parse a `.json` file as JSON and anything else as YAML."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        raise DocumentError(f"{path}: {error.strerror}") from error
    try:
        return json.loads(text) if path.suffix == ".json" else yaml.load(text, YAML_LOADER)
    except (ValueError, yaml.YAMLError) as error:
        kind = "JSON" if path.suffix == ".json" else "YAML"
        raise DocumentError(f"{path}: not valid {kind}: {error}") from error
