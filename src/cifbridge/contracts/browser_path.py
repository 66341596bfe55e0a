"""The browser path: the shim in Debian's Chromium, driven by Playwright, one page per widget.

Each widget is a page on the bridge's own origin (see `bridge.widget_page`) that loads
`/webresources/Widget/msdyn_ciLibrary.js` with `data-crmurl`, `data-cifid` and `data-provider`,
waits for `CIFInitDone`, then calls `Microsoft.CIFramework` as a widget does. The caller's page
registers a handler for every event it may receive and records the strings. One Chromium and
one browser context serve the whole run; every widget of every case gets its own page.
"""

from __future__ import annotations

import functools
from importlib import resources
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from cifbridge.api.catalog import APIS, BUILT_IN_EVENTS
from cifbridge.contracts.bridge import WIDGET_PAGE_PATH, Bridges, ServedBridge
from cifbridge.contracts.browser import CHROMIUM, CHROMIUM_ARGS
from cifbridge.contracts.cases import Call, Case
from cifbridge.contracts.configs import CaseConfigError, CaseConfigs
from cifbridge.contracts.outcome import Outcome, failed, pending, rejected, resolved
from cifbridge.contracts.served import BARRIER, WidgetError, decode_event, play_served

DEFAULT_CHROMIUM = Path(CHROMIUM)
# Not a timing assertion: only how long a page may take to load the shim before we give up.
INIT_TIMEOUT_MS = 30_000


class BrowserUnavailable(RuntimeError):
    """Chromium (or Playwright) is not installed, so the browser path cannot run."""


CALL = "([api, args, encoding]) => window.__contract.call(api, args, encoding)"
START = "([api, args, encoding]) => window.__contract.start(api, args, encoding)"
OUTCOME_OF = "(handle) => window.__contract.outcomeOf(handle)"


@functools.cache
def driver_source() -> str:
    """Return the script that makes calls and records events inside the page."""
    return resources.files(__package__).joinpath("widget_driver.js").read_text(encoding="utf-8")


def listened_events(case: Case) -> list[str]:
    """Return every event name the caller's page needs a handler for."""
    expected = [e["name"] for e in case.expect.get("events", [])]
    return list(dict.fromkeys([*BUILT_IN_EVENTS, *expected]))


class BrowserWidget:
    """One provider's widget page."""

    def __init__(self, page: Any) -> None:
        self.page = page
        self._started: dict[int, str] = {}  # handle of a started call -> its API

    async def call(self, call: Call) -> Outcome:
        """Call `Microsoft.CIFramework[api](...args)` in the page and normalize the result."""
        raw = await self._evaluate(call.api, CALL, [call.api, list(call.args), _encoding(call)])
        return _outcome(call.api, raw)

    async def start(self, call: Call) -> int:
        """Call without waiting for the promise; return its handle once the bridge has it."""
        args = [call.api, list(call.args), _encoding(call)]
        handle = int(await self._evaluate(call.api, START, args))
        self._started[handle] = call.api
        await self.call(BARRIER)  # acknowledged after the started call, on the same socket
        return handle

    async def outcome_of(self, handle: int) -> Outcome:
        """Return a started call's outcome so far (after a barrier: every answer sent is in)."""
        await self.call(BARRIER)
        api = self._started[handle]
        raw = await self._evaluate(api, OUTCOME_OF, handle)
        return pending([]) if raw.get("pending") else _outcome(api, raw)

    async def _evaluate(self, api: str, script: str, arg: Any) -> Any:
        try:
            return await self.page.evaluate(script, arg)
        except Exception as error:  # the page crashed or closed: the case cannot go on
            raise WidgetError(f"{api}: the widget page failed: {error}") from error

    async def take_events(self) -> list[dict[str, Any]]:
        """Return the events the page's handlers received (after a barrier call)."""
        await self.call(BARRIER)
        received = await self.page.evaluate("() => window.__contract.take()")
        return [_event(e) for e in received]

    async def close(self) -> None:
        """Close the page (and with it the widget's connection)."""
        await self.page.close()


def _encoding(call: Call) -> str:
    return APIS[call.api].encoding


def _outcome(api: str, raw: dict[str, Any]) -> Outcome:
    if "resolves" in raw:
        return resolved(raw["resolves"], raw["encoding"], [])
    return rejected(raw["rejects"], _form(api, raw), [])


def _form(api: str, raw: dict[str, Any]) -> str:
    # The wire form must match the error form: client errors and the host errors of JSON-encoded
    # APIs are JSON strings, other host errors are Maps (reference §1.3).
    form, wire = str(raw["form"]), raw.get("wire")
    if form in ("client", "host"):
        expected = "string" if form == "client" or APIS[api].encoding == "json" else "map"
        if wire != expected:
            return f"{form} (as a {wire}, not a {expected})"
    return form


def _event(raw: dict[str, Any]) -> dict[str, Any]:
    if raw.get("kind") != "string":
        return {"name": raw.get("name"), "data": {"$notJsonString": raw.get("data")}}
    return decode_event(raw.get("name"), raw.get("data"))


class BrowserPath:
    """Plays cases through the shim in Chromium; Chromium starts on the first case."""

    name = "browser"

    def __init__(self, configs: CaseConfigs, bridges: Bridges, chromium: Path) -> None:
        self.configs = configs
        self.bridges = bridges
        self.chromium = chromium
        self._playwright: Any = None
        self._browser: Any = None
        self._context: Any = None

    async def run(self, case: Case) -> Outcome:
        """Play one case and return its normalized outcome."""
        await self._start()
        try:
            caller = self.configs.caller(case)
        except CaseConfigError as error:
            return failed(str(error))

        async def open_widget(bridge: ServedBridge, provider: str, case: Case) -> BrowserWidget:
            listen = listened_events(case) if provider == caller else []
            return await self._open(bridge, provider, listen)

        return await play_served(case, self.configs, self.bridges, open_widget)

    async def close(self) -> None:
        """Close Chromium and stop Playwright."""
        context, self._context = self._context, None
        browser, self._browser = self._browser, None
        playwright, self._playwright = self._playwright, None
        if context is not None:
            await context.close()
        if browser is not None:
            await browser.close()
        if playwright is not None:
            await playwright.stop()

    async def _start(self) -> None:
        if self._browser is not None:
            return
        if not self.chromium.exists():
            raise BrowserUnavailable(
                f"{self.chromium} not found: install Debian's chromium (apt-get install chromium)"
            )
        from playwright.async_api import async_playwright

        self._playwright = await async_playwright().start()
        try:
            self._browser = await self._playwright.chromium.launch(
                executable_path=str(self.chromium), args=list(CHROMIUM_ARGS), headless=True
            )
        except Exception as error:
            await self.close()
            raise BrowserUnavailable(f"{self.chromium} did not start: {error}") from error
        self._context = await self._browser.new_context()

    async def _open(self, bridge: ServedBridge, provider: str, listen: list[str]) -> BrowserWidget:
        page = await self._context.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda error: errors.append(str(error)))
        try:
            await page.goto(f"{bridge.url}{WIDGET_PAGE_PATH}?{urlencode({'provider': provider})}")
            await page.wait_for_function("window.__cifReady === true", timeout=INIT_TIMEOUT_MS)
            await page.evaluate(driver_source())
            await page.evaluate("(names) => window.__contract.listen(names)", listen)
        except Exception as error:
            await page.close()
            raise WidgetError(
                f"{provider}: the widget page did not start: {error} {errors}"
            ) from error
        return BrowserWidget(page)
