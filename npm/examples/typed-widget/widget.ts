/*
 * A typed CIF 2.0 widget, written against cifbridge's declarations of Microsoft.CIFramework.
 *
 * Like a partner widget it loads the CRM's library named by `?ucilib=` (reference §6.1), waits
 * for CIFInitDone, opens a session for `?customer=`, reads getSession's Map, and shows on the
 * page what it learned, including the onSessionClosed events it hears. `tsc -p
 * examples/typed-widget` compiles it into dist/, where index.html loads it from.
 */

import type {
  CreateSessionInput,
  EnvironmentInfo,
  Rejection,
  SessionClosedEvent,
  SessionInfo,
} from "cifbridge";

const VOICE_TEMPLATE = "msdyn_voicecall_session";

function show(field: string, text: string): void {
  const element = document.querySelector(`[data-field="${field}"]`);
  if (element) element.textContent = text;
}

function loadLibrary(libraryUrl: string): Promise<string[]> {
  return new Promise((resolve, reject) => {
    // The augmented WindowEventMap types event.detail as the library's CRM origins.
    window.addEventListener("CIFInitDone", (event) => resolve(event.detail), { once: true });
    const script = document.createElement("script");
    script.src = libraryUrl;
    script.dataset.crmurl = new URL(libraryUrl).origin;
    script.dataset.cifid = "CIFMainLibrary";
    script.addEventListener("error", () => reject(new Error(`cannot load ${libraryUrl}`)));
    document.head.append(script);
  });
}

function describeRejection(error: Rejection): string {
  // The real library rejects with JSON text, a Map or (docs profile) an object (§1.3).
  if (typeof error === "string") return error;
  if (error instanceof Map) return String(error.get("message"));
  return error.message;
}

async function onSessionClosed(data: string): Promise<void> {
  const closed = JSON.parse(data) as SessionClosedEvent;
  show("closed", closed.sessionId);
}

async function openSession(customerName: string): Promise<SessionInfo> {
  const cif = Microsoft.CIFramework;
  if (!(await cif.canCreateSession())) throw new Error("no room for another session");
  const input: CreateSessionInput = {
    templateName: VOICE_TEMPLATE,
    templateParameters: { customerName },
  };
  const sessionId: string = await cif.createSession(input);
  const session = await cif.getSession(sessionId);
  return Object.fromEntries(session) as SessionInfo;
}

async function start(): Promise<void> {
  const query = new URL(window.location.href).searchParams;
  const library = query.get("ucilib");
  if (!library) {
    throw new Error("open this page with ?ucilib=<CRM>/webresources/Widget/msdyn_ciLibrary.js");
  }
  show("origins", (await loadLibrary(library)).join(" "));
  await Microsoft.CIFramework.addHandler("onSessionClosed", onSessionClosed);
  const environment = JSON.parse(await Microsoft.CIFramework.getEnvironment()) as EnvironmentInfo;
  show("agent", environment.username);
  const session = await openSession(query.get("customer") ?? "Ana");
  show("session-id", session.sessionId);
  show("focused", String(session.focused));
  show("conversation", String(session.conversationId));
  document.body.dataset.state = "ready";
}

start().catch((error: unknown) => {
  show("status", error instanceof Error ? error.message : describeRejection(error as Rejection));
  document.body.dataset.state = "failed";
});
