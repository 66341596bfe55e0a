"""Play a scenario's steps against a running bridge, one line of output per step.

Steps name conversations by the alias an `arrive` (or `elevate`, `reconnect`) gave them. A
step passes when its action is done, or, with `refused: text`, when the bridge refuses it
with a message containing the text. An action refused unexpectedly stops the scenario (what
follows would act on a state nobody meant); a failed expectation is reported and the
scenario goes on, so one run shows every expectation that does not hold.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TextIO

from cifbridge.clients.bridge import BridgeClient, BridgeError
from cifbridge.clients.omnichannel import ConversationAgent, CustomerClient
from cifbridge.scenario.expect import MISSING, at_path, check
from cifbridge.scenario.files import Scenario, Step

TARGETS = ("conversation", "session", "workspace", "last")


class StepFailed(Exception):
    """A step did not do what it says; the message tells why."""


@dataclass
class Report:
    """What a run found: the failed steps (index, label, problems) and whether it stopped."""

    passed: int = 0
    failures: list[tuple[int, str, list[str]]] = field(default_factory=list)
    stopped_at: int | None = None

    @property
    def ok(self) -> bool:
        """Tell whether every step passed."""
        return not self.failures


class ScenarioRunner:
    """Runs scenarios against one bridge, printing to `out`."""

    def __init__(self, bridge: BridgeClient, out: TextIO) -> None:
        self.bridge = bridge
        self.customer = CustomerClient(bridge)
        self.agent = ConversationAgent(bridge)
        self.out = out
        self.aliases: dict[str, str] = {}
        self.remembered: dict[str, Any] = {}
        self.last: Any = None

    def run(self, scenario: Scenario) -> Report:
        """Play every step (after a reset unless the scenario says otherwise)."""
        print(f"scenario: {scenario.name} ({scenario.path}) on {self.bridge.url}", file=self.out)
        if scenario.reset:
            self.bridge.reset()
        report = Report()
        for step in scenario.steps:
            if not self._play(step, report):
                report.stopped_at = step.index
                print(f"stopped after step {step.index}", file=self.out)
                break
        failed = len(report.failures)
        print(f"{report.passed} steps passed, {failed} failed", file=self.out)
        return report

    def _play(self, step: Step, report: Report) -> bool:
        """Play one step and print its line; False when the scenario must stop."""
        label = describe(step)
        try:
            problems, stop = self._outcome(step)
        except StepFailed as failure:
            problems, stop = [str(failure)], step.action != "expect"
        note = f"  ({step.note})" if step.note else ""
        print(f"{step.index:>3} {'FAIL' if problems else 'ok  '} {label}{note}", file=self.out)
        for problem in problems:
            print(f"           {problem}", file=self.out)
        if problems:
            report.failures.append((step.index, label, problems))
        else:
            report.passed += 1
        return not stop

    def _outcome(self, step: Step) -> tuple[list[str], bool]:
        if step.action == "expect":
            return self._expect(step.params), False
        try:
            self.last = ACTIONS[step.action](self, step.params)
        except BridgeError as refusal:
            if step.refused and step.refused in refusal.message:
                return [], False
            return [f"refused ({refusal.status}): {refusal.message}"], True
        if step.refused:
            return [f"expected a refusal containing {step.refused!r}, but it was done"], False
        return [], False

    # -- references ------------------------------------------------------------------------

    def conversation_id(self, ref: Any) -> str:
        """Return the conversation id an alias (or an id) names."""
        if isinstance(ref, dict):
            ref = ref["conversation"]
        return self.aliases.get(str(ref), str(ref))

    def _session(self, ref: str) -> dict[str, Any]:
        session_id: Any = ref
        if not ref.startswith("session-id-"):
            session_id = self.agent.conversation(self.conversation_id(ref)).get("sessionId")
        sessions = self.bridge.workspace()["sessions"]
        found = next((s for s in sessions if s["id"] == session_id), None)
        if found is None:
            raise StepFailed(f"{ref} has no open session (its session: {session_id})")
        return dict(found)

    def _expect(self, params: dict[str, Any]) -> list[str]:
        (kind,) = [k for k in TARGETS if k in params]
        assertions = {k: v for k, v in params.items() if k not in (*TARGETS, "remember")}
        target = self._target(kind, params[kind])
        for name, path in params.get("remember", {}).items():
            value = at_path(target, path)
            if value is MISSING:
                raise StepFailed(f"remember {name}: {path} leads nowhere")
            self.remembered[name] = value
        return check(target, assertions, self.remembered)

    def _target(self, kind: str, ref: Any) -> Any:
        try:
            if kind == "conversation":
                return self.agent.conversation(self.conversation_id(ref))
            if kind == "session":
                return self._session(str(ref))
        except BridgeError as error:
            raise StepFailed(f"{kind} {ref}: {error.message}") from None
        return self.bridge.workspace() if kind == "workspace" else self.last


def describe(step: Step) -> str:
    """Say what a step does, in a few words."""
    params = step.params
    if step.action == "arrive":
        customer = next(iter((params.get("customer") or {"visitor": ""}).values())) or "a visitor"
        return f"arrive {params['as']}: {params['channel']} from {customer}"
    if step.action == "advance":
        seconds = params["seconds"] if isinstance(params, dict) else params
        return f"advance {seconds} s"
    if step.action == "expect":
        (kind,) = [k for k in TARGETS if k in params]
        shown = {k: v for k, v in params.items() if k not in TARGETS}
        subject = kind if params[kind] is True else f"{kind} {params[kind]}"
        return f"expect {subject}: {_brief(shown)}"
    if isinstance(params, dict):
        subject = params.get("conversation", "")
        rest = {k: v for k, v in params.items() if k != "conversation"}
        return f"{step.action} {subject} {_brief(rest)}".rstrip()
    return f"{step.action} {params}"


def _brief(values: dict[str, Any]) -> str:
    return ", ".join(f"{k}={v!r}" for k, v in values.items())


# -- actions: each takes the runner and the step's parameters, and returns the answer -------


def _arrive(run: ScenarioRunner, p: dict[str, Any]) -> Any:
    answer = run.customer.arrive(
        p["channel"],
        p.get("customer"),
        case=p.get("case"),
        details=p.get("details"),
        provider=p.get("provider"),
    )
    run.aliases[p["as"]] = answer["result"]["conversationId"]
    return answer["result"]


def _reconnect(run: ScenarioRunner, p: dict[str, Any]) -> Any:
    conversation_id = run.conversation_id(p)
    if p.get("via", "link") == "link":
        link = run.agent.conversation(conversation_id).get("reconnectUrl")
        if not link:
            raise StepFailed(f"{p['conversation']} has no reconnect link")
        result = run.customer.reconnect_by_link(link)["result"]
    else:
        answer = run.customer.reconnect_at_prompt(conversation_id, p.get("choice", "continue"))
        result = answer["result"]
    if p.get("as") and result.get("conversationId"):
        run.aliases[p["as"]] = result["conversationId"]
    return result


def _elevate(run: ScenarioRunner, p: dict[str, Any]) -> Any:
    result = run.agent.elevate(run.conversation_id(p), p["to"])["result"]
    if p.get("as"):
        run.aliases[p["as"]] = result["conversationId"]
    return result


def _focus(run: ScenarioRunner, ref: Any) -> Any:
    session_id = run.agent.conversation(run.conversation_id(ref)).get("sessionId")
    if not session_id:
        raise StepFailed(f"{ref} has no session")
    return run.bridge.focus_session(str(session_id))["focusedSessionId"]


def _message(run: ScenarioRunner, p: dict[str, Any]) -> Any:
    return run.customer.message(run.conversation_id(p), p["text"], p.get("sentiment"))["result"]


def _sentiment(run: ScenarioRunner, p: dict[str, Any]) -> Any:
    return run.customer.set_sentiment(run.conversation_id(p), p["level"])["result"]


def _reply(run: ScenarioRunner, p: dict[str, Any]) -> Any:
    return run.agent.reply(run.conversation_id(p), p["text"])["result"]


def _wrap_up(run: ScenarioRunner, p: dict[str, Any]) -> Any:
    return run.agent.wrap_up(run.conversation_id(p), p["disposition"])["result"]


def _presence(run: ScenarioRunner, text: str) -> Any:
    return run.bridge.set_presence(text)


def _advance(run: ScenarioRunner, p: Any) -> Any:
    return {"now": run.bridge.advance_clock(p["seconds"] if isinstance(p, dict) else p)}


def _by(side: str, method: str) -> Callable[[ScenarioRunner, Any], Any]:
    """Return an action calling one method of the agent or customer client on a conversation."""

    def act(run: ScenarioRunner, ref: Any) -> Any:
        client = run.agent if side == "agent" else run.customer
        return getattr(client, method)(run.conversation_id(ref))["result"]

    return act


ACTIONS: dict[str, Callable[[ScenarioRunner, Any], Any]] = {
    "arrive": _arrive,
    "message": _message,
    "sentiment": _sentiment,
    "reply": _reply,
    "elevate": _elevate,
    "reconnect": _reconnect,
    "wrapUp": _wrap_up,
    "accept": _by("agent", "accept"),
    "reject": _by("agent", "reject"),
    "offer": _by("agent", "offer"),
    "end": _by("agent", "end"),
    "close": _by("agent", "close_session"),
    "disconnect": _by("customer", "disconnect"),
    "closeWindow": _by("customer", "close_window"),
    "focus": _focus,
    "presence": _presence,
    "advance": _advance,
}
