"""A hostile page in the same browser cannot drive the bridge; hostile text stays text.

The attacker is a page on the widget site (`http://localhost:<port>`, another origin than the
bridge's `http://127.0.0.1:<port>`, and the same *site* for cookies), which is exactly where a
partner widget lives: its CIF calls keep working while its control attempts are refused.
"""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from playwright.sync_api import BrowserContext, Page, expect

from tests.browser.conftest import LiveBridge, WidgetSite, start_bridge
from tests.browser.helpers import open_widget, resolved
from tests.browser.workspace_page import (
    create_session,
    session,
    sessions,
    tab_strip,
)

pytestmark = pytest.mark.browser

TOKEN = "browser-s3cret"
HOSTILE = '<img src=x onerror="window.__pwned=(window.__pwned||0)+1">'

# Everything a page elsewhere can try without the user's help, each recorded in `attack`.
ATTACKER_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>attacker</title>
<script src="{bridge}/cifbridge/socket.io.min.js"></script></head>
<body>
<iframe name="sink" title="sink"></iframe>
<form id="wipe" method="post" action="{bridge}/api/reset" target="sink">
  <input name="a" value="1"></form>
<script>
window.attack = {{form: false, plain: null, noCors: null, socket: null, websocket: []}};
const sink = document.querySelector("iframe");
sink.addEventListener("load", () => {{ attack.form = true; }}, {{once: true}});
document.getElementById("wipe").submit();
fetch("{bridge}/api/reset", {{method: "POST", headers: {{"Content-Type": "text/plain"}},
  body: "{{}}"}}).then(r => {{ attack.plain = "read " + r.status; }},
  e => {{ attack.plain = "blocked"; }});
fetch("{bridge}/api/sessions/session-id-1/focus", {{method: "POST", mode: "no-cors"}})
  .then(r => {{ attack.noCors = r.type; }}, e => {{ attack.noCors = "failed"; }});
