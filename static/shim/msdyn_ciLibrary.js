/*
 * cifbridge stand-in for Dynamics 365's /webresources/Widget/msdyn_ciLibrary.js.
 *
 * A partner widget loads this instead of the real CIF 2.0 widget library and gets the same
 * window.Microsoft.CIFramework: same function names and arguments, same result encodings (JSON
 * string, Map or plain value), same rejection forms, the same 10 s timeout and the same
 * CIFInitDone event. Where the real library posts messages to window.top, this one talks to the
 * bridge over Socket.IO, so the widget also works outside an iframe and from any origin.
 *
 * The bridge serves this file with two placeholders filled in: the socket.io-client UMD bundle
 * and a JSON description of every CIF function (built from the server's API catalog, so the two
 * never disagree). Classic script, no dependencies, nothing leaked besides window.Microsoft.
 */
((window, document) => {
  // The UMD bundle sees a CommonJS-like `module` here and hands its export over instead of
  // creating a global `io`: the widget may ship its own (possibly different) socket.io.
  var io = (() => {
    var module = { exports: {} };
    // biome-ignore lint/correctness/noUnusedVariables: the bundle pasted below reads `exports`
    var exports = module.exports;
    /*CIFBRIDGE_SOCKET_IO_CLIENT*/
    return module.exports;
  })();

  var CONFIG = /*CIFBRIDGE_CONFIG*/null;

  var PROVIDER_WINDOW_PREFIX = "cifbridge-provider:";
  var LOADED_MARKER = "__cifbridgeLoaded";

  install();

  function install() {
    if (!CONFIG || typeof io !== "function") {
      console.error("cifbridge: msdyn_ciLibrary.js must be loaded from the bridge " +
        "(/webresources/Widget/msdyn_ciLibrary.js), not as a raw static file");
      return;
    }
    var script = findOwnScript();
    var namespace = extendNamespace();
    var bridgeOrigin = findBridgeOrigin(script);
    // A widget that includes the library twice must not open two connections, which would
    // double every event.
    if (namespace[LOADED_MARKER]) {
      announceReady(namespace[LOADED_MARKER]);
      return;
    }
    var client = createClient(bridgeOrigin, findProvider(script), findAgent(script));
    defineApi(namespace, client);
    Object.defineProperty(namespace, LOADED_MARKER, { value: bridgeOrigin });
    announceReady(bridgeOrigin);
  }

  // ---------------------------------------------------------------------------------------
  // Where we are: namespace, bridge origin, provider
  // ---------------------------------------------------------------------------------------

  function extendNamespace() {
    // Other Microsoft libraries (or the widget's own mocks) may already live under
    // window.Microsoft; keep whatever is there.
    var root = window.Microsoft;
    if (!root || (typeof root !== "object" && typeof root !== "function")) {
      root = window.Microsoft = {};
    }
    if (!root.CIFramework || typeof root.CIFramework !== "object") {
      root.CIFramework = {};
    }
    return root.CIFramework;
  }

  function findOwnScript() {
    return document.currentScript ||
      document.querySelector('script[data-cifid="CIFMainLibrary"]') ||
      document.querySelector('script[src*="msdyn_ciLibrary.js"]');
  }

  function findBridgeOrigin(script) {
    // Same precedence as the real library (reference §6.1): data-crmurl, then ?ucilib=.
    var crmUrl = script?.getAttribute("data-crmurl");
    var fromAttribute = originOf(crmUrl);
    if (fromAttribute) return fromAttribute;
    var ucilib = new URL(window.location.href).searchParams.get("ucilib");
    var fromQuery = originOf(ucilib);
    if (fromQuery) return fromQuery;
    return originOf(script?.src) || window.location.origin;
  }

  function originOf(url) {
    if (!url) return null;
    try {
      const origin = new URL(url, window.location.href).origin;
      return origin === "null" ? null : origin;
    } catch {
      return null;
    }
  }

  function findProvider(script) {
    // The workspace names each widget iframe after its provider; a widget opened on its own
    // can say who it is on the script tag, or let the bridge match its URL.
    var name = windowName().provider;
    if (name !== null) return { id: name || null, from: "workspace" };
    return { id: script?.getAttribute("data-provider") || null, from: "data-provider" };
  }

  function windowName() {
    // "cifbridge-provider:<provider>[;agent=<agent>]", set by the workspace page's panel.
    var name = String(window.name || "");
    if (name.indexOf(PROVIDER_WINDOW_PREFIX) !== 0) return { provider: null, agent: null };
    var parts = name.slice(PROVIDER_WINDOW_PREFIX.length).split(";agent=");
    return { provider: parts[0], agent: parts[1] || null };
  }

  function findAgent(script) {
    // Whose workspace the widget works in (docs/agents.md), the first that names one: the
    // script tag's data-agent; the workspace page hosting it; /agents/<agent>/ in the library
    // URL, in data-crmurl or in ?ucilib=; else the default agent.
    var named = script?.getAttribute("data-agent");
    if (named) return named;
    var hosted = windowName().agent;
    if (hosted) return hosted;
    var ucilib = new URL(window.location.href).searchParams.get("ucilib");
    var urls = [script?.src, script?.getAttribute("data-crmurl"), ucilib];
    var found = urls.map(agentIn).find(Boolean);
    return found || "default";
  }

  function agentIn(url) {
    if (!url) return null;
    var match = null;
    try {
      match = /^\/agents\/([^/]+)(\/|$)/.exec(new URL(url, window.location.href).pathname);
    } catch {
      return null;
    }
    return match ? decodeURIComponent(match[1]) : null;
  }

  function announceReady(bridgeOrigin) {
    // Asynchronous like the real library, so listeners added right after the script tag
    // still hear it.
    window.setTimeout(() => {
      window.dispatchEvent(new CustomEvent("CIFInitDone", { detail: [bridgeOrigin] }));
    }, 0);
  }

  // ---------------------------------------------------------------------------------------
  // The connection: pending calls by request id, retried after a reconnect
  // ---------------------------------------------------------------------------------------

  function createClient(bridgeOrigin, provider, agent) {
    var socket = io(bridgeOrigin + CONFIG.namespace, {
      auth: {
        provider: provider.id,
        providerFrom: provider.from,
        href: window.location.href,
        agent: agent
      },
      transports: ["websocket", "polling"]
    });
    var client = {
      socket: socket,
      pending: new Map(),
      handlers: new Map(),
      refusal: null,
      warned: new Set()
    };
    socket.on("connect", () => { onConnect(client); });
    socket.on("disconnect", () => { markInterrupted(client); });
    socket.on("connect_error", (error) => { onConnectError(client, error); });
    socket.on("cif:event", (event) => { runHandlers(client, event); });
    socket.on("cif:result", (answer) => { onLateAnswer(client, answer); });
    socket.on("cif:warning", (warning) => { reportWarnings(client, [warning]); });
    return client;
  }

  function send(client, api, args) {
    var spec = CONFIG.apis[api];
    return new Promise((resolve, reject) => {
      if (client.refusal) {
        reject(clientError(client.refusal));
        return;
      }
      var entry = {
        packet: {
          api: api,
          args: args,
          requestId: newRequestId(),
          correlationId: correlationIdOf(spec, args)
        },
        spec: spec,
        resolve: resolve,
        reject: reject,
        timer: null,
        onWire: false,
        interrupted: false
      };
      client.pending.set(entry.packet.requestId, entry);
      if (spec.timeout) {
        entry.timer = window.setTimeout(() => { onTimeout(client, entry); }, CONFIG.timeoutMs);
      }
      emit(client, entry);
    });
  }

  function emit(client, entry) {
    // Connected: the packet goes out now. Not connected: socket.io buffers it and flushes it
    // right before its "connect" event, where onConnect marks it as sent.
    entry.interrupted = false;
    entry.onWire = client.socket.connected;
    try {
      client.socket.emit("cif", entry.packet, (ack) => { onAck(client, entry, ack); });
    } catch (error) {
      // Arguments socket.io cannot serialize (cycles) fail here, as structured clone would.
      settle(client, entry);
      entry.reject(clientError(String(error?.message || error)));
    }
  }

  function onAck(client, entry, ack) {
    if (client.pending.get(entry.packet.requestId) !== entry) return;
    reportWarnings(client, ack?.warnings);
    // A deferred answer (notifyEvent waits for the agent) arrives later as "cif:result".
    if (ack?.ok && ack.deferred) {
      entry.deferred = true;
      return;
    }
    settle(client, entry);
    if (ack?.ok) {
      entry.resolve(encodeValue(entry.spec.encoding, ack.value));
    } else {
      entry.reject(encodeError(entry.spec.encoding, ack || {}));
    }
  }

  function onLateAnswer(client, answer) {
    // Every widget of the provider hears the answer; only the one that asked has the id.
    var entry = answer && client.pending.get(answer.requestId);
    if (entry) onAck(client, entry, answer);
  }

  function onTimeout(client, entry) {
    if (client.pending.get(entry.packet.requestId) !== entry) return;
    settle(client, entry);
    entry.reject(timeoutError());
  }

  function settle(client, entry) {
    client.pending.delete(entry.packet.requestId);
    if (entry.timer !== null) window.clearTimeout(entry.timer);
  }

  function markInterrupted(client) {
    // A disconnect loses the answers to everything already sent; socket.io keeps only what
    // is still in its buffer.
    client.pending.forEach((entry) => {
      if (entry.onWire) entry.interrupted = true;
    });
  }

  function onConnect(client) {
    // Same requestId for a resent call: the bridge answers a repeated request from its
    // memory, so a retried createSession never opens a second session.
    client.pending.forEach((entry) => {
      if (entry.interrupted) emit(client, entry);
      else entry.onWire = true;
    });
  }

  function onConnectError(client, error) {
    if (client.socket.active) {
      console.warn("cifbridge: cannot reach the bridge yet, retrying:", error?.message);
      return;
    }
    // The bridge refused the connection itself; socket.io will not retry, so fail fast
    // rather than let every call wait for its timeout.
    client.refusal = error?.message || "The bridge refused the connection";
    console.error("cifbridge: the bridge refused the connection:", client.refusal);
    client.pending.forEach((entry) => {
      settle(client, entry);
      entry.reject(clientError(client.refusal));
    });
  }

  function newRequestId() {
    var bytes = new Uint8Array(16);
    window.crypto.getRandomValues(bytes);
    return Array.prototype.map.call(bytes, (b) => (b < 16 ? "0" : "") + b.toString(16)).join("");
  }

  function correlationIdOf(spec, args) {
    var index = spec.params.indexOf("correlationId");
    var value = index >= 0 ? args[index] : null;
    return value === undefined ? null : value;
  }

  // ---------------------------------------------------------------------------------------
  // Encodings (reference §1.2, §1.3)
  // ---------------------------------------------------------------------------------------

  function encodeValue(encoding, value) {
    if (encoding === "map") {
      return value !== null && typeof value === "object" ? new Map(Object.entries(value)) : value;
    }
    if (encoding === "json") {
      // The real library turns the host's Map into an object before stringifying it, which
      // makes an array an object keyed "0", "1", ...
      return JSON.stringify(Array.isArray(value) ? Object.assign({}, value) : value);
    }
    return value;
  }

  function encodeError(encoding, ack) {
    var error = ack.error || { message: "The bridge sent no error details" };
    // A fault set through the control API may ask for the library's own timeout rejection.
    if (ack.origin === "timeout") return timeoutError();
    if (CONFIG.fidelity === "docs") return docsError(error);
    if (ack.origin === "client") return JSON.stringify({ message: error.message });
    if (encoding === "json") return JSON.stringify(error);
    return new Map(Object.entries(error));
  }

  function docsError(error) {
    var result = {};
    ["message", "msdyn_name", "errorCode"].forEach((key) => {
      if (error[key] !== undefined) result[key] = error[key];
    });
    // Dataverse failures carry their text as value.errorMsg; the docs' examples read .message.
    if (result.message === undefined && error.value && error.value.errorMsg !== undefined) {
      result.message = error.value.errorMsg;
    }
    // The host's own maps put their text in value (insertNotes' "Flap already expanded").
    if (result.message === undefined && typeof error.value === "string") {
      result.message = error.value;
    }
    return result;
  }

  function clientError(message) {
    if (CONFIG.fidelity === "docs") return { message: message };
    return JSON.stringify({ message: message });
  }

  function timeoutError() {
    if (CONFIG.fidelity === "docs") return { message: CONFIG.timeoutMessage };
    return new Map([["message", CONFIG.timeoutMessage]]);
  }

  function toWire(value) {
    // What structured clone would carry and JSON would lose: Maps (older docs pass appContext
    // as a Map) and functions (the bridge only needs to know one was given).
    if (value === undefined) return null;
    if (typeof value === "function") return true;
    if (value instanceof Map) return toWire(Object.fromEntries(value));
    if (Array.isArray(value)) return value.map(toWire);
    if (value !== null && typeof value === "object" && isPlainObject(value)) {
      const copy = {};
      Object.keys(value).forEach((key) => {
        if (value[key] !== undefined) copy[key] = toWire(value[key]);
      });
      return copy;
    }
    return value;
  }

  function isPlainObject(value) {
    var proto = Object.getPrototypeOf(value);
    return proto === Object.prototype || proto === null;
  }

  // ---------------------------------------------------------------------------------------
  // The Microsoft.CIFramework functions
  // ---------------------------------------------------------------------------------------

  function defineApi(namespace, client) {
    Object.keys(CONFIG.apis).forEach((api) => {
      namespace[api] = (...args) => send(client, api, args.map(toWire));
    });
    namespace.addHandler = (eventName, handler) => {
      addLocalHandler(client, eventName, handler);
      return send(client, "addHandler", [toWire(eventName), typeof handler === "function"])
        .then(() => undefined);
    };
    namespace.removeHandler = (eventName, handler) => {
      var removed = removeLocalHandler(client, eventName, handler);
      return send(client, "removeHandler", [toWire(eventName), typeof handler === "function"])
        .then(() => removed);
    };
  }

  function addLocalHandler(client, eventName, handler) {
    // Registered before the bridge answers, so an event that arrives meanwhile is not lost.
    if (typeof eventName !== "string" || eventName === "" || typeof handler !== "function") return;
    if (!client.handlers.has(eventName)) client.handlers.set(eventName, new Set());
    client.handlers.get(eventName).add(handler);
  }

  function removeLocalHandler(client, eventName, handler) {
    var set = client.handlers.get(eventName);
    return Boolean(set?.delete(handler));
  }

  function runHandlers(client, event) {
    var name = event?.name;
    var set = client.handlers.get(name);
    if (!set) return;
    // A copy, so a handler that removes itself (or adds another) doesn't disturb this round.
    Array.from(set).forEach((handler) => {
      runOneHandler(client, name, handler, event.data);
    });
  }

  function runOneHandler(client, name, handler, data) {
    // One widget's faulty handler must not stop the others from hearing the event.
    try {
      const result = handler(data);
      if (result && typeof result.then === "function") {
        result.then(undefined, (error) => {
          console.error(`cifbridge: a ${name} handler rejected:`, error);
        });
      } else {
        noPromise(client, name, result);
      }
    } catch (error) {
      console.error(`cifbridge: a ${name} handler threw:`, error);
    }
  }
  // ---------------------------------------------------------------------------------------
  // Diagnostics: what works here but is fragile in production, printed once per cause
  // ---------------------------------------------------------------------------------------

  function reportWarnings(client, warnings) {
    if (!Array.isArray(warnings)) return;
    warnings.forEach((warning) => {
      var key = `${warning?.code}\u0000${warning?.message}`;
      if (!warning || client.warned.has(key)) return;
      client.warned.add(key);
      if (CONFIG.strict) console.error(`cifbridge --strict: [${warning.code}] ${warning.message}`);
      else console.warn(`cifbridge: warning: [${warning.code}] ${warning.message}`);
    });
  }

  function noPromise(client, name, result) {
    // The real library answers the host with each handler's promise result (reference §6.3);
    // this shim tolerates a plain value, production does not. Told once per event name.
    var warning = {
      code: "handler-returned-no-promise",
      message: `a ${name} handler returned ${result === null ? "null" : typeof result}, not a ` +
        "Promise; the real library answers the host with the handler's promise: return one " +
        "(an async function, or Promise.resolve())"
    };
    var key = `${warning.code}\u0000${warning.message}`;
    if (client.warned.has(key)) return;
    reportWarnings(client, [warning]);
    client.socket.emit("cif_diagnostic", { event: name, warnings: [warning] });
  }
})(window, document);
