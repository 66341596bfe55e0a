/*
 * The session panel (reference §7): Home first and anchored, then each session with an icon of
 * its title's first two letters in the cycling colours, the focused one highlighted, unread
 * counts ("+" from 10), the attention and urgent indicators with their tooltips, a close button
 * with a confirmation dialog, the burger that collapses the panel, and the limit message.
 */
import { agent } from "./api.js";
import { button, el } from "./dom.js";
import { confirmAction } from "./dialog.js";
import { icon } from "./icons.js";

export const HOME_SESSION_ID = "session-id-0";
export const MAX_SESSIONS_MESSAGE = "Maximum sessions reached. Close a session before opening another.";
// The legacy CIF session panel's icon colours (reference §7).
const ICON_COLORS = ["#2A757D", "#70278B", "#FF8C00", "#427825", "#B4009E", "#B4A0FF"];
const COLLAPSED_KEY = "cifbridge.sessionPanel.collapsed";

export const isHome = (session) => session.id === HOME_SESSION_ID;

/** Return the title the agent sees. */
export function displayTitle(session) {
  return session.title || (isHome(session) ? "Home" : session.id);
}

/** Return the icon text: the first two letters (or digits) of the title, upper-cased. */
export function iconLetters(title) {
  const letters = Array.from(title).filter((c) => /[\p{L}\p{N}]/u.test(c));
  const chosen = letters.length ? letters : Array.from(title.trim());
  return chosen.slice(0, 2).join("").toUpperCase() || "?";
}

/** Return the colour of a session's icon; stable for the session's lifetime. */
export function iconColor(sessionId) {
  const match = /(\d+)$/.exec(sessionId);
  const n = match ? Number(match[1]) - 1 : Array.from(sessionId).reduce((a, c) => a + c.charCodeAt(0), 0);
  return ICON_COLORS[((n % ICON_COLORS.length) + ICON_COLORS.length) % ICON_COLORS.length];
}

/** Return the badge text for a count: the number up to 9, "+" from 10. */
export function badgeText(count) {
  return count >= 10 ? "+" : String(count);
}

/** Work out the indicators and the tooltip of one session. */
export function indicators(session) {
  const title = displayTitle(session);
  const urgent = Boolean(session.kpiBreach || session.sentimentAlert);
  const attention = !session.focused && Boolean(session.attention);
  const unread = session.focused ? 0 : Number(session.unread || 0);
  const requested = attention && session.attentionCount > 0 ? Number(session.attentionCount) : 0;
  const count = unread > 0 ? unread : requested;
  // notifyNewActivity with a count of 0 shows a blue dot ([DTS]).
  const dot = !session.focused && count === 0 && Boolean(session.newActivity);
  let tooltip = title;
  if (urgent && session.sentimentTooltip) {
    tooltip = session.sentimentTooltip;
  } else if (urgent || (attention && count === 0)) {
    tooltip = `${title}. Urgent attention is needed in your conversation.`;
  } else if (count > 0) {
    tooltip = `${title}. ${count} new updates in your conversation.`;
  }
  return { title, urgent, attention, count, dot, tooltip };
}

