/*
 * A bridge started with --token through the fixture's option: its client sends the token, a
 * client without it is refused with the control API's 401. Options given to a file mean a
 * bridge of its own, even when a globalSetup's bridge serves the rest of the run.
 */

import { CifbridgeClient, type CifbridgeError, expect, test } from "cifbridge/playwright";

test.use({ cifbridgeOptions: { token: "kit-secret-token" } });

test("its client sends the token; a client without it is refused", async ({ cifbridge }) => {
  expect(cifbridge.token).toBe("kit-secret-token");
  expect(process.env.CIFBRIDGE_URL === undefined || process.env.CIFBRIDGE_URL !== cifbridge.bridgeUrl).toBe(true);
  expect((await cifbridge.sessions()).map((session) => session.id)).toEqual(["session-id-0"]);
  const stranger = new CifbridgeClient(cifbridge.url, { token: "" });
  const refused = await stranger.sessions().catch((error: unknown) => error);
  expect((refused as CifbridgeError).status).toBe(401);
  expect((refused as CifbridgeError).body.error.message).toBeTruthy();
});
