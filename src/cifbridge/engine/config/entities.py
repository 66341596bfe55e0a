"""Dataverse-like entity metadata and seed records, built from the workspace configuration.

Rules (reference §2.2, §2.3; Dataverse Web API conventions):
- an entity is named by its logical name (`contact`) and its entity set (`contacts`);
- a lookup attribute `parentcustomerid` reads as `_parentcustomerid_value` and is written through
  a navigation property: the attribute name for one target, `<attribute>_<target>` for several;
- an entity that declares no attributes is open: any attribute is accepted as given;
- seed records without their primary id get a GUID derived from entity and position, so the same
  configuration always yields the same ids;
- computed columns are filled for seed records as Dataverse fills them for every row: a name
  composed of other attributes (`composedOf`; a `fullname` beside `firstname` and `lastname`
  is composed of them even when the configuration does not say so, as in Dataverse) is set
  unless the row gives it.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

# Bump when the seed rows are built differently from the same configuration text: a SQLite
# file keyed on that text (store/sqlite_records.py) then writes its seed rows again.
SEED_FORMAT = 1
SEED_VERSION = 1_000_000  # configured records' versions (their @odata.etag) count on from here
LOOKUP_TYPES = frozenset({"lookup", "customer", "owner"})
EDM_TYPES = {
    "string": "String",
    "memo": "String",
    "integer": "Int32",
    "bigint": "Int64",
    "picklist": "Int32",
    "state": "Int32",
    "status": "Int32",
    "decimal": "Decimal",
    "double": "Double",
    "money": "Decimal",
    "boolean": "Boolean",
    "datetime": "DateTimeOffset",
    "uniqueidentifier": "Guid",
}


@dataclass(frozen=True)
class Attribute:
    """One attribute of an entity (AttributeMetadata)."""

    logical_name: str
    type: str = "string"
    display_name: str = ""
    targets: tuple[str, ...] = ()
    options: Mapping[int, str] = field(default_factory=dict)
    composed_of: tuple[str, ...] = ()
    auto_number: str = ""

    @property
    def is_lookup(self) -> bool:
        """Tell whether the attribute references another record."""
        return self.type in LOOKUP_TYPES

    @property
    def value_key(self) -> str:
        """Return the property name the Web API uses for this attribute's value."""
        return f"_{self.logical_name}_value" if self.is_lookup else self.logical_name

    def navigation(self, target: str) -> str:
        """Return the single-valued navigation property that sets this lookup to `target`."""
        if len(self.targets) <= 1:
            return self.logical_name
        return f"{self.logical_name}_{target}"


@dataclass(frozen=True)
class Entity:
    """One entity (EntityMetadata) with its attributes."""

    logical_name: str
    entity_set_name: str
    primary_id: str
    primary_name: str
    display_name: str = ""
    display_collection_name: str = ""
    object_type_code: int = 0
    is_activity: bool = False
    description: str = ""
    attributes: Mapping[str, Attribute] = field(default_factory=dict)

    @property
    def is_open(self) -> bool:
        """Tell whether any attribute is accepted (none declared)."""
        return not self.attributes

    def attribute(self, name: str) -> Attribute | None:
        """Return an attribute by logical name; the primary id and name always exist."""
        found = self.attributes.get(name)
        if found is not None:
            return found
        if name == self.primary_id:
            return Attribute(name, "uniqueidentifier")
        if name == self.primary_name or self.is_open:
            return Attribute(name, "string")
        return None

    def by_value_key(self, key: str) -> Attribute | None:
        """Return the attribute a Web API property name (`fullname`, `_x_value`) stands for."""
        if key.startswith("_") and key.endswith("_value"):
            found = self.attributes.get(key[1:-6])
            if found is not None and found.is_lookup:
                return found
        found = self.attribute(key)
        return None if found is None or found.is_lookup else found

    def by_navigation(self, nav: str) -> tuple[Attribute, str] | None:
        """Return the lookup attribute and target entity a navigation property names."""
        for attribute in self.attributes.values():
            for target in attribute.targets if attribute.is_lookup else ():
                if attribute.navigation(target) == nav:
                    return attribute, target
        return None

    def columns(self, record: Mapping[str, Any]) -> list[Attribute]:
        """Return the columns a full read shows: the declared ones, or all an open entity has."""
        names = dict.fromkeys([self.primary_id, self.primary_name, *self.attributes])
        if self.is_open:
            names.update(dict.fromkeys(record))
        return [a for n in names if (a := self.attribute(n)) is not None]


