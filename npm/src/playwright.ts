/*
 * Playwright Test fixtures for widget tests against a bridge, like the Python pytest plugin
 * (src/cifbridge/clients/pytest_plugin.py):
 *
 *   import { test, expect, waitForCall } from "cifbridge/playwright";
 *   test("a call opens a session", async ({ page, cifbridge, cifbridgePages, scriptTag }) => { ... });
 *
 *   cifbridgeServer  worker   a client of one bridge per worker (`cifbridge serve --port 0`,
 *                             memory store), stopped when the worker ends; or of the bridge at
 *                             CIFBRIDGE_URL, when the globalSetup (cifbridge/playwright/global-setup)
 *                             started one for the whole run
 *   cifbridge        test     a client of that bridge as an agent of the test's own
 *                             (agent-w<workerIndex>-<testId>, docs/agents.md): only the Home
 *                             session, an empty journal, the real clock; removed after the test.
 *                             Tests on every worker share the bridge without seeing each other's
 *                             sessions; the org's records are shared by all of them
 *   scriptTag        test     the CIF script tag of that bridge for the test's agent (the library
 *                             URL carries /agents/<agent>/), for the widget page
 *   cifbridgePages   worker   `cifbridgePages.serve(html)` serves a widget page from
 *                             http://localhost:<port>, a trusted origin other than the bridge's
 *   cifbridgeOptions worker   option: {config, args, python, command, token} of the bridge;
 *                             options given mean a bridge of the worker's own, CIFBRIDGE_URL or not
 *
 * A failing test gets the bridge's output attached as `cifbridge.log`.
 */

import { test as base } from "@playwright/test";
import { CifbridgeClient } from "./client.js";
import { WidgetPages } from "./pages.js";
import { type BridgeOptions, type BridgeProcess, startBridge } from "./process.js";

export { expect } from "@playwright/test";
export * from "./index.js";
export { BridgeProcess, BridgeStartError, type BridgeOptions, startBridge } from "./process.js";
export { WidgetPages } from "./pages.js";

/** The agent of one test: unique across workers and repeats, valid as an agent name (64 at most). */
export function testAgentName(workerIndex: number, testId: string, repeatEachIndex = 0): string {
  const repeat = repeatEachIndex > 0 ? `-r${repeatEachIndex}` : "";
  const id = testId.replace(/[^A-Za-z0-9_.-]+/g, "-");
  return `agent-w${workerIndex}${repeat}-${id}`.slice(0, 64);
}

export interface CifbridgeTestFixtures {
  cifbridge: CifbridgeClient;
  scriptTag: string;
}

export interface CifbridgeWorkerFixtures {
  cifbridgeOptions: BridgeOptions;
  cifbridgeServer: CifbridgeClient;
  cifbridgeProcess: BridgeProcess | null;
  cifbridgePages: WidgetPages;
}

export const test = base.extend<CifbridgeTestFixtures, CifbridgeWorkerFixtures>({
  cifbridgeOptions: [{}, { scope: "worker", option: true }],
  cifbridgeProcess: [
    async ({ cifbridgeOptions }, use) => {
      if (process.env.CIFBRIDGE_URL && Object.keys(cifbridgeOptions).length === 0) {
        await use(null); // the globalSetup's bridge serves the whole run
        return;
      }
      const bridge = await startBridge(cifbridgeOptions);
      try {
        await use(bridge);
      } finally {
        await bridge.stop();
      }
    },
    { scope: "worker" },
  ],
  cifbridgeServer: [
    async ({ cifbridgeProcess }, use) => {
      if (cifbridgeProcess) {
        await use(cifbridgeProcess.client);
        return;
      }
      await use(new CifbridgeClient(process.env.CIFBRIDGE_URL as string));
    },
    { scope: "worker" },
  ],
  cifbridgePages: [
    // biome-ignore lint/correctness/noEmptyPattern: Playwright reads a fixture's dependencies from this pattern
    async ({}, use) => {
      const pages = await WidgetPages.start();
      try {
        await use(pages);
      } finally {
        await pages.close();
      }
    },
    { scope: "worker" },
  ],
  cifbridge: async ({ cifbridgeServer, cifbridgeProcess }, use, testInfo) => {
    const agent = testAgentName(testInfo.workerIndex, testInfo.testId, testInfo.repeatEachIndex);
    const client = cifbridgeServer.forAgent(agent);
    await client.reset(); // names the agent (it appears on first use), fresh if it was kept
    await use(client);
    await cifbridgeServer.removeAgent(agent).catch(() => undefined); // removed by the test, or gone
    if (cifbridgeProcess && testInfo.status !== testInfo.expectedStatus) {
      await testInfo.attach("cifbridge.log", { body: cifbridgeProcess.output(), contentType: "text/plain" });
    }
  },
  scriptTag: async ({ cifbridge }, use) => {
    await use(cifbridge.scriptTag);
  },
});
