/*
 * Hover and keyboard-focus tooltips drawn in the page (native `title` tooltips are invisible to
 * screenshots and to keyboard users). Any element with `data-tooltip` gets one.
 */

export function installTooltips(root) {
  const tip = document.getElementById("tooltip");
  let owner = null;

  function show(target) {
    const text = target.dataset.tooltip;
    if (!text) return hide();
    owner = target;
    tip.textContent = text;
    tip.hidden = false;
    const box = target.getBoundingClientRect();
    const left = Math.min(box.right + 8, window.innerWidth - tip.offsetWidth - 8);
    tip.style.left = `${Math.max(8, left)}px`;
    tip.style.top = `${Math.max(8, box.top + box.height / 2 - tip.offsetHeight / 2)}px`;
    target.setAttribute("aria-describedby", "tooltip");
  }

  function hide() {
    if (owner) owner.removeAttribute("aria-describedby");
    owner = null;
    tip.hidden = true;
  }

  const find = (event) => event.target.closest?.("[data-tooltip]");
  root.addEventListener("pointerover", (event) => { const t = find(event); if (t) show(t); });
  root.addEventListener("pointerout", (event) => {
    if (owner && !owner.contains(event.relatedTarget)) hide();
  });
  root.addEventListener("focusin", (event) => { const t = find(event); if (t) show(t); });
  root.addEventListener("focusout", hide);
  return {
    /** Redraw the tooltip when its owner's text changed under the pointer. */
    refresh() {
      if (owner && !owner.isConnected) hide();
      else if (owner) show(owner);
    },
  };
}
