"""The org's records as rows of the SQLite file, queried there: `RecordStore` over sqlite3.

Rules:
- `seed_rows(entity, id, position, data)` holds the configured records as last seeded, and
  `records(entity, id, data)` (store/sqlite.py) what widgets and agents changed since (a
  deleted row keeps a row with no data); a row reads as its change, else its seed, so a
  configuration edit shows at the next start while what was changed persists;
- seeding is written once: a fingerprint of the configured records is kept in
  `record_meta`; a start with the same configuration writes nothing, a changed one rewrites
  only the seed rows that differ (and drops those no longer configured), in one transaction.
  The fingerprint is the digest of the configuration's text when it was read from files
  (`WorkspaceConfig.source_digest`), else a hash of the seed rows: a restart on an unchanged
  file then never builds the configured rows in memory (they are built on first use, and
  only a seeding or a filter naming an attribute that is not a plain name needs them);
- a call's writes stay in this process (`_pending`, read before the file) until the save that
  carries them commits (`committed`, called by SqliteStore.save in the transaction's wake): the
  workspace and its rows are written together or not at all, and `revert` (a failed call, a
  failed save) only has to take them out of `_pending`;
- `select` compiles a Selection (the store-neutral AND of `eq`/`in` that odata_select.py takes
  out of odata-query's AST) to parameterized SQL over expression indexes on json_extract: the
  Selection already is the part of a $filter an index can answer, and the engine's evaluator
  keeps the exact semantics (the candidates are a superset), so no SQLAlchemy: a small
  translation of pure data, not of the whole filter language;
- indexes: the primary key, each entity's primary name and lookups at seeding, and any other
  attribute the first time a query asks for it (`CREATE INDEX IF NOT EXISTS`, kept in the
  file); text compares through `cifbridge_fold` (Python's casefold, registered deterministic,
  so the index and the evaluator fold alike, beyond ASCII where NOCASE stops);
- values a configured record holds of another type than its attribute's (the evaluator refuses
  to compare them) come from the configuration only (writes are checked): their ids, found in
  the seed rows (by `json_type`) the first time a filter compares that attribute, are always
  candidates for such a filter, so it fails as a scan would.
"""

from __future__ import annotations

import hashlib
import json
import re
import sqlite3
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from cifbridge.engine.base.record_store import Change, Row, Selection, fits
from cifbridge.engine.config.entities import Entity

_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")  # attribute names an index expression may hold
_FINGERPRINT = "seed-fingerprint"
# The JSON types of a value that does not fit a kind (record_store.fits; null always fits).
_ODD_TYPES = {
    "text": ("integer", "real", "true", "false", "array", "object"),
    "number": ("text", "true", "false", "array", "object"),
    "boolean": ("integer", "real", "text", "array", "object"),
}


def fold(value: Any) -> Any:
    """Return text case-folded as the $filter evaluator compares it; other values as they are."""
    return value.casefold() if isinstance(value, str) else value


def prepare(db: sqlite3.Connection) -> None:
    """Create the tables and register the fold function (before any index using it is read)."""
    db.create_function("cifbridge_fold", 1, fold, deterministic=True)
    db.execute(
        "CREATE TABLE IF NOT EXISTS seed_rows (entity TEXT NOT NULL, id TEXT NOT NULL,"
        " position INTEGER NOT NULL, data TEXT NOT NULL, PRIMARY KEY (entity, id))"
    )
    db.execute("CREATE TABLE IF NOT EXISTS record_meta (key TEXT PRIMARY KEY, value TEXT)")
    db.execute("CREATE INDEX IF NOT EXISTS seed_rows_order ON seed_rows (entity, position)")


def _text(row: Row | None) -> str | None:
    return None if row is None else json.dumps(row, separators=(",", ":"))


def _row(text: str | None) -> Row | None:
    return None if text is None else json.loads(text)


