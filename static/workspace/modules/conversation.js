/*
 * The Active conversation page: the anchor tab of a conversation session (its template's tab
 * is an entity record of msdyn_ocliveworkitem). It shows the customer and the session's state,
 * the contacts grouped by channel with a navigator, and the contact the navigator points at:
 * its channel and state, total duration and wait for a response (ticking live), sentiment, the
 * reconnect link while the customer may come back, the transcript, and the agent's actions
 * (elevate to what the table allows, end, wrap up with a disposition). The agent answers from
 * the communication panel (conversation-panel.js).
 *
 * The page is built once per tab and updated in place: a state push redraws only the parts
 * whose data changed, so the disposition being typed keeps its text and its focus.
 */
import { button, el, signature } from "./dom.js";
import { pageHeader } from "./pagekit.js";
import {
  channelIcon, channelLabel, clockTime, contactList, customerKind, elevationLabel, endedByLabel,
  findConversation, isMessaging, liveTimer, pickContact, picks, sentimentLabel, shownContact,
  statePill, stopTimer, waitChip,
} from "./omnichannel.js";

export const LIVE_WORK_ITEM = "msdyn_ocliveworkitem";

export function createConversationPage(tab, _session, features) {
  const node = el("article", "conversation-page");
  node.append(pageHeader(tab, "Conversation"));
  const empty = el("p", "muted conversation-empty");
  const layout = el("div", "conversation-layout");
  const side = el("div", "conversation-side");
  const main = el("div", "conversation-main");
  layout.append(side, main);
  node.append(empty, layout);

  const summary = customerCard();
  const navigator = contactNavigator((contactId) => {
    if (last) pickContact(last.session.id, last.omnichannel, contactId);
  });
  side.append(summary.node, navigator.node);
  // Acting on a contact keeps it in sight even when the bridge's active contact moves on.
  const detail = contactDetail(features, (contactId) => {
    if (last) pickContact(last.session.id, last.omnichannel, contactId);
  });
  const transcript = transcriptCard();
  main.append(detail.node, transcript.node);

  let last = null; // { session, state, omnichannel }
  picks.addEventListener("pick", (event) => {
    if (last && node.isConnected && event.detail.sessionId === last.session.id) draw();
  });

  function update(_tab, currentSession, state) {
    const omnichannel = currentSession.omnichannel || lone(state, tab);
    last = { session: currentSession, state, omnichannel };
    draw();
  }

  function draw() {
    const { session: current, state, omnichannel } = last;
    layout.hidden = !omnichannel;
    empty.hidden = Boolean(omnichannel);
    if (!omnichannel) {
      empty.textContent = "This conversation is no longer in the workspace.";
      return;
    }
    const contact = shownContact(current.id, omnichannel);
    const settings = state.omnichannel || {};
    summary.set(omnichannel);
    navigator.set(omnichannel, contact, state.receivedAt, Number(settings.waitThresholdSeconds) || 0);
    node.dataset.conversationId = contact ? contact.conversationId : "";
    if (contact) {
      detail.set(contact, settings, state.receivedAt);
      transcript.set(contact, omnichannel.customer);
    }
  }

  return { node, update };
}

/** A conversation the session does not list as its own: shown alone. */
function lone(state, tab) {
  const id = tab.parameters?.entityId;
  const found = id ? findConversation(state, String(id)) : null;
  if (!found) return null;
  return {
    status: found.state,
    customer: found.customer,
    activeContactId: found.conversationId,
    contactCount: 1,
    contacts: { [found.channel]: [found] },
  };
}

function customerCard() {
  const node = el("section", "card conversation-customer");
  node.setAttribute("aria-label", "Customer");
  const name = el("h3", "customer-name");
  const kind = el("p", "customer-kind muted");
  const status = el("p", "session-status");
  node.append(name, kind, status);
  return {
    node,
    set(omnichannel) {
      const customer = omnichannel.customer || {};
      name.textContent = customer.name || "";
      const extra = customer.caseTitle ? ` · Case: ${customer.caseTitle}` : "";
      kind.textContent = customerKind(customer) + extra;
      const count = omnichannel.contactCount;
      status.replaceChildren(
        el("span", "muted", "Session "),
        statePill(omnichannel.status, "state-pill session-state"),
        el("span", "muted contact-count", ` · ${count} ${count === 1 ? "contact" : "contacts"}`),
      );
    },
  };
}

