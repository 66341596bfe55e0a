/*
 * The application tab area: the focused session's tab strip, a "+" menu of the configured
 * application tab templates, and the tab pages themselves.
 *
 * Every open session keeps its own pane and every tab its own page, alive but hidden while
 * another session or tab is shown: text the agent typed into a form survives session switches
 * (reference §7: "switching sessions keeps unsaved form data"), and state pushes never rebuild
 * a page unless the tab's page type or parameters really changed.
 */
import { agent } from "./api.js";
import { button, el, signature } from "./dom.js";
import { createPage } from "./pages.js";
import { tabTitle } from "./pagekit.js";
import { displayTitle, isHome } from "./sessions.js";

const DASHBOARD_TAB = "home-dashboard";

export function createTabArea(features) {
  const strip = document.getElementById("tab-strip");
  const content = document.getElementById("tab-content");
  const panes = new Map(); // session id -> { node, pages: Map(tab id -> page), shown }
  // The Home dashboard is not a CIF tab; picking it (or any tab when the bridge has no tab
  // actions) is remembered here per session until the bridge's focused tab changes.
  const picked = new Map();
  const menu = createTabMenu(features);
  let lastState = null;

  function update(state) {
    lastState = state;
    const sessions = state.sessions || [];
    const focused = sessions.find((s) => s.focused) || sessions[0] || null;
    const open = new Set(sessions.map((s) => s.id));
    sessions.forEach((session) => { syncPane(session, state); });
    panes.forEach((pane, id) => {
      if (!open.has(id)) { pane.node.remove(); panes.delete(id); picked.delete(id); }
    });
    panes.forEach((pane, id) => { showPane(pane, focused && id === focused.id); });
    renderStrip(focused);
    menu.update(state, focused);
  }

  function syncPane(session, state) {
    let pane = panes.get(session.id);
    if (!pane) {
      pane = { node: el("div", "session-pane"), pages: new Map(), shown: false };
      pane.node.dataset.sessionId = session.id;
      content.append(pane.node);
      panes.set(session.id, pane);
    }
    const tabs = paneTabs(session);
    const wanted = new Set(tabs.map((t) => t.id));
    tabs.forEach((tab) => { syncPage(pane, tab, session, state); });
    pane.pages.forEach((page, id) => {
      if (!wanted.has(id)) { page.node.remove(); pane.pages.delete(id); }
    });
    const selected = selectedTab(session, tabs);
    pane.pages.forEach((page, id) => { showPage(pane, page, id === selected?.id); });
  }

  function syncPage(pane, tab, session, state) {
    const key = signature([tab.pageType, tab.parameters, tab.refreshCount]);
    let page = pane.pages.get(tab.id);
    if (page && page.key !== key) {
      page.node.remove();
      page = null;
    }
    if (!page) {
      page = createPage(tab, session, features);
      page.key = key;
      page.visible = false;
      page.node.classList.add("tab-page");
      page.node.dataset.tabId = tab.id;
      page.node.hidden = true;
      page.node.setAttribute("role", "tabpanel");
      pane.node.append(page.node);
      pane.pages.set(tab.id, page);
    }
    // setTabTitle renames a tab: headings that show the tab's title follow it.
    const heading = page.node.querySelector(".page-title[data-tab-title]");
    if (heading) heading.textContent = tabTitle(tab);
    if (page.update) page.update(tab, session, state);
  }

  function showPane(pane, visible) {
    pane.node.hidden = !visible;
    pane.pages.forEach((page) => {
      if (visible && page.visible && !pane.shown && page.shown) page.shown();
    });
    pane.shown = visible;
  }

  function showPage(pane, page, visible) {
    if (visible && !page.visible && pane.shown && page.shown) page.shown();
    page.visible = visible;
    page.node.hidden = !visible;
  }

  function paneTabs(session) {
    const tabs = session.tabs || [];
    if (!isHome(session)) return tabs;
    const dashboard = {
      id: DASHBOARD_TAB, title: "Dashboard", pageType: "dashboard", anchor: true,
      closable: false, parameters: {}, virtual: true,
    };
    return [dashboard, ...tabs];
  }

  function selectedTab(session, tabs) {
    const local = picked.get(session.id);
    if (local && local.serverTab === session.focusedTabId) {
      const tab = tabs.find((t) => t.id === local.tabId);
      if (tab) return tab;
    }
    picked.delete(session.id);
    return tabs.find((t) => t.id === session.focusedTabId) || tabs[0] || null;
  }

  function renderStrip(session) {
    if (!session) { strip.replaceChildren(); return; }
    const tabs = paneTabs(session);
    const selected = selectedTab(session, tabs);
    strip.dataset.sessionId = session.id;
    strip.setAttribute("aria-label", `Application tabs of ${displayTitle(session)}`);
    const names = new Map((lastState.tabTemplates || []).map((t) => [t.uniqueName, t.name]));
    strip.replaceChildren(...tabs.map((tab) => tabButton(session, tab, tab === selected, names)));
  }

  function tabButton(session, tab, selected, names) {
    const title = tabTitle(tab, names.get(tab.template));
    const item = el("div", "tab");
    item.dataset.tabId = tab.id;
    item.classList.toggle("is-anchor", Boolean(tab.anchor));
    item.classList.toggle("is-selected", selected);
    const pick = button("tab-select", title);
    pick.setAttribute("role", "tab");
    pick.setAttribute("aria-selected", String(selected));
    pick.dataset.tooltip = title;
    pick.addEventListener("click", () => selectTab(session, tab));
    item.append(pick);
    if (features.tabActions && tab.closable && !tab.anchor && !tab.virtual) {
      const close = button("tab-close", "×", `Close tab ${title}`);
      close.addEventListener("click", () => closeTab(session, tab));
      item.append(close);
    }
    return item;
  }

  function selectTab(session, tab) {
    if (tab.virtual || !features.tabActions) {
      picked.set(session.id, { tabId: tab.id, serverTab: session.focusedTabId });
      if (lastState) update(lastState);
      return;
    }
    picked.delete(session.id);
    agent("focusTab", { session_id: session.id, tab_id: tab.id });
  }

  function closeTab(session, tab) {
    agent("closeTab", { session_id: session.id, tab_id: tab.id });
  }

  return { update };
}

