"""The one composition root: `create_app(settings)` builds everything and wires it together."""

from __future__ import annotations

from collections.abc import AsyncIterator

import socketio
from aiohttp import web

from ..api.dispatcher import Dispatcher
from ..api.validation import SchemaSet
from ..clock import OffsetClock
from ..config_loader import load_config
from ..engine import Engine
from ..journal import Journal
from ..resources import data_dir
from ..settings import Settings
from ..store import open_store
from .control import agent_errors, setup_control_routes
from .control_agent import setup_agent_routes
from .control_conversations import setup_conversations_routes
from .control_notifications import setup_notifications_routes
from .control_records import setup_records_routes
from .control_tabs import setup_tabs_routes
from .hub import Hub
from .keys import HUB, SETTINGS, SHIM, SIO
from .routes import setup_routes
from .shim import build_shim
from .widgets import WidgetNamespace
from .workspace_ns import WorkspaceNamespace


def create_app(settings: Settings) -> web.Application:
    """Build the bridge: config, engine, store, Socket.IO server, routes; attach and return."""
    schemas = SchemaSet(data_dir("schemas"))
    config = load_config(schemas, settings.config_path)
    clock = OffsetClock()
    engine = Engine(config, clock=clock)
    sio = socketio.AsyncServer(
        async_mode="aiohttp",
        cors_allowed_origins="*",  # widgets live on other origins; trust is checked per provider
        max_http_buffer_size=settings.max_frame_bytes,
        client_manager=_client_manager(settings),
    )
    hub = Hub(Dispatcher(engine, schemas), open_store(settings), sio, Journal(clock), clock)
    sio.register_namespace(WidgetNamespace(hub, config))
    sio.register_namespace(WorkspaceNamespace(hub))

    app = web.Application(middlewares=[agent_errors], client_max_size=settings.max_frame_bytes)
    app[SETTINGS] = settings
    app[HUB] = hub
    app[SIO] = sio
    app[SHIM] = build_shim(settings)
    setup_routes(app)
    setup_control_routes(app)
    setup_agent_routes(app)
    setup_notifications_routes(app)
    setup_records_routes(app)
    setup_tabs_routes(app)
    setup_conversations_routes(app)
    app.cleanup_ctx.append(_hub_lifetime)
    app.on_shutdown.append(_shutdown_sio)
    sio.attach(app)
    return app


def _client_manager(settings: Settings) -> socketio.AsyncManager:
    # Several processes sharing Redis state must also share event fan-out.
    if settings.store == "redis":
        return socketio.AsyncRedisManager(settings.redis_url)
    return socketio.AsyncManager()


async def _hub_lifetime(app: web.Application) -> AsyncIterator[None]:
    hub = app[HUB]
    await hub.start(reset=app[SETTINGS].reset)
    yield
    await hub.stop()
    await hub.store.close()


async def _shutdown_sio(app: web.Application) -> None:
    # Close every connection first: otherwise each open websocket holds the shutdown until
    # its engine.io ping times out (45 s), and widgets learn of the restart that late.
    sio: socketio.AsyncServer = app[SIO]
    if sio.eio.sockets:  # engine.io's disconnect-all fails on an empty set
        await sio.eio.disconnect()
    await sio.shutdown()
