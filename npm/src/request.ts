/*
 * Requests to the control API by route name: every request is built from the route table
 * (routes.generated.ts), so any route of the table is reachable with
 * `call(name, {params, body, query})`, typed by its placeholders, body and answer. Plain
 * `fetch`, no dependencies; a refusal throws CifbridgeError with the status and the error body.
 *
 * Agents (docs/agents.md): a client works for one agent of the bridge, "default" unless the
 * `agent` option or its URL (`<bridge>/agents/<agent>`) names another; every route but the
 * org's (ORG_ROUTES: listAgents, removeAgent) then goes to /agents/<agent>/api/..., and `url`
 * is the agent's (`<bridge>/agents/<agent>`), `bridgeUrl` the bridge's own.
 */

import { CifbridgeError, errorBody } from "./errors.js";
import { AGENT_PREFIX, ORG_ROUTES, ROUTES, type RouteAnswers, type RouteBodies } from "./routes.generated.js";

export type RouteName = keyof typeof ROUTES;
type ParamName<N extends RouteName> = (typeof ROUTES)[N]["params"][number];
export type Query = Record<string, string | number | boolean | null | undefined>;

/** What a request to route N carries: its placeholders, its body (when it reads one), a query. */
export type RouteRequest<N extends RouteName> = ([ParamName<N>] extends [never]
  ? { params?: undefined }
  : { params: Record<ParamName<N>, string> }) &
  (N extends keyof RouteBodies ? { body: RouteBodies[N] } : { body?: undefined }) & {
    query?: Query;
  };
type RequestArgs<N extends RouteName> =
  Record<string, never> extends RouteRequest<N> ? [request?: RouteRequest<N>] : [request: RouteRequest<N>];

export interface ClientOptions {
  /** The bridge's access token (--token); default: the CIFBRIDGE_TOKEN environment variable. */
  token?: string;
  /** The agent whose workspace the client works in (default: the one the URL names, else "default"). */
  agent?: string;
  /** Milliseconds before a request is abandoned (default 10 000). */
  timeout?: number;
}