export function createSessionPanel(tooltips) {
  const panel = document.getElementById("session-panel");
  const list = document.getElementById("session-list");
  const items = new Map();
  setupBurger(panel, tooltips);

  function update(state) {
    const sessions = homeFirst(state.sessions || []);
    const seen = new Set();
    sessions.forEach((session) => {
      seen.add(session.id);
      let item = items.get(session.id);
      if (!item) {
        item = sessionItem(session.id);
        items.set(session.id, item);
      }
      fill(item, session);
      list.append(item.li); // keeps the order of the state, moving nodes only when needed
    });
    items.forEach((item, id) => {
      if (!seen.has(id)) { item.li.remove(); items.delete(id); }
    });
    renderFooter(state, sessions);
    tooltips.refresh();
  }

  function sessionItem(id) {
    const li = el("li", "session");
    li.dataset.sessionId = id;
    const select = button("session-select");
    const icon = el("span", "session-icon");
    icon.setAttribute("aria-hidden", "true");
    const letters = el("span", "session-letters");
    const badge = el("span", "session-badge");
    const alert = el("span", "session-alert", "!");
    const ring = el("span", "session-attention");
    icon.append(letters, ring, badge, alert);
    const title = el("span", "session-title");
    const status = el("span", "visually-hidden session-status");
    select.append(icon, title, status);
    li.append(select);
    const item = { li, select, icon, letters, badge, alert, ring, title, status, session: null, close: null };
    select.addEventListener("click", () => focusSession(item.session));
    if (id !== HOME_SESSION_ID) {
      item.close = button("session-close", "×");
      item.close.addEventListener("click", (event) => {
        event.stopPropagation();
        closeSession(item.session);
      });
      li.append(item.close);
    }
    return item;
  }

  function fill(item, session) {
    item.session = session;
    const info = indicators(session);
    item.li.classList.toggle("is-focused", Boolean(session.focused));
    item.li.classList.toggle("is-home", isHome(session));
    if (session.focused) item.select.setAttribute("aria-current", "true");
    else item.select.removeAttribute("aria-current");
    item.select.dataset.tooltip = info.tooltip;
    item.title.textContent = info.title;
    item.status.textContent = info.tooltip === info.title ? "" : info.tooltip;
    if (isHome(session)) {
      if (!item.letters.firstChild) item.letters.append(icon("home", "icon session-home-icon"));
    } else {
      item.letters.textContent = iconLetters(info.title);
    }
    item.icon.style.backgroundColor = isHome(session) ? "" : iconColor(session.id);
    item.badge.textContent = info.count > 0 ? badgeText(info.count) : "";
    item.badge.hidden = info.count === 0 && !info.dot;
    item.badge.classList.toggle("is-dot", info.dot);
    item.badge.classList.toggle("is-plus", info.count >= 10);
    item.alert.hidden = !info.urgent;
    item.ring.hidden = !info.attention;
    if (item.close) {
      item.close.setAttribute("aria-label", `Close session ${info.title}`);
      item.close.dataset.tooltip = `Close ${info.title}`;
    }
  }

  function renderFooter(state, sessions) {
    const open = sessions.filter((s) => !isHome(s)).length;
    document.getElementById("session-count").textContent = `${open} of ${state.maxSessions} sessions`;
    const limit = document.getElementById("session-limit");
    const full = state.canCreateSession === false;
    limit.textContent = full ? MAX_SESSIONS_MESSAGE : "";
    limit.hidden = !full;
    panel.classList.toggle("is-full", full);
  }

  return { update };
}

function homeFirst(sessions) {
  return sessions.filter(isHome).concat(sessions.filter((s) => !isHome(s)));
}

function focusSession(session) {
  if (!session || session.focused) return;
  agent("focusSession", { session_id: session.id });
}

async function closeSession(session) {
  const title = displayTitle(session);
  const confirmed = await confirmAction({
    title: "Close session",
    message: `Close the session \u201c${title}\u201d? Unsaved changes in its tabs will be lost.`,
    confirmLabel: "Close session",
  });
  if (confirmed) agent("closeSession", { session_id: session.id });
}

function setupBurger(panel, tooltips) {
  const toggle = document.getElementById("session-panel-toggle");
  const apply = (collapsed) => {
    panel.classList.toggle("is-collapsed", collapsed);
    toggle.setAttribute("aria-expanded", String(!collapsed));
    const label = collapsed ? "Expand the session panel" : "Collapse the session panel";
    toggle.setAttribute("aria-label", label);
    toggle.dataset.tooltip = label;
    toggle.removeAttribute("title");
    tooltips.refresh();
  };
  apply(readCollapsed());
  toggle.addEventListener("click", () => {
    const collapsed = !panel.classList.contains("is-collapsed");
    apply(collapsed);
    try { localStorage.setItem(COLLAPSED_KEY, collapsed ? "1" : "0"); } catch { /* private mode */ }
  });
}

function readCollapsed() {
  try { return localStorage.getItem(COLLAPSED_KEY) === "1"; } catch { return false; }
}
