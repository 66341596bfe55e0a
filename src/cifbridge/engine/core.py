"""The engine: one synchronous entry point per actor, no I/O, atomic on the event loop.

Widgets call `call(provider, api, args, request_id)` with arguments already normalized and
validated; agents act through `agent(action, **params)` with keyword parameters already checked
against the action's JSON Schema (a refusal is a domain one); time moves through `advance()`, which
fires every deadline due on the injected clock (the transport asks `next_deadline()` and
schedules the wake-up). Each returns a `Result`: the value (or DEFERRED for an answer that comes
later as a Settlement), the events to deliver, the late answers, whether the workspace
changed and the record rows it wrote (the transport then persists both before it acknowledges).

One Engine holds one agent's workspace; the org's record store is injected and shared by the
engines of every agent. The engine's time is the injected clock plus the workspace's own
offset (`advance_clock`), so a fast-forward is part of the agent's state: it persists, and
every process serving that agent reads the same time.

The tables below (CIF functions, agent actions, timers, hooks) are built from the one feature
list, engine/features.py; a feature lives in its own module and touches no other. Only the
engine writes the workspace: the revision it bumps on each change, the answers remembered for
retried requests (`recall`, `remember`) and the tickets of calls without a request id.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, NamedTuple

from cifbridge.engine.base.context import DEFAULT_AGENT, CallContext, Delivery, Settlement
from cifbridge.engine.base.diagnostics import Diagnostic, strict_rejection
from cifbridge.engine.base.errors import (
    INVALID,
    NOT_FOUND,
    AgentActionRefused,
    CifError,
    RecordError,
)
from cifbridge.engine.base.feature import AgentAction, Handler, Timer, collect_hooks
from cifbridge.engine.base.record_store import Change, MemoryRecords, RecordStore
from cifbridge.engine.base.state import (
    JSON,
    SavedTexts,
    SavedWorkspace,
    Workspace,
    dumps,
    from_json,
    new_workspace,
    to_json,
)
from cifbridge.engine.config.workspace import WorkspaceConfig
from cifbridge.engine.features import FEATURES

RECENT_REQUESTS_KEPT = 256

HANDLERS: dict[str, Handler] = {n: h for f in FEATURES for n, h in f.handlers.items()}
AGENT_ACTIONS: dict[str, AgentAction] = {n: a for f in FEATURES for n, a in f.agent_actions.items()}
TIMERS: tuple[Timer, ...] = tuple(t for f in FEATURES for t in f.timers)
HOOKS = collect_hooks(FEATURES)


class Result(NamedTuple):
    """What one engine call produced (a named tuple: built for every call, and a frozen
    dataclass costs several times as much to build)."""

    value: JSON
    deliveries: tuple[Delivery, ...] = ()
    mutated: bool = False
    settlements: tuple[Settlement, ...] = ()
    warnings: tuple[Diagnostic, ...] = ()
    record_changes: tuple[Change, ...] = ()


class Engine:
    """Holds one agent's workspace and applies CIF calls, agent actions and time to it."""

    def __init__(
        self,
        config: WorkspaceConfig,
        *,
        clock: Callable[[], float],
        workspace: Workspace | None = None,
        records: RecordStore | None = None,
        agent_id: str = DEFAULT_AGENT,
    ) -> None:
        self.config = config
        self.real_clock = clock
        self.agent_id = agent_id
        self.records: RecordStore = (
            records if records is not None else MemoryRecords(config.records)
        )
        self.workspace = workspace if workspace is not None else new_workspace(clock())
        self._texts = SavedTexts()  # remembered answers and analytics serialized once

    def clock(self) -> float:
        """Return the agent's time: the injected clock plus the workspace's fast-forward."""
        return self.real_clock() + self.workspace.clock_offset

    def implements(self, api: str) -> bool:
        """Tell whether the engine has semantics for this API."""
        return api in HANDLERS

    def call(
        self,
        provider: str,
        api: str,
        args: dict[str, Any],
        request_id: str = "",
        *,
        strict: bool = False,
    ) -> Result:
        """Apply one widget call; raises CifError when the call fails.

        With `strict`, a call that drew a warning is refused and leaves the workspace as it was.
        """
        before = to_json(self.workspace) if strict else None
        ctx = self._context(provider, request_id)
        try:
            value = HANDLERS[api](ctx, args)
        except CifError as error:
            self.records.revert(self.records.end())  # a failed call writes no record
            error.warnings = (*error.warnings, *ctx.warnings)
            raise
        if before is not None and ctx.warnings:
            self.records.revert(self.records.end())
            self.workspace = from_json(before)  # a refusal changes nothing
            raise strict_rejection(api, ctx.warnings)
        return self._result(ctx, value)

    def agent(self, action: str, **params: Any) -> Result:
        """Apply one agent action by name; raises AgentActionRefused when it can't be done."""
        handler = AGENT_ACTIONS.get(action)
        if handler is None:
            raise AgentActionRefused(f"Unknown agent action {action}", NOT_FOUND)
        ctx = self._context(None)
        try:
            value = handler(ctx, **params)
        except RecordError as error:  # the record store's failures, for every action at once
            self.records.revert(self.records.end())
            # RecordError carries the status Dataverse's Web API answers with: 404 or 400.
            kind = NOT_FOUND if error.status == 404 else INVALID
            raise AgentActionRefused(error.message, kind) from error
        except Exception:
            self.records.revert(self.records.end())
            raise
        return self._result(ctx, value)

    def focus_session(self, session_id: str) -> Result:
        """Switch the focused session as the agent does by clicking it."""
        return self.agent("focusSession", session_id=session_id)

    def close_session(self, session_id: str) -> Result:
        """Close a session as the agent does with its X button."""
        return self.agent("closeSession", session_id=session_id)

    def next_deadline(self) -> float | None:
        """Return when `advance` next has something to do, or None."""
        due = [d for t in TIMERS if (d := t.next_due(self.workspace)) is not None]
        return min(due, default=None)

    def advance(self) -> Result:
        """Fire every deadline due now on the agent's clock."""
        ctx = self._context(None)
        now = self.clock()
        for timer in TIMERS:
            timer.fire_due(ctx, now)
        return self._result(ctx, None)

    def advance_clock(self, seconds: float) -> Result:
        """Fast-forward the agent's clock and fire whatever falls due on the way."""
        if seconds < 0:
            raise ValueError("the clock only moves forward")
        self.workspace.clock_offset += seconds
        result = self.advance()
        if not result.mutated:
            self.workspace.revision += 1  # the offset is state: it is saved like any change
        return Result(
            result.value, result.deliveries, True, result.settlements, result.warnings,
            result.record_changes,
        )  # fmt: skip

    def resume_clock_at(self, now: float) -> None:
        """Set the agent's clock so it reads `now` at once (an imported state)."""
        self.workspace.clock_offset = now - self.real_clock()

    def reset(self) -> Result:
        """Start over with only the Home session (ids start again from 1), on the real time.

        Calls still waiting for an answer (notifyEvent) are answered with an error first. The
        org's records are not the agent's: `reset_records` starts them over.
        """
        ctx = self._context(None)
        for hook in HOOKS.on_reset:
            hook(ctx)
        self.workspace = new_workspace(self.real_clock())
        ctx.changed()
        return self._result(ctx, None)

    def reset_records(self) -> None:
        """Start the org's records over from the configured ones (every agent sees it)."""
        self.records.clear()

    def load(self, data: dict[str, JSON]) -> Result:
        """Replace the workspace with an exported one; raises before changing anything.

        Calls still waiting for an answer in the workspace replaced are answered with an error
        first, as a reset does. The revision goes on from the higher of both, so processes
        sharing the store see the loaded workspace as the newer one.
        """
        loaded = from_json(data)
        ctx = self._context(None)
        for hook in HOOKS.on_reset:
            hook(ctx)
        loaded.revision = max(loaded.revision, self.workspace.revision)
        self.workspace = loaded
        ctx.changed()
        return self._result(ctx, None)

    def stop(self) -> Result:
        """Answer every call still waiting (notifyEvent, quick create forms) before stopping."""
        ctx = self._context(None)
        for hook in HOOKS.on_stop:
            hook(ctx)
        return self._result(ctx, None)

    def snapshot(self) -> dict[str, JSON]:
        """Return the workspace as JSON-ready data for a store."""
        return to_json(self.workspace)

    def snapshot_text(self) -> str:
        """Return the workspace as JSON text, the fast way stores save it."""
        return dumps(self.workspace, self._texts)

    def snapshot_parts(self) -> SavedWorkspace:
        """Return the workspace's text in parts: what stores save (the answers and the
        analytics events apart, so a store may write only those that changed)."""
        return self._texts.saved(self.workspace)

    def restore(self, data: dict[str, JSON]) -> None:
        """Replace the workspace with one a store saved."""
        self.workspace = from_json(data)

    @property
    def revision(self) -> int:
        """Return the workspace's revision: how many changes it has seen since it began."""
        return self.workspace.revision

    def recall(self, provider: str, api: str, request_id: str) -> dict[str, JSON] | None:
        """Return the answer remembered for a request, when a retry of it comes again."""
        found: dict[str, JSON] | None = self.workspace.recent_requests.get(
            _request_key(provider, api, request_id)
        )
        return found

    def remember(
        self,
        provider: str,
        api: str,
        request_id: str,
        answer: dict[str, JSON],
        *,
        if_known: bool = False,
    ) -> None:
        """Keep a request's answer for its retries (with `if_known`, only replace one kept)."""
        recent = self.workspace.recent_requests
        key = _request_key(provider, api, request_id)
        if if_known and key not in recent:
            return
        recent[key] = answer
        self._texts.kept(recent, key)
        while len(recent) > RECENT_REQUESTS_KEPT:
            oldest = next(iter(recent))
            del recent[oldest]
            self._texts.forgotten(recent, oldest)

    def ticket(self) -> str:
        """Return a request id for a call that came without one (a deferred answer needs one)."""
        self.workspace.next_anonymous += 1
        return f"anonymous-{self.workspace.next_anonymous}"

    def _context(self, provider: str | None, request_id: str = "") -> CallContext:
        self.records.begin()  # every write of this call is logged, for the save or a revert
        return CallContext(
            config=self.config,
            workspace=self.workspace,
            provider=provider,
            clock=self.clock,
            hooks=HOOKS,
            request_id=request_id,
            records=self.records,
            agent=self.agent_id,
        )

    def _result(self, ctx: CallContext, value: Any) -> Result:
        if ctx.mutated:
            self.workspace.revision += 1  # the transport saves this revision
        return Result(
            value,
            tuple(ctx.deliveries),
            ctx.mutated,
            tuple(ctx.settlements),
            tuple(ctx.warnings),
            self.records.end(),
        )


def _request_key(provider: str, api: str, request_id: str) -> str:
    return f"{provider}:{api}:{request_id}"
