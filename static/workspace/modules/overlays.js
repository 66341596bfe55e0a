/*
 * What widgets lay over the workspace (reference §2.11): message bars across the top
 * (showGlobalNotification, showTimeoutGlobalNotification), the progress indicator over the
 * sessions (showProgressIndicator), the dialog shown (openDialog, openMDDDialog; the others
 * wait behind it) and the notes flap in the communication panel (insertNotes). The agent's
 * answers go through the control API, which settles the widget's promise; every text a widget
 * gave is drawn with textContent, and an action link opens only as an http(s) URL in a new tab.
 */
import { agent } from "./api.js";
import { button, el, signature } from "./dom.js";

export function createOverlays() {
  const parts = [messageBars(), progress(), dialogs(), notesFlap()];
  return {
    update(state) {
      const overlays = state.overlays || {};
      for (const part of parts) part(overlays);
    },
  };
}

/** Draw `build(view)` into `host` only when the view changed (keeps typed text and focus). */
function redrawing(host, key, build) {
  let last = null;
  return (overlays) => {
    const view = overlays[key] ?? null;
    const now = signature(view);
    if (now === last) return;
    last = now;
    host.replaceChildren(...build(view));
    host.hidden = host.childElementCount === 0;
  };
}

function messageBars() {
  const host = document.getElementById("message-bars");
  return redrawing(host, "messageBars", (bars) => (bars || []).map(messageBar));
}

function messageBar(bar) {
  const node = el("div", "message-bar");
  node.dataset.barId = bar.id;
  node.dataset.level = bar.levelName || "information";
  node.dataset.kind = bar.kind;
  node.setAttribute("role", bar.level === 2 ? "alert" : "status");
  node.append(el("span", "message-bar-level", bar.levelName), el("span", "message-bar-text", bar.message));
  if (bar.actionLabel) {
    const action = button("message-bar-action", bar.actionLabel);
    action.addEventListener("click", () => clickAction(bar.id));
    node.append(action);
  }
  if (bar.showCloseButton) {
    const close = button("message-bar-close", "×", "Close this message");
    close.addEventListener("click", () => agent("closeMessageBar", { bar_id: bar.id }));
    node.append(close);
  }
  return node;
}

async function clickAction(barId) {
  const answer = await agent("clickMessageBarAction", { bar_id: barId });
  const link = answer?.actionLink;
  // The bridge accepts only http(s) links; the page checks again before it opens one.
  if (typeof link === "string" && /^https?:\/\//i.test(link)) {
    window.open(link, "_blank", "noopener,noreferrer");
  }
}

function progress() {
  const host = document.getElementById("progress-overlay");
  const message = document.getElementById("progress-message");
  return (overlays) => {
    const shown = overlays.progress;
    host.hidden = !shown;
    message.textContent = shown ? shown.message : "";
  };
}

function dialogs() {
  const host = document.getElementById("widget-dialogs");
  return redrawing(host, "dialogs", (queued) => {
    if (!queued || queued.length === 0) return [];
    return [queued[0].kind === "mdd" ? mddDialog(queued[0]) : confirmDialog(queued[0]), queueNote(queued)];
  });
}

function dialogFrame(dialog, title) {
  const node = el("section", "widget-dialog");
  node.dataset.dialogId = dialog.id;
  node.dataset.kind = dialog.kind;
  node.setAttribute("role", "dialog");
  node.setAttribute("aria-modal", "true");
  node.setAttribute("aria-label", title);
  node.append(el("h2", "", title));
  return node;
}

function confirmDialog(dialog) {
  const node = dialogFrame(dialog, dialog.title || "Confirm");
  if (dialog.subtitle) node.append(el("p", "widget-dialog-subtitle", dialog.subtitle));
  node.append(el("p", "widget-dialog-text", dialog.text));
  node.append(dialogButtons(dialog, dialog.confirmButtonLabel, dialog.cancelButtonLabel, () => undefined));
  return node;
}

function mddDialog(dialog) {
  const node = dialogFrame(dialog, dialog.name);
  const fields = el("div", "widget-dialog-fields");
  const inputs = Object.entries(dialog.parameters || {}).map(([name, value]) => {
    const input = el("input");
    input.name = name;
    input.value = typeof value === "string" ? value : JSON.stringify(value);
    input.setAttribute("aria-label", name);
    fields.append(el("span", "", name), input);
    return { name, input, original: value };
  });
  node.append(fields);
  // Fields the agent left alone go back as they came; edited ones as the text typed.
  const read = () =>
    Object.fromEntries(
      inputs.map(({ name, input, original }) => [
        name,
        input.value === (typeof original === "string" ? original : JSON.stringify(original))
          ? original
          : input.value,
      ]),
    );
  node.append(dialogButtons(dialog, "OK", "Cancel", read));
  return node;
}

function dialogButtons(dialog, okLabel, cancelLabel, read) {
  const row = el("div", "widget-dialog-buttons");
  const ok = button("button primary", okLabel || "OK");
  const cancel = button("button", cancelLabel || "Cancel");
  const answer = (confirmed) => {
    ok.disabled = cancel.disabled = true;
    const body = { confirmed, dialogId: dialog.id };
    const parameters = confirmed ? read() : undefined;
    if (parameters) body.parameters = parameters;
    agent("answerDialog", {}, body).then(() => { ok.disabled = cancel.disabled = false; });
  };
  ok.addEventListener("click", () => answer(true));
  cancel.addEventListener("click", () => answer(false));
  row.append(ok, cancel);
  return row;
}

function queueNote(queued) {
  const waiting = queued.length - 1;
  const note = el("p", "widget-dialog-queue", waiting ? `${waiting} more waiting` : "");
  note.hidden = waiting === 0;
  return note;
}

function notesFlap() {
  const host = document.getElementById("notes-flap");
  return redrawing(host, "notes", (flap) => (flap ? buildFlap(flap) : []));
}

function buildFlap(flap) {
  const head = el("div", "notes-flap-head");
  const close = button("panel-button", "×", "Close the notes");
  close.addEventListener("click", () => agent("cancelNotes"));
  head.append(el("span", "", "Add notes"), close);
  const about = el("p", "notes-flap-about", `${flap.entityName} ${flap.entityId}`);
  const text = el("textarea");
  text.placeholder = "Start adding notes";
  text.setAttribute("aria-label", "Take notes");
  const buttons = el("div", "notes-flap-buttons");
  const save = button("button primary", "Add note");
  save.addEventListener("click", () => {
    if (text.value.trim()) agent("saveNotes", {}, { text: text.value });
  });
  const cancel = button("button", "Cancel");
  cancel.addEventListener("click", () => agent("cancelNotes"));
  buttons.append(save, cancel);
  return [head, about, text, buttons];
}
