/*
 * The control API of one bridge, from Node or a browser: plain `fetch`, no dependencies.
 *
 *   const bridge = new CifbridgeClient("http://127.0.0.1:8765");
 *   const [home, call] = await bridge.sessions();
 *   await bridge.closeSession(call.id);          // the widget hears onSessionClosed
 *
 * The methods are the ones the Python BridgeClient offers plus the rest of the agent's actions:
 * HarnessApi (harness.ts) has the journal, the clock, faults, state and the route table, this
 * class what the agent does; `records` holds the record store's; `call(name, ...)` reaches any
 * route of the table (tests/npm/test_client_methods.py fails on a route without a method here).
 *
 * One client works for one agent (docs/agents.md): `new CifbridgeClient(url, { agent: "alice" })`,
 * a URL naming it (`<bridge>/agents/alice`), or `bridge.forAgent("alice")`.
 */

import type { Answers, Json, SessionView } from "./answers.js";
import { HarnessApi } from "./harness.js";
import type { DialogAnswer, DialogView, MessageBarClick, MessageBarView, NotesFlap, SavedNote } from "./overlays.js";
import { RecordStoreClient } from "./records.js";
import type { ClientOptions } from "./request.js";
import type { RouteBodies } from "./routes.generated.js";

export class CifbridgeClient extends HarnessApi {
  /** The record store, as the workspace's forms and lists use it. */
  readonly records: RecordStoreClient;

  constructor(url: string, options: ClientOptions = {}) {
    super(url, options);
    this.records = new RecordStoreClient(this);
  }

  /** A client of the same bridge (same token and timeout) for another agent. */
  forAgent(agent: string): CifbridgeClient {
    return new CifbridgeClient(this.bridgeUrl, { agent, timeout: this.timeout, token: this.token ?? "" });
  }

  // The workspace.

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

  // What widgets lay over the workspace (answers typed by overlays.ts, see `shaped`).

  /** The dialogs widgets opened (openDialog, openMDDDialog), the one shown first. */
  dialogs(): Promise<DialogView[]> {
    return shaped(this.call("listDialogs"));
  }
  /** Press OK (`confirmed`) or Cancel on the dialog shown; its widget's promise resolves. */
  answerDialog(
    confirmed: boolean,
    options: Omit<RouteBodies["answerDialog"], "confirmed"> = {},
  ): Promise<DialogAnswer> {
    return shaped(this.call("answerDialog", { body: { ...options, confirmed } }));
  }
  /** The message bars across the workspace, oldest first. */
  messageBars(): Promise<MessageBarView[]> {
    return shaped(this.call("listMessageBars"));
  }
  /** Press a message bar's close button (409 when it has none); resolve with its id. */
  closeMessageBar(barId: string): Promise<string> {
    return shaped(this.call("closeMessageBar", { params: { bar_id: barId } }));
  }
  /** Click a message bar's action (409 when it has none): the page would open `actionLink`. */
  clickMessageBarAction(barId: string): Promise<MessageBarClick> {
    return shaped(this.call("clickMessageBarAction", { params: { bar_id: barId } }));
  }
  /** The open notes flap (a 404 CifbridgeError when none is open). */
  notes(): Promise<NotesFlap> {
    return shaped(this.call("getNotes"));
  }
  /** Save the note in the flap; the widget's insertNotes resolves the annotation's id. */
  saveNotes(text: string): Promise<SavedNote> {
    return shaped(this.call("saveNotes", { body: { text } }));
  }
  /** Close the notes flap without saving; insertNotes resolves as nothing saved. */
  async cancelNotes(): Promise<void> {
    await this.call("cancelNotes");
  }
}

/** Give an overlay route's answer its shape: the route table types the answers of engine
 * actions as any JSON value ("value"), and web/control/overlays.py documents what they are. */
function shaped<T>(answer: Promise<Json>): Promise<T> {
  return answer as Promise<unknown> as Promise<T>;
}
