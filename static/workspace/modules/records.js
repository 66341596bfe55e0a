/*
 * Pages over the record store: the entity record form (editable, saved with PATCH through the
 * records API, phone fields offering click-to-act), the entity list and the search results.
 *
 * A form keeps what the agent typed: it is built once per tab and never rebuilt by a state
 * push; fresh values from the store only replace fields the agent has not touched.
 */
import { asText, button, el } from "./dom.js";
import { pageHeader, parameterList } from "./pagekit.js";
import { showError } from "./api.js";

const PHONE = /phone/i;

/** The entity record page: a form over one record, or a create form for a new one. */
export function createRecordPage(tab, session, features) {
  const params = tab.parameters || {};
  const entity = asText(params.entityName || "");
  const id = asText(params.entityId || "");
  const node = el("article", "record-page");
  node.append(pageHeader(tab, entity ? `Entity record · ${entity}` : "Entity record"));
  const form = el("form", "record-form");
  form.noValidate = true;
  form.dataset.entity = entity;
  form.dataset.recordId = id;
  const status = el("p", "record-status muted");
  status.setAttribute("role", "status");
  const fields = new Map(); // name -> { input, original, dirty }
  let loadedRevision = null;

  if (!features.records || !entity) {
    status.textContent = entity ? "The records API is not available in this bridge." : "No entity name.";
    node.append(status, parameterList(params));
    return { node };
  }

  node.append(form, status);
  form.addEventListener("submit", (event) => { event.preventDefault(); save(); });
  load();

  async function load() {
    try {
      const record = id ? await features.records.get(entity, id) : null;
      if (id && !record) status.textContent = `Record ${id} was not found; saving creates it.`;
      merge(record || defaults(params), !record);
      if (!form.querySelector(".form-actions")) form.append(actions());
    } catch (error) {
      status.textContent = error.message;
    }
  }

  function merge(record, creating) {
    Object.entries(record).forEach(([name, value]) => {
      if (!editable(entity, name, value)) return;
      let field = fields.get(name);
      if (!field) {
        field = addField(name, value);
        fields.set(name, field);
      } else if (!field.dirty) {
        field.input.value = value === null ? "" : asText(value);
      }
      field.original = value;
    });
    form.dataset.mode = creating ? "create" : "edit";
  }

  function addField(name, value) {
    const row = el("div", "form-row");
    const inputId = `${tab.id}-${name}`;
    const label = el("label", "form-label", name);
    label.htmlFor = inputId;
    const input = el("input", "form-input");
    input.id = inputId;
    input.name = name;
    input.value = value === null || value === undefined ? "" : asText(value);
    input.autocomplete = "off";
    if (PHONE.test(name)) input.type = "tel";
    const field = { input, original: value, dirty: false };
    input.addEventListener("input", () => { field.dirty = true; form.classList.add("is-dirty"); });
    row.append(label, input);
    if (PHONE.test(name) && features.clickToAct) row.append(callButton(name, input));
    form.insertBefore(row, form.querySelector(".form-actions"));
    return field;
  }

  function callButton(name, input) {
    const call = button("click-to-act", "📞", `Call ${name}`);
    call.dataset.tooltip = "Call with the channel provider (click-to-act)";
    call.addEventListener("click", () => {
      features.clickToAct({ value: input.value, name, format: "phone", entityLogicalName: entity });
    });
    return call;
  }

  function actions() {
    const bar = el("div", "form-actions");
    const saveButton = el("button", "button primary", "Save");
    saveButton.type = "submit";
    bar.append(saveButton);
    return bar;
  }

  async function save() {
    const changes = {};
    fields.forEach((field, name) => {
      if (field.dirty) changes[name] = coerce(field.input.value, field.original);
    });
    if (!Object.keys(changes).length) { status.textContent = "Nothing to save."; return; }
    try {
      await features.records.update(entity, id, changes);
      fields.forEach((field, name) => {
        if (name in changes) { field.dirty = false; field.original = changes[name]; }
      });
      form.classList.remove("is-dirty");
      status.textContent = "Saved.";
    } catch (error) {
      showError(error);
      status.textContent = `Not saved: ${error.message}`;
    }
  }

  return {
    node,
    update(_tab, _session, state) {
      // Someone else (a widget's updateRecord, another page) changed the store: refresh the
      // fields the agent has not touched.
      const revision = state.recordsRevision;
      if (revision === undefined || revision === loadedRevision) return;
      if (loadedRevision !== null && id) {
        features.records.get(entity, id).then((record) => record && merge(record, false)).catch(() => {});
      }
      loadedRevision = revision;
    },
  };
}

