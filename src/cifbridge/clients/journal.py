"""What widget tests ask of the journal: did the widget make a call yet, how often, did one reject.

The JavaScript package has the same helpers (npm/src/journal.ts: waitForCall, countCalls,
expectNoRejectedCall), with the same semantics:

- a call the bridge answers later (notifyEvent waits for the agent) is journaled twice: when it
  arrives (`deferred: true`) and when it is answered (`settled: true`, with `ok`); a call is
  counted and awaited by its first entry, `settled=True` waits for its answer instead;
- a rejection is any entry with `ok` false, whether the call failed at once or its answer did;
- each agent has its journal: the helpers read the one of the client's agent (docs/agents.md).

    entry = wait_for_call(cifbridge, "createSession")       # 5 s unless told
    assert count_calls(cifbridge, "createSession") == 1
    assert_no_rejected_call(cifbridge)
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from typing import Any

from cifbridge.clients.bridge import BridgeClient

Entry = dict[str, Any]
Where = Callable[[Entry], bool]


class JournalAssertionError(AssertionError):
    """What a journal helper waited for never came, or a call it forbids was journaled."""

    def __init__(self, message: str, entries: list[Entry]) -> None:
        super().__init__(message)
        self.entries = entries


def _matches(entry: Entry, api: str | None, where: Where | None, settled: bool) -> bool:
    if api is not None and entry.get("api") != api:
        return False
    if bool(entry.get("settled")) != settled:
        return False
    return where is None or where(entry)


def describe(entry: Entry) -> str:
    """Return one line naming a journal entry and what it answered."""
    error = entry.get("error")
    answer = error.get("message") if isinstance(error, dict) else None
    if answer is None:
        answer = json.dumps(error if error is not None else entry.get("value"))
    args = json.dumps(entry.get("args", []))[1:-1]
    return f"#{entry['seq']} {entry['api']}({args}) from {entry.get('provider')}: {answer}"


def find_calls(
    bridge: BridgeClient,
    api: str | None = None,
    *,
    since: int = 0,
    where: Where | None = None,
    settled: bool = False,
) -> list[Entry]:
    """Return the journaled calls of `api` (every function when None) that match."""
    entries = bridge.journal(since=since, api=api)
    return [e for e in entries if _matches(e, api, where, settled)]


def count_calls(
    bridge: BridgeClient,
    api: str | None = None,
    *,
    since: int = 0,
    where: Where | None = None,
    settled: bool = False,
) -> int:
    """Count the journaled calls of `api` (every function when None) that match."""
    return len(find_calls(bridge, api, since=since, where=where, settled=settled))


def wait_for_call(
    bridge: BridgeClient,
    api: str,
    *,
    since: int = 0,
    where: Where | None = None,
    settled: bool = False,
    timeout: float = 5.0,
) -> Entry:
    """Wait until a matching call of `api` is journaled; return its entry, the first one."""
    deadline = time.monotonic() + timeout
    while True:
        found = find_calls(bridge, api, since=since, where=where, settled=settled)
        if found:
            return found[0]
        if time.monotonic() >= deadline:
            seen = bridge.journal(since=since)
            listed = "\n  ".join(describe(e) for e in seen) or "(nothing)"
            what = f"the answer of a {api} call" if settled else f"a {api} call"
            raise JournalAssertionError(
                f"waited {timeout:g} s for {what}; the journal holds:\n  {listed}", seen
            )
        time.sleep(0.05)  # polling the bridge's journal, at most until the deadline


def assert_no_rejected_call(
    bridge: BridgeClient, *, since: int = 0, api: str | None = None
) -> None:
    """Raise JournalAssertionError naming every rejected call (of `api`, after `since`)."""
    rejected = [e for e in bridge.journal(since=since, api=api) if e.get("ok") is False]
    if rejected:
        listed = "\n  ".join(describe(e) for e in rejected)
        raise JournalAssertionError(f"{len(rejected)} call(s) rejected:\n  {listed}", rejected)


def journal_mark(bridge: BridgeClient) -> int:
    """Return the newest entry's sequence number: pass it as `since` to look only past it."""
    entries = bridge.journal()
    return int(entries[-1]["seq"]) if entries else 0
