/*
 * The fields of a record form, one per attribute of the entity's metadata, each an input of its
 * type: text (phone numbers as tel, with a click-to-act button), multi-line text, numbers,
 * option sets as selects, yes/no; lookups, statuses and system dates are shown read-only.
 * The set tracks what the agent changed, so a refresh never overwrites their typing.
 */
import { asText, el } from "./dom.js";

const PHONE = /phone/i;
const NUMBER_TYPES = new Set(["Integer", "BigInt", "Money", "Decimal", "Double"]);
const CHOICE_TYPES = new Set(["Picklist", "Status"]);
const READ_ONLY_TYPES = new Set(["Lookup", "Customer", "Owner", "State", "Uniqueidentifier"]);
const SYSTEM_FIELDS = new Set(["createdon", "modifiedon"]);

export function createFieldSet(form, meta, values, { callButton, onDirty }) {
  const fields = new Map(); // logical name -> { attribute, input, original, dirty, call }
  const seen = new Set([meta.PrimaryIdAttribute]);
  (meta.Attributes || []).forEach((attribute) => {
    if (seen.has(attribute.LogicalName)) return;
    seen.add(attribute.LogicalName);
    fields.set(attribute.LogicalName, addField(attribute));
  });

  function addField(attribute) {
    const name = attribute.LogicalName;
    const row = el("div", "form-row");
    row.dataset.attribute = name;
    const inputId = `field-${form.dataset.entity}-${name}-${Math.random().toString(36).slice(2, 8)}`;
    const label = el("label", "form-label", attribute.DisplayName || name);
    label.htmlFor = inputId;
    const readOnly = READ_ONLY_TYPES.has(attribute.AttributeType) || SYSTEM_FIELDS.has(name);
    const input = readOnly ? readOnlyInput() : editor(attribute);
    input.id = inputId;
    input.name = name;
    const field = { attribute, input, original: values[name], dirty: false, readOnly, call: null };
    show(field, values);
    if (!readOnly) {
      const mark = () => { field.dirty = true; row.classList.add("is-dirty"); onDirty(); };
      input.addEventListener("input", mark);
      input.addEventListener("change", mark);
    }
    row.append(label, input);
    if (!readOnly && isPhone(attribute)) {
      field.call = callButton(attribute, input);
      row.append(field.call);
    }
    form.append(row);
    return field;
  }

  function editor(attribute) {
    if (attribute.AttributeType === "Memo") {
      const area = el("textarea", "form-input");
      area.rows = 3;
      return area;
    }
    if (CHOICE_TYPES.has(attribute.AttributeType) || attribute.AttributeType === "Boolean") {
      const select = el("select", "form-input");
      select.append(new Option("", ""));
      choices(attribute).forEach(([value, label]) => { select.append(new Option(label, value)); });
      return select;
    }
    const input = el("input", "form-input");
    input.type = isPhone(attribute) ? "tel" : "text";
    if (NUMBER_TYPES.has(attribute.AttributeType)) input.inputMode = "decimal";
    input.autocomplete = "off";
    return input;
  }

  function show(field, record) {
    const name = field.attribute.LogicalName;
    if (field.readOnly) {
      field.input.value = displayValue(record, field.attribute);
    } else {
      const value = record[name];
      field.input.value = value === null || value === undefined ? "" : asText(value);
    }
  }

  return {
    /** Return the Web API payload of what the agent changed. */
    changes() {
      const payload = {};
      fields.forEach((field, name) => {
        if (field.dirty) payload[name] = parse(field.attribute, field.input.value);
      });
      return payload;
    },
    /** Take the saved record as the new baseline. */
    saved(record) {
      fields.forEach((field) => {
        field.dirty = false;
        field.input.closest(".form-row").classList.remove("is-dirty");
        show(field, record);
      });
    },
    /** Show fresh values from the store in the fields the agent has not touched. */
    refresh(record) {
      fields.forEach((field) => { if (!field.dirty) show(field, record); });
    },
    value(name) {
      const field = fields.get(name);
      return field ? field.input.value : undefined;
    },
    /** Enable the phone buttons only while the active provider takes click-to-act. */
    setClickToAct({ enabled, provider }) {
      fields.forEach((field) => {
        if (!field.call) return;
        field.call.disabled = !enabled;
        field.call.dataset.tooltip = enabled
          ? `Call with ${provider} (click-to-act)`
          : `Click-to-act is off${provider ? ` for ${provider}` : ""}`;
      });
    },
  };
}

function readOnlyInput() {
  // Lookups, statuses and system dates: shown, labelled, never edited here.
  const input = el("input", "form-value");
  input.readOnly = true;
  input.tabIndex = -1;
  return input;
}

function isPhone(attribute) {
  return attribute.AttributeType === "String" && PHONE.test(attribute.LogicalName);
}

function choices(attribute) {
  if (attribute.AttributeType === "Boolean") return [["true", "Yes"], ["false", "No"]];
  return (attribute.OptionSet || []).map((o) => [String(o.Value), asText(o.Label)]);
}

function parse(attribute, text) {
  const type = attribute.AttributeType;
  if (text.trim() === "" && type !== "String" && type !== "Memo") return null;
  if (type === "Boolean") return text === "true";
  if (CHOICE_TYPES.has(type) || NUMBER_TYPES.has(type)) {
    const number = Number(text);
    return Number.isNaN(number) ? text : number;
  }
  return text;
}

/** Return what a list shows for one attribute: the formatted value where there is one. */
export function displayValue(row, attribute) {
  const name = attribute.LogicalName;
  const lookup = `_${name}_value`;
  const formatted = row[`${name}@OData.Community.Display.V1.FormattedValue`] ??
    row[`${lookup}@OData.Community.Display.V1.FormattedValue`];
  if (formatted !== undefined) return asText(formatted);
  const value = row[name] ?? row[lookup];
  return value === null || value === undefined ? "" : asText(value);
}
