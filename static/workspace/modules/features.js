/*
 * The agent actions the page can take beyond focusing and closing sessions, one entry per
 * control-API feature of the bridge. Each is a thin wrapper over a documented route
 * (src/cifbridge/web/control_*.py); the page hides the controls of a feature set to null.
 */
import { agent } from "./api.js";

export const features = {
  // web/control_tabs.py
  tabActions: true,
  // web/control_panel.py
  panelActions: null,
  // web/control_records.py
  records: null,
  // web/control_presence.py
  presence: null,
  // click-to-act and KB article events
  clickToAct: null,
  sendKbArticle: null,
};

export { agent };
