"""Read the YAML or JSON files users write: configurations, contract cases, scenarios.

Rules:
- YAML is read with the safe loader only: no tag builds a Python object.
- A document may not expand, through anchors and aliases, to more than `MAX_NODES` values
  (a "billion laughs" file is a few lines long), nor nest deeper than `MAX_DEPTH` levels;
  both are refused with a clear error before anything is built.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from cifbridge.api.limits import loads_bounded

MAX_NODES = 200_000
MAX_DEPTH = 64
# libyaml's loader parses the bundled configuration about seven times faster; the pure-Python
# one reads the same documents where PyYAML was built without it.
YAML_LOADER: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_OPEN = (yaml.SequenceStartEvent, yaml.MappingStartEvent)
_CLOSE = (yaml.SequenceEndEvent, yaml.MappingEndEvent)


class DocumentError(ValueError):
    """A file could not be read or parsed; the message starts with its path."""


def read_document(path: Path) -> Any:
    """Parse a `.json` file as JSON and anything else as YAML."""
    return parse_document(path, read_text(path))


def read_text(path: Path) -> str:
    """Return a document's text (DocumentError, naming the path, if it cannot be read)."""
    try:
        return path.read_text(encoding="utf-8")
    except OSError as error:
        raise DocumentError(f"{path}: {error.strerror}") from error


def parse_document(path: Path, text: str) -> Any:
    """Parse the text of `path` as `read_document` does (by the path's suffix)."""
    kind = "JSON" if path.suffix == ".json" else "YAML"
    try:
        if kind == "JSON":
            return loads_bounded(text, MAX_DEPTH, refuse=True)
        check_yaml_size(text)
        return yaml.load(text, Loader=YAML_LOADER)
    except (ValueError, yaml.YAMLError) as error:
        raise DocumentError(f"{path}: not valid {kind}: {error}") from error


def check_yaml_size(text: str) -> None:
    """Refuse YAML that nests too deep or expands too far through aliases (ValueError)."""
    sizes: dict[str, int] = {}
    stack: list[tuple[str | None, int]] = [(None, 0)]  # (anchor, values so far) per level
    for event in yaml.parse(text, Loader=YAML_LOADER):
        if isinstance(event, _OPEN):
            stack.append((event.anchor, 1))
            if len(stack) > MAX_DEPTH + 1:
                raise ValueError(f"nested deeper than {MAX_DEPTH} levels")
            continue
        if isinstance(event, _CLOSE):
            anchor, size = stack.pop()
        elif isinstance(event, yaml.AliasEvent):
            anchor, size = None, sizes.get(event.anchor or "", 1)
        elif isinstance(event, yaml.ScalarEvent):
            anchor, size = event.anchor, 1
        else:
            continue
        if anchor is not None:
            sizes[anchor] = size
        parent_anchor, parent_size = stack[-1]
        stack[-1] = (parent_anchor, parent_size + size)
        if parent_size + size > MAX_NODES:
            raise ValueError(
                f"the document expands to more than {MAX_NODES} values"
                + (
                    f" through the alias *{event.anchor}"
                    if isinstance(event, yaml.AliasEvent)
                    else ""
                )
                + "; anchors and aliases that multiply content are refused"
            )
