// Installed in the contract widget page after CIFInitDone: makes the calls the way a widget
// does and turns what comes back into plain data Playwright can return to Python.
(() => {
  const named = new Map();
  const started = [];  // outcomes of calls started without waiting, by handle (index)
  let received = [];

  // {"$function": true} is a fresh function; {"$function": "name"} the same one every time.
  const revive = (value) => {
    if (Array.isArray(value)) return value.map(revive);
    if (value !== null && typeof value === "object") {
      const keys = Object.keys(value);
      if (keys.length === 1 && keys[0] === "$function") {
        if (value.$function === true) return function contractHandler() {};
        if (!named.has(value.$function)) named.set(value.$function, function namedHandler() {});
        return named.get(value.$function);
      }
      return Object.fromEntries(keys.map((k) => [k, revive(value[k])]));
    }
    return value;
  };

  const kindOf = (value) => {
    if (value instanceof Map) return "map";
    if (value instanceof Error) return "error";
    if (value === null || value === undefined) return "null";
    return Array.isArray(value) ? "array" : typeof value;
  };

  const resolvedOutcome = (value, encoding) => {
    if (value instanceof Map) return { resolves: Object.fromEntries(value), encoding: "map" };
    if (encoding === "json" && typeof value === "string") {
      try {
        return { resolves: JSON.parse(value), encoding: "json" };
      } catch (error) {
        return { resolves: value, encoding: "plain" };
      }
    }
    return { resolves: value === undefined ? null : value, encoding: "plain" };
  };

  const rejectedOutcome = (error) => {
    const wire = kindOf(error);
    if (wire === "map") return { rejects: Object.fromEntries(error), form: "host", wire };
    if (wire === "error") {
      return { rejects: { message: String(error.message), name: error.name }, form: "exception", wire };
    }
    if (wire === "string") {
      try {
        const parsed = JSON.parse(error);
        // Host errors carry msdyn_name; a record function's Dataverse failure is {"value": {...}}.
        const host = parsed !== null && typeof parsed === "object" &&
          ("msdyn_name" in parsed || "value" in parsed);
        return { rejects: parsed, form: host ? "host" : "client", wire };
      } catch (parseError) {
        return { rejects: { message: error }, form: "unparsable string", wire };
      }
    }
    return { rejects: error === undefined ? null : error, form: "object", wire };
  };

  window.__contract = {
    async listen(names) {
      for (const name of names) {
        await Microsoft.CIFramework.addHandler(name, (data) => {
          received.push({ name, kind: kindOf(data), data: data instanceof Map ? Object.fromEntries(data) : data });
        });
      }
    },
    async call(api, args, encoding) {
      if (typeof Microsoft.CIFramework[api] !== "function") {
        return { rejects: { message: `Microsoft.CIFramework.${api} is not a function` }, form: "exception", wire: "none" };
      }
      try {
        return resolvedOutcome(await Microsoft.CIFramework[api](...revive(args)), encoding);
      } catch (error) {
        return rejectedOutcome(error);
      }
    },
    // A call that may wait for the agent (notifyEvent): start it, act, then look at its outcome.
    start(api, args, encoding) {
      const handle = started.length;
      started.push({ pending: true });
      window.__contract.call(api, args, encoding).then((outcome) => { started[handle] = outcome; });
      return handle;
    },
    outcomeOf(handle) {
      return started[handle];
    },
    take() {
      const events = received;
      received = [];
      return events;
    },
  };
})();
