/*
 * The JS test kit beyond the README's examples, run by tests/package/test_npm_package.py in an
 * outside project that installed the packed tarball: the client's typed errors, the journal
 * helpers' failures, deferred calls, the conversation clients, the records and the clock
 * (token.spec.ts: a bridge with a token), and the agents: each test works as an agent of its own.
 * Every test here notes its bridge's URL, so the Python side can check that each worker had a
 * bridge of its own (or that a globalSetup's bridge served them all).
 */

import { appendFileSync, mkdirSync } from "node:fs";
import {
  CifbridgeError,
  ConversationAgent,
  CustomerClient,
  countCalls,
  expect,
  expectNoRejectedCall,
  JournalAssertionError,
  journalMark,
  test as base,
  waitForCall,
} from "cifbridge/playwright";
import type { Page } from "@playwright/test";

const test = base.extend<{ noteBridge: void }>({
  noteBridge: [
    async ({ cifbridge }, use, testInfo) => {
      mkdirSync("bridge-urls", { recursive: true });
      appendFileSync(`bridge-urls/worker-${testInfo.parallelIndex}.url`, `${cifbridge.bridgeUrl}\n`);
      await use();
    },
    { auto: true },
  ],
});
test.describe.configure({ mode: "parallel" });

const WIDGET = `<!doctype html><body><script>
  window.addEventListener("CIFInitDone", () => { window.cif = Microsoft.CIFramework; });
</script>SCRIPT_TAG</body>`;

async function openWidget(page: Page, pages: { serve(html: string): string }, scriptTag: string) {
  await page.goto(pages.serve(WIDGET.replace("SCRIPT_TAG", scriptTag)));
  await page.waitForFunction(() => (window as { cif?: unknown }).cif !== undefined);
}

test("refusals are CifbridgeErrors carrying the status and the error body", async ({ cifbridge }) => {
  const unknown = await cifbridge.focusSession("session-id-99").catch((error: unknown) => error);
  expect(unknown).toBeInstanceOf(CifbridgeError);
  expect((unknown as CifbridgeError).status).toBe(404);
  expect((unknown as CifbridgeError).route).toBe("focusSession");
  // A body the schema refuses (typed code cannot send it: it comes from parsed JSON here).
  const wide = JSON.parse('{"width": "wide"}') as { width: number };
  const malformed = await cifbridge.setPanel(wide).catch((error: unknown) => error);
  expect((malformed as CifbridgeError).status).toBe(400);
  expect((malformed as CifbridgeError).body).toEqual({
    error: { message: "setPanel: $.width: 'wide' is not of type 'integer'" },
  });
  // One the engine refuses: nothing changes.
  const before = await cifbridge.panel();
  const invalid = await cifbridge.setPanel({ mode: 7 }).catch((error: unknown) => error);
  expect((invalid as CifbridgeError).status).toBe(400);
  expect((invalid as CifbridgeError).message).toBe("setPanel: 400: mode must be 0 (minimized), 1 (docked) or 2 (hidden)");
  expect(await cifbridge.panel()).toEqual(before);
});

test("a deferred call is awaited by its arrival and by its answer", async ({
  page,
  cifbridge,
  cifbridgePages,
  scriptTag,
}) => {
  await openWidget(page, cifbridgePages, scriptTag);
  const answer = page.evaluate(() =>
    (window as unknown as { cif: typeof Microsoft.CIFramework }).cif.notifyEvent({
      templateName: "msdyn_chat_incoming_authenticated",
      templateParameters: { customerName: "Ana" },
    }),
  );
  const arrived = await waitForCall(cifbridge, "notifyEvent");
  expect(arrived.deferred).toBe(true);
  const shown = (await cifbridge.notifications()).displayed;
  expect(shown?.title).toBeTruthy();
  await cifbridge.acceptNotification(shown?.id);
  const settled = await waitForCall(cifbridge, "notifyEvent", { settled: true });
  expect(settled.ok).toBe(true);
  expect(JSON.parse(await answer)).toMatchObject({ actionName: "Accept" });
  expect(await countCalls(cifbridge, "notifyEvent")).toBe(1);
});