function createTabMenu(features) {
  const add = document.getElementById("tab-add");
  const list = document.getElementById("tab-menu");
  let session = null;
  let shownTemplates = null;

  const close = () => { list.hidden = true; add.setAttribute("aria-expanded", "false"); };
  add.addEventListener("click", () => {
    const opening = list.hidden;
    list.hidden = !opening;
    add.setAttribute("aria-expanded", String(opening));
    if (opening) { const first = list.querySelector("button"); if (first) first.focus(); }
  });
  document.addEventListener("click", (event) => {
    if (!list.hidden && !event.target.closest(".tab-add")) close();
  });
  list.addEventListener("keydown", (event) => { if (event.key === "Escape") { close(); add.focus(); } });

  function update(state, focused) {
    session = focused;
    const templates = state.tabTemplates || [];
    add.hidden = !features.tabActions || !templates.length || !focused;
    if (add.hidden) { close(); return; }
    // Rebuilt only when the templates change, so an open menu keeps its keyboard focus.
    const key = signature(templates);
    if (key === shownTemplates) return;
    shownTemplates = key;
    list.replaceChildren(...templates.map((template) => {
      const li = el("li");
      li.setAttribute("role", "none");
      const item = button("menu-item", template.name || template.uniqueName);
      item.setAttribute("role", "menuitem");
      item.dataset.template = template.uniqueName;
      item.append(el("span", "menu-item-detail", template.uniqueName));
      item.addEventListener("click", () => {
        close();
        agent("openTab", { session_id: session.id }, { templateName: template.uniqueName });
      });
      li.append(item);
      return li;
    }));
  }

  return { update };
}
