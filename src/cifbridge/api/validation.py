"""Validate each call's named arguments against its JSON Schema (draft 2020-12) in `schemas/`.

Validators are built once, through explicit registries holding only the local schema files, so
no `$ref` is ever fetched from the network. Two validators per schema: jsonschema-rs answers
"valid?" on the hot path (about a microsecond), and jsonschema, the reference implementation,
explains a failure. The reference side (jsonschema and its registry) is imported and built
only when first needed, a failure to explain: starting the bridge does not pay for it. A
failure names the JSON path of the offending value; where the real library has its own text
for a failure, the schema carries it as `x-cif-message` (a string, or a mapping from the
failing keyword to a string) and that text is used.
`tests/test_validation_parity.py` checks that both validators always agree.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

import jsonschema_rs

if TYPE_CHECKING:
    from jsonschema import Draft202012Validator
    from jsonschema.exceptions import ValidationError
    from referencing import Registry

CIF_MESSAGE = "x-cif-message"


def load_registry(schema_dir: Path) -> tuple[Registry, dict[str, dict[str, Any]]]:
    """Read every schema file below `schema_dir` into a registry keyed by its `$id`."""
    schemas = load_schemas(schema_dir)
    return registry_of(schemas), schemas


def load_schemas(schema_dir: Path) -> dict[str, dict[str, Any]]:
    """Read every schema file below `schema_dir`, keyed by its `$id`."""
    schemas: dict[str, dict[str, Any]] = {}
    for path in sorted(schema_dir.rglob("*.json")):
        schema = json.loads(path.read_text(encoding="utf-8"))
        schemas[schema["$id"]] = schema
    return schemas


def registry_of(schemas: Mapping[str, dict[str, Any]]) -> Registry:
    """Return a `referencing` registry holding exactly these schemas."""
    from referencing import Registry, Resource
    from referencing.jsonschema import DRAFT202012

    resources = [(uri, Resource.from_contents(s, DRAFT202012)) for uri, s in schemas.items()]
    return Registry().with_resources(resources)


@dataclass(frozen=True)
class Problem:
    """A validation failure; `exact` when the text is the real library's own message."""

    text: str
    exact: bool


class SchemaSet:
    """Prebuilt validators for every schema in a folder."""

    def __init__(self, schema_dir: Path) -> None:
        self.schemas = load_schemas(schema_dir)
        self._validators: dict[str, Draft202012Validator] = {}  # the reference ones, as needed
        fast_registry = jsonschema_rs.Registry(list(self.schemas.items()))
        self._fast = {
            uri: jsonschema_rs.validator_for(schema, registry=fast_registry, offline=True)
            for uri, schema in self.schemas.items()
        }

    def is_valid(self, uri: str, instance: Any) -> bool:
        """Tell quickly whether the instance is valid (the compiled validator)."""
        try:
            return bool(self._fast[uri].is_valid(instance))
        except ValueError:  # a value JSON has no type for (a YAML date): the reference judges it
            return self.is_valid_reference(uri, instance)

    @cached_property
    def registry(self) -> Registry:
        """Return the `referencing` registry of the schemas (built on first use)."""
        return registry_of(self.schemas)

    def reference(self, uri: str) -> Draft202012Validator:
        """Return the reference implementation's validator of a schema (built on first use)."""
        validator = self._validators.get(uri)
        if validator is None:
            from jsonschema import Draft202012Validator

            validator = Draft202012Validator(self.schemas[uri], registry=self.registry)
            self._validators[uri] = validator
        return validator

    def is_valid_reference(self, uri: str, instance: Any) -> bool:
        """Tell whether the instance is valid according to the reference implementation."""
        return bool(self.reference(uri).is_valid(instance))

    def has(self, uri: str) -> bool:
        """Tell whether a schema with this `$id` is loaded."""
        return uri in self.schemas

    def best_error(self, uri: str, instance: Any) -> ValidationError | None:
        """Return the most relevant failure as jsonschema reports it, or None if valid."""
        if self.is_valid(uri, instance):
            return None
        from jsonschema.exceptions import best_match

        error: ValidationError | None = best_match(self.reference(uri).iter_errors(instance))
        return error

    def first_error(self, uri: str, instance: Any) -> Problem | None:
        """Return the most relevant failure, or None if the instance is valid."""
        error = self.best_error(uri, instance)
        if error is None:
            return None
        custom = _custom_message(error)
        return Problem(custom, exact=True) if custom else Problem(describe(error), exact=False)

    def all_errors(self, uri: str, instance: Any) -> list[str]:
        """Return every failure, each naming its JSON path."""
        if self.is_valid(uri, instance):  # the compiled check first: most documents are fine
            return []
        return [describe(e) for e in self.reference(uri).iter_errors(instance)]


def describe(error: ValidationError) -> str:
    """Render one failure as `<json path>: <message>`, preferring the real library's text."""
    custom = _custom_message(error)
    if custom is not None:
        return custom
    return f"{error.json_path}: {error.message}"


def _custom_message(error: ValidationError) -> str | None:
    schema = error.schema if isinstance(error.schema, Mapping) else {}
    if error.validator == "required":
        properties = schema.get("properties", {})
        for name in _missing(error):
            text = _message_for(properties.get(name, {}), None)
            if text is not None:
                return text
    return _message_for(schema, str(error.validator))


def _message_for(schema: Mapping[str, Any], keyword: str | None) -> str | None:
    # A string applies to every failure of the node; a mapping names the failing keyword.
    text = schema.get(CIF_MESSAGE)
    if isinstance(text, Mapping):
        text = text.get(keyword) if keyword else None
    return text if isinstance(text, str) else None


def _missing(error: ValidationError) -> Iterable[str]:
    instance = error.instance if isinstance(error.instance, Mapping) else {}
    required = error.validator_value if isinstance(error.validator_value, list) else []
    return [name for name in required if name not in instance]
