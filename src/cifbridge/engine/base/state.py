"""Workspace state as plain data that round-trips through JSON.

A store saves `dumps(workspace)` after every mutating call (or its `SavedWorkspace` parts,
which join into the same text) and any process can rebuild it with
`from_json(json.loads(text))`.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field, is_dataclass
from functools import cached_property
from typing import Any

from cifbridge.engine.base.conversation_state import Omnichannel
from cifbridge.engine.base.json_text import compact
from cifbridge.engine.config.workspace import DEFAULT_WIDGET_WIDTH, HOME_SESSION_ID

JSON = Any
STATE_VERSION = 1


@dataclass
class Tab:
    """An application tab inside a session."""

    id: str
    template: str
    title: str
    page_type: str
    parameters: dict[str, JSON]
    anchor: bool = False
    closable: bool = True
    refresh_count: int = 0  # refreshTab calls, so the workspace page knows to reload it
    runtime: dict[str, JSON] = field(default_factory=dict)  # createTab's values, for setTabTitle


@dataclass
class Session:
    """A session in the workspace; `provider` is None for the Home session."""

    id: str
    provider: str | None
    template: str | None
    title: str
    context: JSON = None
    conversation_id: str | None = None
    parameters: dict[str, JSON] = field(default_factory=dict)
    tab_parameters: dict[str, dict[str, JSON]] = field(default_factory=dict)
    tabs: list[Tab] = field(default_factory=list)
    focused_tab: str | None = None
    unread: int = 0
    attention: bool = False
    attention_count: int | None = None
    kpi_breach: bool = False
    created_at: float = 0.0
    new_activity: bool = False  # notifyNewActivity's badge: `unread`, or a dot when 0
    kpi_details: str | None = None

    @property
    def is_home(self) -> bool:
        """Tell whether this is the Home session, which always exists."""
        return self.id == HOME_SESSION_ID


@dataclass
class Panel:
    """The communication panel shared by every session."""

    mode: int = 1
    width: int = DEFAULT_WIDGET_WIDTH


@dataclass
class Notification:
    """A notifyEvent waiting for the agent: displayed (`shown_at` set) or queued behind it."""

    id: str
    provider: str
    request_id: str
    template: str
    title: str
    icon: str
    fields: list[dict[str, JSON]]
    cancellation_token: str | None
    timeout: float  # display seconds, from the template when it was raised
    queued_at: float
    queue_deadline: float  # a queued one is rejected when it has waited until then
    shown_at: float | None = None
    display_deadline: float | None = None
    host: str | None = None  # raised by the host itself (an incoming conversation): no widget waits
    subject: str | None = None  # what a host notification is about (a conversation id)


@dataclass
class Workspace:
    """Everything that changes while agents and widgets work."""

    sessions: dict[str, Session]
    focused: str = HOME_SESSION_ID
    focus_history: list[str] = field(default_factory=list)
    next_session: int = 1
    next_tab: int = 1
    panel: Panel = field(default_factory=Panel)
    revision: int = 0
    next_anonymous: int = 0
    recent_requests: dict[str, JSON] = field(default_factory=dict)
    notifications: list[Notification] = field(default_factory=list)
    next_notification: int = 1
    notifications_resume_at: float = 0.0  # no queued notification is shown before this
    presence: dict[str, JSON] | None = None  # presenceInfo in effect; None: the configured one
    presence_list: list[dict[str, JSON]] | None = None  # initializeAgentPresenceList's list
    click_to_act: dict[str, bool] = field(default_factory=dict)  # setClickToAct, by provider
    conversations: dict[str, dict[str, JSON]] = field(default_factory=dict)  # by lowercase id
    analytics: list[dict[str, JSON]] = field(default_factory=list)
    # The agent's record counter and open create forms (dataverse/records.py); the rows are
    # the org's, in the record store every agent shares.
    records: dict[str, JSON] = field(default_factory=dict)
    omnichannel: Omnichannel = field(default_factory=Omnichannel)  # conversations.py
    # What widgets lay over the workspace: dialogs, message bars, progress, the notes flap
    # (cif/overlays.py keeps the keys).
    overlays: dict[str, JSON] = field(default_factory=dict)
    clock_offset: float = 0.0  # the agent's fast-forward (Engine.advance_clock), in seconds

    def session(self, session_id: str) -> Session | None:
        """Return the session with this id, if open."""
        return self.sessions.get(session_id)


def new_workspace(now: float) -> Workspace:
    """Return a fresh workspace holding only the Home session."""
    home = Session(id=HOME_SESSION_ID, provider=None, template=None, title="Home", created_at=now)
    return Workspace(sessions={HOME_SESSION_ID: home})


def dumps(workspace: Workspace, texts: SavedTexts | None = None) -> str:
    """Serialize the workspace to JSON text in one pass.

    Dataclasses are written through their attribute dicts, without the deep copies
    `dataclasses.asdict` makes: saving runs after every mutating call. With `texts`, the
    remembered answers and the analytics events are spliced in from the text each one got
    when first saved.
    """
    if texts is None:
        return compact(workspace, _plain)
    return texts.saved(workspace).text


@dataclass(frozen=True)
class SavedWorkspace:
    """A workspace's JSON text in parts: the remembered answers and the analytics events apart.

    A store that keeps each answer and event as a row of its own (store/sqlite.py) writes only
    those that changed and `rest`, a few kB; the others keep `text`, the whole JSON text,
    joined once when first asked for. Neither part is changed once made.
    """

    rest: str  # the workspace's JSON object without `recent_requests` and `analytics`
    answers: SavedAnswers  # each request key's member text (`"key":answer`), oldest first
    analytics: SavedEvents  # each event's JSON text, oldest first

    @cached_property
    def text(self) -> str:
        """Return the whole workspace text, as `dumps` gives it."""
        return joined_text(self.rest, self.answers.members(), self.analytics.texts())


def joined_text(rest: str, members: list[str], events: list[str]) -> str:
    """Return the whole workspace text from its parts: the rest, the answers' member texts
    (`"key":answer`) and the analytics events' texts, each oldest first."""
    return (
        f'{rest[:-1]},"recent_requests":{{{",".join(members)}}},"analytics":[{",".join(events)}]}}'
    )


