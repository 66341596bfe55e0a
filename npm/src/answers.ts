/*
 * What the control API answers, one type per answer kind of the route table
 * (src/cifbridge/api/control_routes.py, ANSWERS). routes.generated.ts maps every route to one
 * of these by its kind, so a kind added to the table and not here fails to compile.
 *
 * The views (src/cifbridge/engine/views/) carry more fields than typed here; the ones a test
 * asserts on are typed, the rest stay reachable through the index signatures.
 */

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

/** One CIF call as the journal keeps it (web/journal.py; the hub writes the fields). */
export interface JournalEntry {
  seq: number;
  at: number;
  /** "call" or "answer" (what GET /api/journal lists unless asked for events or faults). */
  kind?: string;
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
  requestId?: string | null;
  latencyMs?: number;
  [key: string]: unknown;
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
  journal: { entries: JournalEntry[]; dropped?: number; size?: number };
  routes: { routes: RouteInfo[] };
  // Kinds that routes under way elsewhere answer (state export, the OpenAPI document, faults):
  // typed ahead so their routes are typed the day the table lists them.
  state: { [key: string]: Json };
  openapi: { openapi: string; paths: { [path: string]: unknown }; [key: string]: unknown };
  fault: { fault: { id: string; [key: string]: unknown }; connections: string[] };
  faults: { faults: Array<{ id: string; [key: string]: unknown }> };
}
