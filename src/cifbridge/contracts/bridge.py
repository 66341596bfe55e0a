"""Bridges served on free loopback ports for the Socket.IO and browser paths.

One bridge per distinct case configuration, started on first use and reset (the `reset` control
route) before every case; the agent's moves go through the control API like any test suite's
would, each request built from the route table (api/control_routes.py).
Each also serves the browser path's widget page: Chromium's local network access checks block a
page that did not come from the network (Playwright's `route.fulfill`) from opening a WebSocket
to 127.0.0.1, so the page has to come from a loopback server.
"""

from __future__ import annotations

import html
import socket
from pathlib import Path
from typing import Any

import aiohttp
from aiohttp import web

from cifbridge.api.control_routes import route
from cifbridge.contracts.agent_routes import ROUTES, control_request
from cifbridge.contracts.cases import AgentAction, Case
from cifbridge.contracts.configs import CaseConfigs, config_key
from cifbridge.settings import Settings
from cifbridge.web.app import create_app
from cifbridge.web.stopping import close_connections

LOOPBACK = "127.0.0.1"
WIDGET_PAGE_PATH = "/__contracts__/widget.html"

WIDGET_PAGE = """<!doctype html>
<html><head><meta charset="utf-8"><title>cifbridge contract widget ({provider})</title>
<script>
window.__cifReady = false;
window.addEventListener("CIFInitDone", () => {{ window.__cifReady = true; }}, {{once: true}});
</script>
<script src="{bridge}/webresources/Widget/msdyn_ciLibrary.js" data-crmurl="{bridge}"
  data-cifid="CIFMainLibrary" data-provider="{provider}"></script>
</head><body></body></html>
"""


async def widget_page(request: web.Request) -> web.Response:
    """Serve a bare widget page loading the shim as the provider named by `?provider=`."""
    bridge = f"{request.scheme}://{request.host}"
    provider = request.query.get("provider", "")
    body = WIDGET_PAGE.format(bridge=html.escape(bridge), provider=html.escape(provider))
    return web.Response(text=body, content_type="text/html")


class AgentRefused(RuntimeError):
    """The control API refused an agent action."""


class ServedBridge:
    """A bridge app running on a loopback port, with an HTTP client for its control API."""

    def __init__(self, runner: web.AppRunner, url: str, http: aiohttp.ClientSession) -> None:
        self.runner = runner
        self.url = url
        self.http = http

    @classmethod
    async def start(cls, config_path: Path | None) -> ServedBridge:
        """Serve a bridge with this configuration on a free port."""
        listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind((LOOPBACK, 0))
        port = listener.getsockname()[1]
        settings = Settings(host=LOOPBACK, port=port, store="memory", config_path=config_path)
        app = create_app(settings)
        app.router.add_get(WIDGET_PAGE_PATH, widget_page)
        runner = web.AppRunner(app, access_log=None)
        try:
            await runner.setup()
            await web.SockSite(runner, listener).start()
        except BaseException:
            listener.close()
            await runner.cleanup()
            raise
        return cls(runner, settings.public_url, aiohttp.ClientSession())

    async def reset(self) -> None:
        """Start over with only the Home session."""
        await self._send("reset")

    async def agent(self, action: AgentAction) -> None:
        """Take an agent step: a session's focus or close, a notification's answer, an action."""
        if action.action in ROUTES:
            method, path, body = control_request(action.action, action.params)
        else:
            method, path, body = _step_request(action)
        async with self.http.request(method, self.url + path, json=body) as response:
            if response.status >= 400:
                text = await response.text()
                raise AgentRefused(f"agent {action.action} refused ({response.status}): {text}")

    async def advance_clock(self, seconds: float) -> None:
        """Move the bridge's clock forward; what falls due fires before the response."""
        await self._send("advanceClock", {"seconds": seconds})

    async def _send(self, route_name: str, body: Any = None) -> None:
        found = route(route_name)
        async with self.http.request(found.method, self.url + found.url(), json=body) as answer:
            answer.raise_for_status()

    async def close(self) -> None:
        """Stop serving and close the control client."""
        await self.http.close()
        await close_connections(self.runner.app)  # while aiohttp still reads (web/stopping.py)
        await self.runner.cleanup()


def _step_request(action: AgentAction) -> tuple[str, str, Any]:
    # focus, close, acceptNotification, rejectNotification: no body, the path says it all.
    name = {"focus": "focusSession", "close": "closeSession"}.get(action.action, action.action)
    params = {"session_id": action.session_id}
    if action.notification_id is not None:
        name, params = f"{name}ById", {"notification_id": action.notification_id}
    found = route(name)
    return found.method, found.url(params if found.placeholders else None), None


class Bridges:
    """Served bridges by configuration, started on demand; close stops them all."""

    def __init__(self, configs: CaseConfigs) -> None:
        self.configs = configs
        self._served: dict[str, ServedBridge] = {}

    async def fresh(self, case: Case) -> ServedBridge:
        """Return a bridge with the case's configuration and nothing but the Home session."""
        key = config_key(case)
        bridge = self._served.get(key)
        if bridge is None:
            bridge = await ServedBridge.start(self.configs.path(case))
            self._served[key] = bridge
        await bridge.reset()
        return bridge

    async def close(self) -> None:
        """Stop every bridge."""
        served, self._served = list(self._served.values()), {}
        for bridge in served:
            await bridge.close()