class SqliteRecords:
    """The configured rows and the changes since, in the store's SQLite file."""

    def __init__(
        self,
        db: sqlite3.Connection,
        seeds: Mapping[str, Mapping[str, Row]],
        entities: Mapping[str, Entity],
        source_digest: str = "",
    ) -> None:
        self._db = db
        self._seeds = seeds  # built on first use (SeedRecords): a restart may need none
        self._source_digest = source_digest
        self._entities = entities
        self._pending: dict[tuple[str, str], Row | None] = {}
        self._log: list[Change] | None = None
        self._version = 0
        self._indexed: set[tuple[str, str]] = set()
        self._odd: dict[tuple[str, str], set[str]] = {}  # filled per attribute asked about
        prepare(db)

    # Seeding, at start (SqliteStore.load_records).

    def seed(self) -> int:
        """Write the configured rows that differ from the seeded ones; return how many."""
        fingerprint = (
            f"source:{self._source_digest}"
            if self._source_digest
            else f"rows:{_fingerprint(self._seeds)}"
        )
        found = self._db.execute(
            "SELECT value FROM record_meta WHERE key = ?", (_FINGERPRINT,)
        ).fetchone()
        if found is not None and found[0] == fingerprint:
            return 0
        written = 0
        self._db.execute("BEGIN")
        try:
            stored = {
                (entity, rid): (position, data)
                for entity, rid, position, data in self._db.execute(
                    "SELECT entity, id, position, data FROM seed_rows"
                )
            }
            wanted = []
            for entity, table in self._seeds.items():
                for position, (rid, row) in enumerate(table.items()):
                    text = _text(row)
                    if stored.pop((entity, rid), None) != (position, text):
                        wanted.append((entity, rid, position, text))
            self._db.executemany(
                "INSERT INTO seed_rows (entity, id, position, data) VALUES (?, ?, ?, ?)"
                " ON CONFLICT(entity, id) DO UPDATE"
                " SET position = excluded.position, data = excluded.data",
                wanted,
            )
            self._db.executemany("DELETE FROM seed_rows WHERE entity = ? AND id = ?", list(stored))
            self._db.execute(
                "INSERT INTO record_meta (key, value) VALUES (?, ?)"
                " ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                (_FINGERPRINT, fingerprint),
            )
            written = len(wanted) + len(stored)
        except BaseException:
            self._db.execute("ROLLBACK")
            raise
        self._db.execute("COMMIT")
        for meta in self._entities.values():  # the columns looked up by name and reference
            self._ensure_index(meta.primary_name, "text")
            for attribute in meta.attributes.values():
                if attribute.is_lookup:
                    self._ensure_index(attribute.logical_name, "lookup")
        return written

    # RecordStore.

    @property
    def version(self) -> int:
        """Return how many writes this store has seen in this process."""
        return self._version

    def find(self, entity: str, record_id: str) -> Row | None:
        """Return one row by its normalized id, or None."""
        key = (entity, record_id)
        if key in self._pending:
            return self._pending[key]
        changed = self._db.execute(
            "SELECT data FROM records WHERE entity = ? AND id = ?", key
        ).fetchone()
        if changed is not None:
            return _row(changed[0])
        seed = self._db.execute(
            "SELECT data FROM seed_rows WHERE entity = ? AND id = ?", key
        ).fetchone()
        return None if seed is None else _row(seed[0])

    def rows(self, entity: str) -> Iterator[tuple[str, Row]]:
        """Yield the configured rows with the changes applied, then the created ones."""
        return iter(self._current(entity, "", ()))

    def created_count(self, entity: str) -> int:
        """Return how many rows of an entity were created beyond the configured ones."""
        saved = {
            rid
            for (rid,) in self._db.execute(
                "SELECT id FROM records r WHERE entity = ? AND NOT EXISTS"
                " (SELECT 1 FROM seed_rows s WHERE s.entity = r.entity AND s.id = r.id)",
                (entity,),
            )
        }
        pending = {rid for (e, rid) in self._pending if e == entity and rid not in saved}
        return len(saved) + sum(1 for rid in pending if not self._is_seed(entity, rid))

    def select(self, entity: str, selection: Selection) -> list[tuple[str, Row]] | None:
        """Return the rows every `equals` may hold for, in store order (None: no equals)."""
        meta = self._entities.get(entity)
        if meta is None or not selection.equals:
            return None
        clauses: list[str] = []
        params: list[Any] = []
        for equals in selection.equals:
            if not _NAME.match(equals.attribute):
                return None
            if equals.attribute == meta.primary_id:
                expression = "{t}.id"  # the primary key (ids are stored lower case)
            else:
                self._ensure_index(equals.attribute, equals.kind)
                expression = _expression(equals.attribute, equals.kind, "{t}.")
            values = [v for v in equals.values if v is not None]
            terms = [f"{expression} IN ({','.join('?' * len(values))})"] if values else []
            if None in equals.values:
                terms.append(f"{expression} IS NULL")
            clauses.append("(" + " OR ".join(terms) + ")")
            params.extend(values)
        odd = set().union(*(self._odd_ids(entity, a, kind) for a, kind in selection.typed))
        return self._current(entity, " AND ".join(clauses), params, odd)

    def put(self, entity: str, record_id: str, row: Row | None) -> None:
        """Write one row (None deletes it), logged for `end` and `revert`; saved with the call."""
        if self._log is not None:
            self._log.append(Change(entity, record_id, self.find(entity, record_id), row))
        self._pending[(entity, record_id)] = row
        self._version += 1

    def begin(self) -> None:
        """Start logging the writes of one engine call."""
        self._log = []

    def end(self) -> tuple[Change, ...]:
        """Stop logging and return the writes made since `begin`."""
        log, self._log = self._log or [], None
        return tuple(log)

    def revert(self, changes: Iterable[Change]) -> None:
        """Take back writes not saved yet, newest first."""
        for change in reversed(tuple(changes)):
            self._pending[(change.entity, change.record_id)] = change.before
            self._version += 1

    def committed(self, changes: Iterable[Change]) -> None:
        """Forget the pending writes a committed save put into the file (not later ones)."""
        for change in changes:
            key = (change.entity, change.record_id)
            if key in self._pending and self._pending[key] is change.after:
                del self._pending[key]

    def changed_rows(self) -> Iterator[tuple[str, str, Row | None]]:
        """Yield every change over the seed as (entity, id, row or None): what an export holds."""
        saved = {
            (entity, rid): _row(data)
            for entity, rid, data in self._db.execute(
                "SELECT entity, id, data FROM records ORDER BY rowid"
            )
        }
        saved.update(self._pending)
        for (entity, rid), row in saved.items():
            yield entity, rid, row

    def clear(self) -> None:
        """Drop every change: back to the configured records (no change: nothing moves)."""
        changed = self._pending or self._db.execute("SELECT 1 FROM records LIMIT 1").fetchone()
        self._pending.clear()
        self._db.execute("DELETE FROM records")
        if changed:
            self._version += 1

    # Reading the file.

    def _current(
        self, entity: str, where: str, params: Iterable[Any], odd: set[str] | None = None
    ) -> list[tuple[str, Row]]:
        # Seeds nobody changed, then changed rows, each narrowed on its own table's data (so
        # each through its own index), in store order: configured order, then first written.
        params = list(params)
        narrowed = " AND ({})".format if where else (lambda _: "")
        found = self._db.execute(
            "SELECT s.id, s.data, 0, s.position FROM seed_rows s"
            f" WHERE s.entity = ?{narrowed(where.format(t='s'))} AND NOT EXISTS"
            " (SELECT 1 FROM records r WHERE r.entity = s.entity AND r.id = s.id)"
            " UNION ALL"
            " SELECT r.id, r.data, s.position IS NULL, COALESCE(s.position, r.rowid)"
            " FROM records r LEFT JOIN seed_rows s ON s.entity = r.entity AND s.id = r.id"
            f" WHERE r.entity = ? AND r.data IS NOT NULL{narrowed(where.format(t='r'))}"
            " ORDER BY 3, 4",
            [entity, *params, entity, *params],
        ).fetchall()
        rows: dict[str, Row | None] = {rid: _row(data) for rid, data, _, _ in found}
        extra = set(odd or ()) | {rid for (e, rid) in self._pending if e == entity}
        if extra:
            order = self._order(entity, list(set(rows) | extra))
            rows = {rid: self.find(entity, rid) if rid in extra else rows[rid] for rid in order}
        return [(rid, row) for rid, row in rows.items() if row is not None]

    def _order(self, entity: str, ids: list[str]) -> list[str]:
        # Store order for a few ids: seed position, then when the change was first written.
        marks = ",".join("?" * len(ids))
        seeds = dict(self._db.execute(
            f"SELECT id, position FROM seed_rows WHERE entity = ? AND id IN ({marks})",
            [entity, *ids],
        ).fetchall())  # fmt: skip
        created = dict(self._db.execute(
            f"SELECT id, rowid FROM records WHERE entity = ? AND id IN ({marks})",
            [entity, *ids],
        ).fetchall())  # fmt: skip
        late = {rid: i for i, (e, rid) in enumerate(self._pending) if e == entity}

        def key(rid: str) -> tuple[int, int]:
            if rid in seeds:
                return (0, seeds[rid])
            if rid in created:
                return (1, created[rid])
            return (2, late.get(rid, 0))

        return sorted(ids, key=key)

    def _odd_ids(self, entity: str, attribute: str, kind: str) -> set[str]:
        # Configured values of another kind than their attribute's (only the configuration
        # can hold them: writes are checked), found the first time a filter compares them.
        key = (entity, attribute)
        if key in self._odd:
            return self._odd[key]
        if kind not in _ODD_TYPES:  # a lookup compares any value, as its id
            found: set[str] = set()
        elif _NAME.match(attribute):
            types = _ODD_TYPES[kind]
            found = {
                rid
                for (rid,) in self._db.execute(
                    f"SELECT id FROM seed_rows WHERE entity = ? AND json_type(data, ?)"
                    f" IN ({','.join('?' * len(types))})",
                    [entity, f"$.attrs.{attribute}", *types],
                )
            }
        else:  # a name a JSON path cannot spell plainly: the configured rows themselves
            found = {
                rid
                for rid, row in self._seeds.get(entity, {}).items()
                if (value := row["attrs"].get(attribute)) is not None and not fits(kind, value)
            }
        self._odd[key] = found
        return found

    def _is_seed(self, entity: str, rid: str) -> bool:
        found = self._db.execute(
            "SELECT 1 FROM seed_rows WHERE entity = ? AND id = ?", (entity, rid)
        ).fetchone()
        return found is not None

    def _ensure_index(self, attribute: str, kind: str) -> None:
        if (attribute, kind) in self._indexed or not _NAME.match(attribute):
            return
        for table in ("seed_rows", "records"):
            self._db.execute(
                f"CREATE INDEX IF NOT EXISTS {table}_{kind}_{attribute}"
                f" ON {table} (entity, {_expression(attribute, kind)})"
            )
        self._indexed.add((attribute, kind))


def _expression(attribute: str, kind: str, table: str = "") -> str:
    # The same expression in the index and in the query, or SQLite does not use the index.
    path = f"'$.attrs.{attribute}.id'" if kind == "lookup" else f"'$.attrs.{attribute}'"
    value = f"json_extract({table}data, {path})"
    return f"cifbridge_fold({value})" if kind == "text" else value


def _fingerprint(seeds: Mapping[str, Mapping[str, Row]]) -> str:
    digest = hashlib.sha256()
    for entity, table in seeds.items():
        digest.update(json.dumps([entity, table], separators=(",", ":")).encode())
    return digest.hexdigest()
