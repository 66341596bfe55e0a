/*
 * What the control API answers, one type per answer kind of the route table
 * (src/cifbridge/api/control_routes.py, ANSWERS). routes.generated.ts maps every route to one
 * of these by its kind, so a kind added to the table and not here fails to compile.
 *
 * The views (src/cifbridge/engine/views/) carry more fields than typed here; the ones a test
 * asserts on are typed, the rest stay reachable through the index signatures.
 */

import type { OverlaysView } from "./overlays.js";

/** A JSON value as the bridge sends it. */
export type Json = string | number | boolean | null | Json[] | { [key: string]: Json };

export interface PresenceInfo {
  presenceId: string;
  presenceText: string;
  presenceColor: string;
  basePresenceStatus: string;
}

export interface TabView {
  id: string;
  title: string;
  template: string | null;
  pageType: string;
  anchor: boolean;
  closable: boolean;
  [key: string]: unknown;
}

export interface SessionView {
  id: string;
  title: string;
  providerId: string | null;
  template: string | null;
  focused: boolean;
  unread: number;
  context: Json;
  conversationId: string | null;
  focusedTabId: string | null;
  tabs: TabView[];
  [key: string]: unknown;
}

export interface QueuedNotification {
  id: string;
  providerId: string;
  template: string;
  title: string;
  [key: string]: unknown;
}

export interface DisplayedNotification extends QueuedNotification {
  fields: Json;
  timeout: number;
  secondsLeft: number;
}

export interface NotificationsView {
  displayed: DisplayedNotification | null;
  queued: QueuedNotification[];
  queueLength: number;
  maxQueued: number;
}

export interface PanelView {
  mode: number;
  width: number;
  activeProvider: string | null;
}

export interface WorkspaceView {
  focusedSessionId: string;
  maxSessions: number;
  canCreateSession: boolean;
  panel: { mode: number; width: number };
  sessions: SessionView[];
  presence: PresenceInfo | null;
  presences: PresenceInfo[];
  activeProvider: string | null;
  notifications: NotificationsView;
  overlays: OverlaysView;
  /** Bumped by every write to the org's records. */
  recordsVersion: number;
  [key: string]: unknown;
}

export interface ConversationView {
  conversationId: string;
  channel: string;
  state: string;
  sessionId: string | null;
  notificationId: string | null;
  customer: { name: string; authenticated: boolean; [key: string]: unknown };
  sentiment: string;
  messages: Array<{ [key: string]: unknown }>;
  reconnectUrl: string | null;
  [key: string]: unknown;
}

export interface ConversationsView {
  now: number;
  capacity: { total: number; used: number; available: number; [key: string]: unknown };
  channels: Array<{ name: string; label: string }>;
  conversations: ConversationView[];
  [key: string]: unknown;
}

/** A conversation routing across agents placed or holds (src/cifbridge/web/routing.py). */
export interface RoutedConversation {
  routingId: string;
  channel: string;
  /** queued, offered (to `agent`), accepted (by `agent`), abandoned (by the customer), failed. */
  state: "queued" | "offered" | "accepted" | "abandoned" | "failed";
  /** The agent it was sent to, until that agent declined it. */
  target: string | null;
  agent: string | null;
  /** Its id in `agent`'s workspace: what that agent's conversation routes take. */
  conversationId: string | null;
  /** The agents who rejected it or let it time out: it never goes back to them. */
  declinedBy: string[];
  history: Array<{ agent: string | null; outcome: string }>;
  arrival: { [key: string]: Json };
  /** Why it failed. */
  reason?: string;
}

/** One CIF call (kind "call") or the late answer of a deferred one ("answer"), as the journal
 * keeps it (web/journal.py; the hub writes the fields). GET /api/journal lists these unless
 * asked for other kinds. */
export interface JournalEntry {
  seq: number;
  at: number;
  /** Absent in journals written before entries had kinds. */
  kind?: "call" | "answer";
  provider: string;
  api: string;
  args: unknown[];
  ok: boolean;
  /** What the call resolved with, when ok. */
  value?: unknown;
  /** What it rejected with, when not ok: {message, msdyn_name?, errorCode?}. */
  error?: { message?: string; [key: string]: unknown };
  /** The call waits for the agent (notifyEvent); its answer comes as a later, settled entry. */
  deferred?: boolean;
  /** This entry is the late answer of a deferred call. */
  settled?: boolean;
  /** The id of the fault that rejected the call or kept it unanswered. */
  fault?: string;
  requestId?: string | null;
  latencyMs?: number;
  [key: string]: unknown;
}

