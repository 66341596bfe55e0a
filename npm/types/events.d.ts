/*
 * Events: the names addHandler knows, what their JSON-string data parses to, and the
 * CIFInitDone window event (reference §3).
 */

declare namespace Microsoft.CIFramework {
  /** The events the host raises on its own; the exact, case-sensitive strings. */
  type BuiltInEventName =
    | "onclicktoact"
    | "onmodechanged"
    | "onsizechanged"
    | "onpagenavigate"
    | "onsendkbarticle"
    | "onSessionSwitched"
    | "onSessionClosed"
    | "onPresenceChange";

  /** A built-in event, or any custom name that raiseEvent (or the host page) raises. */
  type EventName = BuiltInEventName | (string & {});

  /**
   * An addHandler handler: it gets the event's data as JSON text and may answer with a
   * promise, whose value goes back to the host.
   */
  // biome-ignore lint/suspicious/noExplicitAny: whatever the handler answers goes to the host as is
  type EventHandler = (data: string) => Promise<any>;

  /** onclicktoact: the agent selected a click-to-act field. */
  interface ClickToActEvent {
    value: string;
    name: string;
    format: string;
    entityLogicalName: string;
  }

  /** onmodechanged: the agent changed the panel mode. */
  interface ModeChangedEvent {
    value: PanelMode;
  }

  /** onsizechanged: the panel's width changed. */
  interface SizeChangedEvent {
    value: number;
  }

  /** onpagenavigate: the main page is about to navigate. */
  interface PageNavigateEvent {
    value: string;
  }

  /** onsendkbarticle: the agent sent a knowledge article. */
  interface SendKBArticleEvent {
    title: string;
    link: string;
  }

  /** onSessionSwitched: one event per session involved (§8.5: both spellings are sent). */
  interface SessionSwitchedEvent {
    sessionId: string;
    focused: boolean;
    /** The docs' spelling. */
    focussed: boolean;
    context: unknown;
  }

  /** onSessionClosed: one of the provider's sessions was closed (§8.6). */
  interface SessionClosedEvent {
    sessionId: string;
    context: unknown;
  }

  /** onPresenceChange: the agent's presence changed. */
  interface PresenceChangeEvent {
    presenceId?: string;
    presenceInfo?: PresenceInfo;
  }

  /** What each built-in event's data parses to: `JSON.parse(data) as EventData["onclicktoact"]`. */
  interface EventData {
    onclicktoact: ClickToActEvent;
    onmodechanged: ModeChangedEvent;
    onsizechanged: SizeChangedEvent;
    onpagenavigate: PageNavigateEvent;
    onsendkbarticle: SendKBArticleEvent;
    onSessionSwitched: SessionSwitchedEvent;
    onSessionClosed: SessionClosedEvent;
    onPresenceChange: PresenceChangeEvent;
  }
}

/**
 * The library is ready: a DOM event on the widget's window, not an addHandler event. Its detail
 * lists the CRM origins the library talks to.
 */
interface WindowEventMap {
  CIFInitDone: CustomEvent<string[]>;
}
