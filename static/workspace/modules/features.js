/*
 * The agent actions the page takes beyond focusing and closing sessions, one entry per
 * control-API feature of the bridge, each a thin wrapper over its documented route:
 *   tabs            web/control_tabs.py     POST/DELETE /api/sessions/{id}/tabs[/{tab}[/focus]]
 *   panel, presence,
 *   click-to-act,
 *   KB articles     web/control_agent.py    /api/panel, /api/presence, /api/click-to-act,
 *                                           /api/kb-articles/send
 *   records         web/control_records.py  /api/entities, /api/records/..., /api/forms/...
 *   notifications   web/control_notifications.py (used by notifications.js)
 *   conversations   web/control_conversations.py /api/conversations/{id}/replies|elevate|end|wrap-up
 * The page hides the controls of a feature set to null.
 */
import { agent, request, seg } from "./api.js";

let entities = null;

export const features = {
  tabActions: true,
  panelActions: {
    setMode: (mode) => agent("POST", "/api/panel", { mode }),
    setWidth: (width) => agent("POST", "/api/panel", { width }),
  },
  presence: {
    set: (presenceId) => agent("POST", "/api/presence", { presenceId }),
  },
  clickToAct: (payload) => agent("POST", "/api/click-to-act", payload),
  sendKbArticle: (article) => agent("POST", "/api/kb-articles/send", article),
  conversations: {
    reply: (id, text) => agent("POST", `/api/conversations/${seg(id)}/replies`, { text }),
    elevate: (id, channel) => agent("POST", `/api/conversations/${seg(id)}/elevate`, { channel }),
    end: (id) => agent("POST", `/api/conversations/${seg(id)}/end`),
    wrapUp: (id, disposition) => agent("POST", `/api/conversations/${seg(id)}/wrap-up`, { disposition }),
  },
  records: {
    /** Entity metadata by logical name (as getEntityMetadata describes it), fetched once. */
    async entities() {
      if (!entities) {
        entities = request("GET", "/api/entities").then((body) => {
          const byName = new Map();
          body.value.forEach((meta) => { byName.set(meta.LogicalName, meta); });
          return byName;
        }).catch((error) => { entities = null; throw error; });
      }
      return entities;
    },
    get: (entity, id) => request("GET", `/api/records/${seg(entity)}/${seg(id)}`),
    create: (entity, data) => request("POST", `/api/records/${seg(entity)}`, data),
    update: (entity, id, data) => request("PATCH", `/api/records/${seg(entity)}/${seg(id)}`, data),
    list: async (entity, query = "") => (await request("GET", `/api/records/${seg(entity)}${query}`)).value,
    form: (tabId) => request("GET", `/api/forms/${seg(tabId)}`),
    saveForm: (tabId, data) => request("POST", `/api/forms/${seg(tabId)}/save`, data),
    cancelForm: (tabId) => agent("POST", `/api/forms/${seg(tabId)}/cancel`),
  },
};
