/*
 * The communication panel: one iframe per channel provider (window.name
 * "cifbridge-provider:<uniqueName>", created once and never rebuilt: re-creating it would reload
 * the partner's widget and drop its calls in flight), shown Docked, Minimized or Hidden as the
 * state says, at the state's width. The agent's own moves (the header buttons, dragging the
 * edge) go through the control API, which fires onmodechanged / onsizechanged.
 */
import { AGENT } from "./agent.js";
import { button } from "./dom.js";

const MODES = { 0: "minimized", 1: "docked", 2: "hidden" };
const MIN_WIDTH = 300;

export function createCommunicationPanel(features) {
  const panel = document.getElementById("communication-panel");
  const host = document.getElementById("widget-host");
  const tabs = document.getElementById("provider-tabs");
  const title = document.getElementById("panel-title");
  const showButton = document.getElementById("panel-show");
  const frames = new Map();
  let active = null;
  let followed = null;
  let width = null;
  let dragging = false;

  document.getElementById("panel-minimize").addEventListener("click", () => setMode(0));
  document.getElementById("panel-dock").addEventListener("click", () => setMode(1));
  document.getElementById("panel-hide").addEventListener("click", () => setMode(2));
  showButton.addEventListener("click", () => setMode(1));
  setupResize();

  function update(state) {
    const providers = state.providers || [];
    providers.forEach(ensureFrame);
    frames.forEach((frame, id) => {
      if (!providers.some((p) => p.uniqueName === id)) { frame.remove(); frames.delete(id); }
    });
    followActiveProvider(state, providers);
    const panelState = state.panel || {};
    const mode = MODES[panelState.mode] || "docked";
    panel.dataset.mode = mode;
    width = Number(panelState.width) || null;
    if (!dragging) applyWidth(width);
    renderTabs(providers);
    const current = providers.find((p) => p.uniqueName === active);
    title.textContent = current ? current.label || current.uniqueName : "";
    renderButtons(mode);
  }

  function followActiveProvider(state, providers) {
    // Show the active provider's widget (the focused session's provider, the default one on
    // Home) whenever it changes; a provider tab the agent picked stays until then.
    const focused = (state.sessions || []).find((s) => s.focused);
    const wanted = state.activeProvider || focused?.providerId || null;
    if (wanted !== followed && frames.has(wanted)) active = wanted;
    followed = wanted;
    if (!frames.has(active)) active = providers.length ? providers[0].uniqueName : null;
  }

  function renderButtons(mode) {
    const can = Boolean(features.panelActions);
    document.getElementById("panel-hide").hidden = !can;
    document.getElementById("panel-dock").hidden = !can || mode === "docked";
    document.getElementById("panel-minimize").hidden = !can || mode === "minimized";
    showButton.hidden = !can || mode !== "hidden";
  }

  function ensureFrame(provider) {
    if (frames.has(provider.uniqueName)) return;
    // The same attributes as the real widget container (reference §6.3); the name tells the
    // shim inside which provider it speaks for.
    const frame = document.createElement("iframe");
    frame.className = "widget-frame";
    // The widget's shim reads its provider and this page's agent from the window name.
    frame.name = `cifbridge-provider:${provider.uniqueName}${agentSuffix()}`;
    frame.title = provider.label || provider.uniqueName;
    frame.setAttribute("allow", "microphone; camera; geolocation");
    frame.setAttribute("sandbox", "allow-forms allow-popups allow-scripts allow-same-origin allow-modals");
    frame.src = provider.landingUrl;
    frame.dataset.provider = provider.uniqueName;
    frames.set(provider.uniqueName, frame);
    host.append(frame);
  }

  function renderTabs(providers) {
    // Only worth a tab strip when there is a choice to make.
    tabs.hidden = providers.length < 2;
    title.hidden = !tabs.hidden;
    tabs.replaceChildren(...providers.map((provider) => {
      const tab = button("provider-tab", provider.label || provider.uniqueName);
      tab.setAttribute("role", "tab");
      tab.setAttribute("aria-selected", String(provider.uniqueName === active));
      tab.addEventListener("click", () => {
        active = provider.uniqueName;
        renderTabs(providers);
        showActive();
      });
      return tab;
    }));
    showActive();
  }

  function showActive() {
    frames.forEach((frame, id) => { frame.hidden = id !== active; });
  }

  function applyWidth(value) {
    panel.style.width = panel.dataset.mode === "docked" && value ? `${value}px` : "";
    // Toasts keep clear of the panel, so the widget under test stays in sight.
    document.body.style.setProperty("--panel-space", `${panel.getBoundingClientRect().width}px`);
  }

  function setupResize() {
    const edge = document.getElementById("panel-resize");
    let startX = 0;
    let startWidth = 0;
    edge.addEventListener("pointerdown", (event) => {
      if (!features.panelActions || panel.dataset.mode !== "docked") return;
      dragging = true;
      startX = event.clientX;
      startWidth = panel.getBoundingClientRect().width;
      edge.setPointerCapture(event.pointerId);
      panel.classList.add("is-resizing");
    });
    edge.addEventListener("pointermove", (event) => {
      if (!dragging) return;
      // The panel sits on the right: dragging its left edge leftwards widens it.
      applyWidth(Math.max(MIN_WIDTH, Math.round(startWidth + startX - event.clientX)));
    });
    const finish = (event) => {
      if (!dragging) return;
      dragging = false;
      panel.classList.remove("is-resizing");
      const next = Math.max(MIN_WIDTH, Math.round(startWidth + startX - event.clientX));
      if (next !== width) setWidth(next);
      else applyWidth(width);
    };
    edge.addEventListener("pointerup", finish);
    edge.addEventListener("pointercancel", finish);
    edge.addEventListener("keydown", (event) => {
      const step = event.key === "ArrowLeft" ? 20 : event.key === "ArrowRight" ? -20 : 0;
      if (!step || !features.panelActions || !width) return;
      event.preventDefault();
      setWidth(Math.max(MIN_WIDTH, width + step));
    });
  }

  function setMode(mode) {
    if (features.panelActions) features.panelActions.setMode(mode);
  }

  function setWidth(value) {
    if (features.panelActions) features.panelActions.setWidth(value);
  }

  return { update };
}

/** What a widget iframe's window name carries after its provider: this page's agent, if named. */
function agentSuffix() {
  return AGENT === "default" ? "" : `;agent=${AGENT}`;
}