const socket = io("{bridge}/workspace", {{transports: ["websocket"], reconnection: false}});
socket.on("connect", () => {{ attack.socket = "connected"; }});
socket.on("workspace:state", () => {{ attack.socket = "got the workspace"; }});
socket.on("connect_error", (error) => {{ attack.socket = error.message; }});
const ws = new WebSocket("{ws}/socket.io/?EIO=4&transport=websocket");
ws.onmessage = (m) => {{
  attack.websocket.push(m.data);
  if (m.data.startsWith("0{{")) ws.send("40/workspace,");
}};
</script></body></html>
"""


def attack_from(page: Page, site: WidgetSite, bridge: LiveBridge) -> dict[str, object]:
    """Open the attacker page on the widget site; return what each attempt got."""
    html = ATTACKER_PAGE.format(bridge=bridge.url, ws=bridge.url.replace("http", "ws"))
    (site.root / "attacker.html").write_text(html, encoding="utf-8")
    page.goto(f"{site.url}/attacker.html")
    page.wait_for_function(
        "attack.form && attack.plain && attack.noCors && attack.socket"
        " && attack.websocket.some(m => m.startsWith('44/workspace'))"
    )
    result: dict[str, object] = page.evaluate("attack")
    return result


def test_cross_site_requests_are_refused_while_widgets_and_the_page_work(
    context: BrowserContext,
    workspace: Page,
    widget: Page,
    live_bridge: LiveBridge,
    widget_site: WidgetSite,
) -> None:
    ana = create_session(widget, "Ana")
    expect(sessions(workspace)).to_have_count(2)
    attack = attack_from(context.new_page(), widget_site, live_bridge)
    assert attack["plain"] == "blocked"  # refused, and no Access-Control-Allow-Origin to read
    assert attack["noCors"] == "opaque"
    assert isinstance(attack["socket"], str)
    assert attack["socket"].startswith("cifbridge: only the bridge's own pages")
    frames = [str(m) for m in attack["websocket"]]  # type: ignore[attr-defined]
    refusal = next(m for m in frames if m.startswith("44/workspace"))
    assert "only the bridge's own pages may open the workspace namespace" in refusal
    # Nothing was reset or focused: the session is still there, still focused.
    status, view = live_bridge.api("GET", "/api/workspace")
    assert status == 200 and [s["id"] for s in view["sessions"]] == ["session-id-0", ana]
    # The widget on that very site still calls CIF, and the agent's page still follows.
    ben = create_session(widget, "Ben")
    expect(session(workspace, ben).locator(".session-title")).to_have_text("Call from Ben")
    session(workspace, ana).locator(".session-select").click()
    assert resolved(widget, "getFocusedSession")["value"] == ana


@pytest.fixture(scope="module")
def token_bridge(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveBridge]:
    bridge = start_bridge(tmp_path_factory.mktemp("token"), "token bridge", "--token", TOKEN)
    yield bridge
    bridge.server.stop()


def test_the_token_guards_the_workspace_page_but_not_widgets(
    page: Page, context: BrowserContext, token_bridge: LiveBridge, widget_site: WidgetSite
) -> None:
    response = page.goto(token_bridge.url + "/")
    assert response is not None and response.status == 401
    expect(page.locator("body")).to_contain_text("needs its access token")
    page.goto(f"{token_bridge.url}/?token={TOKEN}")
    assert page.url == token_bridge.url + "/"  # the token left the address bar
    expect(page.locator("#connection")).to_have_attribute("data-state", "live")
    widget = context.new_page()
    open_widget(widget, widget_site.widget_page("token-widget.html", token_bridge))
    ana = create_session(widget, "Ana")
    expect(session(page, ana).locator(".session-title")).to_have_text("Call from Ana")
    page.reload()  # the cookie keeps the page signed in
    expect(page.locator("#connection")).to_have_attribute("data-state", "live")
    expect(sessions(page)).to_have_count(2)


def test_hostile_text_stays_text_everywhere_the_workspace_shows_it(
    workspace: Page, widget: Page
) -> None:
    dialogs: list[str] = []
    workspace.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    xss = create_session(widget, HOSTILE)
    title = session(workspace, xss).locator(".session-title")
    expect(title).to_have_text(f"Call from {HOSTILE}")
    resolved(widget, "setSessionTitle", {"sessionId": xss, "customerName": f"Bea {HOSTILE}"})
    expect(title).to_have_text(f"Call from Bea {HOSTILE}")
    # A record whose name is hostile, found by a search tab whose title is hostile too.
    record = {"firstname": "Zed", "lastname": f"Hostile {HOSTILE}"}
    resolved(widget, "createRecord", "contact", json.dumps(record))
    search = {"templateName": "msdyn_search", "templateParameters": {"searchText": "Hostile"}}
    tab = resolved(widget, "createTab", {**search, "isFocused": True})["value"]
    expect(workspace.get_by_role("button", name=f"Zed Hostile {HOSTILE}")).to_be_visible()
    resolved(widget, "setTabTitle", tab, {"searchText": f"again {HOSTILE}"})
    expect(tab_strip(workspace).filter(has_text="again")).to_have_text(f"Search: again {HOSTILE}")
    # A notification whose fields are hostile.
    widget.evaluate(
        """text => { Microsoft.CIFramework.notifyEvent({templateName:
            "msdyn_chat_incoming_authenticated", templateParameters: {customerName: text,
            queueName: text}}); }""",
        HOSTILE,
    )
    expect(workspace.locator(".toast-title")).to_have_text(f"Incoming chat from {HOSTILE}")
    expect(workspace.locator(".toast-field").first).to_contain_text(HOSTILE)
    # A custom event raised to the page, shown in the journal with the calls.
    resolved(widget, "raiseEvent", "cifb_ping", {"note": HOSTILE})
    workspace.locator("#journal-toggle").click()
    expect(workspace.locator(".journal-entry .journal-args").first).to_contain_text("<img src=x")
    assert workspace.evaluate("window.__pwned") is None
    expect(workspace.locator("img[src='x']")).to_have_count(0)
    assert dialogs == []