class _LogView:
    """Entries `start` to `stop` of a log that is only ever appended to (SavedTexts starts a
    new one for anything else): taking one copies nothing, and of two taken from the same
    log the later one differs only by entries dropped at the start and added at the end."""

    __slots__ = ("_log", "start", "stop")

    def __init__(self, log: list[str], start: int, stop: int | None) -> None:
        self._log = log
        self.start = start
        self.stop = len(log) if stop is None else stop

    def __len__(self) -> int:
        return self.stop - self.start

    def follows(self, earlier: _LogView) -> bool:
        """Tell whether this is `earlier` with only entries dropped at its start and added at
        its end (the same log, read further)."""
        return (
            self._log is earlier._log
            and self.start >= earlier.start
            and (self.stop >= earlier.stop)
        )

    def dropped_since(self, earlier: _LogView) -> int:
        """How many of `earlier`'s entries, from its start, this has not (it `follows` it)."""
        return min(self.start, earlier.stop) - earlier.start

    def added_since(self, earlier: _LogView) -> range:
        """The log positions of the entries this has and `earlier` had not (it `follows` it)."""
        return range(max(earlier.stop, self.start), self.stop)


class SavedAnswers(_LogView):
    """The remembered answers of one save, oldest first, as a view of SavedTexts' log.

    Copying 256 texts at each save touched every one of them, which with 20 agents' answers
    out of the processor's caches was the biggest single cost of a SQLite save. Never changed
    once made.
    """

    __slots__ = ("_members",)

    def __init__(
        self, keys: list[str], members: list[str], start: int = 0, stop: int | None = None
    ) -> None:
        super().__init__(keys, start, stop)
        self._members = members  # in step with the keys

    def keys(self) -> list[str]:
        """Return the request keys, oldest first."""
        return self._log[self.start : self.stop]

    def members(self) -> list[str]:
        """Return the member texts (`"key":answer`), in the same order."""
        return self._members[self.start : self.stop]

    def at(self, index: int) -> tuple[str, str]:
        """Return the key and member text at `index` of the log (`start` <= index < `stop`)."""
        return self._log[index], self._members[index]


