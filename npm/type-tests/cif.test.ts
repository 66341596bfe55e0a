/*
 * Type-level tests of the declarations, checked by `tsc -p npm` and never run: what a widget
 * written for the real library must be able to write, and (@ts-expect-error) what it must not.
 */

import type {
  CreateRecordResult,
  EnvironmentInfo,
  EventData,
  NotifyEventResult,
  Rejection,
  SearchResults,
  SessionSwitchedEvent,
} from "cifbridge";

declare function use(...values: unknown[]): void;

const cif = Microsoft.CIFramework;

export async function resultsAreTheRealEncodings(): Promise<void> {
  const sessionId: string = await cif.createSession({ templateName: "msdyn_voicecall_session" });
  // @ts-expect-error createSession resolves the session id, not a boolean
  const created: boolean = await cif.createSession({ templateName: "msdyn_voicecall_session" });
  const session: Map<string, unknown> = await cif.getSession(sessionId);
  const focused: string | null = await cif.getFocusedSession();
  const record = JSON.parse(await cif.createRecord("contact", "{}")) as CreateRecordResult;
  const search = await cif.searchAndOpenRecords("contact", "?$top=1", true);
  const found = JSON.parse(search) as SearchResults;
  const environment = JSON.parse(await cif.getEnvironment()) as EnvironmentInfo;
  const answer = JSON.parse(await cif.notifyEvent({ templateName: "t" })) as NotifyEventResult;
  // @ts-expect-error JSON-string results are strings, not the parsed object
  const raw: NotifyEventResult = await cif.notifyEvent({ templateName: "t" });
  use(created, session.get("conversationId"), focused, record.id, found[0], environment.userId);
  use(answer.actionName, raw);
}

export async function bothSignaturesWhereDocsAndLibraryDiffer(): Promise<void> {
  await cif.requestFocusSession("session-id-1", 3, "correlation");
  await cif.requestFocusSession("session-id-1", "correlation");
  // @ts-expect-error no signature puts a string count before the correlation id
  await cif.requestFocusSession("session-id-1", "3", "correlation");
  await cif.notifyEvent({ templateName: "t", cancellationToken: "token" });
  await cif.notifyEvent({ templateName: "t" }, "correlation", "token");
  await cif.openForm(JSON.stringify({ entityName: "contact" }));
  await cif.openForm({ entityName: "contact" }, { firstname: "Ana" });
}

export async function handlersTakeJsonText(): Promise<void> {
  await cif.addHandler("onSessionSwitched", async (data: string) => {
    const switched = JSON.parse(data) as SessionSwitchedEvent;
    use(switched.focused, switched.focussed);
  });
  await cif.addHandler("myCustomEvent", async (data) => data.length);
  const closed: EventData["onSessionClosed"] = { sessionId: "session-id-1", context: null };
  // @ts-expect-error handlers get JSON text, not a parsed object
  await cif.addHandler("onclicktoact", async (data: { value: string }) => data.value);
  const removed: boolean = await cif.removeHandler("onSessionClosed", async () => undefined);
  use(closed, removed);
}

export async function theNamespaceIsOnTheWindow(): Promise<void> {
  // Widgets written for the real library often say window.Microsoft.
  const sessionId: string = await window.Microsoft.CIFramework.createSession({ templateName: "t" });
  use(sessionId);
}

export function cifInitDoneListsOrigins(): void {
  window.addEventListener("CIFInitDone", (event) => {
    const origins: string[] = event.detail;
    // @ts-expect-error the detail is a list of origins
    const origin: string = event.detail;
    use(origins, origin);
  });
}

export function rejectionsComeInThreeForms(error: Rejection): string {
  if (typeof error === "string") return error;
  if (error instanceof Map) return String(error.get("message"));
  return error.message;
}

export async function overlaysTakeBothShapesRealWidgetsPass(): Promise<void> {
  const xrm = await cif.showGlobalNotification({ type: 2, level: 3, message: "Low balance" });
  const link = await cif.showGlobalNotification({
    message: "Recording ready",
    level: "INFO",
    actionLabel: "Listen",
    actionLink: "https://recordings.contoso.com/42",
    showCloseButton: true,
  });
  // @ts-expect-error a message bar needs a message
  await cif.showGlobalNotification({ level: 1 });
  // @ts-expect-error levels are 1..4 or their names
  await cif.showGlobalNotification({ message: "m", level: 7 });
  const confirmed = JSON.parse(await cif.openDialog({ text: "Transfer?" })) as { confirmed: boolean };
  const fields: Map<string, unknown> = await cif.openMDDDialog("cifb_wrapup", {}, { reason: "x" });
  const note = JSON.parse(await cif.insertNotes("contact", "contacts", "id", "")) as { value: string };
  use(xrm, link, confirmed, fields, note);
}
