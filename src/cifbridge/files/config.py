"""Load a workspace configuration file (YAML or JSON), validate it, merge it into the defaults.

Rules:
- the bundled defaults are parsed once per process and shared (`default_config_data`): nobody
  writes into them. `merge_config` builds new containers for everything it changes and never
  writes into either input, and the typed configuration is built from the data, not into it;
- a user's file is validated on its own (schema, then engine/config/checks.py: each finding
  names the file, the JSON path and the fix), then the merged whole is validated and
  cross-checked; warnings are returned beside the configuration (`load_config_reported`);
- the `records` section may hold tens of thousands of rows, and each row only has to be an
  object of plain values (the schema says no more): `plain_records` checks exactly that in one
  pass, and only a section it finds wrong goes to the schema validator, for its messages.
  The whole schema over 50,000 rows, twice, took 10.7 s of an 11.8 s start;
- the merge copies everything except the user's record rows, which the result shares with
  the parsed file (nobody changes a row: the seed rows are built anew from them); copying
  50,000 of them was a tenth of a restart;
- a configuration read from files carries a digest of their text (`source_digest`), so a
  SQLite file that already holds its seed rows knows it without building or hashing rows.
"""

from __future__ import annotations

import copy
import dataclasses
import functools
import hashlib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cifbridge import __version__
from cifbridge.api.validation import SchemaSet
from cifbridge.engine import WorkspaceConfig, config_from_dict
from cifbridge.engine.config.channels import channel_config_problems, merge_channel_config
from cifbridge.engine.config.checks import (
    ERROR,
    WARNING,
    Finding,
    file_findings,
    reference_findings,
)
from cifbridge.engine.config.entities import (
    SEED_FORMAT,
    merge_record_config,
    record_config_problems,
)
from cifbridge.engine.config.features import merge_feature_config
from cifbridge.files.documents import DocumentError, parse_document, read_text
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
    return _read_config(path)[0]


def _read_config(path: Path) -> tuple[dict[str, Any], str]:
    # The parsed file and the text it was parsed from (read once: the digest is of this text).
    try:
        text = read_text(path)
        data = parse_document(path, text)
    except DocumentError as error:
        raise ConfigError(str(error)) from error
    if not isinstance(data, dict):
        raise ConfigError(f"{path}: the configuration must be a mapping")
    return data, text


@functools.cache
def _defaults() -> tuple[dict[str, Any], str]:
    return _read_config(default_config_path())


def default_config_data() -> Mapping[str, Any]:
    """Return the bundled default configuration, parsed once; shared, so never mutate it."""
    return _defaults()[0]


def source_digest(*texts: str) -> str:
    """Return a digest of the configuration texts the seed rows are built from, with the
    seeding's format and the bridge's version (a new one may build other rows from them)."""
    digest = hashlib.sha256(f"{SEED_FORMAT}:{__version__}".encode())
    for text in texts:
        encoded = text.encode("utf-8", "surrogatepass")
        digest.update(b"%d:" % len(encoded))
        digest.update(encoded)
    return digest.hexdigest()


def merge_config(base: Mapping[str, Any], override: Mapping[str, Any]) -> dict[str, Any]:
    """Merge a user's configuration into a copy of the defaults; same uniqueName replaces.

    A list section may also be written `{extend: [...]}` (added to the bundled entries) or
    `{replace: [...]}` (instead of them); a plain list of presences replaces the bundled ones.
    """
    if override.get("extends") == "none":
        alone = _plain_lists({k: v for k, v in override.items() if k != "extends"})
        return _copied_but_records(alone)
    base = {**base, "records": _copied(base.get("records", {}))}  # the shared defaults' rows
    base, override = _apply_list_forms(base, override)
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
    return _copied_but_records(merged)


def _copied_but_records(data: dict[str, Any]) -> dict[str, Any]:
    # Copied all the way down, but for the record rows: new lists, holding the user's rows as
    # parsed and the defaults' rows, which merge_config copied before merging them in.
    copied: dict[str, Any] = _copied({k: v for k, v in data.items() if k != "records"})
    if "records" in data:
        records = data["records"]
        copied["records"] = (
            {
                name: list(rows) if type(rows) is list else _copied(rows)
                for name, rows in records.items()
            }
            if type(records) is dict
            else _copied(records)
        )
    return copied


