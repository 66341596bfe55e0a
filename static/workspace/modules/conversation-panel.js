/*
 * The conversation control in the communication panel: where the agent answers the customer
 * (issue 5: "the agent answers from the communication panel"). It follows the focused session
 * and the contact its navigator shows (or, when that is a call, the session's active chat): the
 * channel, customer, state and wait for a response,
 * the transcript, and a reply box (Enter sends, Shift+Enter starts a new line). Drafts are kept
 * per contact while the agent moves between sessions. Non-conversation sessions hide it, so the
 * channel provider's widget below keeps the whole panel.
 */
import { button, el } from "./dom.js";
import {
  channelIcon, channelLabel, contactList, isMessaging, picks, shownContact, statePill, waitChip,
} from "./omnichannel.js";
import { transcriptList } from "./conversation.js";

export function createConversationPanel(features) {
  const host = document.getElementById("panel-conversation");
  const head = el("header", "panel-conversation-head");
  const title = el("h2", "panel-conversation-title");
  const pills = el("span", "panel-conversation-pills");
  const wait = waitChip();
  head.append(title, pills, wait.node);
  const transcript = transcriptList();
  const note = el("p", "panel-conversation-note muted");
  const form = el("form", "reply-form");
  const text = el("textarea", "form-input reply-text");
  text.rows = 2;
  text.name = "reply";
  const tools = el("div", "reply-tools");
  const insertLink = button("link-button reply-insert-link", "Insert reconnect link");
  const send = el("button", "button primary reply-send", "Send");
  send.type = "submit";
  tools.append(insertLink, send);
  form.append(text, tools);
  host.append(head, transcript.node, note, form);

  const drafts = new Map(); // conversation id -> unsent text
  let contact = null;
  let lastState = null;

  picks.addEventListener("pick", () => { if (lastState) update(lastState); });
  text.addEventListener("input", () => {
    if (contact) drafts.set(contact.conversationId, text.value);
    send.disabled = !canReply(contact) || !text.value.trim();
  });
  text.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      form.requestSubmit();
    }
  });
  insertLink.addEventListener("click", () => {
    if (!contact?.reconnectUrl) return;
    text.setRangeText(contact.reconnectUrl, text.selectionStart, text.selectionEnd, "end");
    text.dispatchEvent(new Event("input"));
    text.focus();
  });
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const target = contact;
    const reply = text.value.trim();
    if (!canReply(target) || !reply) return;
    send.disabled = true;
    const done = await features.conversations.reply(target.conversationId, reply);
    if (done) {
      drafts.delete(target.conversationId);
      if (contact && contact.conversationId === target.conversationId) text.value = "";
    }
    send.disabled = !canReply(contact) || !text.value.trim();
  });

  function update(state) {
    lastState = state;
    const focused = (state.sessions || []).find((s) => s.focused);
    const omnichannel = focused?.omnichannel;
    const next = omnichannel ? replyTarget(focused.id, omnichannel) : null;
    host.hidden = !next;
    if (!next) { contact = null; return; }
    if (!contact || contact.conversationId !== next.conversationId) {
      text.value = drafts.get(next.conversationId) || "";
    }
    contact = next;
    host.dataset.conversationId = contact.conversationId;
    host.dataset.sessionId = focused.id;
    const name = contact.customer?.name || focused.title || "";
    title.replaceChildren(channelIcon(contact.channel), el("span", "", `${channelLabel(contact)} · ${name}`));
    pills.replaceChildren(statePill(contact.state));
    const settings = state.omnichannel || {};
    wait.set(contact, Number(settings.waitThresholdSeconds) || 0, state.receivedAt);
    wait.node.hidden = !isMessaging(contact) || contact.waitSeconds === null;
    const messaging = isMessaging(contact);
    transcript.node.hidden = !messaging;
    transcript.set(contact, omnichannel.customer);
    form.hidden = !messaging || !features.conversations;
    const replying = canReply(contact);
    text.disabled = !replying;
    text.placeholder = replying ? `Reply to ${name}` : "This contact no longer takes replies.";
    text.setAttribute("aria-label", `Reply to ${name}`);
    send.disabled = !replying || !text.value.trim();
    insertLink.hidden = !replying || !contact.reconnectUrl;
    note.textContent = noteText(contact);
    note.hidden = !note.textContent;
  }

  return { update };
}

/** The contact the panel shows: the navigator's when it takes messages, else the session's
 * latest active one that does (a chat goes on beside the call it was elevated to). */
function replyTarget(sessionId, omnichannel) {
  const shown = shownContact(sessionId, omnichannel);
  if (!shown || isMessaging(shown)) return shown;
  const chats = contactList(omnichannel).filter((c) => isMessaging(c) && c.state === "active");
  return chats.length ? chats[chats.length - 1] : shown;
}

function canReply(contact) {
  return Boolean(contact) && contact.state === "active" && isMessaging(contact);
}

function noteText(contact) {
  if (!isMessaging(contact)) {
    return contact.state === "active" ? "On a call: calls have no transcript." : "";
  }
  if (contact.state === "active" && contact.channel === "chat" && !contact.customerConnected) {
    return contact.canReconnect
      ? "The customer is disconnected and may reconnect; they see your replies when they do."
      : "The customer is disconnected.";
  }
  if (contact.state === "wrapup") return "Wrap-up: complete the post-contact work in the Active conversation tab.";
  return "";
}
