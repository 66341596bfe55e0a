/*
 * DOM helpers. Every string that comes from a widget, a template or the agent goes through
 * textContent or a property, never innerHTML: a title like `<img onerror=...>` stays text.
 */

/** Create an element with an optional class name and text content. */
export function el(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined && text !== null) node.textContent = String(text);
  return node;
}

/** Create a <button type="button">. */
export function button(className, text, label) {
  const node = el("button", className, text);
  node.type = "button";
  if (label) node.setAttribute("aria-label", label);
  return node;
}

/** Show a JSON value as short text: strings as they are, anything else as JSON. */
export function asText(value) {
  if (typeof value === "string") return value;
  if (value === undefined) return "";
  return JSON.stringify(value);
}

/** Replace the children of `node` with `children` (node lists or arrays). */
export function setChildren(node, children) {
  node.replaceChildren(...children);
}

/** Return a stable text key for plain data, to notice when something really changed. */
export function signature(value) {
  return JSON.stringify(value === undefined ? null : value);
}
