/*
 * The control API of one bridge, from Node or a browser: plain `fetch`, no dependencies.
 *
 *   const bridge = new CifbridgeClient("http://127.0.0.1:8765");
 *   const [home, call] = await bridge.sessions();
 *   await bridge.closeSession(call.id);          // the widget hears onSessionClosed
 *
 * The methods are the ones the Python BridgeClient offers plus the rest of the agent's actions;
 * `records` holds the record store's; `call(name, ...)` reaches any route of the table.
 */

import type { Answers, JournalEntry, SessionView } from "./answers.js";
import { RecordStoreClient } from "./records.js";
import { type ClientOptions, ControlApi } from "./request.js";
import type { RouteBodies } from "./routes.generated.js";

export class CifbridgeClient extends ControlApi {
  /** The record store, as the workspace's forms and lists use it. */
  readonly records: RecordStoreClient;

  constructor(url: string, options: ClientOptions = {}) {
    super(url, options);
    this.records = new RecordStoreClient(this);
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
}
