/*
 * A Playwright Test globalSetup that starts one bridge for the whole run:
 *
 *   // playwright.config.ts
 *   export default defineConfig({ globalSetup: "cifbridge/playwright/global-setup", workers: 1 });
 *
 * It sets CIFBRIDGE_URL for the workers, so the `cifbridge` fixture uses this bridge instead of
 * starting one per worker; the teardown it returns stops the bridge. The tests share one
 * workspace, and each test resets it: run them with one worker. Configure the bridge with
 * CIFBRIDGE_CONFIG and the other CIFBRIDGE_* variables `cifbridge serve` reads.
 */

import { startBridge } from "./process.js";

export default async function globalSetup(): Promise<() => Promise<void>> {
  const bridge = await startBridge();
  process.env.CIFBRIDGE_URL = bridge.url;
  return async () => {
    await bridge.stop();
  };
}
