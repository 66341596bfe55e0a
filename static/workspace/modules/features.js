/*
 * The agent actions the page takes beyond focusing and closing sessions, one entry per
 * control-API feature of the bridge, each a thin wrapper over its route, called by name (the
 * route table: control_routes.py of the cifbridge.api package; the bodies: web/control):
 *   tabs            openTab, focusTab, closeTab (used by tabs.js and records.js)
 *   panel, presence,
 *   click-to-act,
 *   KB articles     setPanel, setPresence, clickToAct, sendKbArticle
 *   records         listEntities, listRecords, getRecord, createRecord, updateRecord,
 *                   getForm, saveForm, cancelForm
 *   notifications   acceptNotificationById, rejectNotificationById (used by notifications.js)
 *   conversations   agentReply, elevateConversation, endConversation, wrapUpConversation
 * The page hides the controls of a feature set to null.
 */
import { agent, request } from "./api.js";

const conversation = (id) => ({ conversation_id: id });
const record = (entity, id) => ({ entity_name: entity, record_id: id });

let entities = null;

export const features = {
  tabActions: true,
  panelActions: {
    setMode: (mode) => agent("setPanel", {}, { mode }),
    setWidth: (width) => agent("setPanel", {}, { width }),
  },
  presence: {
    set: (presenceId) => agent("setPresence", {}, { presenceId }),
  },
  clickToAct: (payload) => agent("clickToAct", {}, payload),
  sendKbArticle: (article) => agent("sendKbArticle", {}, article),
  conversations: {
    reply: (id, text) => agent("agentReply", conversation(id), { text }),
    elevate: (id, channel) => agent("elevateConversation", conversation(id), { channel }),
    end: (id) => agent("endConversation", conversation(id)),
    wrapUp: (id, disposition) => agent("wrapUpConversation", conversation(id), { disposition }),
  },
  records: {
    /** Entity metadata by logical name (as getEntityMetadata describes it), fetched once. */
    async entities() {
      if (!entities) {
        entities = request("listEntities").then((body) => {
          const byName = new Map();
          body.value.forEach((meta) => { byName.set(meta.LogicalName, meta); });
          return byName;
        }).catch((error) => { entities = null; throw error; });
      }
      return entities;
    },
    get: (entity, id) => request("getRecord", record(entity, id)),
    create: (entity, data) => request("createRecord", { entity_name: entity }, data),
    update: (entity, id, data) => request("updateRecord", record(entity, id), data),
    list: async (entity, query = "") => (await request("listRecords", { entity_name: entity }, undefined, query)).value,
    form: (tabId) => request("getForm", { tab_id: tabId }),
    saveForm: (tabId, data) => request("saveForm", { tab_id: tabId }, data),
    cancelForm: (tabId) => agent("cancelForm", { tab_id: tabId }),
  },
};
