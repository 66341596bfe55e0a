"""Play a scenario's steps against a running bridge, one line of output per step.

Steps name conversations by the alias an `arrive` or `route` (or `elevate`, `reconnect`) gave
them. A step passes when its action is done, or, with `refused: text`, when the bridge refuses
it with a message containing the text. An action refused unexpectedly stops the scenario (what
follows would act on a state nobody meant); a failed expectation is reported and the scenario
goes on, so one run shows every expectation that does not hold.

Agents (docs/agents.md): a step's `agent: <name>` says which agent acts, or whose workspace an
expectation reads (the default agent when left out). An alias remembers the agent whose
workspace holds its conversation, so later steps naming it act there whatever their `agent`;
a routed alias (`route`) follows its conversation from agent to agent as routing moves it (a
reject, a timeout), and names nobody's conversation while it is queued.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TextIO
from urllib.parse import quote

from cifbridge.clients.bridge import BridgeClient, BridgeError
from cifbridge.clients.omnichannel import ConversationAgent, CustomerClient
from cifbridge.scenario.expect import MISSING, at_path, check
from cifbridge.scenario.files import Scenario, Step

TARGETS = ("conversation", "session", "workspace", "last", "routed", "routing")
DEFAULT_AGENT = "default"


class StepFailed(Exception):
    """A step did not do what it says; the message tells why."""


@dataclass(frozen=True)
class Held:
    """Where an alias's conversation is: an agent's workspace (and its id there), or routing."""

    agent: str | None = None
    conversation_id: str | None = None
    routing_id: str | None = None  # a routed conversation: where it is now comes from routing


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
        self.bridge = bridge  # the bridge's own routes (routing) and the default agent's
        self.out = out
        self.aliases: dict[str, str] = {}  # alias -> its conversation id (a routed one: routing id)
        self.places: dict[str, Held] = {}  # alias -> where that conversation is
        self.remembered: dict[str, Any] = {}
        self.last: Any = None
        self.step_agent = DEFAULT_AGENT  # the agent of the step being played
        self._clients: dict[str, BridgeClient] = {DEFAULT_AGENT: bridge}

    # -- the agents ------------------------------------------------------------------------

    def client(self, agent: str | None = None) -> BridgeClient:
        """Return the control API of an agent (the step's when none is named)."""
        name = agent or self.step_agent
        found = self._clients.get(name)
        if found is None:
            url = f"{self.bridge.url}/agents/{quote(name, safe='')}"
            found = self._clients[name] = BridgeClient(url, self.bridge.timeout, self.bridge.token)
        return found

    @property
    def customer(self) -> CustomerClient:
        """The customer's side, at the step's agent (routing: the bridge's own)."""
        return CustomerClient(self.client())

    @property
    def agent(self) -> ConversationAgent:
        """The step's agent's side of conversations."""
        return ConversationAgent(self.client())

    def run(self, scenario: Scenario) -> Report:
        """Play every step (after a reset unless the scenario says otherwise)."""
        print(f"scenario: {scenario.name} ({scenario.path}) on {self.bridge.url}", file=self.out)
        if scenario.reset:
            self.bridge.reset()  # the default agent, the org's records and routing
            for name in named_agents(scenario):
                self.client(name)._request("reset", query={"records": "false"})
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
        self.step_agent = step.agent or DEFAULT_AGENT
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

    def held(self, ref: Any) -> Held:
        """Return where the conversation an alias (or an id: the step agent's) names is now."""
        if isinstance(ref, dict):
            ref = ref["conversation"]
        name = str(ref)
        known = self.aliases.get(name, name)
        found = self.places.get(name)
        if found is None or known not in (found.conversation_id, found.routing_id):
            return Held(self.step_agent, known)  # an id, or an alias set by hand
        if found.routing_id is None:
            return found
        routed = self.bridge.routed_conversation(found.routing_id)
        if routed["agent"] is None or routed["conversationId"] is None:
            raise StepFailed(f"{ref} is {routed['state']}: no agent holds it")
        return Held(routed["agent"], routed["conversationId"], found.routing_id)

    def conversation_id(self, ref: Any) -> str:
        """Return the conversation id an alias (or an id) names, and act at its agent."""
        held = self.held(ref)
        self.step_agent = held.agent or self.step_agent
        return str(held.conversation_id)

    def remember(self, alias: str, conversation_id: str) -> None:
        """Name a conversation of the step's agent."""
        self.aliases[alias] = conversation_id
        self.places[alias] = Held(self.step_agent, conversation_id)

    def _session(self, ref: str) -> dict[str, Any]:
        session_id: Any = ref
        if not ref.startswith("session-id-"):
            conversation_id = self.conversation_id(ref)
            session_id = self.agent.conversation(conversation_id).get("sessionId")
        sessions = self.client().workspace()["sessions"]
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
                conversation_id = self.conversation_id(ref)
                return self.agent.conversation(conversation_id)
            if kind == "session":
                return self._session(str(ref))
            if kind == "routed":
                return self.bridge.routed_conversation(self._routing_id(str(ref)))
            if kind == "routing":
                return self.bridge.routing()
        except BridgeError as error:
            raise StepFailed(f"{kind} {ref}: {error.message}") from None
        return self.client().workspace() if kind == "workspace" else self.last

    def _routing_id(self, ref: str) -> str:
        found = self.places.get(ref)
        if found is None or found.routing_id is None:
            raise StepFailed(f"{ref} is no routed conversation (a `route` step names one)")
        return found.routing_id


def named_agents(scenario: Scenario) -> list[str]:
    """Return the agents a scenario names besides the default one, in order of appearance."""
    names: list[str] = []
    for step in scenario.steps:
        target = step.params.get("agent") if step.action == "route" else None
        for name in (step.agent, target):
            if name and name != DEFAULT_AGENT and name not in names:
                names.append(name)
    return names


def describe(step: Step) -> str:
    """Say what a step does, in a few words (and as which agent, when not the default)."""
    label = _describe(step)
    return f"[{step.agent}] {label}" if step.agent else label


def _describe(step: Step) -> str:
    params = step.params
    if step.action in ("arrive", "route"):
        customer = next(iter((params.get("customer") or {"visitor": ""}).values())) or "a visitor"
        to = f" for {params['agent']}" if params.get("agent") else ""
        return f"{step.action} {params['as']}: {params['channel']} from {customer}{to}"
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
    run.remember(p["as"], answer["result"]["conversationId"])
    return answer["result"]


def _route(run: ScenarioRunner, p: dict[str, Any]) -> Any:
    routed = CustomerClient(run.bridge).route(
        p["channel"],
        p.get("customer"),
        agent=p.get("agent"),
        case=p.get("case"),
        details=p.get("details"),
        provider=p.get("provider"),
    )
    run.aliases[p["as"]] = routed["routingId"]
    run.places[p["as"]] = Held(routing_id=routed["routingId"])
    return routed


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
        run.remember(p["as"], result["conversationId"])
    return result


def _elevate(run: ScenarioRunner, p: dict[str, Any]) -> Any:
    result = run.agent.elevate(run.conversation_id(p), p["to"])["result"]
    if p.get("as"):
        run.remember(p["as"], result["conversationId"])
    return result


def _focus(run: ScenarioRunner, ref: Any) -> Any:
    conversation_id = run.conversation_id(ref)
    session_id = run.agent.conversation(conversation_id).get("sessionId")
    if not session_id:
        raise StepFailed(f"{ref} has no session")
    return run.client().focus_session(str(session_id))["focusedSessionId"]


# Each resolves the conversation first: that picks the agent whose workspace holds it.


def _message(run: ScenarioRunner, p: dict[str, Any]) -> Any:
    conversation_id = run.conversation_id(p)
    return run.customer.message(conversation_id, p["text"], p.get("sentiment"))["result"]


def _sentiment(run: ScenarioRunner, p: dict[str, Any]) -> Any:
    conversation_id = run.conversation_id(p)
    return run.customer.set_sentiment(conversation_id, p["level"])["result"]


def _reply(run: ScenarioRunner, p: dict[str, Any]) -> Any:
    conversation_id = run.conversation_id(p)
    return run.agent.reply(conversation_id, p["text"])["result"]


def _wrap_up(run: ScenarioRunner, p: dict[str, Any]) -> Any:
    conversation_id = run.conversation_id(p)
    return run.agent.wrap_up(conversation_id, p["disposition"])["result"]


def _presence(run: ScenarioRunner, text: str) -> Any:
    return run.client().set_presence(text)


def _advance(run: ScenarioRunner, p: Any) -> Any:
    return {"now": run.client().advance_clock(p["seconds"] if isinstance(p, dict) else p)}


def _by(side: str, method: str) -> Callable[[ScenarioRunner, Any], Any]:
    """Return an action calling one method of the agent or customer client on a conversation."""

    def act(run: ScenarioRunner, ref: Any) -> Any:
        conversation_id = run.conversation_id(ref)  # first: it picks the agent
        client = run.agent if side == "agent" else run.customer
        return getattr(client, method)(conversation_id)["result"]

    return act


ACTIONS: dict[str, Callable[[ScenarioRunner, Any], Any]] = {
    "arrive": _arrive,
    "route": _route,
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