function contactNavigator(onPick) {
  const node = el("nav", "card contact-navigator");
  node.setAttribute("aria-label", "Contacts");
  const bar = el("div", "navigator-bar");
  const previous = button("navigator-step", "‹", "Previous contact");
  const position = el("span", "navigator-position");
  const next = button("navigator-step", "›", "Next contact");
  bar.append(previous, position, next);
  const groups = el("div", "contact-groups");
  node.append(bar, groups);
  const rows = new Map(); // conversation id -> { item, duration }
  let order = [];
  let shownId = null;
  let key = null;

  previous.addEventListener("click", () => step(-1));
  next.addEventListener("click", () => step(1));

  function step(by) {
    const at = order.indexOf(shownId);
    const target = order[at + by];
    if (target) onPick(target);
  }

  function set(omnichannel, contact, since, threshold) {
    const contacts = contactList(omnichannel);
    order = contacts.map((c) => c.conversationId);
    shownId = contact ? contact.conversationId : null;
    const shape = signature(Object.entries(omnichannel.contacts || {}).map(
      ([channel, list]) => [channel, list.map((c) => [c.conversationId, c.state, c.channelLabel])]));
    if (shape !== key) {
      key = shape;
      rebuild(omnichannel);
    }
    contacts.forEach((c) => {
      const row = rows.get(c.conversationId);
      const current = c.conversationId === shownId;
      row.item.classList.toggle("is-current", current);
      if (current) row.item.setAttribute("aria-current", "true");
      else row.item.removeAttribute("aria-current");
      liveTimer(row.duration, { seconds: c.totalSeconds, since, running: running(c) });
      if (row.wait) row.wait.set(c, threshold, since);
    });
    const at = order.indexOf(shownId);
    position.textContent = `Contact ${at + 1} of ${order.length}`;
    previous.disabled = at <= 0;
    next.disabled = at < 0 || at >= order.length - 1;
  }

  function rebuild(omnichannel) {
    rows.forEach((row) => { stopTimer(row.duration); });
    rows.clear();
    groups.replaceChildren(...Object.entries(omnichannel.contacts || {}).map(([channel, list]) => {
      const group = el("section", "contact-group");
      group.dataset.channel = channel;
      const title = el("h4", "contact-group-title");
      title.append(channelIcon(channel), el("span", "", `${channelLabel(list[0])} (${list.length})`));
      const items = el("ul", "contact-items");
      list.forEach((c, index) => {
        const item = button("contact-item");
        item.dataset.conversationId = c.conversationId;
        const name = list.length > 1 ? `${channelLabel(c)} ${index + 1}` : channelLabel(c);
        const duration = el("span", "contact-duration");
        item.append(el("span", "contact-name", name), statePill(c.state), duration);
        // Each chat shows its wait for a response beside its total duration.
        const wait = isMessaging(c) ? waitChip() : null;
        if (wait) item.append(wait.node);
        item.addEventListener("click", () => onPick(c.conversationId));
        rows.set(c.conversationId, { item, duration, wait });
        const li = el("li");
        li.append(item);
        items.append(li);
      });
      group.append(title, items);
      return group;
    }));
  }

  return { node, set };
}

/** Whether a contact's total duration still runs (accepted, not ended). */
function running(contact) {
  return contact.acceptedAt !== null && contact.endedAt === null;
}

