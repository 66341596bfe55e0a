/*
 * The Knowledge search web resource (msdyn_kbsearchpagehost.html): articles from the record
 * store, each with a Send button that fires onsendkbarticle {title, link} (reference §3).
 */
import { asText, button, el } from "./dom.js";
import { pageHeader } from "./pagekit.js";

export function createKbSearchPage(tab, session, features) {
  const params = tab.parameters || {};
  const node = el("article", "kb-page");
  node.append(pageHeader(tab, "Knowledge search"));
  const form = el("form", "kb-search");
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
    if (!features.records) {
      results.replaceChildren(el("li", "muted", "The records API is not available in this bridge."));
      return;
    }
    try {
      const articles = await features.records.list("knowledgearticle", { search: input.value });
      results.replaceChildren(...(articles.length ? articles.map(article) : [el("li", "muted", "No articles match.")]));
    } catch (error) {
      results.replaceChildren(el("li", "muted", error.message));
    }
  }

  function article(record) {
    const item = el("li", "kb-article");
    const title = asText(record.title || record.name || "");
    const link = asText(record.link || record.url || `${window.location.origin}/kb/${record.articlepublicnumber || record.knowledgearticleid || ""}`);
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
