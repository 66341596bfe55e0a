"""The answers kept for retries and the analytics events as rows of the SQLite file, per agent.

They are most of a workspace's text (up to 256 answers and 200 events; 97% of an empty
workspace's 27 kB), and each save changes one or two of them, so a save writes the rest of
the workspace to its `state` row and only the answers and events that changed to
`state_answers` and `state_analytics`: a save writes a few pages, whatever the store holds.

Rules:
- each agent's rows are numbered (`seq`) in the order the workspace keeps them, so loading
  them in that order gives back the same text (`SavedWorkspace.text`), the same answers
  forgotten first;
- the agent's `state` row says where its rows begin (`answers_from`, `events_from`): the
  rows before are forgotten, and deleted FORGOTTEN_BATCH at a time (deleting them at each
  save would write the first page of the agent's rows at each save too);
- a save compares what it is given with what the file holds (`FileRows`, kept in memory
  once read and replaced only after a commit): a new answer or event is one row inserted,
  one replaced in place (a deferred call's late answer) one row rewritten, those forgotten
  (the oldest) a move of `*_from`. Anything else (an order that changed, an imported
  workspace) rewrites the agent's rows, which is always right, only bigger;
- everything here runs inside the caller's transaction, with the `state` row it belongs to.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass, field

from cifbridge.engine.base.state import (
    SavedAnswers,
    SavedEvents,
    SavedWorkspace,
    answer_member,
    member_answer,
)

# Forgotten rows are deleted once this many of a kind have piled up before `*_from`.
FORGOTTEN_BATCH = 64


@dataclass(frozen=True)
class FileRows:
    """What the file holds for one agent: its answers' and events' texts, and their numbers."""

    # The answers' keys and member texts in seq order (the last save's, or read from the file).
    answers: SavedAnswers = field(default_factory=lambda: SavedAnswers([], []))
    first_answer: int = 0  # the seq of the first answer; the others follow without gaps
    analytics: SavedEvents = field(default_factory=lambda: SavedEvents([]))  # in seq order
    first_event: int = 0
    answers_floor: int = 0  # the lowest seq of a row still in the file (forgotten or not)
    events_floor: int = 0
    renumber: bool = False  # the numbers have gaps: write every row again


def create_tables(db: sqlite3.Connection) -> None:
    """Create the two tables, and the `state` columns that say which rows are the agent's."""
    db.execute(
        "CREATE TABLE IF NOT EXISTS state_answers (agent TEXT NOT NULL, seq INTEGER NOT NULL,"
        " key TEXT NOT NULL, data TEXT NOT NULL, PRIMARY KEY (agent, seq)) WITHOUT ROWID"
    )
    db.execute(
        "CREATE TABLE IF NOT EXISTS state_analytics (agent TEXT NOT NULL, seq INTEGER NOT NULL,"
        " data TEXT NOT NULL, PRIMARY KEY (agent, seq)) WITHOUT ROWID"
    )
    columns = {row[1] for row in db.execute("PRAGMA table_info(state)")}
    # A file from before has none of them: its rows hold the answers and events inline
    # (parts = 0), and each moves them out at its next save.
    for column in ("parts", "answers_from", "events_from"):
        if column not in columns:
            db.execute(f"ALTER TABLE state ADD COLUMN {column} INTEGER NOT NULL DEFAULT 0")


def read(db: sqlite3.Connection, agent: str) -> FileRows:
    """Return the agent's rows as the file holds them (`agent`: its `state` key)."""
    found = db.execute(
        "SELECT parts, answers_from, events_from FROM state WHERE key = ?", (agent,)
    ).fetchone()
    answers_from, events_from = (found[1], found[2]) if found and found[0] else (0, 0)
    keys, members, answer_seqs = [], [], []
    for seq, key, data in db.execute(
        "SELECT seq, key, data FROM state_answers WHERE agent = ? AND seq >= ? ORDER BY seq",
        (agent, answers_from),
    ):
        answer_seqs.append(seq)
        keys.append(key)
        members.append(answer_member(key, data))
    events = db.execute(
        "SELECT seq, data FROM state_analytics WHERE agent = ? AND seq >= ? ORDER BY seq",
        (agent, events_from),
    ).fetchall()
    event_seqs = [seq for seq, _ in events]
    return FileRows(
        SavedAnswers(keys, members),
        answers_from,
        SavedEvents([data for _, data in events]),
        events_from,
        _lowest(db, "state_answers", agent, answers_from),
        _lowest(db, "state_analytics", agent, events_from),
        # Numbers with gaps were not written here: the next save numbers them again.
        renumber=not (_follow(answer_seqs, answers_from) and _follow(event_seqs, events_from)),
    )


def write(db: sqlite3.Connection, agent: str, held: FileRows, saved: SavedWorkspace) -> FileRows:
    """Write what changed between `held` and `saved`; return what the file then holds.

    The caller writes the `state` row with the returned `first_answer` and `first_event`.
    """
    if held.renumber:
        held = FileRows()  # nothing matches: every row is written again
        delete(db, agent)
    first_answer, answers_floor = _write_answers(db, agent, held, saved.answers)
    first_event, events_floor = _write_analytics(db, agent, held, saved.analytics)
    return FileRows(
        saved.answers, first_answer, saved.analytics, first_event, answers_floor, events_floor
    )


def delete(db: sqlite3.Connection, agent: str) -> None:
    """Delete every row of the agent."""
    db.execute("DELETE FROM state_answers WHERE agent = ?", (agent,))
    db.execute("DELETE FROM state_analytics WHERE agent = ?", (agent,))


