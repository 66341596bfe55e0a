/*
 * Contoso Softphone: a sample CIF 2.0 partner widget.
 *
 * It does what a telephony widget does in Dynamics 365: on an incoming call it opens a session
 * for the customer, and it follows the agent's moves through onSessionSwitched and
 * onSessionClosed. Everything here is plain Microsoft.CIFramework usage and runs unchanged
 * against a real org. Strings from the host or the agent go through textContent only.
 */
(() => {
  "use strict";

  var SESSION_TEMPLATE = "msdyn_voicecall_session";
  var LOG_LIMIT = 50;
  var customersBySession = new Map();
  var ui = null;

  // Registered before the library is loaded, so the event can't be missed.
  window.addEventListener("CIFInitDone", () => {
    whenDomReady(start);
  }, { once: true });

  function whenDomReady(callback) {
    if (document.readyState === "loading") {
      document.addEventListener("DOMContentLoaded", callback, { once: true });
    } else {
      callback();
    }
  }

  function start() {
    ui = {
      status: document.getElementById("status"),
      customerName: document.getElementById("customer-name"),
      callButton: document.getElementById("incoming-call"),
      error: document.getElementById("error"),
      sessions: document.getElementById("sessions"),
      noSessions: document.getElementById("no-sessions"),
      log: document.getElementById("log")
    };
    var cif = window.Microsoft.CIFramework;
    ui.callButton.addEventListener("click", () => { acceptCall(cif); });
    Promise.all([
      cif.addHandler("onSessionSwitched", (data) => onSessionEvent(cif, "onSessionSwitched", data)),
      cif.addHandler("onSessionClosed", (data) => onSessionEvent(cif, "onSessionClosed", data))
    ]).then(() => {
      ui.status.textContent = "Ready";
      ui.status.classList.add("ready");
      ui.callButton.disabled = false;
      return refreshSessions(cif);
    }).catch(showError);
  }

  function acceptCall(cif) {
    var customerName = ui.customerName.value.trim() || "Unknown caller";
    clearError();
    ui.callButton.disabled = true;
    cif.canCreateSession().then((canCreate) => {
      if (!canCreate) throw new Error("The agent has too many sessions open; close one first.");
      return cif.createSession({
        templateName: SESSION_TEMPLATE,
        // The session's context comes back from getSession, after a reload too.
        context: { customerName: customerName },
        templateParameters: {
          customerName: customerName,
          msdyn_entityrecord: { entityName: "contact", entityId: newGuid() }
        }
      });
    }).then((sessionId) => {
      customersBySession.set(sessionId, customerName);
      addLog("createSession", `${sessionId} for ${customerName}`);
      return refreshSessions(cif);
    }).catch(showError).finally(() => {
      ui.callButton.disabled = false;
    });
  }

  function onSessionEvent(cif, name, data) {
    // The host sends every event payload as a JSON string.
    var payload = JSON.parse(data);
    var detail = payload.sessionId + ("focused" in payload ? (payload.focused ? " focused" : " unfocused") : " closed");
    addLog(name, detail);
    if (name === "onSessionClosed") customersBySession.delete(payload.sessionId);
    return refreshSessions(cif);
  }

  function refreshSessions(cif) {
    return cif.getAllSessions()
      .then((ids) => Promise.all((ids || []).map((id) => cif.getSession(id))))
      .then(renderSessions)
      .catch(showError);
  }

  function renderSessions(sessions) {
    ui.sessions.replaceChildren.apply(ui.sessions, sessions.map(sessionItem));
    ui.noSessions.hidden = sessions.length > 0;
  }

  function sessionItem(session) {
    // getSession resolves a Map, as in the real library.
    var id = session.get("sessionId");
    var item = document.createElement("li");
    item.dataset.sessionId = id;
    item.classList.toggle("focused", session.get("focused") === true);
    var name = document.createElement("span");
    name.className = "customer";
    var context = session.get("context");
    name.textContent = context?.customerName || customersBySession.get(id) || "Caller";
    var meta = document.createElement("span");
    meta.className = "meta";
    meta.textContent = id + (session.get("focused") ? " · focused" : "");
    item.append(name, meta);
    return item;
  }

  function addLog(name, text) {
    var entry = document.createElement("li");
    var time = document.createElement("time");
    time.textContent = new Date().toLocaleTimeString();
    var label = document.createElement("strong");
    label.textContent = name;
    entry.append(time, " ", label, " ", text);
    ui.log.prepend(entry);
    while (ui.log.children.length > LOG_LIMIT) ui.log.lastElementChild.remove();
  }

  function showError(error) {
    ui.error.textContent = describeError(error);
    ui.error.hidden = false;
  }

  function clearError() {
    ui.error.textContent = "";
    ui.error.hidden = true;
  }

  function describeError(error) {
    // CIF rejects with a JSON string, a Map or an Error depending on the function (§1.3).
    if (error instanceof Map) return String(error.get("message"));
    if (typeof error === "string") {
      try {
        return String(JSON.parse(error).message);
      } catch {
        return error;
      }
    }
    return String(error?.message || error);
  }

  function newGuid() {
    var bytes = new Uint8Array(16);
    window.crypto.getRandomValues(bytes);
    var hex = Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
    return [hex.slice(0, 8), hex.slice(8, 12), hex.slice(12, 16), hex.slice(16, 20), hex.slice(20)].join("-");
  }
})();
