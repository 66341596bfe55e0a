"""Python clients of a running bridge, for CI suites and scripts.

    BridgeClient   the control API: act as the agent, read the journal, move the clock, set faults
    WidgetClient   a CIF widget without a browser: `call("createSession", {...})` over Socket.IO

Both are synchronous (plain `urllib` and python-socketio's SimpleClient), so they work in any
test runner without an event loop. BridgeClient builds every request from the control API's
route table (`cifbridge.api.control_routes`) by route name.

Agents (docs/agents.md): one bridge hosts many agents' workspaces over one org's records. Both
clients work for one agent, "default" unless told: `BridgeClient(url, agent="alice")`, or a URL
naming it (`http://127.0.0.1:8765/agents/alice`), or `client.for_agent("alice")`. A named
agent's `url` is `<bridge>/agents/<agent>`, so `WidgetClient(client.url)` and
`page.goto(client.url)` reach the same agent; `bridge_url` is the bridge's own.
"""

from __future__ import annotations

import json
import os
import re
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from collections import deque
from collections.abc import Mapping
from typing import Any

import socketio

from cifbridge.api.control_routes import (
    AGENT_PREFIX,
    CONTROL_PATH_PREFIX,
    ORG_ROUTES,
    ROUTES,
    route,
)
from cifbridge.banner import script_tag

DEFAULT_AGENT = "default"
# The agent a URL names: `<bridge>/agents/<agent>` (the shim's rule for the library URL too).
_AGENT_IN_URL = re.compile(r"^(?P<bridge>.*?)/agents/(?P<agent>[^/?#]+)/?$")


def _path_pattern(path: str) -> str:
    """Return a route's path as a regular expression: each {placeholder} one path segment."""
    parts = re.split(r"(\{\w+\})", path)
    return "".join("[^/]+" if part.startswith("{") else re.escape(part) for part in parts)


# The paths of the routes about every agent, which only the bridge's root serves.
_ORG_PATH = re.compile(
    "^(?:" + "|".join(_path_pattern(r.path) for r in ROUTES if r.name in ORG_ROUTES) + ")$"
)


class BridgeError(RuntimeError):
    """The control API refused a request; `status` is the HTTP status."""

    def __init__(self, message: str, status: int) -> None:
        super().__init__(f"{status}: {message}")
        self.message = message
        self.status = status


class CifCallError(RuntimeError):
    """A CIF call was rejected; `error` is what the widget's promise rejected with."""

    def __init__(self, api: str, error: dict[str, Any], origin: str, warnings: Any = None) -> None:
        super().__init__(f"{api} rejected: {error.get('message')}")
        self.error = error
        self.origin = origin
        self.warnings: list[dict[str, str]] = list(warnings or [])


def split_agent_url(url: str, agent: str | None = None) -> tuple[str, str]:
    """Return (bridge URL, agent) from a bridge or agent URL and an optional agent name.

    `http://h:1/agents/alice` names alice; a plain bridge URL names the default agent unless
    `agent` is given. A URL and an `agent` naming two different agents are refused.
    """
    url = url.rstrip("/")
    found = _AGENT_IN_URL.match(url)
    named = urllib.parse.unquote(found["agent"]) if found else None
    if named is not None and agent is not None and agent != named:
        raise ValueError(f"{url} is agent {named!r}'s URL, not {agent!r}'s")
    bridge = found["bridge"] if found else url
    return bridge, agent or named or DEFAULT_AGENT


def agent_url(bridge_url: str, agent: str) -> str:
    """Return the agent's base URL: the bridge's for the default agent, else /agents/<agent>."""
    if agent == DEFAULT_AGENT:
        return bridge_url
    return bridge_url + AGENT_PREFIX.format(agent=urllib.parse.quote(agent, safe=""))