_IMMUTABLE = (str, int, float, bool, type(None))


def _copied(value: Any) -> Any:
    # copy.deepcopy, specialised for parsed documents: a quarter of its time on 50,000 records
    # (no memo: a YAML alias becomes two copies, as many values as check_yaml_size counted).
    kind = type(value)
    if kind is dict:
        return {key: _copied(item) for key, item in value.items()}
    if kind is list:
        return [_copied(item) for item in value]
    return value if kind in _IMMUTABLE else copy.deepcopy(value)


def _apply_list_forms(
    base: Mapping[str, Any], override: Mapping[str, Any]
) -> tuple[dict[str, Any], dict[str, Any]]:
    # `replace:` empties the bundled list first; `extend:` of presences keeps the bundled ones.
    base, override = dict(base), dict(override)
    for key in (*_MERGED_LISTS, "presences", "entities"):
        value = override.get(key)
        if not isinstance(value, Mapping):
            continue
        if "replace" in value:
            base[key] = []
            override[key] = list(value["replace"])
        elif key == "presences":
            added = list(value.get("extend") or [])
            texts = {p["presenceText"] for p in added}
            kept = [p for p in base.get(key, []) if p["presenceText"] not in texts]
            override[key] = [*kept, *added]
        else:
            override[key] = list(value.get("extend") or [])
    return base, override


def _plain_lists(data: Mapping[str, Any]) -> dict[str, Any]:
    # A file that stands alone has no bundled list to extend: both forms are just its list.
    return {
        key: list(value.get("replace", value.get("extend")) or [])
        if isinstance(value, Mapping) and key in (*_MERGED_LISTS, "presences", "entities")
        else value
        for key, value in data.items()
    }


@dataclass(frozen=True)
class LoadedConfig:
    """The effective configuration and the warnings its files drew (see engine/config/checks)."""

    config: WorkspaceConfig
    warnings: tuple[str, ...] = ()


def load_config(schemas: SchemaSet, path: Path | None = None) -> WorkspaceConfig:
    """Return the effective configuration: the defaults, merged with `path` if given."""
    return load_config_reported(schemas, path).config


def load_config_reported(schemas: SchemaSet, path: Path | None = None) -> LoadedConfig:
    """Load as `load_config` does, and also return the warnings (printed at serve start)."""
    data, default_text = _defaults()
    user, where, texts = data, str(default_config_path()), [default_text]
    findings: list[Finding] = []
    if path is not None:
        user, text = _read_config(path)
        where = str(path)
        texts.append(text)
        _check(schemas, user, where)
        findings.extend(file_findings(user))
        _raise_errors(findings, where)
        data = merge_config(data, user)
    _check(schemas, data, "effective configuration")
    findings.extend(reference_findings(user, data))
    _raise_errors(findings, where)
    _check_references(data)
    try:
        config = config_from_dict(data)
    except ValueError as error:
        raise ConfigError(f"{where}: {error}") from error
    config = dataclasses.replace(config, source_digest=source_digest(*texts))
    return LoadedConfig(config, tuple(f.text(where) for f in findings if f.level == WARNING))


def _raise_errors(findings: list[Finding], where: str) -> None:
    errors = [f.text(where) for f in findings if f.level == ERROR]
    if errors:
        raise ConfigError("; ".join(errors))


def _check(schemas: SchemaSet, data: Mapping[str, Any], where: str) -> None:
    if "records" in data and plain_records(data["records"]):
        data = {key: value for key, value in data.items() if key != "records"}
    problems = schemas.all_errors(CONFIG_SCHEMA, data)
    if problems:
        raise ConfigError(f"{where}: " + "; ".join(problems))


_PLAIN = (str, int, float, bool, type(None), dict)  # what a record's attribute may hold


def plain_records(section: Any) -> bool:
    """Tell whether a `records` section is valid under the config schema's `records`: an
    object of lists of objects whose values are strings, numbers, booleans, null or objects."""
    if type(section) is not dict:
        return False
    for rows in section.values():
        if type(rows) is not list:
            return False
        for row in rows:
            if type(row) is not dict:
                return False
            for value in row.values():
                if type(value) not in _PLAIN:
                    return False
    return True


def _check_references(data: Mapping[str, Any]) -> None:
    problems = []
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