def _write_answers(
    db: sqlite3.Connection, agent: str, held: FileRows, answers: SavedAnswers
) -> tuple[int, int]:
    if answers.follows(held.answers):
        # The usual save: the same log read further, so the file's rows are the log's entries
        # from `held.answers.start`, each at seq `first_answer` + its distance from there.
        old = held.answers
        if answers.start == old.start and answers.stop == old.stop:
            return held.first_answer, held.answers_floor
        first = held.first_answer + (answers.start - old.start)
        floor = _purged(db, "state_answers", agent, held.answers_floor, first)
        rows = []
        for index in answers.added_since(old):
            key, member = answers.at(index)
            seq = held.first_answer + index - old.start
            rows.append((agent, seq, key, member_answer(key, member)))
        db.executemany(_INSERT_ANSWER, rows)
        return first, floor
    # Anything else (the first save after a read, an answer replaced in place, a workspace
    # restored): compare the lists. Whole-list comparisons only (C loops).
    old_keys, keys = held.answers.keys(), answers.keys()
    values = answers.members()
    if keys == old_keys and values == held.answers.members():
        return held.first_answer, held.answers_floor
    if not keys:
        db.execute("DELETE FROM state_answers WHERE agent = ?", (agent,))
        return 0, 0
    try:
        forgotten = old_keys.index(keys[0])  # the oldest ones go first
    except ValueError:
        forgotten = len(old_keys)
    still = len(old_keys) - forgotten
    if old_keys[forgotten:] != keys[:still]:
        # Not the oldest forgotten and new ones added after the rest: number them again.
        db.execute("DELETE FROM state_answers WHERE agent = ?", (agent,))
        _insert_answers(db, agent, 0, keys, values)
        return 0, 0
    first = held.first_answer + forgotten
    floor = _purged(db, "state_answers", agent, held.answers_floor, first)
    old_values = held.answers.members()[forgotten:]
    replaced = [] if values[:still] == old_values else _differing(values, old_values)
    _insert_answers(db, agent, first, keys, values, [*replaced, *range(still, len(keys))])
    return first, floor


def _write_analytics(
    db: sqlite3.Connection, agent: str, held: FileRows, events: SavedEvents
) -> tuple[int, int]:
    if events.follows(held.analytics):  # as for the answers: the new entries, numbered on
        old_log = held.analytics
        if events.start == old_log.start and events.stop == old_log.stop:
            return held.first_event, held.events_floor
        first = held.first_event + (events.start - old_log.start)
        floor = _purged(db, "state_analytics", agent, held.events_floor, first)
        rows = [
            (agent, held.first_event + index - old_log.start, events.at(index))
            for index in events.added_since(old_log)
        ]
        db.executemany(_INSERT_EVENT, rows)
        return first, floor
    old, texts = held.analytics.texts(), events.texts()
    if texts == old:
        return held.first_event, held.events_floor
    if not texts:
        db.execute("DELETE FROM state_analytics WHERE agent = ?", (agent,))
        return 0, 0
    try:
        dropped = old.index(texts[0])  # the oldest ones go first
    except ValueError:
        dropped = len(old)
    still = len(old) - dropped
    if old[dropped:] != texts[:still]:
        db.execute("DELETE FROM state_analytics WHERE agent = ?", (agent,))
        _insert_events(db, agent, 0, texts)
        return 0, 0
    first = held.first_event + dropped
    floor = _purged(db, "state_analytics", agent, held.events_floor, first)
    _insert_events(db, agent, first + still, texts[still:])
    return first, floor


def _purged(db: sqlite3.Connection, table: str, agent: str, floor: int, first: int) -> int:
    # Delete the forgotten rows once a batch of them has piled up; return the lowest seq left.
    if first - floor < FORGOTTEN_BATCH:
        return floor
    db.execute(f"DELETE FROM {table} WHERE agent = ? AND seq < ?", (agent, first))
    return first


def _differing(values: list[str], old_values: list[str]) -> list[int]:
    return [index for index, old in enumerate(old_values) if values[index] != old]


_INSERT_ANSWER = "INSERT OR REPLACE INTO state_answers (agent, seq, key, data) VALUES (?, ?, ?, ?)"


def _insert_answers(
    db: sqlite3.Connection,
    agent: str,
    first: int,
    keys: list[str],
    values: list[str],
    positions: Iterable[int] | None = None,
) -> None:
    # The answers at `positions` (all of them by default) of `keys` and their member texts
    # `values`, numbered from `first`; one already numbered so (replaced in place) is written
    # again.
    db.executemany(
        _INSERT_ANSWER,
        [
            (agent, first + index, keys[index], member_answer(keys[index], values[index]))
            for index in (range(len(keys)) if positions is None else positions)
        ],
    )


_INSERT_EVENT = "INSERT OR REPLACE INTO state_analytics (agent, seq, data) VALUES (?, ?, ?)"


def _insert_events(db: sqlite3.Connection, agent: str, first: int, events: list[str]) -> None:
    db.executemany(
        _INSERT_EVENT, [(agent, first + index, text) for index, text in enumerate(events)]
    )


def _lowest(db: sqlite3.Connection, table: str, agent: str, first: int) -> int:
    row = db.execute(f"SELECT min(seq) FROM {table} WHERE agent = ?", (agent,)).fetchone()
    return first if row is None or row[0] is None else min(row[0], first)


def _follow(seqs: list[int], first: int) -> bool:
    return not seqs or (seqs[0] == first and seqs[-1] - first == len(seqs) - 1)
