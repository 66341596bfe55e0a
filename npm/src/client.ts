/*
 * The control API of one bridge, from Node or a browser: plain `fetch`, no dependencies.
 *
 *   const bridge = new CifbridgeClient("http://127.0.0.1:8765");
 *   const [home, call] = await bridge.sessions();
 *   await bridge.closeSession(call.id);          // the widget hears onSessionClosed
 *
 * Every request is built from the route table by route name (routes.generated.ts), so a route
 * of the table is reachable with `call(name, {params, body, query})` even without a method of
 * its own here; the methods below are the ones the Python BridgeClient offers, plus the rest of
 * the agent's actions. A refusal throws CifbridgeError with the status and the error body.
 */

import type { Answers, JournalEntry, SessionView } from "./answers.js";
import { CifbridgeError, errorBody } from "./errors.js";
import { ROUTES, type RouteAnswers, type RouteBodies } from "./routes.generated.js";

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
  /** Milliseconds before a request is abandoned (default 10 000). */
  timeout?: number;
}

const LIBRARY_PATH = "/webresources/Widget/msdyn_ciLibrary.js";

/** Return the CIF script tag of the bridge at `url`, as the banner and the Python client print it. */
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

export class CifbridgeClient {
  readonly url: string;
  readonly token: string | undefined;
  readonly timeout: number;

  constructor(url: string, options: ClientOptions = {}) {
    this.url = url.replace(/\/+$/, "");
    this.token = options.token ?? environmentToken();
    this.timeout = options.timeout ?? 10_000;
  }

  /** The tag a widget page uses to load the CIF library from this bridge. */
  get scriptTag(): string {
    return scriptTag(this.url);
  }

  /** Send the request of the route called `name`; resolve with its JSON answer. */
  async call<N extends RouteName>(name: N, ...[request]: RequestArgs<N>): Promise<RouteAnswers[N]> {
    const { params, body, query } = (request ?? {}) as { params?: Record<string, string>; body?: unknown; query?: Query };
    const route = ROUTES[name];
    return (await this.send(route.method, routeUrl(name, params, query), body, name)) as RouteAnswers[N];
  }

