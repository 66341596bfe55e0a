/*
 * What widget tests ask of the journal (GET /api/journal): did the widget make this call yet,
 * how many times, and did any call reject.
 *
 * A call the bridge answers later (notifyEvent, which waits for the agent) is journaled twice:
 * when it arrives (`deferred: true`) and when it is answered (`settled: true`, with `ok`).
 * A call is counted and awaited by its first entry; `settled: true` waits for its answer
 * instead. A rejection is any entry with `ok: false`, whether the call failed at once or its
 * late answer did.
 */

import type { JournalEntry } from "./answers.js";
import type { CifbridgeClient } from "./client.js";
import { JournalAssertionError } from "./errors.js";

export interface CallFilter {
  /** Only entries after this sequence number (a test's own calls, after a mark it took). */
  since?: number;
  /** Only entries this predicate accepts (say, of one provider, or with these arguments). */
  where?: (entry: JournalEntry) => boolean;
  /** Match the late answers of deferred calls instead of the calls. */
  settled?: boolean;
}

export interface WaitOptions extends CallFilter {
  /** Milliseconds to wait before failing (default 5 000). */
  timeout?: number;
  /** Milliseconds between two looks at the journal (default 50). */
  interval?: number;
}

function matches(entry: JournalEntry, api: string | undefined, filter: CallFilter): boolean {
  if (api !== undefined && entry.api !== api) return false;
  if (Boolean(entry.settled) !== Boolean(filter.settled)) return false;
  return filter.where ? filter.where(entry) : true;
}

function describe(entry: JournalEntry): string {
  const error = entry.error?.message ?? JSON.stringify(entry.error ?? entry.value ?? null);
  return `#${entry.seq} ${entry.api}(${JSON.stringify(entry.args).slice(1, -1)}) from ${entry.provider}: ${error}`;
}

/** Return the calls of `api` (every function when undefined) the journal holds that match. */
export async function findCalls(
  bridge: CifbridgeClient,
  api: string | undefined,
  filter: CallFilter = {},
): Promise<JournalEntry[]> {
  const entries = await bridge.journal({ since: filter.since ?? 0, api });
  return entries.filter((entry) => matches(entry, api, filter));
}

/** Count the calls of `api` (every function when undefined) the journal holds that match. */
export async function countCalls(
  bridge: CifbridgeClient,
  api?: string,
  filter: CallFilter = {},
): Promise<number> {
  return (await findCalls(bridge, api, filter)).length;
}

/** Wait until a call of `api` that matches is journaled; resolve with its entry, the first one. */
export async function waitForCall(
  bridge: CifbridgeClient,
  api: string,
  options: WaitOptions = {},
): Promise<JournalEntry> {
  const timeout = options.timeout ?? 5_000;
  const deadline = Date.now() + timeout;
  for (;;) {
    const [found] = await findCalls(bridge, api, options);
    if (found) return found;
    if (Date.now() >= deadline) {
      const seen = await bridge.journal({ since: options.since ?? 0 });
      const listed = seen.map(describe).join("\n  ") || "(nothing)";
      const what = options.settled ? `the answer of a ${api} call` : `a ${api} call`;
      throw new JournalAssertionError(`waited ${timeout} ms for ${what}; the journal holds:\n  ${listed}`, seen);
    }
    await new Promise((resolve) => setTimeout(resolve, options.interval ?? 50));
  }
}

/** Throw JournalAssertionError naming every rejected call (of `api`, after `since`), if any. */
export async function expectNoRejectedCall(
  bridge: CifbridgeClient,
  options: { since?: number; api?: string } = {},
): Promise<void> {
  const entries = await bridge.journal({ since: options.since ?? 0, api: options.api });
  const rejected = entries.filter((entry) => entry.ok === false);
  if (rejected.length > 0) {
    const listed = rejected.map(describe).join("\n  ");
    throw new JournalAssertionError(`${rejected.length} call(s) rejected:\n  ${listed}`, rejected);
  }
}

/** Return the sequence number of the newest entry: pass it as `since` to look only past it. */
export async function journalMark(bridge: CifbridgeClient): Promise<number> {
  const entries = await bridge.journal();
  return entries.length > 0 ? (entries[entries.length - 1]?.seq ?? 0) : 0;
}
