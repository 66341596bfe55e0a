"""The `/workspace` Socket.IO namespace: agent pages get the state and the journal live."""

from __future__ import annotations

from typing import Any

import socketio

from cifbridge.web.hub import WORKSPACE_NAMESPACE, Hub


class WorkspaceNamespace(socketio.AsyncNamespace):  # type: ignore[misc]
    """Sends a newly connected page the whole state and the journal so far."""

    def __init__(self, hub: Hub) -> None:
        super().__init__(WORKSPACE_NAMESPACE)
        self.hub = hub

    async def on_connect(self, sid: str, environ: dict[str, Any], auth: Any = None) -> None:
        """Bring the page up to date."""
        await self.emit("workspace:state", await self.hub.view(), to=sid)
        await self.emit("workspace:journal-backlog", self.hub.journal.since(0), to=sid)