class BridgeClient:
    """The control API of one bridge, as one agent (the default one unless told)."""

    def __init__(
        self,
        url: str,
        timeout: float = 10.0,
        token: str | None = None,
        agent: str | None = None,
    ) -> None:
        self.bridge_url, self.agent = split_agent_url(url, agent)
        # The agent's base: control routes, the workspace page and the library live under it.
        self.url = agent_url(self.bridge_url, self.agent)
        self.timeout = timeout
        # The bridge's access token, when it was started with one (--token).
        self.token = token if token is not None else os.environ.get("CIFBRIDGE_TOKEN") or None

    def for_agent(self, agent: str) -> BridgeClient:
        """Return a client of the same bridge (same token and timeout) for another agent."""
        return BridgeClient(self.bridge_url, self.timeout, self.token, agent=agent)

    @property
    def workspace_url(self) -> str:
        """Return the URL of this agent's workspace page (`<bridge>/agents/<agent>/`)."""
        return self.url + "/"

    @property
    def script_tag(self) -> str:
        """Return the tag a widget page uses to load the CIF library from this bridge, as this
        agent (a named agent's library URL carries /agents/<agent>/, which the shim reads)."""
        return script_tag(self.url)

    def script_tag_for(self, provider: str) -> str:
        """Return the tag with `data-provider`: what a page needs when several providers are
        configured and its URL is under none of their landing URLs (README, "Which provider")."""
        return script_tag(self.url, provider)

    def request(self, method: str, path: str, body: Any = None) -> Any:
        """Send one request to a path of the bridge; return its decoded JSON answer.

        A control path (`/api/...`) is this agent's: a named agent's goes under
        `/agents/<agent>`, except the org's routes (GET /api/agents, ...), which are the
        bridge's own like every other path (`/healthz`).
        """
        return self._send(method, self._url_for(path), body)

    def _url_for(self, path: str) -> str:
        if self.agent == DEFAULT_AGENT or not path.startswith(CONTROL_PATH_PREFIX):
            return self.bridge_url + path
        if _ORG_PATH.match(path.split("?", 1)[0]):
            return self.bridge_url + path
        return self.url + path

    def _send(self, method: str, url: str, body: Any = None) -> Any:
        data = None if body is None else json.dumps(body).encode("utf-8")
        headers = {"Content-Type": "application/json"} if data else {}
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        req = urllib.request.Request(url, data, headers, method=method)
        try:
            with urllib.request.urlopen(req, timeout=self.timeout) as response:
                return json.loads(response.read() or b"null")
        except urllib.error.HTTPError as error:
            with error:
                payload = json.loads(error.read() or b"{}")
            message = payload.get("error", {}).get("message", error.reason)
            raise BridgeError(message, error.code) from None

    def _request(
        self,
        route_name: str,
        path_params: Mapping[str, Any] | None = None,
        body: Any = None,
        query: Mapping[str, Any] | None = None,
    ) -> Any:
        """Send the request of the control route called `route_name`, as this agent."""
        found = route(route_name)
        return self.request(found.method, found.url(path_params, query), body)

    def wait_until_ready(self, timeout: float = 15.0) -> None:
        """Poll /healthz until the bridge answers."""
        deadline = time.monotonic() + timeout
        while True:
            try:
                self.request("GET", "/healthz")  # not a control route: it exists once ready
                return
            except (OSError, BridgeError):
                if time.monotonic() > deadline:
                    raise TimeoutError(f"no bridge answered at {self.url}") from None
                time.sleep(0.05)

    def workspace(self) -> dict[str, Any]:
        """Return the workspace view: sessions, tabs, focus, indicators."""
        view: dict[str, Any] = self._request("getWorkspace")
        return view

    def sessions(self) -> list[dict[str, Any]]:
        """Return the open sessions, Home first."""
        return list(self.workspace()["sessions"])

    def focus_session(self, session_id: str) -> dict[str, Any]:
        """Switch to a session as the agent does."""
        view: dict[str, Any] = self._request("focusSession", {"session_id": session_id})
        return view

    def close_session(self, session_id: str) -> dict[str, Any]:
        """Close a session as the agent does."""
        view: dict[str, Any] = self._request("closeSession", {"session_id": session_id})
        return view

    def reset(self, records: bool | None = None) -> dict[str, Any]:
        """Start over with only the Home session, an empty journal and no faults.

        The org's records start over too by default for the default agent (as before agents
        existed), not for a named one; `records` says so either way (docs/agents.md).
        """
        query = None if records is None else {"records": "true" if records else "false"}
        view: dict[str, Any] = self._request("reset", query=query)
        return view

    def agents(self) -> list[dict[str, Any]]:
        """Return the bridge's agents, default first: {agent, sessions, focusedSessionId,
        presence} each."""
        return list(self._request("listAgents")["agents"])

    def remove_agent(self, agent: str | None = None) -> list[dict[str, Any]]:
        """Remove an agent (this client's when none is named): its waiting calls are answered,
        its workspace and journal forgotten; return the agents left. The default agent cannot
        be removed (409), an unknown one answers 404."""
        name = self.agent if agent is None else agent
        return list(self._request("removeAgent", {"agent_name": name})["agents"])

    def journal(
        self, since: int = 0, api: str | None = None, kind: str | None = None
    ) -> list[dict[str, Any]]:
        """Return the entries recorded after `since`: the CIF calls (and late answers), or the
        kinds asked ("event", "fault", "call,event", "all"), optionally of one function.

        An entry's `warnings` ({code, message} each), when present, are the diagnostics of the
        call: it works here but is fragile or different in production.
        """
        return list(self.journal_page(since, api, kind)["entries"])

    def journal_page(
        self, since: int = 0, api: str | None = None, kind: str | None = None
    ) -> dict[str, Any]:
        """Return the journal's whole answer: `entries`, `dropped` (by the bound) and `size`."""
        query = {"since": since, "api": api or None, "kind": kind or None}
        answer: dict[str, Any] = self._request("getJournal", query=query)
        return answer

    def set_fault(
        self,
        effect: str,
        api: str | None = None,
        *,
        times: int | None = None,
        error: Mapping[str, Any] | None = None,
        delay_ms: int | None = None,
        match: Mapping[str, Any] | None = None,
        target: str | None = None,
        event: str | None = None,
        provider: str | None = None,
        connection: str | None = None,
    ) -> dict[str, Any]:
        """Set a fault (schemas/control/setFault.json) and return it with its id, e.g.
        `set_fault("reject", "createSession", times=1, error={"form": "host", "message": "x"})`,
        `set_fault("hang", "getPresence")`, `set_fault("drop", target="event", event="*")`."""
        fields = {
            "effect": effect, "api": api, "times": times, "error": error, "delayMs": delay_ms,
            "match": match, "target": target, "event": event, "provider": provider,
            "connection": connection,
        }  # fmt: skip
        body = {name: value for name, value in fields.items() if value is not None}
        answer: dict[str, Any] = self._request("setFault", body=body)
        return answer

    def faults(self) -> list[dict[str, Any]]:
        """Return the faults standing, oldest first."""
        return list(self._request("listFaults")["faults"])

    def clear_fault(self, fault_id: str | None = None) -> list[dict[str, Any]]:
        """Clear one fault, or every fault when no id is given; return those still standing."""
        if fault_id is None:
            return list(self._request("clearFaults")["faults"])
        return list(self._request("clearFault", {"fault_id": fault_id})["faults"])

    def advance_clock(self, seconds: float) -> float:
        """Fast-forward the bridge's clock, firing timeouts that fall due."""
        now: float = self._request("advanceClock", body={"seconds": seconds})["now"]
        return now

    def routing(self) -> dict[str, Any]:
        """Return routing across agents: {cursor, queue, offers, finished} (docs/agents.md)."""
        view: dict[str, Any] = self._request("getRouting")
        return view

    def routed_conversation(self, routing_id: str) -> dict[str, Any]:
        """Return one routed conversation: its state, the agent offered it, its id there."""
        found: dict[str, Any] = self._request("getRoutedConversation", {"routing_id": routing_id})
        return found

    def export_state(self) -> dict[str, Any]:
        """Return the bridge's whole state (workspace, clock, journal) as a state file holds it."""
        document: dict[str, Any] = self._request("exportState", body={})
        return document

    def import_state(self, document: Mapping[str, Any]) -> dict[str, Any]:
        """Replace the bridge's state with an exported one; return the workspace view."""
        view: dict[str, Any] = self._request("importState", body=dict(document))
        return view

    def set_presence(self, presence_text: str) -> dict[str, Any]:
        """Pick the listed presence with this text, as the agent does; widgets hear it."""
        answer: dict[str, Any] = self._request("setPresence", body={"presenceText": presence_text})
        return answer

    def notifications(self) -> dict[str, Any]:
        """Return the displayed notification (or None) and the queue behind it."""
        view: dict[str, Any] = self._request("listNotifications")
        return view

    def accept_notification(self, notification_id: str | None = None) -> dict[str, Any]:
        """Press Accept on the displayed notification; its notifyEvent resolves Accept."""
        return self._answer_notification("acceptNotification", notification_id)

    def reject_notification(self, notification_id: str | None = None) -> dict[str, Any]:
        """Press Reject on the displayed notification; its notifyEvent resolves Reject."""
        return self._answer_notification("rejectNotification", notification_id)

    def dialogs(self) -> list[dict[str, Any]]:
        """Return the dialogs widgets opened, the one shown first."""
        return list(self._request("listDialogs"))

    def answer_dialog(
        self,
        confirmed: bool,
        dialog_id: str | None = None,
        parameters: Mapping[str, Any] | None = None,
    ) -> dict[str, Any]:
        """Press OK (confirmed) or Cancel on the dialog shown; its widget's promise resolves."""
        body: dict[str, Any] = {"confirmed": confirmed}
        if dialog_id is not None:
            body["dialogId"] = dialog_id
        if parameters is not None:
            body["parameters"] = dict(parameters)
        answer: dict[str, Any] = self._request("answerDialog", body=body)
        return answer

    def message_bars(self) -> list[dict[str, Any]]:
        """Return the message bars across the workspace, oldest first."""
        return list(self._request("listMessageBars"))

    def close_message_bar(self, bar_id: str) -> str:
        """Press a message bar's close button."""
        closed: str = self._request("closeMessageBar", {"bar_id": bar_id})
        return closed

    def click_message_bar_action(self, bar_id: str) -> dict[str, Any]:
        """Click a message bar's action; answers the link the page would open."""
        answer: dict[str, Any] = self._request("clickMessageBarAction", {"bar_id": bar_id})
        return answer

    def notes(self) -> dict[str, Any]:
        """Return the open notes flap (a 404 BridgeError when none is open)."""
        flap: dict[str, Any] = self._request("getNotes")
        return flap

    def save_notes(self, text: str) -> dict[str, Any]:
        """Save the note in the flap; the widget's insertNotes resolves the annotation id."""
        saved: dict[str, Any] = self._request("saveNotes", body={"text": text})
        return saved

    def cancel_notes(self) -> None:
        """Close the notes flap without saving."""
        self._request("cancelNotes")

    def _answer_notification(self, name: str, notification_id: str | None) -> dict[str, Any]:
        if not notification_id:  # whichever is displayed
            view: dict[str, Any] = self._request(name)
        else:
            view = self._request(f"{name}ById", {"notification_id": notification_id})
        return view


