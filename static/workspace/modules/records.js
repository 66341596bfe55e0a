/*
 * Pages over the record store: the entity record form (fields from the entity's metadata,
 * editable and saved with PATCH through the records API; phone fields offer click-to-act), the
 * entity list and the search results.
 *
 * A form keeps what the agent typed: it is built once per tab and never rebuilt by a state
 * push; fresh values from the store (a widget's updateRecord, another agent page) replace only
 * the fields the agent has not touched.
 */
import { agent, showError } from "./api.js";
import { asText, button, el } from "./dom.js";
import { icon } from "./icons.js";
import { pageHeader, parameterList } from "./pagekit.js";
import { createFieldSet, displayValue } from "./fields.js";

const ENTITY_RECORD_TEMPLATE = "msdyn_entityrecord";
const LIST_SIZE = 50;

/** The entity record page: a form over one record, or a create form for a new one. */
export function createRecordPage(tab, _session, features) {
  const params = tab.parameters || {};
  const entity = asText(params.entityName || "");
  const node = el("article", "record-page");
  const header = pageHeader(tab, entity ? `Entity record · ${entity}` : "Entity record");
  const status = el("p", "record-status muted");
  status.setAttribute("role", "status");
  node.append(header);
  if (!features.records || !entity) {
    status.textContent = entity ? "The records API is not available in this bridge." : "This tab names no entity.";
    node.append(status, parameterList(params));
    return { node };
  }
  const form = el("form", "record-form");
  form.noValidate = true;
  form.dataset.entity = entity;
  node.append(form, status);
  const record = { id: asText(params.entityId || ""), meta: null, fields: null, createForm: null };
  let seenVersion;
  let clickToAct = null;

  form.addEventListener("submit", (event) => { event.preventDefault(); save(); });
  load();

  async function load() {
    try {
      record.meta = (await features.records.entities()).get(entity);
      if (!record.meta) { status.textContent = `No entity called ${entity} in the record store.`; return; }
      const values = await initialValues();
      record.fields = createFieldSet(form, record.meta, values, { callButton, onDirty });
      showName(values);
      form.dataset.recordId = record.id;
      form.append(actions());
      if (clickToAct) record.fields.setClickToAct(clickToAct);
    } catch (error) {
      status.textContent = error.message;
    }
  }

  async function initialValues() {
    if (record.id) {
      try {
        return await features.records.get(entity, record.id);
      } catch (error) {
        // Dynamics opens a missing record as a create form unless validateRecord says not to.
        if (params.validateRecord === true) throw error;
        status.textContent = `Record ${record.id} was not found; saving creates it.`;
        record.id = "";
      }
    }
    record.createForm = await features.records.form(tab.id).catch(() => null);
    form.dataset.mode = "create";
    return defaults(record.createForm ? record.createForm.data : params.data);
  }

  function showName(values) {
    // The heading names the record, as a Dynamics form does; the tab keeps its template title.
    const name = values[record.meta.PrimaryNameAttribute];
    const heading = header.querySelector(".page-title");
    delete heading.dataset.tabTitle;
    heading.textContent = name ? asText(name) : `New ${record.meta.DisplayName || entity}`;
    header.querySelector(".page-type").textContent = `${record.meta.DisplayName || entity} · Entity record`;
  }

  function actions() {
    const bar = el("div", "form-actions");
    const saveButton = el("button", "button primary", "Save");
    saveButton.type = "submit";
    bar.append(saveButton);
    bar.append(el("span", "form-dirty muted", "Unsaved changes"));
    if (record.createForm) {
      const cancel = button("button", "Cancel");
      cancel.addEventListener("click", () => features.records.cancelForm(tab.id));
      bar.append(cancel);
    }
    return bar;
  }

  function onDirty() {
    form.classList.add("is-dirty");
    status.textContent = "";
  }

  function callButton(attribute, input) {
    const call = button("click-to-act", undefined, `Call ${attribute.DisplayName || attribute.LogicalName}`);
    call.append(icon("phone"));
    call.dataset.attribute = attribute.LogicalName;
    call.addEventListener("click", () => features.clickToAct({
      value: input.value,
      name: attribute.LogicalName,
      format: "phone",
      entityLogicalName: entity,
      ...(record.id ? { entityId: record.id } : {}),
      recordTitle: asText(record.fields.value(record.meta.PrimaryNameAttribute) ?? ""),
    }));
    return call;
  }

  async function save() {
    if (!record.fields) return;
    const changes = record.fields.changes();
    if (!Object.keys(changes).length && record.id) { status.textContent = "Nothing to save."; return; }
    try {
      if (record.createForm) {
        // The bridge answers the widget's openForm and turns this tab into the saved record.
        await features.records.saveForm(tab.id, changes);
        status.textContent = "Saved.";
        return;
      }
      const saved = record.id
        ? await features.records.update(entity, record.id, changes)
        : await features.records.create(entity, changes);
      record.id = saved[record.meta.PrimaryIdAttribute] || saved.id || record.id;
      form.dataset.recordId = record.id;
      form.dataset.mode = "edit";
      record.fields.saved(saved);
      showName(saved);
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
      clickToAct = clickToActState(state);
      if (record.fields) record.fields.setClickToAct(clickToAct);
      const version = state.recordsVersion;
      if (seenVersion !== undefined && version !== seenVersion && record.id && record.fields) {
        features.records.get(entity, record.id).then((fresh) => {
          record.fields.refresh(fresh);
          if (!form.classList.contains("is-dirty")) showName(fresh);
        }).catch(() => {});
      }
      seenVersion = version;
    },
  };
}