def derived_guid(*parts: object) -> str:
    """Return a GUID-shaped id derived from `parts`: stable, no random state."""
    digest = hashlib.sha1(":".join(map(str, parts)).encode("utf-8")).hexdigest()
    hex32 = digest[:12] + "4" + digest[13:16] + "8" + digest[17:32]
    return f"{hex32[:8]}-{hex32[8:12]}-{hex32[12:16]}-{hex32[16:20]}-{hex32[20:32]}"


def entities_from_config(raw: Sequence[Mapping[str, Any]]) -> dict[str, Entity]:
    """Build the entity metadata from the validated `entities` configuration list."""
    return {e["logicalName"]: _entity(e) for e in raw}


# Dataverse's own computed names: contact, lead and systemuser compose fullname this way.
COMPOSED_BY_DATAVERSE = {"fullname": ("firstname", "lastname")}


def primary_id_of(e: Mapping[str, Any]) -> str:
    """Return an entity's primary id attribute; Dataverse's default is <logicalName>id."""
    return str(e.get("primaryIdAttribute") or f"{e['logicalName']}id")


def _entity(e: Mapping[str, Any]) -> Entity:
    specs = e.get("attributes", {})
    attributes = {name: _attribute(name, spec, specs) for name, spec in specs.items()}
    # Defaults as Dataverse makes them for a new table: <name>s, <name>id, name.
    entity_set = e.get("entitySetName") or f"{e['logicalName']}s"
    return Entity(
        logical_name=e["logicalName"],
        entity_set_name=entity_set,
        primary_id=primary_id_of(e),
        primary_name=e.get("primaryNameAttribute") or "name",
        display_name=e.get("displayName", e["logicalName"]),
        display_collection_name=e.get("displayCollectionName", entity_set),
        object_type_code=int(e.get("objectTypeCode", 0)),
        is_activity=bool(e.get("isActivity", False)),
        description=e.get("description", ""),
        attributes=attributes,
    )


def _attribute(name: str, spec: Mapping[str, Any], siblings: Mapping[str, Any]) -> Attribute:
    parts = COMPOSED_BY_DATAVERSE.get(name, ())
    default = parts if parts and all(p in siblings for p in parts) else ()
    return Attribute(
        logical_name=name,
        type=spec.get("type", "string"),
        display_name=spec.get("displayName", name),
        targets=tuple(spec.get("targets", ())),
        options={int(o["value"]): o["label"] for o in spec.get("options", ())},
        composed_of=tuple(spec.get("composedOf", default)),
        auto_number=spec.get("autoNumber", ""),
    )


def seed_records(
    raw: Mapping[str, Sequence[Mapping[str, Any]]], entities: Mapping[str, Entity]
) -> SeedRecords:
    """Return the configured records per entity by (lower-case) id: {"attrs", "version"}."""
    return SeedRecords(raw, entities)


class SeedRecords(Mapping[str, Mapping[str, dict[str, Any]]]):
    """The configured records per entity by (lower-case) id, each table built on first use.

    A SQLite file that already holds this configuration's rows never needs them in memory
    (store/sqlite_records.py): building 50,000 seed rows took a third of such a restart. The
    rows are the parsed configuration's, held as they are (nobody changes them after the
    load; copying 50,000 of them was a tenth of a restart) in lists of this mapping's own; an
    entity without metadata is refused here, at once, as a table built on use could not.
    """

    def __init__(
        self, raw: Mapping[str, Sequence[Mapping[str, Any]]], entities: Mapping[str, Entity]
    ) -> None:
        for name in raw:
            if name not in entities:
                raise ValueError(f"records are configured for {name}, which has no entity metadata")
        self._raw = {name: list(rows) for name, rows in raw.items()}
        self._entities = entities
        self._tables: dict[str, dict[str, dict[str, Any]]] = {}

    def __getitem__(self, name: str) -> Mapping[str, dict[str, Any]]:
        table = self._tables.get(name)
        if table is None:
            rows = self._raw[name]  # KeyError: not configured
            table = self._tables[name] = _seed_table(name, rows, self._entities[name])
        return table

    def __contains__(self, name: object) -> bool:
        return name in self._raw  # without building the table, as Mapping's would

    def __iter__(self) -> Iterator[str]:
        return iter(self._raw)

    def __len__(self) -> int:
        return len(self._raw)