class SavedEvents(_LogView):
    """The analytics events' texts of one save, oldest first, as a view of SavedTexts' log
    (the same reasons as SavedAnswers). Never changed once made."""

    __slots__ = ()

    def __init__(self, texts: list[str], start: int = 0, stop: int | None = None) -> None:
        super().__init__(texts, start, stop)

    def texts(self) -> list[str]:
        """Return the events' JSON texts, oldest first."""
        return self._log[self.start : self.stop]

    def at(self, index: int) -> str:
        """Return the text at `index` of the log (`start` <= index < `stop`)."""
        return self._log[index]


def answer_member(key: str, answer: str) -> str:
    """Return a remembered answer's member text (`"key":answer`) from its JSON text."""
    return f"{json.dumps(key)}:{answer}"


def member_answer(key: str, member: str) -> str:
    """Return the answer's own JSON text from its member text."""
    return member[len(json.dumps(key)) + 1 :]


class SavedTexts:
    """The JSON text of each remembered answer and analytics event, made once, not per save.

    The answers kept for retries (up to 256) and the analytics events (up to 200) are most of
    a workspace's text (50 kB of a busy agent's 50 kB; 26 kB of an otherwise empty one's 27
    kB), and serializing all of them again took nine tenths of each save. Neither is changed
    once kept (a settled call's answer is replaced by a new object). The engine tells this
    about each answer it keeps or forgets (`kept`, `forgotten`); answers it was not told
    about (a workspace restored, reset or loaded) are serialized whole once, on the next
    save. The answers' texts are kept as a log that saves share (SavedAnswers); analytics
    events are found by identity.
    """

    def __init__(self) -> None:
        self._of: dict[str, JSON] | None = None  # the answers the texts below are for
        # Their member texts as a log (SavedAnswers): the live ones are from `_start` to the
        # end, in the order of `_of`; `_index` says where each live key is.
        self._keys: list[str] = []
        self._members: list[str] = []
        self._start = 0
        self._index: dict[str, int] = {}
        # The events given, as logs of their objects (kept alive, so that `is` can tell them
        # apart) and of their texts, in step; the live ones are from `_event_start` on.
        self._events: list[JSON] = []
        self._event_texts: list[str] = []
        self._event_start = 0

    def kept(self, recent: dict[str, JSON], key: str) -> None:
        """Note that `recent[key]` was just set (a new answer, or one replaced in place)."""
        if recent is not self._of:
            return
        member = _member(key, recent[key])
        if key not in self._index:
            self._index[key] = len(self._keys)
            self._keys.append(key)
            self._members.append(member)
            return
        # Replaced in place (a deferred call's late answer) keeps its place, as `recent`
        # keeps it: in a new log, since saves taken before share this one.
        self._relog()
        self._members[self._index[key]] = member

    def forgotten(self, recent: dict[str, JSON], key: str) -> None:
        """Note that `key` was just removed from `recent`."""
        if recent is not self._of or self._index.pop(key, None) is None:
            return
        if self._keys[self._start] == key:  # the oldest, as the engine forgets them
            self._start += 1
        else:
            self._relog()

    def _relog(self) -> None:
        # A new log of the live answers only (the old one stays with the saves that have it).
        keys = [key for key in self._keys[self._start :] if key in self._index]
        self._members = [self._members[self._index[key]] for key in keys]
        self._keys, self._start = keys, 0
        self._index = {key: number for number, key in enumerate(keys)}

    def saved(self, workspace: Workspace) -> SavedWorkspace:
        """Return the workspace's text in parts, each answer and event serialized once."""
        fields = {"version": STATE_VERSION, **vars(workspace)}
        recent = fields.pop("recent_requests")
        analytics = fields.pop("analytics")
        rest = compact(fields, _plain)
        return SavedWorkspace(rest, self.answers(recent), self.items(analytics))

    def answers(self, recent: dict[str, JSON]) -> SavedAnswers:
        """Return each answer's member text (`"key":answer`), in the order of `recent`."""
        if recent is not self._of or len(recent) != len(self._index):
            self._of = recent
            self._keys = list(recent)
            self._members = [_member(key, answer) for key, answer in recent.items()]
            self._start = 0
            self._index = {key: number for number, key in enumerate(self._keys)}
        elif self._start > len(self._index) + 64:  # forgotten ones pile up: start afresh
            self._relog()
        return SavedAnswers(self._keys, self._members, self._start, len(self._keys))

    def items(self, items: list[JSON]) -> SavedEvents:
        """Return the JSON texts of a list of never-changed objects (the analytics events)."""
        # The list only grows at its end and loses its oldest (analytics.py). So the newest
        # event of the last save is found from the end (one step per event added since), the
        # ones before it are taken to be the logged ones, checked at the oldest end, and only
        # those after it are serialized: nothing here walks the 200 kept.
        logged, live = self._events, len(self._events) - self._event_start
        if not live:
            added: int | None = len(items)  # none logged is live: all of them are new
        else:
            added = _added_since(items, logged[-1]) if items else None
        if (
            added is None
            or len(items) - added > live
            or (len(items) > added and items[0] is not logged[len(logged) - len(items) + added])
        ):
            # Not the logged ones followed by new ones (a list restored, loaded or reset).
            self._events, self._event_start = list(items), 0
            self._event_texts = [compact(item) for item in items]
        else:
            self._event_start = len(logged) - (len(items) - added)
            for item in items[len(items) - added :]:
                logged.append(item)
                self._event_texts.append(compact(item))
            if self._event_start > len(items) + 64:  # dropped ones pile up: start afresh
                self._events = logged[self._event_start :]
                self._event_texts = self._event_texts[self._event_start :]
                self._event_start = 0
        return SavedEvents(self._event_texts, self._event_start, len(self._event_texts))