function clickToActState(state) {
  // onclicktoact reaches the active provider only while its click-to-act is on.
  const provider = (state.providers || []).find((p) => p.uniqueName === state.activeProvider);
  return { enabled: Boolean(provider?.clickToAct), provider: provider ? provider.label || provider.uniqueName : "" };
}

/** The entity list page: the records of one entity; a row opens its record in a new tab. */
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
  let sessionId = session.id;
  const refresh = async () => {
    try {
      const meta = (await features.records.entities()).get(entity);
      if (!meta) throw new Error(`No entity called ${entity} in the record store.`);
      const records = await features.records.list(entity, `?$top=${LIST_SIZE}`);
      body.replaceChildren(recordTable(meta, records, (id) => openRecord(sessionId, entity, id)));
    } catch (error) {
      body.replaceChildren(el("p", "muted", error.message));
    }
  };
  refresh();
  return { node, shown: refresh, update(_tab, current) { sessionId = current.id; } };
}

/** The search page: records of every entity matching the tab's search text. */
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
  search();
  return { node };

  async function search() {
    try {
      const metas = [...(await features.records.entities()).values()];
      const query = `?$search=${encodeURIComponent(text)}&$top=${LIST_SIZE}`;
      const found = await Promise.all(metas.map((meta) => features.records.list(meta.LogicalName, query).catch(() => [])));
      const parts = [];
      metas.forEach((meta, index) => {
        if (!found[index].length) return;
        parts.push(el("h3", "card-title", `${meta.DisplayCollectionName || meta.LogicalName} (${found[index].length})`),
          recordTable(meta, found[index], (id) => openRecord(session.id, meta.LogicalName, id)));
      });
      body.replaceChildren(...(parts.length ? parts : [el("p", "muted", "No records match.")]));
    } catch (error) {
      body.replaceChildren(el("p", "muted", error.message));
    }
  }
}

/** A table of records: the primary name and a few plain columns; a row click opens it. */
export function recordTable(meta, records, open) {
  if (!records.length) return el("p", "muted", "No records.");
  const columns = listColumns(meta);
  const table = el("table", "record-table");
  const head = el("tr");
  columns.forEach((a) => { head.append(el("th", "", a.DisplayName || a.LogicalName)); });
  const tbody = el("tbody");
  records.forEach((row) => {
    const tr = el("tr");
    tr.dataset.recordId = row[meta.PrimaryIdAttribute];
    columns.forEach((a, index) => {
      const td = el("td");
      const text = displayValue(row, a);
      if (index === 0 && open) {
        const link = button("record-link", text || "(no name)");
        link.addEventListener("click", () => open(row[meta.PrimaryIdAttribute]));
        td.append(link);
      } else {
        td.textContent = text;
      }
      tr.append(td);
    });
    tbody.append(tr);
  });
  const thead = el("thead");
  thead.append(head);
  table.append(thead, tbody);
  return table;
}

function listColumns(meta) {
  const seen = new Set([meta.PrimaryIdAttribute]);
  const attributes = (meta.Attributes || []).filter((a) => !seen.has(a.LogicalName) && seen.add(a.LogicalName));
  const primary = attributes.find((a) => a.LogicalName === meta.PrimaryNameAttribute);
  const others = attributes.filter((a) => a !== primary && !["createdon", "modifiedon", "description"].includes(a.LogicalName));
  return [primary, ...others].filter(Boolean).slice(0, 6);
}

function openRecord(sessionId, entityName, entityId) {
  agent("openTab", { session_id: sessionId }, {
    templateName: ENTITY_RECORD_TEMPLATE,
    templateParameters: { [ENTITY_RECORD_TEMPLATE]: { entityName, entityId } },
  });
}

function defaults(data) {
  if (data && typeof data === "object") return data;
  if (typeof data === "string" && data.trim().startsWith("{")) {
    try { return JSON.parse(data); } catch { /* not JSON: no defaults */ }
  }
  return {};
}
