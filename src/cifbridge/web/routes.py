"""Pages and files: health, the shim at the real library path, the workspace, the samples.

The control API is not here: its routes come from api/control_routes.py (web/control/).
"""

from __future__ import annotations

import json
import mimetypes

from aiohttp import web

from cifbridge import __version__
from cifbridge.api.control_routes import table_json
from cifbridge.engine.base.context import BadAgentName, checked_agent
from cifbridge.files.resources import data_dir, socket_io_client_path
from cifbridge.web.errors import not_found_page
from cifbridge.web.keys import SETTINGS, SHIM

JS = "application/javascript"


async def healthz(request: web.Request) -> web.Response:
    """Say what runs here; served only once the app has started, so it answers "ready"."""
    settings = request.app[SETTINGS]
    return web.json_response(
        {
            "status": "ok",
            "ready": True,
            "version": __version__,
            "store": settings.store,
            "url": settings.public_url,
            "port": settings.port,
        }
    )


async def widget_library(request: web.Request) -> web.Response:
    """Serve the CIF shim where Dynamics serves msdyn_ciLibrary.js."""
    return web.Response(body=request.app[SHIM], content_type=JS, headers=_no_store())


async def socket_io_client(request: web.Request) -> web.FileResponse:
    """Serve the official socket.io-client bundle to the workspace page."""
    return web.FileResponse(socket_io_client_path(), headers={"Content-Type": JS})


async def workspace_page(request: web.Request) -> web.Response:
    """Serve the agent workspace, with the control API's route table for its scripts."""
    page = (data_dir("static") / "workspace" / "index.html").read_text(encoding="utf-8")
    # Inside <script>, "<" is escaped so no value can close the element early.
    table = json.dumps(table_json(), separators=(",", ":")).replace("<", "\\u003c")
    text = page.replace("{{CONTROL_ROUTES}}", table)
    return web.Response(text=text, content_type="text/html", headers=_no_store())


async def sample_page(request: web.Request) -> web.Response:
    """Serve a sample widget with this bridge's URL filled into its script tag."""
    name = request.match_info["name"]
    folder = data_dir("static") / "samples"
    path = (folder / name).resolve()
    if folder.resolve() not in path.parents or not path.is_file():
        raise not_found_page(f"no sample called {name}")
    text = path.read_text(encoding="utf-8").replace("{{BRIDGE_URL}}", _origin(request))
    content_type = mimetypes.guess_type(path.name)[0] or "text/plain"
    return web.Response(text=text, content_type=content_type, headers=_no_store())


async def web_resource(request: web.Request) -> web.FileResponse:
    """Serve the web resources templates point at (notification icons, ...)."""
    folder = data_dir("static") / "webresources"
    path = (folder / request.match_info["name"]).resolve()
    if folder.resolve() not in path.parents or not path.is_file():
        raise not_found_page(f"no web resource called {request.match_info['name']}")
    return web.FileResponse(path)


def _origin(request: web.Request) -> str:
    return f"{request.scheme}://{request.host}"


def _no_store() -> dict[str, str]:
    # A developer edits widgets and config all day; a cached shim would hide their changes.
    return {"Cache-Control": "no-store"}


async def agent_page(request: web.Request) -> web.Response:
    """Serve an agent's workspace (/agents/<agent>/); the page reads its agent from the URL."""
    try:
        checked_agent(request.match_info["agent"])
    except BadAgentName as problem:
        raise web.HTTPBadRequest(text=str(problem)) from None
    return await workspace_page(request)


async def agent_page_slash(request: web.Request) -> web.Response:
    """Send /agents/<agent> to /agents/<agent>/, where the page's relative links work."""
    raise web.HTTPFound(request.path + "/")


def setup_routes(app: web.Application) -> None:
    """Register the pages and files; an agent's are under /agents/<agent>/ as well."""
    app.router.add_get("/healthz", healthz)
    for prefix in ("", "/agents/{agent}"):
        # The same library for every agent: the shim reads the agent from its own URL.
        app.router.add_get(prefix + "/webresources/Widget/msdyn_ciLibrary.js", widget_library)
        app.router.add_get(prefix + "/webresources/{name}", web_resource)
    app.router.add_get("/agents/{agent}/", agent_page)
    app.router.add_get("/agents/{agent}", agent_page_slash)
    app.router.add_get("/cifbridge/socket.io.min.js", socket_io_client)
    app.router.add_get("/", workspace_page)
    app.router.add_get("/samples/{name}", sample_page)
    app.router.add_static("/static/", data_dir("static"), show_index=False)