def _added_since(items: list[JSON], last: JSON) -> int | None:
    # How many of `items` come after `last` (None: it is not among them).
    for back in range(len(items)):
        if items[-1 - back] is last:
            return back
    return None


def _member(key: str, answer: JSON) -> str:
    return f"{json.dumps(key)}:{compact(answer)}"


def _plain(value: object) -> dict[str, JSON]:
    if isinstance(value, Workspace):
        return {"version": STATE_VERSION, **vars(value)}
    if is_dataclass(value) and not isinstance(value, type):
        return dict(vars(value))
    raise TypeError(f"{type(value).__name__} is not part of the workspace state")


def to_json(workspace: Workspace) -> dict[str, JSON]:
    """Return the workspace as JSON-ready data."""
    data: dict[str, JSON] = json.loads(dumps(workspace))
    return data


def from_json(data: dict[str, JSON]) -> Workspace:
    """Rebuild a workspace saved by `to_json`."""
    sessions = {}
    saved = data["sessions"]
    for raw in saved.values() if isinstance(saved, dict) else saved:
        tabs = [Tab(**t) for t in raw.get("tabs", [])]
        session = Session(**{**raw, "tabs": tabs})
        sessions[session.id] = session
    return Workspace(
        sessions=sessions,
        focused=data["focused"],
        focus_history=list(data.get("focus_history", [])),
        next_session=data["next_session"],
        next_tab=data["next_tab"],
        panel=Panel(**data.get("panel", {})),
        revision=int(data.get("revision", 0)),
        next_anonymous=int(data.get("next_anonymous", 0)),
        recent_requests=dict(data.get("recent_requests", {})),
        notifications=[Notification(**n) for n in data.get("notifications", [])],
        next_notification=int(data.get("next_notification", 1)),
        notifications_resume_at=float(data.get("notifications_resume_at", 0.0)),
        presence=data.get("presence"),
        presence_list=data.get("presence_list"),
        click_to_act=dict(data.get("click_to_act", {})),
        conversations=dict(data.get("conversations", {})),
        analytics=list(data.get("analytics", [])),
        records=dict(data.get("records", {})),
        omnichannel=Omnichannel.from_json(data.get("omnichannel")),
        overlays=dict(data.get("overlays", {})),
        clock_offset=float(data.get("clock_offset", 0.0)),
    )
