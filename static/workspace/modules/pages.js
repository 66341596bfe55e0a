/*
 * Tab content by page type (reference §4.2): entity record (an editable form over the record
 * store; a live work item shows the conversation instead, conversation.js), entity list,
 * search results, dashboard, third-party website and web resource (in an iframe, reloaded when
 * the tab is shown again, as in Dynamics 365), control and custom pages.
 *
 * A page is `{node, update?(tab, session, state), shown?()}`; tabs.js keeps it alive.
 */
import { asText, el } from "./dom.js";
import { PAGE_TYPES, pageHeader, parameterList } from "./pagekit.js";
import { createDashboard } from "./dashboard.js";
import { createRecordPage, createRecordListPage, createSearchPage } from "./records.js";
import { createKbSearchPage } from "./kb.js";
import { LIVE_WORK_ITEM, createConversationPage } from "./conversation.js";

const KB_WEB_RESOURCE = "msdyn_kbsearchpagehost.html";

/** Build the page of one tab. */
export function createPage(tab, session, features) {
  const params = tab.parameters || {};
  switch (tab.pageType) {
    case "entityrecord":
      // The active conversation (a live work item) is the conversation view, not a form.
      if (params.entityName === LIVE_WORK_ITEM) return createConversationPage(tab, session, features);
      return createRecordPage(tab, session, features);
    case "entitylist": return createRecordListPage(tab, session, features);
    case "search": return createSearchPage(tab, session, features);
    case "dashboard": return createDashboard(tab, session, features);
    case "thirdpartywebsite": return framePage(tab, websiteUrl(params));
    case "webresource":
      if (params.webresourceName === KB_WEB_RESOURCE) return createKbSearchPage(tab, session, features);
      return framePage(tab, webResourceUrl(params));
    default: return parameterPage(tab);
  }
}

/** The third-party website's address: `url` with `data` appended (reference §4.2). */
export function websiteUrl(params) {
  return `${asText(params.url || "")}${asText(params.data || "")}`;
}

/** A web resource is served under /webresources/, its `data` passed as the `data` query. */
export function webResourceUrl(params) {
  const name = asText(params.webresourceName || "");
  const data = asText(params.data || "");
  return `/webresources/${name.split("/").map(encodeURIComponent).join("/")}` +
    (data ? `?data=${encodeURIComponent(data)}` : "");
}

function framePage(tab, url) {
  const node = el("article", "frame-page");
  const bar = el("div", "frame-bar");
  const address = el("span", "frame-address", url);
  address.dataset.tooltip = url;
  bar.append(el("span", "page-type", PAGE_TYPES[tab.pageType]), address);
  node.append(bar);
  let frame = null;
  // Loaded when first shown, and reloaded each time the tab is shown again (reference §7).
  return {
    node,
    shown() {
      if (!safeUrl(url)) {
        if (!frame) {
          frame = el("p", "muted", "This tab has no web address to show.");
          node.append(frame);
        }
        return;
      }
      if (!frame) {
        frame = el("iframe", "tab-frame");
        frame.title = tab.title || url;
        frame.setAttribute("sandbox", "allow-forms allow-popups allow-scripts allow-same-origin");
        node.append(frame);
      }
      frame.src = url;
    },
  };
}

function safeUrl(url) {
  // Only web addresses: never javascript: or data: from a template or a widget.
  try {
    const parsed = new URL(url, window.location.href);
    return parsed.protocol === "https:" || parsed.protocol === "http:";
  } catch {
    return false;
  }
}

function parameterPage(tab) {
  const node = el("article", "parameter-page");
  node.append(pageHeader(tab), parameterList(tab.parameters || {}));
  return { node };
}