test("the journal helpers fail with what the journal holds", async ({ page, cifbridge, cifbridgePages, scriptTag }) => {
  await openWidget(page, cifbridgePages, scriptTag);
  const mark = await journalMark(cifbridge);
  const rejected = await page.evaluate(() =>
    (window as unknown as { cif: typeof Microsoft.CIFramework }).cif
      .createSession({ templateName: "no_such_template" })
      .then(
        () => "resolved",
        () => "rejected",
      ),
  );
  expect(rejected).toBe("rejected");
  const failure = await expectNoRejectedCall(cifbridge, { since: mark }).catch((error: unknown) => error);
  expect(failure).toBeInstanceOf(JournalAssertionError);
  expect((failure as Error).message).toContain("1 call(s) rejected");
  expect((failure as Error).message).toContain("createSession");
  const waited = await waitForCall(cifbridge, "setPresence", { timeout: 200 }).catch((error: unknown) => error);
  expect(waited).toBeInstanceOf(JournalAssertionError);
  expect((waited as Error).message).toMatch(/waited 200 ms for a setPresence call; the journal holds:\n {2}#\d+ createSession/);
  expect(await countCalls(cifbridge, "createSession", { where: (entry) => entry.ok })).toBe(0);
  await expectNoRejectedCall(cifbridge, { api: "canCreateSession" });
});

test("the customer arrives, the agent accepts: a session opens", async ({ cifbridge }) => {
  const customer = new CustomerClient(cifbridge);
  const agent = new ConversationAgent(cifbridge.url);
  const { conversation } = await customer.arrive("chat", { name: "Ana" });
  expect(conversation.state).toBe("open");
  const accepted = await agent.accept(conversation.conversationId);
  const sessionId = accepted.conversation.sessionId;
  await customer.message(conversation.conversationId, "It arrived broken", "negative");
  const seen = await agent.conversation(conversation.conversationId);
  expect(seen.messages).toHaveLength(1);
  const session = (await cifbridge.sessions()).find((s) => s.id === sessionId);
  expect(session?.conversationId).toBe(conversation.conversationId);
});

test("records, presence and the clock", async ({ cifbridge }) => {
  const created = await cifbridge.records.create("contact", { firstname: "Ana", lastname: "Lima" });
  const id = String(created.contactid);
  expect((await cifbridge.records.get("contact", id, { $select: "fullname" })) as object).toMatchObject({
    fullname: "Ana Lima",
  });
  await cifbridge.records.delete("contact", id);
  const gone = await cifbridge.records.get("contact", id).catch((error: unknown) => error);
  expect((gone as CifbridgeError).status).toBe(404);
  expect((await cifbridge.setPresence("Busy")).presence?.presenceText).toBe("Busy");
  const now = await cifbridge.clock();
  expect(await cifbridge.advanceClock(120)).toBeGreaterThanOrEqual(now + 120);
  const routes = (await cifbridge.routes()).routes.map((route) => route.name);
  expect(routes).toContain("advanceClock");
});

test("each test is an agent of its own on the bridge, removed after it", async ({ cifbridge, cifbridgeServer }) => {
  expect(cifbridge.agent).toMatch(/^agent-w\d+-/);
  expect(cifbridge.bridgeUrl).toBe(cifbridgeServer.url);
  expect(cifbridge.url).toBe(`${cifbridge.bridgeUrl}/agents/${cifbridge.agent}`);
  expect(cifbridge.scriptTag).toContain(`/agents/${cifbridge.agent}/webresources/Widget/msdyn_ciLibrary.js`);
  expect((await cifbridge.agents()).map((listed) => listed.agent)).toContain(cifbridge.agent);
  const other = cifbridge.forAgent(`${cifbridge.agent}-b`);
  await other.reset(); // an agent appears on first use
  expect((await other.sessions()).map((session) => session.id)).toEqual(["session-id-0"]);
  const left = await cifbridge.removeAgent(other.agent);
  expect(left.map((listed) => listed.agent)).not.toContain(other.agent);
  expect(left.map((listed) => listed.agent)).toContain(cifbridge.agent);
  const refused = await cifbridge.removeAgent("default").catch((error: unknown) => error);
  expect((refused as CifbridgeError).status).toBe(409);
});
