/*
 * Faults on demand and the state carried out and back, through the JS client as a widget team
 * uses them: a fault makes a widget page's createSession reject with the host's own form, the
 * client lists it and reads its journal entries, and an exported state comes back on import.
 */

import { expect, test } from "cifbridge/playwright";

const WIDGET = `<!doctype html><body><script>
  window.addEventListener("CIFInitDone", () => { window.cif = Microsoft.CIFramework; });
</script>SCRIPT_TAG</body>`;

test("a host-form fault rejects createSession once; the state exported comes back", async ({
  page,
  cifbridge,
  cifbridgePages,
  scriptTag,
}) => {
  const error = { form: "host", message: "Could not create the session" } as const;
  const { fault } = await cifbridge.setFault("reject", "createSession", { times: 1, error });
  expect(fault).toMatchObject({ target: "call", effect: "reject", api: "createSession", remaining: 1, fired: 0 });
  expect(await cifbridge.faults()).toEqual([fault]);

  await page.goto(cifbridgePages.serve(WIDGET.replace("SCRIPT_TAG", scriptTag)));
  await page.waitForFunction(() => (window as { cif?: unknown }).cif !== undefined);
  // A Map does not cross page.evaluate: the page says what it got.
  const createSession = () =>
    page.evaluate(() =>
      (window as unknown as { cif: typeof Microsoft.CIFramework }).cif.createSession({ templateName: "msdyn_chat_session" }).then(
        (id) => ({ resolved: id }),
        (reason: unknown) => (reason instanceof Map ? { map: [...reason.entries()] } : { other: String(reason) }),
      ),
    );
  expect(await createSession()).toEqual({
    map: [
      ["message", "Could not create the session"],
      ["msdyn_name", "createSession"],
    ],
  });
  expect(await cifbridge.faults()).toEqual([]); // spent: the next call goes through
  expect(await createSession()).toEqual({ resolved: "session-id-1" });

  const faultEntries = await cifbridge.journal({ kind: "fault" });
  expect(faultEntries.map((entry) => (entry.kind === "fault" ? [entry.change, entry.fault.id] : entry.kind))).toEqual([
    ["set", fault.id],
    ["fired", fault.id],
  ]);
  const [rejected] = await cifbridge.journal({ api: "createSession" });
  expect(rejected).toMatchObject({ ok: false, fault: fault.id, error: { message: error.message } });

  const state = await cifbridge.exportState();
  expect(Object.keys(state.workspace.sessions)).toEqual(["session-id-0", "session-id-1"]);
  await cifbridge.closeSession("session-id-1");
  const imported = await cifbridge.importState(state);
  expect(imported.sessions.map((session) => session.id)).toEqual(["session-id-0", "session-id-1"]);
  const carried = await cifbridge.journalPage({ kind: "all" });
  expect(carried.entries.map((entry) => entry.kind)).toEqual(state.journal.entries.map((entry) => entry.kind));
  expect(carried.dropped).toBe(0);
});
