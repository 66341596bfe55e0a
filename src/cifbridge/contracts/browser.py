"""Debian's Chromium as the contract runner and the browser tests drive it.

Playwright cannot download its own browsers here, so it drives `/usr/bin/chromium` (installed
with apt by the test command) with the flags a closed network needs: without the
background-networking ones Chromium keeps trying to reach Google's hosts.
"""

from __future__ import annotations

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
)
