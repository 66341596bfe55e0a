/*
 * The control API: every agent action is an HTTP request; the resulting state comes back over
 * the socket like any other change, so only failures matter to the caller.
 *
 * Routes are called by name. The table (src/cifbridge/api/control_routes.py, also served at
 * GET /api/routes) comes with the page, so this is the only module that knows a path: the
 * others call e.g. agent("focusSession", { session_id: id }).
 */

import { AGENT_PREFIX } from "./agent.js";

const errorBar = () => document.getElementById("workspace-error");
const routes = new Map(
  JSON.parse(document.getElementById("control-routes").textContent).map((route) => [route.name, route]),
);

/** Send one agent action; resolve with the JSON answer, or show the error and resolve null. */
export async function agent(name, params, body) {
  clearError();
  try {
    return await request(name, params, body);
  } catch (error) {
    showError(error);
    return null;
  }
}

/** Send one request to the route called `name`; return its JSON body or throw the API's message. */
export async function request(name, params = {}, body = undefined, query = "") {
  const route = routeNamed(name);
  const init = { method: route.method, headers: { Accept: "application/json" } };
  if (body !== undefined) {
    init.headers["Content-Type"] = "application/json";
    init.body = JSON.stringify(body);
  }
  const response = await fetch(pathOf(route, params) + query, init);
  const data = await response.json().catch(() => null);
  if (!response.ok) {
    const message = data?.error?.message;
    throw new Error(message || `${response.status} ${response.statusText}`);
  }
  return data;
}

function routeNamed(name) {
  const route = routes.get(name);
  if (!route) throw new Error(`cifbridge: no control route is called ${name}`);
  return route;
}

/** Fill the route's {placeholders} from `params`, each encoded as one path segment. */
function pathOf(route, params) {
  return AGENT_PREFIX + route.path.replace(/\{(\w+)\}/g, (_, key) => {
    if (params[key] === undefined || params[key] === null) {
      throw new Error(`cifbridge: ${route.name} needs ${key}`);
    }
    return encodeURIComponent(String(params[key]));
  });
}

/** Show a failure to the agent (as text). */
export function showError(error) {
  const bar = errorBar();
  bar.textContent = error?.message ? error.message : String(error);
  bar.hidden = false;
}

export function clearError() {
  const bar = errorBar();
  bar.textContent = "";
  bar.hidden = true;
}
