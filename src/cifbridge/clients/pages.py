"""Widget pages served from a second loopback origin, as a partner's dev server would.

A page opened with Playwright's `set_content` or from a `file:` URL has the origin `null`: the
bridge trusts no such page, and Chromium's local network checks stop it from reaching
127.0.0.1 anyway. `WidgetPages` serves the HTML from `http://localhost:<free port>`, which the
bundled provider trusts (any port), on an origin other than the bridge's `127.0.0.1:<port>`:

    with WidgetPages() as pages:
        page.goto(pages.serve(f"<html><head>{bridge.script_tag}</head>...</html>"))
"""

from __future__ import annotations

import itertools
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType


class WidgetPages:
    """A tiny HTTP server on 127.0.0.1, addressed as `localhost`, serving pages from memory."""

    def __init__(self, host_name: str = "localhost") -> None:
        self.pages: dict[str, bytes] = {}
        self._numbers = itertools.count(1)
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _handler_for(self.pages))
        self._server.daemon_threads = True
        self.url = f"http://{host_name}:{self._server.server_address[1]}"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()

    def __enter__(self) -> WidgetPages:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self.close()

    def serve(self, html: str, name: str | None = None) -> str:
        """Serve `html` at /`name` (a fresh name by default) and return its URL."""
        name = name or f"widget-{next(self._numbers)}.html"
        self.pages[name.lstrip("/")] = html.encode("utf-8")
        return f"{self.url}/{name.lstrip('/')}"

    def close(self) -> None:
        """Stop serving."""
        self._server.shutdown()
        self._server.server_close()


def _handler_for(pages: dict[str, bytes]) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            body = pages.get(self.path.split("?", 1)[0].lstrip("/"))
            if body is None:
                self.send_error(404, "no such widget page")
                return
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: object) -> None:
            """Keep test output quiet."""

    return Handler