class PendingCall:
    """A call whose answer may come later (notifyEvent waits for the agent)."""

    def __init__(self, widget: WidgetClient, api: str, request_id: str, ack: dict[str, Any]):
        self._widget = widget
        self.api = api
        self.request_id = request_id
        self._answer: dict[str, Any] | None = None if ack.get("deferred") else ack

    def result(self, timeout: float | None = 10.0) -> Any:
        """Wait for the answer; return the value or raise CifCallError."""
        if self._answer is None:
            self._answer = self._widget._wait_for_answer(self.request_id, timeout)
        if not self._answer.get("ok"):
            error = self._answer.get("error") or {}
            origin = self._answer.get("origin", "host")
            raise CifCallError(self.api, error, origin, self._answer.get("warnings"))
        return self._answer.get("value")


class WidgetClient:
    """A partner widget without a browser: plain CIF calls and the events it receives.

    It works in one agent's workspace, like the shim: `agent`, else the agent a URL names
    (`<bridge>/agents/<agent>`, e.g. a named agent's `BridgeClient.url`), else the default one.
    """

    def __init__(
        self,
        url: str,
        provider: str | None = None,
        href: str | None = None,
        agent: str | None = None,
    ) -> None:
        self.url, self.agent = split_agent_url(url, agent)  # Socket.IO is at the bridge's root
        self._client = socketio.SimpleClient()
        self._auth = {
            "provider": provider,
            "href": href or f"{self.url}/samples/softphone.html",
            "agent": self.agent,
        }
        # Messages arrive in one stream; whatever one waiter reads for another is kept here.
        self._events: deque[tuple[str, dict[str, Any]]] = deque()
        self._answers: dict[str, dict[str, Any]] = {}
        self._warnings: list[dict[str, str]] = []

    def __enter__(self) -> WidgetClient:
        self.connect()
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def connect(self) -> None:
        """Connect to the bridge's widget namespace."""
        self._client.connect(
            self.url, namespace="/widget", auth=self._auth, transports=["websocket"]
        )

    def close(self) -> None:
        """Disconnect."""
        self._client.disconnect()

    def start(
        self, api: str, *args: Any, timeout: float = 10.0, request_id: str | None = None
    ) -> PendingCall:
        """Send a call and return at its acknowledgement, before a deferred answer comes.

        `request_id` resends a call whose answer a disconnect lost, as the shim does: the
        bridge answers it from the first result (or, still pending, later by `cif:result`).
        """
        request_id = request_id or uuid.uuid4().hex
        packet = {"api": api, "args": list(args), "requestId": request_id}
        ack: dict[str, Any] = self._client.call("cif", packet, timeout=timeout)
        self._note_warnings(ack.get("warnings"))
        return PendingCall(self, api, request_id, ack)

    @property
    def warnings(self) -> list[dict[str, str]]:
        """Return the diagnostics ({code, message}) the bridge gave this widget so far.

        Once per cause, in order: calls (and the connection) that work here but are fragile
        or different in production. Messages already received are read first.
        """
        while True:
            try:
                self._pump(0)
            except (socketio.exceptions.TimeoutError, socketio.exceptions.DisconnectedError):
                return list(self._warnings)

    def _note_warnings(self, warnings: Any) -> None:
        for warning in warnings or ():
            if isinstance(warning, dict) and warning not in self._warnings:
                self._warnings.append(warning)

    def call(self, api: str, *args: Any, timeout: float = 10.0) -> Any:
        """Call a CIF function; return the value or raise CifCallError as the promise would."""
        return self.start(api, *args, timeout=timeout).result(timeout=None)

    def next_event(self, timeout: float = 5.0) -> tuple[str, dict[str, Any]]:
        """Return the next CIF event as (name, decoded payload)."""
        while not self._events:
            self._pump(timeout)
        return self._events.popleft()

    def _wait_for_answer(self, request_id: str, timeout: float | None) -> dict[str, Any]:
        while request_id not in self._answers:
            self._pump(timeout)
        return self._answers.pop(request_id)

    def _pump(self, timeout: float | None) -> None:
        name, *data = self._client.receive(timeout=timeout)
        if name == "cif:event":
            self._events.append((data[0]["name"], json.loads(data[0]["data"])))
        elif name == "cif:result":
            self._answers[data[0]["requestId"]] = data[0]
            self._note_warnings(data[0].get("warnings"))
        elif name == "cif:warning":
            self._note_warnings([data[0]])
