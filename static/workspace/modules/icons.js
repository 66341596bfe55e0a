/*
 * The few icons the page draws, as inline SVG built from constant path data (no emoji: the
 * fonts on a CI machine rarely have them).
 */
const SVG = "http://www.w3.org/2000/svg";
const PATHS = {
  phone: "M6.6 10.8a15.1 15.1 0 0 0 6.6 6.6l2.2-2.2a1 1 0 0 1 1-.25 11.4 11.4 0 0 0 3.6.57 1 1 0 0 1 1 1V20a1 1 0 0 1-1 1A17 17 0 0 1 3 4a1 1 0 0 1 1-1h3.5a1 1 0 0 1 1 1c0 1.25.2 2.45.57 3.57a1 1 0 0 1-.25 1z",
  chat: "M4 4h16a2 2 0 0 1 2 2v10a2 2 0 0 1-2 2H8l-4 4V6a2 2 0 0 1 2-2z",
  home: "M12 3l9 8h-3v9h-5v-6h-2v6H6v-9H3z",
};

/** Return an <svg> icon by name, hidden from assistive technology. */
export function icon(name, className = "icon") {
  const svg = document.createElementNS(SVG, "svg");
  svg.setAttribute("viewBox", "0 0 24 24");
  svg.setAttribute("aria-hidden", "true");
  svg.setAttribute("focusable", "false");
  svg.setAttribute("class", className);
  const path = document.createElementNS(SVG, "path");
  path.setAttribute("d", PATHS[name] || PATHS.chat);
  path.setAttribute("fill", "currentColor");
  svg.append(path);
  return svg;
}
