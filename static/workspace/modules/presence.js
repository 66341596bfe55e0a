/*
 * The presence picker in the app bar: the agent's presence (its colour and text) and a menu of
 * the configured presences. Picking one goes through the control API, and every widget hears
 * onPresenceChange; a widget's setPresence shows here through the state.
 */
import { button, el } from "./dom.js";

export function createPresencePicker(features) {
  const host = document.getElementById("presence");
  const toggle = button("app-button presence-button");
  toggle.setAttribute("aria-haspopup", "menu");
  toggle.setAttribute("aria-expanded", "false");
  const dot = el("span", "presence-dot");
  const text = el("span", "presence-text");
  toggle.append(dot, text);
  const menu = el("ul", "menu presence-menu");
  menu.setAttribute("role", "menu");
  menu.setAttribute("aria-label", "Presence");
  menu.hidden = true;
  host.append(toggle, menu);

  const open = (yes) => {
    menu.hidden = !yes;
    toggle.setAttribute("aria-expanded", String(yes));
    if (yes) { const current = menu.querySelector('[aria-checked="true"]') || menu.querySelector("button"); if (current) current.focus(); }
  };
  toggle.addEventListener("click", () => open(menu.hidden));
  document.addEventListener("click", (event) => { if (!host.contains(event.target)) open(false); });
  menu.addEventListener("keydown", (event) => { if (event.key === "Escape") { open(false); toggle.focus(); } });

  function update(state) {
    const current = state.presence;
    const presences = state.presences || [];
    host.hidden = !features.presence || (!current && !presences.length);
    const label = current ? current.presenceText : "Unknown";
    text.textContent = label;
    dot.style.backgroundColor = current?.presenceColor || "";
    toggle.setAttribute("aria-label", `Presence: ${label}`);
    toggle.dataset.tooltip = `Presence: ${label}`;
    menu.replaceChildren(...presences.map((presence) => {
      const li = el("li");
      li.setAttribute("role", "none");
      const item = button("menu-item presence-item");
      item.setAttribute("role", "menuitemradio");
      const checked = Boolean(current && current.presenceId === presence.presenceId);
      item.setAttribute("aria-checked", String(checked));
      item.dataset.presenceId = presence.presenceId;
      const swatch = el("span", "presence-dot");
      swatch.style.backgroundColor = presence.presenceColor || "";
      const name = el("span", "presence-name", presence.presenceText);
      const row = el("span", "presence-row");
      const check = el("span", "presence-check", checked ? "✓" : "");
      check.setAttribute("aria-hidden", "true");
      row.append(swatch, name);
      item.append(row, check);
      item.addEventListener("click", () => {
        open(false);
        if (!checked) features.presence.set(presence.presenceId);
      });
      li.append(item);
      return li;
    }));
  }

  return { update };
}
