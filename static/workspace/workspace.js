/*
 * The agent workspace page: session panel (left), the focused session's tabs (middle), the
 * communication panel with the conversation control and each provider's widget (right),
 * notification toasts, the capacity and presence picker in the app bar, the journal drawer, and
 * what widgets lay over it all (message bars, progress, dialogs, the notes flap).
 *
 * The bridge owns all state. This page draws the latest "workspace:state" it was sent and turns
 * the agent's clicks into control-API requests; the resulting state comes back over the socket,
 * so every open page (and every test) sees the same thing. Anything a widget, a template or the
 * agent typed is drawn with textContent, never parsed as HTML.
 */
import { AGENT } from "./modules/agent.js";
import { features } from "./modules/features.js";
import { createJournal } from "./modules/journal.js";
import { createNotifications } from "./modules/notifications.js";
import { createOverlays } from "./modules/overlays.js";
import { createPresencePicker } from "./modules/presence.js";
import { createCommunicationPanel } from "./modules/panel.js";
import { createConversationPanel } from "./modules/conversation-panel.js";
import { createCapacity } from "./modules/omnichannel.js";
import { createSessionPanel } from "./modules/sessions.js";
import { createTabArea } from "./modules/tabs.js";
import { installTooltips } from "./modules/tooltip.js";

const tooltips = installTooltips(document.body);
const parts = [
  createSessionPanel(tooltips),
  createTabArea(features),
  createCommunicationPanel(features),
  createConversationPanel(features),
  createCapacity(),
  createNotifications(),
  createOverlays(),
  createPresencePicker(features),
];
const journal = createJournal();

showAgent();
connect();

function showAgent() {
  const node = document.getElementById("agent-name");
  if (node) node.textContent = AGENT;
  document.body.dataset.agent = AGENT;
}

function connect() {
  const socket = window.io("/workspace", { transports: ["websocket", "polling"], auth: { agent: AGENT } });
  socket.on("connect", () => setConnection("live", "Live"));
  socket.on("disconnect", () => setConnection("offline", "Reconnecting…"));
  socket.on("connect_error", () => setConnection("offline", "Bridge unreachable, retrying…"));
  socket.on("workspace:state", render);
  socket.on("workspace:journal", (entry) => journal.add(entry));
  socket.on("workspace:journal-backlog", (entries) => journal.backlog(entries));
  socket.on("workspace:event", (message) => journal.event(message));
}

function setConnection(state, text) {
  const node = document.getElementById("connection");
  node.dataset.state = state;
  node.textContent = text;
}

function render(state) {
  state.receivedAt = performance.now();
  for (const part of parts) {
    try {
      part.update(state);
    } catch (error) {
      // One broken part must not blank the others; the console tells the developer.
      console.error("cifbridge workspace:", error);
    }
  }
  document.body.dataset.revision = String(state.revision ?? "");
}