  /** Send one request to a path of the bridge (for what the table does not list, like /healthz). */
  async send(method: string, path: string, body?: unknown, label: string = path): Promise<unknown> {
    const headers: Record<string, string> = { Accept: "application/json" };
    if (body !== undefined) headers["Content-Type"] = "application/json";
    if (this.token) headers.Authorization = `Bearer ${this.token}`;
    const response = await fetch(this.url + path, {
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

  // The workspace, the journal and the clock.

  workspace(): Promise<Answers["workspace"]> {
    return this.call("getWorkspace");
  }
  /** The open sessions, Home first. */
  async sessions(): Promise<SessionView[]> {
    return (await this.workspace()).sessions;
  }
  focusSession(sessionId: string): Promise<Answers["workspace"]> {
    return this.call("focusSession", { params: { session_id: sessionId } });
  }
  closeSession(sessionId: string): Promise<Answers["workspace"]> {
    return this.call("closeSession", { params: { session_id: sessionId } });
  }
  /** Start over: only the Home session, an empty journal, the clock back to real time. */
  reset(): Promise<Answers["workspace"]> {
    return this.call("reset");
  }
  /** The CIF calls recorded after entry `since`, optionally of one function. */
  async journal(options: { since?: number; api?: string } = {}): Promise<JournalEntry[]> {
    const answer = await this.call("getJournal", { query: { since: options.since ?? 0, api: options.api } });
    return answer.entries;
  }
  async clock(): Promise<number> {
    return (await this.call("getClock")).now;
  }
  /** Fast-forward the bridge's clock, firing timeouts that fall due; resolve with the new time. */
  async advanceClock(seconds: number): Promise<number> {
    return (await this.call("advanceClock", { body: { seconds } })).now;
  }
  routes(): Promise<Answers["routes"]> {
    return this.call("listRoutes");
  }

  // The agent: presence, panel and the events a widget hears.

  presence(): Promise<Answers["presences"]> {
    return this.call("getPresence");
  }
  /** Pick the listed presence with this text, as the agent does; widgets hear onPresenceChange. */
  setPresence(presenceText: string): Promise<Answers["presence"]> {
    return this.call("setPresence", { body: { presenceText } });
  }
  panel(): Promise<Answers["panel"]> {
    return this.call("getPanel");
  }
  setPanel(body: RouteBodies["setPanel"]): Promise<Answers["value"]> {
    return this.call("setPanel", { body });
  }
  clickToAct(body: RouteBodies["clickToAct"]): Promise<Answers["value"]> {
    return this.call("clickToAct", { body });
  }
  navigate(body: RouteBodies["navigate"]): Promise<Answers["value"]> {
    return this.call("navigate", { body });
  }
  sendKbArticle(body: RouteBodies["sendKbArticle"]): Promise<Answers["value"]> {
    return this.call("sendKbArticle", { body });
  }
  raiseEvent(eventName: string, body: RouteBodies["raiseEvent"] = {}): Promise<Answers["value"]> {
    return this.call("raiseEvent", { params: { event_name: eventName }, body });
  }
  linkConversation(sessionId: string, conversationId: string): Promise<Answers["value"]> {
    return this.call("linkConversation", { params: { session_id: sessionId }, body: { conversationId } });
  }

  // Notifications and tabs.

  notifications(): Promise<Answers["notifications"]> {
    return this.call("listNotifications");
  }
  /** Press Accept on the notification named, or the displayed one; its notifyEvent resolves. */
  acceptNotification(notificationId?: string): Promise<Answers["answered"]> {
    if (!notificationId) return this.call("acceptNotification");
    return this.call("acceptNotificationById", { params: { notification_id: notificationId } });
  }
  rejectNotification(notificationId?: string): Promise<Answers["answered"]> {
    if (!notificationId) return this.call("rejectNotification");
    return this.call("rejectNotificationById", { params: { notification_id: notificationId } });
  }
  openTab(sessionId: string, body: RouteBodies["openTab"]): Promise<Answers["workspace"]> {
    return this.call("openTab", { params: { session_id: sessionId }, body });
  }
  focusTab(sessionId: string, tabId: string): Promise<Answers["workspace"]> {
    return this.call("focusTab", { params: { session_id: sessionId, tab_id: tabId } });
  }
  closeTab(sessionId: string, tabId: string): Promise<Answers["workspace"]> {
    return this.call("closeTab", { params: { session_id: sessionId, tab_id: tabId } });
  }

  // The record store, as the workspace's forms use it.

  entities(): Promise<Answers["entities"]> {
    return this.call("listEntities");
  }
  /** An entity's records; `query` takes OData options ($select, $filter, $top, ...). */
  records(entityName: string, query: Query = {}): Promise<Answers["value"]> {
    return this.call("listRecords", { params: { entity_name: entityName }, query });
  }
  record(entityName: string, recordId: string, query: Query = {}): Promise<Answers["value"]> {
    return this.call("getRecord", { params: { entity_name: entityName, record_id: recordId }, query });
  }
  createRecord(entityName: string, attributes: RouteBodies["createRecord"]): Promise<Answers["created"]> {
    return this.call("createRecord", { params: { entity_name: entityName }, body: attributes });
  }
  updateRecord(entityName: string, recordId: string, attributes: RouteBodies["updateRecord"]): Promise<Answers["value"]> {
    const params = { entity_name: entityName, record_id: recordId };
    return this.call("updateRecord", { params, body: attributes });
  }
  deleteRecord(entityName: string, recordId: string): Promise<Answers["deleted"]> {
    return this.call("deleteRecord", { params: { entity_name: entityName, record_id: recordId } });
  }
  form(tabId: string): Promise<Answers["value"]> {
    return this.call("getForm", { params: { tab_id: tabId } });
  }
  saveForm(tabId: string, attributes: RouteBodies["saveForm"]): Promise<Answers["value"]> {
    return this.call("saveForm", { params: { tab_id: tabId }, body: attributes });
  }
  cancelForm(tabId: string): Promise<Answers["empty"]> {
    return this.call("cancelForm", { params: { tab_id: tabId } });
  }
}
