/*
 * The confirmation dialog: a real in-page modal (<dialog>), so the agent (and a test) answers it
 * in the page, as in Dynamics 365, instead of through the browser's window.confirm.
 */

const dialog = () => document.getElementById("confirm-dialog");

/** Ask the agent to confirm; resolve true for the confirming button, false otherwise. */
export function confirmAction({ title, message, confirmLabel }) {
  const node = dialog();
  if (node.open) node.close("cancel");
  document.getElementById("confirm-title").textContent = title;
  document.getElementById("confirm-message").textContent = message;
  document.getElementById("confirm-ok").textContent = confirmLabel;
  node.returnValue = "cancel";
  return new Promise((resolve) => {
    node.addEventListener("close", () => resolve(node.returnValue === "ok"), { once: true });
    node.showModal();
    document.getElementById("confirm-cancel").focus();
  });
}
