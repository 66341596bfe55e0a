/*
 * What the conversation views share (the anchor tab's conversation page, the communication
 * panel's conversation control, the capacity in the app bar):
 *   - labels for states, channels, customers and sentiment levels;
 *   - live timers: the bridge sends durations measured at its clock's `now`, and the page keeps
 *     them ticking from the moment the state arrived (no polling); a countdown stops at 0 and a
 *     wait timer turns (colour and label) once it passes the workspace's threshold;
 *   - the navigator's choice: which contact of a session the agent looks at. The bridge names
 *     the newest active one (`activeContactId`); a contact the agent picked (or acted on) stays
 *     shown while the session holds the same contacts, so ending a call keeps its wrap-up in
 *     sight, and a new contact (an elevation) is shown as it starts. It survives a reload
 *     (sessionStorage).
 */
import { el } from "./dom.js";
import { icon } from "./icons.js";

export const MESSAGING_CHANNELS = ["chat", "sms", "email"];
const STATE_LABELS = {
  open: "Open",
  active: "Active",
  waiting: "Waiting",
  wrapup: "Wrap-up",
  closed: "Closed",
  completed: "Completed",
};
const CHANNEL_LABELS = {
  chat: "Chat", sms: "SMS", voice: "Voice", email: "Email", workitem: "Work item", voicemail: "Voicemail",
};
// How the elevation table names its targets ("phone" is the voice channel).
const ELEVATION_LABELS = { voice: "phone", email: "email", sms: "SMS", chat: "chat" };
const ENDED_BY = {
  agent: "Ended by you",
  customer: "Ended by the customer",
  timeout: "The customer did not reconnect in time",
  session: "Closed with its session",
};
const PICK_KEY = "cifbridge.contact.";
const TICK_MS = 500;

export const stateLabel = (state) => STATE_LABELS[state] || String(state || "");
export const channelLabel = (contact) => contact.channelLabel || CHANNEL_LABELS[contact.channel] || contact.channel;
export const elevationLabel = (channel) => ELEVATION_LABELS[channel] || channel;
export const endedByLabel = (by) => ENDED_BY[by] || "";
export const isMessaging = (contact) => MESSAGING_CHANNELS.includes(contact.channel);

/** Say who the customer is: a contact, an account, or a visitor who did not sign in. */
export function customerKind(customer) {
  if (!customer) return "";
  if (customer.entityName === "account") return "Account";
  if (customer.entityName === "contact") return customer.authenticated ? "Contact · authenticated" : "Contact";
  return customer.authenticated ? "Customer · authenticated" : "Visitor · not authenticated";
}

