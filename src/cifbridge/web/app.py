"""The one composition root: `create_app(settings)` builds everything and wires it together."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator

import socketio
from aiohttp import web

from cifbridge.api.validation import SchemaSet
from cifbridge.files.config import load_config_reported
from cifbridge.files.resources import data_dir
from cifbridge.settings import Settings
from cifbridge.store import open_store
from cifbridge.store.journal import open_journal
from cifbridge.web.access import AccessPolicy
from cifbridge.web.agents import Agents
from cifbridge.web.control import setup_control_routes
from cifbridge.web.errors import control_errors
from cifbridge.web.frames import BoundedPacket
from cifbridge.web.keys import AGENTS, CONFIG_WARNINGS, ROUTER, SCHEMAS, SETTINGS, SHIM, SIO
from cifbridge.web.managers import DirectAsyncManager, DirectRedisManager
from cifbridge.web.namespaces.widgets import WidgetNamespace
from cifbridge.web.namespaces.workspace import WorkspaceNamespace
from cifbridge.web.routes import setup_routes
from cifbridge.web.routing import Router
from cifbridge.web.security import setup_security
from cifbridge.web.shim import build_shim
from cifbridge.web.stopping import setup_stopping


def create_app(settings: Settings) -> web.Application:
    """Build the bridge: config, engine, store, Socket.IO server, routes; attach and return."""
    schemas = SchemaSet(data_dir("schemas"))
    loaded = load_config_reported(schemas, settings.config_path)
    config = loaded.config
    sio = socketio.AsyncServer(
        async_mode="aiohttp",
        cors_allowed_origins="*",  # widgets live on other origins; trust is checked per provider
        cors_credentials=False,  # no page elsewhere may poll with the agent's cookie
        serializer=BoundedPacket,  # every frame is answered, however deep or malformed
        max_http_buffer_size=settings.max_frame_bytes,
        client_manager=_client_manager(settings),
    )
    store = open_store(settings)
    agents = Agents(
        config=config,
        schemas=schemas,
        store=store,
        sio=sio,
        clock=time.time,
        # Each agent's journal is kept where the store keeps state.
        journal_for=lambda agent: open_journal(settings, store, agent),
        strict=settings.strict,
    )
    sio.register_namespace(WidgetNamespace(agents, config, strict=settings.strict))
    access = AccessPolicy.from_settings(settings)
    sio.register_namespace(WorkspaceNamespace(agents, access))

    app = web.Application(middlewares=[control_errors], client_max_size=settings.max_frame_bytes)
    app[SETTINGS] = settings
    app[AGENTS] = agents
    app[ROUTER] = Router(agents)  # routing across agents hears every agent's changes
    app[SCHEMAS] = schemas
    app[SIO] = sio
    app[SHIM] = build_shim(settings)
    app[CONFIG_WARNINGS] = loaded.warnings
    setup_security(app, settings)
    setup_routes(app)
    setup_control_routes(app)
    app.cleanup_ctx.append(_hub_lifetime)
    setup_stopping(app)
    sio.attach(app)
    return app


def _client_manager(settings: Settings) -> socketio.AsyncManager:
    # Several processes sharing Redis state must also share event fan-out, and only they:
    # the channel is the workspace's own, so bridges of other workspaces hear nothing.
    # Both send an emit to each connection in turn instead of a task each (web/managers.py).
    if settings.store == "redis":
        channel = f"{settings.redis_key}:socketio"
        return DirectRedisManager(settings.redis_url, channel=channel)
    return DirectAsyncManager()


async def _hub_lifetime(app: web.Application) -> AsyncIterator[None]:
    agents = app[AGENTS]
    try:
        if app[SETTINGS].reset:
            await app[ROUTER].reset()  # `--reset`: routing starts over with the workspaces
        await agents.start(reset=app[SETTINGS].reset)
    except BaseException:
        await agents.close()  # a failed start must let go of the state file and connections
        raise
    yield
    await agents.stop()
    await agents.close()
    sio: socketio.AsyncServer = app[SIO]
    if isinstance(sio.manager, DirectRedisManager):
        await sio.manager.close_publishes()