function contactDetail(features, keep) {
  const node = el("section", "card contact-detail");
  node.setAttribute("aria-label", "Contact");
  const head = el("header", "contact-head");
  const title = el("h3", "contact-title");
  const pills = el("div", "contact-pills");
  head.append(title, pills);
  const facts = el("dl", "facts contact-facts");
  const total = el("dd", "contact-total");
  const wait = waitChip();
  const waitValue = el("dd", "contact-wait");
  waitValue.append(wait.node);
  const sentiment = sentimentMeter();
  const ended = el("dd", "contact-ended");
  const endedLabel = el("dt", "", "Ended");
  facts.append(
    el("dt", "", "Total duration"), total,
    el("dt", "", "Response wait"), waitValue,
    el("dt", "", "Sentiment"), sentiment.node,
    endedLabel, ended,
  );
  const alert = el("p", "sentiment-alert", "Urgent attention is needed in your conversation.");
  alert.setAttribute("role", "status");
  const reconnect = reconnectBox();
  const actions = el("div", "contact-actions");
  const wrapUpSlot = el("div", "wrap-up-slot");
  const disposition = el("p", "contact-disposition");
  node.append(head, facts, alert, reconnect.node, actions, wrapUpSlot, disposition);
  const wrapUps = new Map(); // conversation id -> the form the agent types the disposition in
  let actionsKey = null;

  function set(contact, settings, since) {
    node.dataset.conversationId = contact.conversationId;
    node.dataset.channel = contact.channel;
    node.dataset.state = contact.state;
    title.replaceChildren(channelIcon(contact.channel), el("span", "", headline(contact)));
    pills.replaceChildren(statePill(contact.state), ...connection(contact));
    liveTimer(total, { seconds: contact.totalSeconds, since, running: running(contact) });
    if (contact.totalSeconds === null) total.textContent = "Not accepted yet";
    wait.set(contact, Number(settings.waitThresholdSeconds) || 0, since);
    waitValue.hidden = !isMessaging(contact);
    waitValue.previousElementSibling.hidden = waitValue.hidden;
    sentiment.set(contact, settings.sentimentLevels || []);
    alert.hidden = !contact.sentimentAlert;
    ended.textContent = endedByLabel(contact.endedBy);
    ended.hidden = endedLabel.hidden = !contact.endedBy;
    reconnect.set(contact, since);
    drawActions(contact);
    drawWrapUp(contact);
    disposition.hidden = !contact.disposition;
    disposition.textContent = contact.disposition ? `Disposition: ${contact.disposition}` : "";
  }

  function drawActions(contact) {
    const key = signature([contact.conversationId, contact.state, contact.elevateTo]);
    if (key === actionsKey) return;
    actionsKey = key;
    const buttons = [];
    if (features.conversations && contact.state === "active") {
      (contact.elevateTo || []).forEach((channel) => {
        const elevate = button("button elevate", `Elevate to ${elevationLabel(channel)}`);
        elevate.dataset.channel = channel;
        elevate.addEventListener("click", () => act(() => features.conversations.elevate(contact.conversationId, channel)));
        buttons.push(elevate);
      });
      const end = button("button danger end", "End conversation");
      end.addEventListener("click", () => {
        keep(contact.conversationId);
        act(() => features.conversations.end(contact.conversationId));
      });
      buttons.push(end);
    }
    actions.replaceChildren(...buttons);
    actions.hidden = !buttons.length;
  }

  async function act(call) {
    const buttons = actions.querySelectorAll("button");
    buttons.forEach((b) => { b.disabled = true; });
    const done = await call();
    // Success redraws the actions from the new state; a refusal leaves them usable.
    if (!done) buttons.forEach((b) => { b.disabled = false; });
  }

  function drawWrapUp(contact) {
    const wanted = features.conversations && contact.state === "wrapup" ? wrapUpForm(contact.conversationId) : null;
    if (wrapUpSlot.firstChild !== wanted) wrapUpSlot.replaceChildren(...(wanted ? [wanted] : []));
    wrapUpSlot.hidden = !wanted;
  }

  function wrapUpForm(id) {
    if (wrapUps.has(id)) return wrapUps.get(id);
    const form = el("form", "wrap-up");
    const label = el("label", "wrap-up-label", "Disposition");
    const input = el("input", "form-input wrap-up-input");
    input.name = "disposition";
    input.autocomplete = "off";
    input.placeholder = "What was the outcome?";
    label.htmlFor = input.id = `disposition-${id}`;
    const submit = el("button", "button primary", "Complete wrap-up");
    submit.type = "submit";
    submit.disabled = true;
    form.append(el("p", "wrap-up-hint muted", "Post-contact work: give a disposition to complete this contact."), label, input, submit);
    input.addEventListener("input", () => { submit.disabled = !input.value.trim(); });
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      const text = input.value.trim();
      if (!text) return;
      submit.disabled = true;
      const done = await features.conversations.wrapUp(id, text);
      if (done) wrapUps.delete(id);
      else submit.disabled = false;
    });
    wrapUps.set(id, form);
    return form;
  }

  return { node, set };
}

function headline(contact) {
  const name = contact.customer?.name || "";
  const via = channelLabel(contact);
  return contact.elevatedFrom ? `${via} with ${name} (elevated)` : `${via} with ${name}`;
}