/** Capitalise a sentiment level for display ("slightly negative" -> "Slightly negative"). */
export function sentimentLabel(level) {
  const text = String(level || "neutral");
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** A channel's icon: a phone for calls and voicemails, a speech bubble for the rest. */
export function channelIcon(channel, className = "icon channel-icon") {
  return icon(channel === "voice" || channel === "voicemail" ? "phone" : "chat", className);
}

/** Format seconds as m:ss (h:mm:ss from an hour). */
export function duration(seconds) {
  const total = Math.max(0, Math.floor(Number(seconds) || 0));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = String(total % 60).padStart(2, "0");
  return h ? `${h}:${String(m).padStart(2, "0")}:${s}` : `${m}:${s}`;
}

/** Format a bridge-clock time (seconds since the epoch) as the agent's local time of day. */
export function clockTime(at) {
  return new Date(Number(at) * 1000).toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" });
}

/** Every contact of a session's omnichannel view, in the navigator's order (by channel). */
export function contactList(omnichannel) {
  if (!omnichannel?.contacts) return [];
  return Object.values(omnichannel.contacts).flat();
}

/** Find a conversation among the workspace's (a session the bridge does not link to it). */
export function findConversation(state, id) {
  const all = state.omnichannel?.conversations || [];
  return all.find((c) => c.conversationId === id) || null;
}

// -- the navigator's choice ----------------------------------------------------------------

export const picks = new EventTarget();

/** Return the contact a session shows: the agent's pick while valid, else the bridge's. */
export function shownContact(sessionId, omnichannel) {
  const contacts = contactList(omnichannel);
  const picked = readPick(sessionId);
  if (picked && picked.contacts === contactKey(contacts)) {
    const found = contacts.find((c) => c.conversationId === picked.id);
    if (found) return found;
  }
  return contacts.find((c) => c.conversationId === omnichannel.activeContactId) || contacts[contacts.length - 1] || null;
}

/** Show another contact of a session (every view of it follows). */
export function pickContact(sessionId, omnichannel, contactId) {
  try {
    const contacts = contactKey(contactList(omnichannel));
    sessionStorage.setItem(PICK_KEY + sessionId, JSON.stringify({ id: contactId, contacts }));
  } catch { /* private mode: the pick lasts until the next push */ }
  picks.dispatchEvent(new CustomEvent("pick", { detail: { sessionId, contactId } }));
}

function contactKey(contacts) {
  return contacts.map((c) => c.conversationId).sort().join(" ");
}

function readPick(sessionId) {
  try { return JSON.parse(sessionStorage.getItem(PICK_KEY + sessionId) || "null"); } catch { return null; }
}

// -- live timers ---------------------------------------------------------------------------

const timers = new Map(); // node -> { seconds, since, running, down, render }
let ticking = null;

/**
 * Keep `node` showing a duration that was `seconds` when the state arrived (`since`, a
 * performance.now() time); while `running` it counts up (or down to 0 with `down`).
 * `render(node, seconds)` draws it; by default as m:ss text.
 */
export function liveTimer(node, { seconds, since, running = true, down = false, render = drawDuration }) {
  if (seconds === null || seconds === undefined) {
    timers.delete(node);
    return;
  }
  const timer = { seconds: Number(seconds), since, running, down, render };
  timers.set(node, timer);
  draw(node, timer);
  if (!ticking) ticking = setInterval(tick, TICK_MS);
}

/** Stop updating a node. */
export function stopTimer(node) {
  timers.delete(node);
}

function tick() {
  timers.forEach((timer, node) => {
    if (!node.isConnected) timers.delete(node);
    else if (timer.running) draw(node, timer);
  });
  if (!timers.size) { clearInterval(ticking); ticking = null; }
}

function draw(node, timer) {
  const elapsed = timer.running ? (performance.now() - timer.since) / 1000 : 0;
  const value = timer.down ? Math.max(0, timer.seconds - elapsed) : timer.seconds + elapsed;
  timer.render(node, value);
}

function drawDuration(node, seconds) {
  const text = duration(seconds);
  if (node.textContent !== text) node.textContent = text;
}

/**
 * A wait-for-response chip: its value ticks, and past `threshold` seconds it turns from
 * "normal" to "exceeded" (data-state, colour and label). Nobody waiting: "idle".
 */
export function waitChip() {
  const chip = el("span", "wait-chip");
  const label = el("span", "wait-label");
  const value = el("span", "wait-value");
  chip.append(label, value);
  return {
    node: chip,
    set(contact, threshold, since) {
      if (contact.waitSeconds === null || contact.waitSeconds === undefined) {
        stopTimer(value);
        chip.dataset.state = "idle";
        label.textContent = contact.state === "active" ? "No one waiting" : "Not waiting";
        value.textContent = "";
        chip.dataset.tooltip = "";
        return;
      }
      liveTimer(value, {
        seconds: contact.waitSeconds,
        since,
        render(node, seconds) {
          const exceeded = seconds > threshold;
          chip.dataset.state = exceeded ? "exceeded" : "normal";
          label.textContent = exceeded ? "Response overdue" : "Waiting for a response";
          node.textContent = duration(seconds);
          chip.dataset.tooltip = `The customer has waited ${duration(seconds)} for a response` +
            (exceeded ? `, longer than ${duration(threshold)}.` : ` (turns after ${duration(threshold)}).`);
        },
      });
    },
  };
}

/** A compact labelled pill showing a state (e.g. "Active", "Wrap-up"). */
export function statePill(state, className = "state-pill") {
  const pill = el("span", className, stateLabel(state));
  pill.dataset.state = state || "";
  return pill;
}

/** The capacity in the app bar: units in use of the agent's total. */
export function createCapacity() {
  const node = document.getElementById("capacity");
  const value = node.querySelector(".capacity-value");
  const meter = node.querySelector(".capacity-meter > span");
  const detail = node.querySelector(".capacity-detail");
  return {
    update(state) {
      const omnichannel = state.omnichannel;
      const capacity = omnichannel?.capacity;
      node.hidden = !capacity || !(omnichannel.channels || []).length;
      if (node.hidden) return;
      const used = Number(capacity.used) || 0;
      const total = Number(capacity.total) || 0;
      value.textContent = `${used} / ${total}`;
      meter.style.width = `${total ? Math.min(100, (100 * used) / total) : 0}%`;
      node.dataset.state = used >= total ? "full" : "open";
      const text = `Capacity: ${used} of ${total} units in use, ${capacity.available} available`;
      detail.textContent = text;
      node.dataset.tooltip = text;
    },
  };
}
