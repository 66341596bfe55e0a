/* What every tab page shares: the page-type names and the page heading. */
import { asText, el } from "./dom.js";

export const PAGE_TYPES = {
  entityrecord: "Entity record",
  entitylist: "Entity list",
  webresource: "Web resource",
  thirdpartywebsite: "Third-party website",
  dashboard: "Dashboard",
  search: "Search",
  control: "Control",
  custom: "Custom page",
};

/** Return a tab's title; a template title whose slugs all resolved empty falls back. */
export function tabTitle(tab, fallback) {
  const title = typeof tab.title === "string" ? tab.title.trim() : "";
  return title || fallback || PAGE_TYPES[tab.pageType] || tab.id;
}

/** Return the page heading shared by every page type. */
export function pageHeader(tab, subtitle) {
  const header = el("header", "page-header");
  const title = el("h2", "page-title", tabTitle(tab));
  title.dataset.tabTitle = "";
  header.append(
    title,
    el("p", "page-type", subtitle || PAGE_TYPES[tab.pageType] || tab.pageType || "Page"),
  );
  return header;
}

/** A definition list of a tab's parameters, values as text. */
export function parameterList(parameters) {
  const list = el("dl", "tab-parameters");
  Object.keys(parameters).forEach((name) => {
    list.append(el("dt", "", name), el("dd", "", asText(parameters[name])));
  });
  return list;
}
