/*
 * startBridge as a suite's own setup uses it: a bridge that cannot start fails at once with its
 * own words (never a hang until a timeout), and a missing Python package says how to install it.
 */

import { existsSync } from "node:fs";
import { BridgeStartError, expect, startBridge, test } from "cifbridge/playwright";

test("a bridge that exits while starting rejects with its own output", async () => {
  const failed = await startBridge({ config: "no-such-workspace.yaml" }).catch((error: unknown) => error);
  expect(failed).toBeInstanceOf(BridgeStartError);
  expect((failed as Error).message).toMatch(/^cifbridge serve exited with status 2:\n/);
  expect((failed as Error).message).toContain("no-such-workspace.yaml");
});

test("a cifbridge that is not installed says how to install it", async () => {
  const failed = await startBridge({ command: ["/nonexistent/bin/cifbridge"] }).catch((error: unknown) => error);
  expect(failed).toBeInstanceOf(BridgeStartError);
  expect((failed as Error).message).toContain("cannot run /nonexistent/bin/cifbridge: spawn /nonexistent/bin/cifbridge ENOENT");
  expect((failed as Error).message).toContain("pip install cifbridge");
});

test("a stopped bridge leaves nothing behind", async () => {
  const bridge = await startBridge({ args: ["--log-level", "warning"] });
  expect((await bridge.client.sessions()).map((session) => session.id)).toEqual(["session-id-0"]);
  await bridge.stop();
  expect(existsSync(bridge.workdir)).toBe(false);
  const after = await bridge.client.sessions().catch((error: unknown) => error);
  expect(after).toBeInstanceOf(Error);
});
