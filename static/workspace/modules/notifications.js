/*
 * Notification toasts (reference §2.5, §4.3, §7): the displayed notifyEvent with its title, at
 * most 4 fields, a countdown to its display timeout and the template's accept/reject labels;
 * the queued ones are listed under it and follow when it is answered. The agent's answer goes
 * through the control API, which settles the widget's notifyEvent promise.
 */
import { agent } from "./api.js";
import { button, el } from "./dom.js";
import { icon } from "./icons.js";

const MAX_FIELDS = 4;

export function createNotifications() {
  const host = document.getElementById("toasts");
  let toast = null; // { id, node, countdown, deadline }
  const queue = el("ul", "toast-queue");
  let timer = null;

  function update(state) {
    const view = state.notifications || { displayed: null, queued: [] };
    const shown = view.displayed;
    if (!shown) {
      if (toast) { toast.node.remove(); toast = null; }
    } else if (!toast || toast.id !== shown.id) {
      if (toast) toast.node.remove();
      toast = buildToast(shown);
      // Never steals the focus: the agent may be typing in a form when a notification arrives.
      host.prepend(toast.node);
    }
    if (toast && shown) {
      // The bridge's clock decides; the page only counts down from what it was last told.
      toast.deadline = state.receivedAt + Number(shown.secondsLeft || 0) * 1000;
      tick();
    }
    renderQueue(view.queued || []);
    if (toast && shown.showTimeout !== false && !timer) timer = setInterval(tick, 250);
    if ((!toast || shown.showTimeout === false) && timer) { clearInterval(timer); timer = null; }
  }

  function buildToast(n) {
    const node = el("section", "toast");
    node.dataset.notificationId = n.id;
    node.dataset.theme = n.theme || "dark";
    // Raised by the host for an incoming conversation: host "conversation", subject its id.
    if (n.host) node.dataset.host = n.host;
    if (n.subject) node.dataset.subject = n.subject;
    node.setAttribute("role", "alertdialog");
    node.setAttribute("aria-label", n.title || "Notification");
    const head = el("div", "toast-head");
    const kind = /call|phone|voice/i.test(`${n.icon} ${n.template}`) ? "phone" : "chat";
    const picture = servedIcon(n.icon) || icon(kind, "toast-icon");
    const countdown = el("span", "toast-countdown");
    countdown.hidden = n.showTimeout === false;
    head.append(picture, el("h2", "toast-title", n.title || ""), countdown);
    const fields = el("dl", "toast-fields");
    (n.fields || []).slice(0, MAX_FIELDS).forEach((field) => {
      const row = el("div", "toast-field");
      row.append(el("dt", "", field.title ?? field.name ?? ""), el("dd", "", field.value ?? ""));
      fields.append(row);
    });
    const buttons = el("div", "toast-buttons");
    const accept = button("button accept", n.acceptButtonText || "Accept");
    accept.addEventListener("click", () => answer(n.id, "accept", buttons));
    buttons.append(accept);
    if (n.showRejectButton !== false) {
      const reject = button("button reject", n.rejectButtonText || "Reject");
      reject.addEventListener("click", () => answer(n.id, "reject", buttons));
      buttons.append(reject);
    }
    node.append(head, fields, buttons, queue);
    return { id: n.id, node, countdown, deadline: 0 };
  }

  function tick() {
    if (!toast) return;
    const left = Math.max(0, Math.ceil((toast.deadline - performance.now()) / 1000));
    toast.countdown.textContent = `${Math.floor(left / 60)}:${String(left % 60).padStart(2, "0")}`;
  }

  function renderQueue(queued) {
    queue.hidden = queued.length === 0;
    queue.replaceChildren(...(queued.length
      ? [el("li", "toast-queue-count", `${queued.length} more waiting`),
        ...queued.map((q) => { const li = el("li", "toast-queued", q.title || ""); li.dataset.notificationId = q.id; return li; })]
      : []));
  }

  async function answer(id, action, buttons) {
    buttons.querySelectorAll("button").forEach((b) => { b.disabled = true; });
    const named = { notification_id: id };
    const done = action === "reject"
      ? await agent("rejectNotificationById", named)
      : await agent("acceptNotificationById", named);
    if (!done) buttons.querySelectorAll("button").forEach((b) => { b.disabled = false; });
  }

  return { update };
}

function servedIcon(path) {
  // The template's web resource, when it is one the bridge serves (a path on this origin);
  // an address from anywhere else falls back to the built-in icon.
  if (typeof path !== "string" || !path.startsWith("/webresources/")) return null;
  const image = el("img", "toast-icon");
  image.alt = "";
  image.src = path;
  return image;
}