const LIBRARY_PATH = "/webresources/Widget/msdyn_ciLibrary.js";
export const DEFAULT_AGENT = "default";
// The agent a URL names: `<bridge>/agents/<agent>` (the shim's rule for the library URL too).
const AGENT_IN_URL = /^(.*?)\/agents\/([^/?#]+)\/?$/;

// The paths of the routes about every agent, which only the bridge's root serves.
const ORG_PATH = new RegExp(
  `^(?:${ORG_ROUTES.map((name) => pathPattern(ROUTES[name as RouteName].path)).join("|")})$`,
);

function pathPattern(path: string): string {
  return path
    .split(/(\{\w+\})/)
    .map((part) => (part.startsWith("{") ? "[^/]+" : part.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")))
    .join("");
}

/** Split a bridge or agent URL (and an optional agent name) into the bridge's URL and the agent. */
export function splitAgentUrl(url: string, agent?: string): { bridgeUrl: string; agent: string } {
  const trimmed = url.replace(/\/+$/, "");
  const found = AGENT_IN_URL.exec(trimmed);
  const named = found ? decodeURIComponent(found[2] as string) : undefined;
  if (named !== undefined && agent !== undefined && agent !== named) {
    throw new TypeError(`cifbridge: ${trimmed} is agent "${named}"'s URL, not "${agent}"'s`);
  }
  return { bridgeUrl: found ? (found[1] as string) : trimmed, agent: agent ?? named ?? DEFAULT_AGENT };
}

/** The agent's base URL: the bridge's for the default agent, else `<bridge>/agents/<agent>`. */
export function agentUrl(bridgeUrl: string, agent: string): string {
  if (agent === DEFAULT_AGENT) return bridgeUrl;
  return bridgeUrl + AGENT_PREFIX.replace("{agent}", encodeURIComponent(agent));
}

/** Return the CIF script tag of the bridge at `url`, as the banner and the Python client print it
 * (an agent's URL, `<bridge>/agents/<agent>`, puts the agent in the library URL, where the shim reads it). */
export function scriptTag(url: string, provider?: string): string {
  const named = provider ? ` data-provider="${provider}"` : "";
  return `<script src="${url}${LIBRARY_PATH}" data-crmurl="${url}" data-cifid="CIFMainLibrary"${named}></script>`;
}

function environmentToken(): string | undefined {
  // Read without depending on Node's types: in a browser there is no process.
  const env = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env;
  return env?.CIFBRIDGE_TOKEN || undefined;
}

/** Fill a path's {placeholders}, each encoded as one path segment, and append the query. */
export function routeUrl(name: RouteName, params: Record<string, string> = {}, query: Query = {}): string {
  const route = ROUTES[name];
  const path = route.path.replace(/\{(\w+)\}/g, (_, key: string) => {
    const value = params[key];
    if (value === undefined || value === null) {
      throw new TypeError(`cifbridge: ${name} needs ${key}`);
    }
    return encodeURIComponent(String(value));
  });
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value !== undefined && value !== null) search.append(key, String(value));
  }
  const text = search.toString();
  return text ? `${path}?${text}` : path;
}

/** Calls the routes of one bridge by name, as one agent. */
export class ControlApi {
  /** The agent's base URL: the bridge's for the default agent, else `<bridge>/agents/<agent>`. */
  readonly url: string;
  /** The bridge's own URL. */
  readonly bridgeUrl: string;
  /** The agent whose workspace this client works in. */
  readonly agent: string;
  readonly token: string | undefined;
  readonly timeout: number;

  constructor(url: string, options: ClientOptions = {}) {
    const { bridgeUrl, agent } = splitAgentUrl(url, options.agent);
    this.bridgeUrl = bridgeUrl;
    this.agent = agent;
    this.url = agentUrl(bridgeUrl, agent);
    this.token = options.token ?? environmentToken();
    this.timeout = options.timeout ?? 10_000;
  }

  /** The URL of this agent's workspace page (`<bridge>/agents/<agent>/`). */
  get workspaceUrl(): string {
    return `${this.url}/`;
  }

  /** The tag a widget page uses to load the CIF library from this bridge. */
  get scriptTag(): string {
    return scriptTag(this.url);
  }
  /** The tag with `data-provider`, for a page that is under no provider's landing URL when
   * several providers are configured (the bridge would otherwise guess, and warn). */
  scriptTagFor(provider: string): string {
    return scriptTag(this.url, provider);
  }

  /** Send the request of the route called `name`; resolve with its JSON answer. */
  async call<N extends RouteName>(name: N, ...[request]: RequestArgs<N>): Promise<RouteAnswers[N]> {
    const { params, body, query } = (request ?? {}) as { params?: Record<string, string>; body?: unknown; query?: Query };
    const route = ROUTES[name];
    return (await this.send(route.method, routeUrl(name, params, query), body, name)) as RouteAnswers[N];
  }

  /** Send one request to a path of the bridge (for what the table does not list, like /healthz).
   * A control path (`/api/...`) is this agent's: a named agent's goes under /agents/<agent>,
   * except the org's routes (GET /api/agents, ...), which are the bridge's own like every other path. */
  send(method: string, path: string, body?: unknown, label: string = path): Promise<unknown> {
    return this.fetchJson(method, this.urlFor(path), body, label);
  }

  private urlFor(path: string): string {
    const bare = path.split("?", 1)[0] as string;
    const agents = this.agent !== DEFAULT_AGENT && path.startsWith("/api/") && !ORG_PATH.test(bare);
    return (agents ? this.url : this.bridgeUrl) + path;
  }

  private async fetchJson(method: string, url: string, body: unknown, label: string): Promise<unknown> {
    const headers: Record<string, string> = { Accept: "application/json" };
    if (body !== undefined) headers["Content-Type"] = "application/json";
    if (this.token) headers.Authorization = `Bearer ${this.token}`;
    const response = await fetch(url, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(this.timeout),
    });
    const text = await response.text();
    if (!response.ok) {
      throw new CifbridgeError(label, response.status, errorBody(response.status, response.statusText, text));
    }
    return text ? JSON.parse(text) : null;
  }

  /** Poll /healthz until the bridge answers, for at most `timeout` milliseconds. */
  async waitUntilReady(timeout = 15_000): Promise<void> {
    const deadline = Date.now() + timeout;
    for (;;) {
      try {
        await this.send("GET", "/healthz");
        return;
      } catch (error) {
        if (Date.now() > deadline) throw new Error(`no bridge answered at ${this.url}`, { cause: error });
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
}
