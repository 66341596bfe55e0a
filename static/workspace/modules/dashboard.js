/*
 * The Home session's dashboard: what the agent has open and what the bridge is doing. It holds
 * no input, so it is simply redrawn on each state push.
 */
import { agent } from "./api.js";
import { button, el } from "./dom.js";
import { pageHeader } from "./pagekit.js";
import { badgeText, displayTitle, iconColor, iconLetters, indicators, isHome } from "./sessions.js";

const MODES = { 0: "Minimized", 1: "Docked", 2: "Hidden" };

export function createDashboard(tab) {
  const node = el("article", "dashboard");
  const cards = el("div", "dashboard-cards");
  const header = pageHeader({ ...tab, title: tab.virtual ? "Home" : tab.title }, "Dashboard");
  if (tab.virtual) delete header.querySelector(".page-title").dataset.tabTitle;
  node.append(header, cards);
  return {
    node,
    update(_tab, _session, state) {
      cards.replaceChildren(sessionsCard(state), workspaceCard(state));
    },
  };
}

function sessionsCard(state) {
  const card = el("section", "card");
  const sessions = (state.sessions || []).filter((s) => !isHome(s));
  card.append(el("h3", "card-title", `My sessions (${sessions.length} of ${state.maxSessions})`));
  if (!sessions.length) {
    card.append(el("p", "muted", "Sessions opened by channel providers appear here and in the session panel."));
    return card;
  }
  const list = el("ul", "dashboard-sessions");
  sessions.forEach((session) => {
    const info = indicators(session);
    const item = button("dashboard-session");
    const icon = el("span", "session-icon small", iconLetters(info.title));
    icon.style.backgroundColor = iconColor(session.id);
    item.append(icon, el("span", "dashboard-session-title", displayTitle(session)));
    if (info.count > 0) item.append(el("span", "pill", badgeText(info.count)));
    if (info.urgent) {
      const pill = el("span", "pill urgent", "!");
      pill.dataset.tooltip = session.kpiBreachDetails || info.tooltip;
      item.append(pill);
    }
    item.addEventListener("click", () => agent("focusSession", { session_id: session.id }));
    const li = el("li");
    li.append(item);
    list.append(li);
  });
  card.append(list);
  return card;
}

function workspaceCard(state) {
  const card = el("section", "card");
  card.append(el("h3", "card-title", "Workspace"));
  const facts = el("dl", "facts");
  const panel = state.panel || {};
  const add = (name, value) => facts.append(el("dt", "", name), el("dd", "", value));
  add("Channel providers", (state.providers || []).map((p) => p.label || p.uniqueName).join(", ") || "none");
  add("Communication panel", `${MODES[panel.mode] || "Docked"}, ${panel.width || 378} px`);
  if (state.presence) add("Presence", presenceText(state.presence));
  card.append(facts);
  return card;
}

function presenceText(presence) {
  if (typeof presence === "string") return presence;
  return presence.presenceText || presence.current || "";
}
