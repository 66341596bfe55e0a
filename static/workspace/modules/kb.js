/*
 * The Knowledge search web resource (msdyn_kbsearchpagehost.html): articles, each with a Send
 * button that fires onsendkbarticle {title, link} to the active provider (reference §3).
 * Articles come from a `knowledgearticle` entity when the record store has one, else from the
 * few sample articles below, so the event can be tried with the bundled configuration.
 */
import { asText, button, el } from "./dom.js";
import { pageHeader } from "./pagekit.js";

const KB_ENTITY = "knowledgearticle";
const SAMPLE_ARTICLES = [
  { title: "Reset a forgotten portal password", number: "KA-01001" },
  { title: "Report a shipment that arrived damaged", number: "KA-01002" },
  { title: "Warranty terms for bike frames", number: "KA-01003" },
  { title: "Track an order that has not arrived", number: "KA-01004" },
];

export function createKbSearchPage(tab, _session, features) {
  const params = tab.parameters || {};
  const node = el("article", "kb-page");
  node.append(pageHeader(tab, "Knowledge search"));
  const form = el("form", "kb-search");
  form.setAttribute("role", "search");
  const input = el("input", "form-input");
  input.type = "search";
  input.name = "kb-query";
  input.value = asText(params.data || "");
  input.setAttribute("aria-label", "Search knowledge articles");
  const go = el("button", "button", "Search");
  go.type = "submit";
  form.append(input, go);
  const results = el("ul", "kb-results");
  node.append(form, results);
  form.addEventListener("submit", (event) => { event.preventDefault(); search(); });
  search();

  async function search() {
    try {
      const found = await articles(features, input.value.trim());
      results.replaceChildren(...(found.length ? found.map(article) : [el("li", "muted", "No articles match.")]));
    } catch (error) {
      results.replaceChildren(el("li", "muted", error.message));
    }
  }

  function article({ title, link }) {
    const item = el("li", "kb-article");
    item.append(el("span", "kb-title", title), el("span", "kb-link muted", link));
    if (features.sendKbArticle) {
      const send = button("button", "Send", `Send ${title}`);
      send.addEventListener("click", () => features.sendKbArticle({ title, link }));
      item.append(send);
    }
    return item;
  }

  return { node };
}

async function articles(features, text) {
  const entities = features.records ? await features.records.entities() : new Map();
  if (entities.has(KB_ENTITY)) {
    const query = text ? `?$search=${encodeURIComponent(text)}&$top=20` : "?$top=20";
    const rows = await features.records.list(KB_ENTITY, query);
    return rows.map((row) => ({
      title: asText(row.title ?? ""),
      link: asText(row.link ?? row.url ?? `${window.location.origin}/kb/${row.articlepublicnumber ?? row.knowledgearticleid}`),
    }));
  }
  // Sample articles: every one when no word of the search text matches any of them.
  const all = SAMPLE_ARTICLES.map((a) => ({ title: a.title, link: `${window.location.origin}/kb/${a.number}` }));
  const words = text.toLowerCase().split(/\s+/).filter((w) => w.length > 2);
  const hits = all.filter((a) => words.some((w) => a.title.toLowerCase().includes(w)));
  return hits.length ? hits : all;
}