/** An event the bridge sent to widgets (web/event_sender.py). */
export interface EventEntry {
  seq: number;
  at: number;
  kind: "event";
  name: string;
  /** The event's data, decoded (widgets get it as JSON text). */
  payload: Json;
  /** The provider whose widgets heard it, or "*" for every one. */
  provider: string;
  /** The widget connections in its room on this bridge (the first 50 of them). */
  connections: string[];
  /** How many widget connections were in its room on this bridge. */
  connectionCount: number;
  /** The fault that dropped or delayed it. */
  fault?: string;
  dropped?: boolean;
  delayMs?: number;
  [key: string]: unknown;
}

/** A fault as the control API lists it (web/faults.py, Fault.to_json). */
export interface FaultView {
  id: string;
  target: "call" | "event" | "connection";
  effect: "reject" | "delay" | "hang" | "disconnect" | "drop";
  /** The CIF function (call and connection targets) or "*". */
  api?: string;
  /** The event name (event target) or "*". */
  event?: string;
  provider?: string;
  connection?: string;
  match?: { [key: string]: Json };
  error?: { form: "host" | "client" | "timeout"; message?: string; msdyn_name?: string; errorCode?: number };
  delayMs?: number;
  /** How many more calls or events it acts on; null: every one until cleared. */
  remaining: number | null;
  fired: number;
}

/** A fault set, fired or cleared. */
export interface FaultEntry {
  seq: number;
  at: number;
  kind: "fault";
  change: "set" | "fired" | "cleared";
  /** The fault as it stood after the change. */
  fault: FaultView;
  /** What a firing acted on: {provider, api} or {provider, event}, or {connections}. */
  on?: { [key: string]: Json };
  [key: string]: unknown;
}

/** Any entry, as `?kind=all` (or a list of kinds) answers them; `kind` tells them apart. */
export type AnyJournalEntry = JournalEntry | EventEntry | FaultEntry;

/** The whole state as a file holds it (schemas/state/export.json). */
export type StateExport = {
  format: "cifbridge-state";
  formatVersion: 1;
  cifbridgeVersion?: string;
  clock: { now: number; offset: number };
  /** The engine's plain-data workspace (engine/base/state.py). */
  workspace: { version: 1; sessions: { [sessionId: string]: { [key: string]: Json } }; [key: string]: Json };
  journal: { entries: AnyJournalEntry[] };
};

/** An agent as GET /api/agents lists it (web/control/agents.py). */
export interface AgentView {
  agent: string;
  /** Its open sessions, Home not counted. */
  sessions: number;
  focusedSessionId: string;
  /** The text of its presence, if it has one. */
  presence: string | null;
}

/** A route of the table as GET /api/routes describes it. */
export interface RouteInfo {
  name: string;
  method: string;
  path: string;
  body: string | null;
  summary: string;
  answer: string;
}

/** The answer of each kind, keyed like control_routes.ANSWERS. */
export interface Answers {
  workspace: WorkspaceView;
  presences: { presence: PresenceInfo | null; presences: PresenceInfo[] };
  presence: { presence: PresenceInfo | null };
  panel: PanelView;
  value: Json;
  notifications: NotificationsView;
  answered: NotificationsView & { answered: string };
  conversations: ConversationsView;
  conversation: ConversationView;
  result: { result: Json; conversation: ConversationView };
  entities: { value: Array<{ [key: string]: unknown }> };
  created: { [key: string]: Json };
  deleted: { entityType: string; id: string };
  empty: Record<string, never>;
  clock: { now: number };
  /** The entries of the kinds asked; `dropped`: what the size bound let go since the last reset. */
  journal: { entries: AnyJournalEntry[]; dropped: number; size: number };
  routes: { routes: RouteInfo[] };
  state: StateExport;
  openapi: { openapi: string; paths: { [path: string]: unknown }; [key: string]: unknown };
  /** A connection fault also lists the connections it dropped. */
  fault: { fault: FaultView; connections?: string[] };
  faults: { faults: FaultView[] };
  /** The queue oldest first, the offers standing, the latest finished, the last round-robin pick. */
  routing: {
    cursor: string | null;
    queue: RoutedConversation[];
    offers: RoutedConversation[];
    finished: RoutedConversation[];
  };
  routed: RoutedConversation;
  /** Every agent the bridge hosts, the default one first. */
  agents: { agents: AgentView[] };
}