function connection(contact) {
  if (contact.state !== "active" || contact.channel !== "chat") return [];
  if (contact.windowClosed) return [el("span", "connection-pill is-away", "Window closed")];
  return contact.customerConnected
    ? [el("span", "connection-pill is-connected", "Customer connected")]
    : [el("span", "connection-pill is-away", "Customer disconnected")];
}

function sentimentMeter() {
  const node = el("dd", "sentiment");
  const bar = el("span", "sentiment-meter");
  bar.setAttribute("aria-hidden", "true");
  const label = el("span", "sentiment-label");
  node.append(bar, label);
  return {
    node,
    set(contact, levels) {
      const index = levels.indexOf(contact.sentiment);
      if (bar.childElementCount !== levels.length) {
        bar.replaceChildren(...levels.map(() => el("span", "sentiment-step")));
      }
      Array.from(bar.children).forEach((step, i) => {
        step.classList.toggle("is-on", i === index);
      });
      node.dataset.level = String(index);
      node.classList.toggle("is-alert", Boolean(contact.sentimentAlert));
      label.textContent = sentimentLabel(contact.sentiment);
    },
  };
}

function reconnectBox() {
  const node = el("section", "reconnect");
  node.setAttribute("aria-label", "Reconnect link");
  const heading = el("h4", "reconnect-title", "Reconnect link");
  const row = el("div", "reconnect-row");
  const link = el("input", "form-input reconnect-link");
  link.readOnly = true;
  link.setAttribute("aria-label", "Reconnect link");
  const copy = button("button reconnect-copy", "Copy link");
  row.append(link, copy);
  const status = el("p", "reconnect-status");
  const left = el("span", "reconnect-left");
  node.append(heading, row, status);
  link.addEventListener("focus", () => link.select());
  copy.addEventListener("click", async () => {
    link.select();
    try {
      await navigator.clipboard.writeText(link.value);
    } catch {
      document.execCommand("copy"); // older clipboard path; the text stays selected anyway
    }
    copy.textContent = "Copied";
    setTimeout(() => { copy.textContent = "Copy link"; }, 1500);
  });
  return {
    node,
    set(contact, since) {
      const shown = contact.state === "active" && Boolean(contact.reconnectUrl) && !contact.windowClosed;
      node.hidden = !shown;
      if (!shown) { stopTimer(left); return; }
      if (link.value !== contact.reconnectUrl) link.value = contact.reconnectUrl;
      node.dataset.canReconnect = String(Boolean(contact.canReconnect));
      if (contact.canReconnect && contact.reconnectSecondsLeft !== null) {
        status.replaceChildren(el("span", "", "The customer can reconnect to this session for "), left);
        liveTimer(left, { seconds: contact.reconnectSecondsLeft, since, down: true });
      } else {
        stopTimer(left);
        status.replaceChildren(el("span", "", "Share it with the customer: it brings them back to this session if the chat drops."));
      }
    },
  };
}

function transcriptCard() {
  const node = el("section", "card transcript-card");
  node.setAttribute("aria-label", "Transcript");
  const heading = el("h3", "card-title", "Transcript");
  const list = transcriptList();
  node.append(heading, list.node);
  return {
    node,
    set(contact, customer) {
      node.hidden = !isMessaging(contact) && !(contact.messages || []).length;
      list.set(contact, customer);
    },
  };
}

/** A transcript: the customer's, the agent's and the system's messages, newest last. */
export function transcriptList() {
  const node = el("ol", "transcript");
  node.setAttribute("aria-live", "polite");
  let key = null;
  return {
    node,
    set(contact, customer) {
      const messages = contact.messages || [];
      const next = signature([contact.conversationId, messages]);
      if (next === key) return;
      key = next;
      const who = customer?.name || contact.customer?.name || "Customer";
      node.replaceChildren(...(messages.length
        ? messages.map((m) => message(m, who))
        : [el("li", "transcript-empty muted", "No messages yet.")]));
      node.scrollTop = node.scrollHeight;
    },
  };
}

function message(m, customerName) {
  const from = m.from || "system";
  const item = el("li", "message");
  item.dataset.from = from;
  const meta = el("span", "message-meta");
  const author = from === "customer" ? customerName : from === "agent" ? "You" : "";
  if (author) meta.append(el("span", "message-author", author));
  meta.append(el("time", "message-time", clockTime(m.at)));
  item.append(meta, el("span", "message-text", m.text));
  return item;
}
