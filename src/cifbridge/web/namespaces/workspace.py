"""The `/workspace` Socket.IO namespace: agent pages get the state and the journal live.

Only the bridge's own pages (and configured origins) connect, with the token when one is
configured: the Socket.IO server answers any origin, because widgets live on other origins and
their trust is decided per provider, so this namespace checks for itself at connect time.
"""

from __future__ import annotations

from typing import Any

import socketio
from socketio.exceptions import ConnectionRefusedError as Refused

from cifbridge.engine.base.context import DEFAULT_AGENT, BadAgentName
from cifbridge.web.access import AccessPolicy, presented_tokens
from cifbridge.web.agents import Agents, TooManyAgents
from cifbridge.web.hub import WORKSPACE_NAMESPACE, Hub, workspace_room


class WorkspaceNamespace(socketio.AsyncNamespace):  # type: ignore[misc]
    """Sends a newly connected page its agent's whole state and journal so far.

    The page names its agent in `auth.agent` (the /agents/<agent>/ of its own URL).
    """

    def __init__(self, agents: Agents, access: AccessPolicy | None = None) -> None:
        super().__init__(WORKSPACE_NAMESPACE)
        self.agents = agents
        self.access = access or AccessPolicy(hosts=(), origins=())
        self.hubs: dict[str, Hub] = {}  # each open page's agent

    async def on_disconnect(self, sid: str, reason: Any = None) -> None:
        """Stop counting the page."""
        hub = self.hubs.pop(sid, None)
        if hub is not None:
            await hub.page_closed(sid)

    async def on_connect(self, sid: str, environ: dict[str, Any], auth: Any = None) -> None:
        """Refuse foreign pages and missing tokens; bring the page up to date."""
        origin = environ.get("HTTP_ORIGIN")
        host = environ.get("HTTP_HOST", "")
        scheme = environ.get("wsgi.url_scheme", "http")
        if origin is not None and not self.access.origin_allowed(origin, host, scheme):
            raise Refused(
                f"cifbridge: only the bridge's own pages may open the workspace namespace;"
                f" {origin} may not (start cifbridge with --allowed-origin {origin} to trust it)"
            )
        headers = {
            "Authorization": environ.get("HTTP_AUTHORIZATION", ""),
            "Cookie": environ.get("HTTP_COOKIE", ""),
        }
        if not self.access.token_ok(presented_tokens(headers, auth)):
            raise Refused("cifbridge: the workspace namespace needs the bridge's access token")
        auth = auth if isinstance(auth, dict) else {}
        agent = auth.get("agent") if isinstance(auth.get("agent"), str) else DEFAULT_AGENT
        try:
            hub = await self.agents.get(agent or DEFAULT_AGENT)
        except (BadAgentName, TooManyAgents) as problem:
            raise Refused(f"cifbridge: {problem}") from None
        await self.enter_room(sid, workspace_room(hub.agent_id))
        await hub.page_opened(sid)  # counted before it reads: no later change skips it
        self.hubs[sid] = hub
        await self.emit("workspace:state", await hub.view(), to=sid)
        backlog = await hub.journal.since(0, kinds=None)  # calls, events and faults
        await self.emit("workspace:journal-backlog", backlog, to=sid)