/** The entity list page: the records of one entity. */
export function createRecordListPage(tab, session, features) {
  const params = tab.parameters || {};
  const entity = asText(params.entityName || "");
  const node = el("article", "list-page");
  node.append(pageHeader(tab, entity ? `Entity list · ${entity}` : "Entity list"));
  const body = el("div", "list-body");
  node.append(body);
  if (!features.records || !entity) {
    body.append(el("p", "muted", "The records API is not available in this bridge."), parameterList(params));
    return { node };
  }
  const refresh = () => features.records.list(entity, {})
    .then((records) => body.replaceChildren(recordTable(entity, records)))
    .catch((error) => body.replaceChildren(el("p", "muted", error.message)));
  refresh();
  return { node, shown: refresh };
}

/** The search page: records matching the tab's search text. */
export function createSearchPage(tab, session, features) {
  const params = tab.parameters || {};
  const text = asText(params.searchText || "");
  const node = el("article", "search-page");
  node.append(pageHeader(tab, `Search results for \u201c${text}\u201d`));
  const body = el("div", "list-body");
  node.append(body);
  if (!features.records) {
    body.append(el("p", "muted", "The records API is not available in this bridge."), parameterList(params));
    return { node };
  }
  features.records.search(text)
    .then((groups) => body.replaceChildren(...searchResults(groups)))
    .catch((error) => body.replaceChildren(el("p", "muted", error.message)));
  return { node };
}

function searchResults(groups) {
  const parts = [];
  Object.entries(groups).forEach(([entity, records]) => {
    if (!records.length) return;
    parts.push(el("h3", "card-title", `${entity} (${records.length})`), recordTable(entity, records));
  });
  return parts.length ? parts : [el("p", "muted", "No records match.")];
}

/** A table of records: one row each, columns from their plain attributes. */
export function recordTable(entity, records) {
  if (!records.length) return el("p", "muted", "No records.");
  const columns = [];
  records.forEach((record) => Object.keys(record).forEach((name) => {
    if (!columns.includes(name) && editable(entity, name, record[name])) columns.push(name);
  }));
  const table = el("table", "record-table");
  const head = el("tr");
  columns.slice(0, 6).forEach((name) => head.append(el("th", "", name)));
  table.append(el("thead"), el("tbody"));
  table.tHead.append(head);
  records.forEach((record) => {
    const row = el("tr");
    columns.slice(0, 6).forEach((name) => row.append(el("td", "", record[name] == null ? "" : asText(record[name]))));
    table.tBodies[0].append(row);
  });
  return table;
}

function editable(entity, name, value) {
  // Keys and annotations are the store's, not the agent's to edit.
  if (name.includes("@") || name.startsWith("_") || name === `${entity}id`) return false;
  return value === null || ["string", "number", "boolean"].includes(typeof value);
}

function defaults(params) {
  const data = params.data;
  if (data && typeof data === "object") return data;
  if (typeof data === "string" && data.trim().startsWith("{")) {
    try { return JSON.parse(data); } catch { /* fall through */ }
  }
  return {};
}

function coerce(text, original) {
  if (typeof original === "number") return text.trim() === "" ? null : Number(text);
  if (typeof original === "boolean") return text.trim().toLowerCase() === "true";
  return text;
}
