/*
 * The agent workspace page: session panel (left), the focused session's tabs (middle) and the
 * communication panel with each provider's widget (right).
 *
 * The bridge owns all state. This page only draws the latest "workspace:state" it was sent and
 * turns the agent's clicks into control-API requests; the resulting state comes back over the
 * socket, so every open page (and every test) sees the same thing. Anything a widget or the
 * agent typed is drawn with textContent, never parsed as HTML.
 */
(function () {
  "use strict";

  var HOME_SESSION_ID = "session-id-0";
  // The legacy CIF session panel's icon colours (reference §7).
  var ICON_COLORS = ["#2A757D", "#70278B", "#FF8C00", "#427825", "#B4009E", "#B4A0FF"];
  var PANEL_MODES = { 0: "minimized", 1: "docked", 2: "hidden" };
  var PAGE_TYPES = {
    entityrecord: "Entity record",
    entitylist: "Entity list",
    webresource: "Web resource",
    thirdpartywebsite: "Third-party website",
    dashboard: "Dashboard",
    search: "Search",
    control: "Control",
    custom: "Custom page"
  };

  var dom = {
    connection: document.getElementById("connection"),
    sessionList: document.getElementById("session-list"),
    sessionCount: document.getElementById("session-count"),
    tabStrip: document.getElementById("tab-strip"),
    tabContent: document.getElementById("tab-content"),
    error: document.getElementById("workspace-error"),
    panel: document.getElementById("communication-panel"),
    providerTabs: document.getElementById("provider-tabs"),
    widgetHost: document.getElementById("widget-host")
  };

  // Widget iframes live as long as the page: re-creating one would reload the partner's widget
  // and drop its calls in flight.
  var widgets = { frames: new Map(), active: null, focusedId: null };

  connect();

  // ---------------------------------------------------------------------------------------
  // Live state
  // ---------------------------------------------------------------------------------------

  function connect() {
    var socket = window.io("/workspace", { transports: ["websocket", "polling"] });
    socket.on("connect", function () { setConnection("live", "Live"); });
    socket.on("disconnect", function () { setConnection("offline", "Reconnecting…"); });
    socket.on("connect_error", function () { setConnection("offline", "Bridge unreachable, retrying…"); });
    socket.on("workspace:state", render);
  }

  function setConnection(state, text) {
    dom.connection.dataset.state = state;
    dom.connection.textContent = text;
  }

  function render(state) {
    var sessions = homeFirst(state.sessions || []);
    var focused = sessions.find(function (s) { return s.focused; }) || sessions[0] || null;
    renderSessionPanel(state, sessions);
    renderSessionArea(focused);
    renderCommunicationPanel(state, focused);
  }

  function homeFirst(sessions) {
    var home = sessions.filter(isHome);
    return home.concat(sessions.filter(function (s) { return !isHome(s); }));
  }

  function isHome(session) {
    return session.id === HOME_SESSION_ID;
  }

  // ---------------------------------------------------------------------------------------
  // Session panel
  // ---------------------------------------------------------------------------------------

  function renderSessionPanel(state, sessions) {
    dom.sessionList.replaceChildren.apply(dom.sessionList, sessions.map(sessionItem));
    var open = sessions.filter(function (s) { return !isHome(s); }).length;
    dom.sessionCount.textContent = open + " of " + state.maxSessions + " sessions";
  }

  function sessionItem(session, index) {
    var title = displayTitle(session);
    var item = element("li", "session");
    item.dataset.sessionId = session.id;
    item.classList.toggle("is-focused", session.focused);
    item.classList.toggle("is-home", isHome(session));

    var select = element("button", "session-select");
    select.type = "button";
    select.title = title;
    if (session.focused) select.setAttribute("aria-current", "true");
    select.append(sessionIcon(session, title, index), element("span", "session-title", title));
    var indicator = sessionIndicator(session, title);
    if (indicator) select.append(indicator);
    select.addEventListener("click", function () { focusSession(session); });
    item.append(select);

    if (!isHome(session)) item.append(closeButton(session, title));
    return item;
  }

  function displayTitle(session) {
    return session.title || (isHome(session) ? "Home" : session.id);
  }

  function sessionIcon(session, title, index) {
    var icon = element("span", "session-icon", isHome(session) ? "⌂" : initials(title));
    icon.setAttribute("aria-hidden", "true");
    if (!isHome(session)) icon.style.backgroundColor = ICON_COLORS[(index - 1) % ICON_COLORS.length];
    return icon;
  }

  function initials(title) {
    // One word: its first two characters; otherwise first letters of the first and last word.
    var words = title.trim().split(/\s+/).filter(Boolean);
    if (words.length === 0) return "?";
    if (words.length === 1) return words[0].slice(0, 2).toUpperCase();
    return (words[0][0] + words[words.length - 1][0]).toUpperCase();
  }

  function sessionIndicator(session, title) {
    // The focused session never shows indicators: focusing it is what clears them.
    if (session.focused) return null;
    if (session.kpiBreach || session.attention) {
      var alert = element("span", "session-indicator attention", "!");
      alert.title = title + ". Urgent attention is needed in your conversation.";
      alert.classList.toggle("kpi", Boolean(session.kpiBreach));
      return alert;
    }
    if (session.unread > 0) {
      var badge = element("span", "session-indicator unread", session.unread >= 10 ? "+" : String(session.unread));
      badge.title = title + ". " + session.unread + " new updates in your conversation.";
      return badge;
    }
    return null;
  }

  function closeButton(session, title) {
    var button = element("button", "session-close", "×");
    button.type = "button";
    button.title = "Close " + title;
    button.setAttribute("aria-label", "Close session " + title);
    button.addEventListener("click", function (event) {
      event.stopPropagation();
      closeSession(session, title);
    });
    return button;
  }

  // ---------------------------------------------------------------------------------------
  // Session area: the focused session's application tabs
  // ---------------------------------------------------------------------------------------

  function renderSessionArea(session) {
    var tabs = session ? session.tabs || [] : [];
    var focusedTab = tabs.find(function (t) { return t.id === session.focusedTabId; }) || tabs[0] || null;
    dom.tabStrip.replaceChildren.apply(dom.tabStrip, tabs.map(function (tab) {
      return tabButton(tab, tab === focusedTab);
    }));
    dom.tabContent.replaceChildren(focusedTab ? tabPage(focusedTab) : homePage(session));
  }

  function tabButton(tab, selected) {
    var button = element("button", "tab", tab.title || tab.id);
    button.type = "button";
    button.setAttribute("role", "tab");
    button.setAttribute("aria-selected", String(selected));
    button.dataset.tabId = tab.id;
    if (tab.anchor) button.classList.add("is-anchor");
    return button;
  }

  function tabPage(tab) {
    var page = element("article", "tab-page");
    page.append(
      element("h2", "tab-page-title", tab.title || tab.id),
      element("p", "tab-page-type", PAGE_TYPES[tab.pageType] || tab.pageType || "Page"),
      parameterList(tab.parameters || {})
    );
    return page;
  }

  function parameterList(parameters) {
    var list = element("dl", "tab-parameters");
    Object.keys(parameters).forEach(function (name) {
      var value = parameters[name];
      list.append(
        element("dt", "", name),
        element("dd", "", typeof value === "string" ? value : JSON.stringify(value))
      );
    });
    return list;
  }

  function homePage(session) {
    var page = element("article", "tab-page home-page");
    page.append(
      element("h2", "tab-page-title", session ? displayTitle(session) : "Home"),
      element("p", "tab-page-type", "Dashboard"),
      element("p", "muted", "Sessions opened by channel providers appear in the session panel.")
    );
    return page;
  }

  // ---------------------------------------------------------------------------------------
  // Communication panel: one iframe per channel provider, the active one shown
  // ---------------------------------------------------------------------------------------

  function renderCommunicationPanel(state, focused) {
    var providers = state.providers || [];
    var panel = state.panel || {};
    providers.forEach(ensureWidgetFrame);
    removeStaleFrames(providers);
    // Follow the agent into a provider's session, but leave a provider tab they picked alone
    // while the focus stays put.
    var focusedId = focused ? focused.id : null;
    if (focused && focusedId !== widgets.focusedId && focused.providerId &&
        widgets.frames.has(focused.providerId)) {
      widgets.active = focused.providerId;
    }
    widgets.focusedId = focusedId;
    if (!widgets.frames.has(widgets.active)) {
      widgets.active = providers.length ? providers[0].uniqueName : null;
    }
    dom.panel.dataset.mode = PANEL_MODES[panel.mode] || "docked";
    dom.panel.style.width = panel.mode === 1 && panel.width ? panel.width + "px" : "";
    renderProviderTabs(providers);
    widgets.frames.forEach(function (frame, id) { frame.hidden = id !== widgets.active; });
  }

  function ensureWidgetFrame(provider) {
    if (widgets.frames.has(provider.uniqueName)) return;
    // The same attributes as the real widget container (reference §6.3); the name tells the
    // shim inside which provider it speaks for.
    var frame = document.createElement("iframe");
    frame.className = "widget-frame";
    frame.name = "cifbridge-provider:" + provider.uniqueName;
    frame.title = provider.label || provider.uniqueName;
    frame.setAttribute("allow", "microphone; camera; geolocation");
    frame.setAttribute("sandbox", "allow-forms allow-popups allow-scripts allow-same-origin allow-modals");
    frame.src = provider.landingUrl;
    frame.dataset.provider = provider.uniqueName;
    widgets.frames.set(provider.uniqueName, frame);
    dom.widgetHost.append(frame);
  }

  function removeStaleFrames(providers) {
    var configured = new Set(providers.map(function (p) { return p.uniqueName; }));
    widgets.frames.forEach(function (frame, id) {
      if (configured.has(id)) return;
      frame.remove();
      widgets.frames.delete(id);
    });
  }

  function renderProviderTabs(providers) {
    // Only worth a tab strip when there is a choice to make.
    dom.providerTabs.hidden = providers.length < 2;
    dom.providerTabs.replaceChildren.apply(dom.providerTabs, providers.map(function (provider) {
      var tab = element("button", "provider-tab", provider.label || provider.uniqueName);
      tab.type = "button";
      tab.setAttribute("role", "tab");
      tab.setAttribute("aria-selected", String(provider.uniqueName === widgets.active));
      tab.addEventListener("click", function () { showWidget(provider.uniqueName, providers); });
      return tab;
    }));
  }

  function showWidget(providerId, providers) {
    widgets.active = providerId;
    renderProviderTabs(providers);
    widgets.frames.forEach(function (frame, id) { frame.hidden = id !== providerId; });
  }

  // ---------------------------------------------------------------------------------------
  // Agent actions through the control API
  // ---------------------------------------------------------------------------------------

  function focusSession(session) {
    if (session.focused) return;
    agentRequest("POST", "/api/sessions/" + encodeURIComponent(session.id) + "/focus");
  }

  function closeSession(session, title) {
    if (!window.confirm("Close the session \u201c" + title + "\u201d?")) return;
    agentRequest("DELETE", "/api/sessions/" + encodeURIComponent(session.id));
  }

  function agentRequest(method, path) {
    // The new state arrives over the socket like any other change; only errors matter here.
    clearError();
    return fetch(path, { method: method, headers: { Accept: "application/json" } })
      .then(function (response) {
        if (response.ok) return;
        return response.json().catch(function () { return {}; }).then(function (body) {
          throw new Error(body.error && body.error.message || response.status + " " + response.statusText);
        });
      })
      .catch(showError);
  }

  function showError(error) {
    dom.error.textContent = error && error.message ? error.message : String(error);
    dom.error.hidden = false;
  }

  function clearError() {
    dom.error.textContent = "";
    dom.error.hidden = true;
  }

  function element(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }
})();
