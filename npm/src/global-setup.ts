/*
 * A Playwright Test globalSetup that starts one bridge for the whole run:
 *
 *   // playwright.config.ts
 *   export default defineConfig({ globalSetup: "cifbridge/playwright/global-setup" });
 *
 * It sets CIFBRIDGE_URL for the workers, so the `cifbridge` fixture uses this bridge instead of
 * starting one per worker; the teardown it returns stops the bridge. Each test works as an agent
 * of its own (docs/agents.md), so any number of workers share the bridge; only the org's records
 * are common to all. Configure the bridge with CIFBRIDGE_CONFIG and the other CIFBRIDGE_*
 * variables `cifbridge serve` reads.
 */

import { startBridge } from "./process.js";

export default async function globalSetup(): Promise<() => Promise<void>> {
  const bridge = await startBridge();
  process.env.CIFBRIDGE_URL = bridge.url;
  return async () => {
    await bridge.stop();
  };
}