def built(seeds: Mapping[str, Mapping[str, dict[str, Any]]]) -> Mapping[str, Mapping[str, Any]]:
    """Return the seeds with every table built now: a store holding them in memory builds
    them at start, not in the first call that reads an entity."""
    for name in seeds:
        seeds[name]
    return seeds


def _seed_table(
    name: str, rows: Sequence[Mapping[str, Any]], entity: Entity
) -> dict[str, dict[str, Any]]:
    table: dict[str, dict[str, Any]] = {}
    key = entity.primary_id
    # The composed names, found once per entity: a seed row keeps a name it gives.
    composed = [
        (a.logical_name, a.composed_of) for a in entity.attributes.values() if a.composed_of
    ]
    for index, row in enumerate(rows):
        record_id = str(row.get(key) or derived_guid(name, index)).lower()
        attrs = _lower_ids(row)
        attrs[key] = record_id
        for attribute, parts in composed:
            if attribute not in attrs:
                joined = " ".join(str(attrs[p]) for p in parts if attrs.get(p))
                if joined:
                    attrs[attribute] = joined
        table[record_id] = {"attrs": attrs, "version": SEED_VERSION + index}
    return table


def compose_names(
    entity: Entity, attrs: dict[str, Any], payload: Mapping[str, Any] | None = None
) -> dict[str, Any]:
    """Fill the composed names (fullname) of a row from their parts, in place; return it.

    A seed row (no `payload`) keeps a name it gives; a write recomposes a name when it changes
    one of its parts and does not set the name itself.
    """
    for attribute in entity.attributes.values():
        name, parts = attribute.logical_name, attribute.composed_of
        if not parts:
            continue
        if payload is None and name in attrs:
            continue
        if payload is not None and (name in payload or not any(p in payload for p in parts)):
            continue
        joined = " ".join(str(attrs[p]) for p in parts if attrs.get(p))
        if joined:
            attrs[name] = joined
    return attrs


def _lower_ids(row: Mapping[str, Any]) -> dict[str, Any]:
    # Lookups are {entityType, id}; ids compare lower-case, as Dataverse returns them.
    # (Plain values are told apart by type first: an ABC check per value costs more than the
    # rest of building 50,000 seed rows.)
    return {
        k: v
        if type(v) in _PLAIN_VALUES or not isinstance(v, Mapping)
        else {**v, "id": str(v.get("id", "")).lower()}
        for k, v in row.items()
    }


_PLAIN_VALUES = (str, int, float, bool, type(None))


def merge_record_config(base: Mapping[str, Any], override: Mapping[str, Any]) -> dict[str, Any]:
    """Merge a user's `entities` and `records` into the bundled ones.

    An entity with the same logical name replaces the bundled one; a record with the same
    primary id replaces the bundled record, and other records are added.
    """
    entities = {e["logicalName"]: e for e in base.get("entities", [])}
    entities.update({e["logicalName"]: e for e in override.get("entities", [])})
    records = {name: list(rows) for name, rows in base.get("records", {}).items()}
    for name, rows in override.get("records", {}).items():
        key = primary_id_of(entities[name]) if name in entities else ""
        added = {str(r.get(key, "")).lower() for r in rows if r.get(key)}
        kept = [r for r in records.get(name, []) if str(r.get(key, "")).lower() not in added]
        records[name] = [*kept, *rows]
    return {"entities": list(entities.values()), "records": records}


def record_config_problems(data: Mapping[str, Any]) -> list[str]:
    """Say which configured records name an entity without metadata."""
    known = {e["logicalName"] for e in data.get("entities", [])}
    return [
        f"records are configured for {name}, which has no entity metadata"
        for name in data.get("records", {})
        if name not in known
    ]
