/*
 * The journal drawer: every CIF call live, with its input, its result or error, and its
 * latency, and its diagnostics (warnings) when it has any. A deferred call (notifyEvent, a
 * quick create openForm) gets its late answer on the same line when it comes; notifyEvent shows
 * as waiting for the agent until then. The events the bridge sent to widgets and the faults set
 * through the control API show between them (journal entries of kind "event" and "fault");
 * only calls are counted.
 */
import { el } from "./dom.js";

const SHOWN = 500;

export function createJournal() {
  const drawer = document.getElementById("journal");
  const list = document.getElementById("journal-list");
  const toggle = document.getElementById("journal-toggle");
  const count = document.getElementById("journal-count");
  const filter = document.getElementById("journal-filter");
  let calls = 0;
  const rows = new Map(); // seq -> row
  const byRequest = new Map(); // provider + requestId -> the call's row, for its late answer

  const setOpen = (open) => {
    drawer.hidden = !open;
    toggle.setAttribute("aria-expanded", String(open));
    document.body.classList.toggle("journal-open", open);
  };
  toggle.addEventListener("click", () => setOpen(drawer.hidden));
  document.getElementById("journal-close").addEventListener("click", () => setOpen(false));
  filter.addEventListener("input", applyFilter);

  function backlog(items) {
    calls = 0;
    rows.clear();
    byRequest.clear();
    list.replaceChildren();
    (items || []).forEach(add);
  }

  function add(entry) {
    if (rows.has(entry.seq)) return;
    if (entry.kind === "event") list.prepend(sentRow(entry));
    else if (entry.kind === "fault") list.prepend(faultRow(entry));
    else if (entry.settled) settle(entry);
    else { list.prepend(row(entry)); calls += 1; }
    while (list.children.length > SHOWN) {
      const last = list.lastElementChild;
      rows.delete(Number(last.dataset.seq));
      byRequest.delete(last.dataset.request);
      last.remove();
    }
    count.textContent = String(calls);
  }

  function row(entry) {
    const item = el("li", "journal-entry");
    item.dataset.seq = String(entry.seq);
    item.dataset.api = entry.api;
    item.dataset.provider = entry.provider || "";
    const deferred = entry.deferred || (entry.ok && entry.value === null && entry.api === "notifyEvent");
    const head = el("div", "journal-head");
    head.append(
      el("span", "journal-api", entry.api),
      el("span", "journal-provider", entry.provider || ""),
      el("span", "journal-latency", latency(entry.latencyMs)),
      el("time", "journal-time", clockTime(entry.at)),
    );
    const args = el("pre", "journal-args", `(${(entry.args || []).map(json).join(", ")})`);
    const outcome = el("pre", "journal-outcome");
    item.append(head, args, outcome);
    if (Array.isArray(entry.warnings) && entry.warnings.length) {
      // Diagnostics: this call works here but is fragile or different in production.
      item.classList.add("has-warnings");
      const warnings = el("ul", "journal-warnings");
      entry.warnings.forEach((w) => { warnings.append(el("li", "journal-warning", `⚠ [${w.code}] ${w.message}`)); });
      item.append(warnings);
    }
    if (entry.unanswered) {
      // A fault kept the answer back: the widget's promise waits for its timeout (or a resend).
      item.classList.add("is-error");
      outcome.textContent = `✕ no answer (${entry.fault})`;
    } else if (deferred) {
      item.classList.add("is-pending");
      outcome.textContent = "… waiting for the agent";
    } else {
      showOutcome(item, outcome, entry);
    }
    if (entry.requestId) {
      item.dataset.request = requestKey(entry);
      byRequest.set(item.dataset.request, { item, outcome, entry });
    }
    rows.set(entry.seq, item);
    item.hidden = !matches(item);
    return item;
  }

  /** One line for an event the bridge sent to widgets: its name, whom for, its payload. */
  function sentRow(entry) {
    const fate = entry.dropped ? " · dropped by a fault" : entry.delayMs ? ` · delayed ${entry.delayMs} ms` : "";
    const whom = entry.provider === "*" ? "event to every widget" : `event to ${entry.provider}`;
    return noteRow(entry, "is-sent", entry.name, whom + fate, json(entry.payload));
  }

  /** One line for a fault set, fired or cleared. */
  function faultRow(entry) {
    const fault = entry.fault || {};
    const what = `${fault.effect} ${fault.api || fault.event || ""}`.trim();
    return noteRow(entry, "is-fault", `fault ${entry.change}`, `${fault.id}: ${what}`, json(entry.on || fault));
  }

  function noteRow(entry, kind, title, detail, text) {
    const item = el("li", `journal-entry ${kind}`);
    item.dataset.seq = String(entry.seq);
    item.dataset.api = title;
    item.dataset.provider = detail;
    const head = el("div", "journal-head");
    head.append(el("span", "journal-api", title), el("span", "journal-provider", detail),
      el("time", "journal-time", clockTime(entry.at)));
    item.append(head, el("pre", "journal-outcome", text));
    rows.set(entry.seq, item);
    item.hidden = !matches(item);
    return item;
  }

  /** Show a custom event a widget raised for the page (raiseEvent → workspace:event). */
  function event(message) {
    const item = el("li", "journal-entry is-event");
    item.dataset.api = message.name;
    item.dataset.provider = "";
    const head = el("div", "journal-head");
    head.append(el("span", "journal-api", message.name), el("span", "journal-provider", "event for the page"));
    item.append(head, el("pre", "journal-outcome", String(message.data)));
    item.hidden = !matches(item);
    list.prepend(item);
  }

  function settle(entry) {
    const waiting = byRequest.get(requestKey(entry));
    if (!waiting) { list.prepend(row({ ...entry, api: `${entry.api} (answer)` })); return; }
    waiting.item.classList.remove("is-pending");
    showOutcome(waiting.item, waiting.outcome, entry);
    const head = waiting.item.querySelector(".journal-latency");
    head.textContent = `${latency(waiting.entry.latencyMs)} · answered ${seconds(entry.at - waiting.entry.at)} later`;
  }

  function showOutcome(item, outcome, entry) {
    item.classList.toggle("is-error", !entry.ok);
    outcome.textContent = entry.ok ? `→ ${json(entry.value)}` : `✕ ${json(entry.error)}`;
  }

  function applyFilter() {
    list.querySelectorAll(".journal-entry").forEach((item) => { item.hidden = !matches(item); });
  }

  function matches(item) {
    const text = filter.value.trim().toLowerCase();
    if (!text) return true;
    return item.dataset.api.toLowerCase().includes(text) || item.dataset.provider.toLowerCase().includes(text);
  }

  return { backlog, add, event };
}

function requestKey(entry) {
  return `${entry.provider}\u0000${entry.requestId}`;
}

function json(value) {
  return value === undefined ? "undefined" : JSON.stringify(value);
}

function latency(ms) {
  return typeof ms === "number" ? `${ms.toFixed(1)} ms` : "";
}

function seconds(value) {
  return `${Math.max(0, value).toFixed(1)} s`;
}

function clockTime(at) {
  if (typeof at !== "number") return "";
  return new Date(at * 1000).toLocaleTimeString([], { hour12: false });
}
