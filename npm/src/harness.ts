/*
 * What a test does to the bridge itself rather than as the agent: start over, read the journal,
 * move the clock, set faults, carry the state, read the route table and the OpenAPI document.
 * The same methods as the Python BridgeClient's (camelCase); CifbridgeClient adds the agent's.
 *
 *   await bridge.setFault("reject", "createSession", { times: 1, error: { form: "host", message: "Busy" } });
 *   const fired = await bridge.journal({ kind: "fault" });
 */

import type { AgentView, AnyJournalEntry, Answers, FaultView, JournalEntry, StateExport } from "./answers.js";
import { ControlApi } from "./request.js";
import type { SetFaultBody } from "./routes.generated.js";

export interface JournalQuery {
  /** Only the entries numbered after this (default 0). */
  since?: number;
  /** Only the calls of this CIF function. */
  api?: string;
  /** Entry kinds, comma-separated (call, answer, event, fault), or "all"; default calls and answers. */
  kind?: string;
}

/** Everything a fault says besides its effect and function: times, error, match, target, ... */
export type FaultOptions = Omit<SetFaultBody, "effect" | "api">;

export class HarnessApi extends ControlApi {
  /** Start over: only the Home session, an empty journal, no faults, the clock's real time.
   * The org's records start over too for the default agent (as before agents), not for a named
   * one; `records` says so either way (docs/agents.md). */
  reset(options: { records?: boolean } = {}): Promise<Answers["workspace"]> {
    if (options.records === undefined) return this.call("reset");
    return this.call("reset", { query: { records: options.records ? "true" : "false" } });
  }

  /** The bridge's agents, default first, each with its workspace in brief. */
  async agents(): Promise<AgentView[]> {
    return (await this.call("listAgents")).agents;
  }
  /** Remove an agent (this client's when none is named): its waiting calls are answered, its
   * workspace and journal forgotten; resolve with the agents left. The default agent cannot be
   * removed (409); an agent the bridge does not host answers 404. */
  async removeAgent(agent: string = this.agent): Promise<AgentView[]> {
    return (await this.call("removeAgent", { params: { agent_name: agent } })).agents;
  }

  /** The CIF calls and late answers recorded after `since`; with `kind`, the kinds asked. */
  journal(query?: JournalQuery & { kind?: undefined }): Promise<JournalEntry[]>;
  journal(query: JournalQuery): Promise<AnyJournalEntry[]>;
  async journal(query: JournalQuery = {}): Promise<AnyJournalEntry[]> {
    return (await this.journalPage(query)).entries;
  }
  /** The journal's whole answer: `entries`, `dropped` (by the size bound) and `size`. */
  journalPage(query: JournalQuery = {}): Promise<Answers["journal"]> {
    const { since = 0, api, kind } = query;
    return this.call("getJournal", { query: { since, api: api || undefined, kind: kind || undefined } });
  }

  async clock(): Promise<number> {
    return (await this.call("getClock")).now;
  }
  /** Fast-forward the bridge's clock, firing timeouts that fall due; resolve with the new time. */
  async advanceClock(seconds: number): Promise<number> {
    return (await this.call("advanceClock", { body: { seconds } })).now;
  }

  /** Make calls of `api` ("*": any) go wrong, or events or connections with `target`; resolve
   * with the fault set (its id clears it). Refused with 400, setting nothing, when unfit. */
  setFault(effect: SetFaultBody["effect"], api?: string, options: FaultOptions = {}): Promise<Answers["fault"]> {
    const body: SetFaultBody = api === undefined ? { ...options, effect } : { ...options, effect, api };
    return this.call("setFault", { body });
  }
  /** The faults standing, oldest first, with what is `remaining` of each and how often it `fired`. */
  async faults(): Promise<FaultView[]> {
    return (await this.call("listFaults")).faults;
  }
  /** Clear one fault, or every fault when no id is given; resolve with those still standing. */
  async clearFault(faultId?: string): Promise<FaultView[]> {
    if (faultId === undefined) return (await this.call("clearFaults")).faults;
    return (await this.call("clearFault", { params: { fault_id: faultId } })).faults;
  }

  /** Routing across agents: the queue, the offers standing, what finished, the cursor. */
  routing(): Promise<Answers["routing"]> {
    return this.call("getRouting");
  }
  /** One routed conversation: its state, the agent offered it and its id in that workspace. */
  routedConversation(routingId: string): Promise<Answers["routed"]> {
    return this.call("getRoutedConversation", { params: { routing_id: routingId } });
  }

  /** The whole state (workspace, clock, journal) as a state file holds it. */
  exportState(): Promise<StateExport> {
    return this.call("exportState", { body: {} });
  }
  /** Replace the bridge's state with an exported one; resolve with the workspace view. */
  importState(document: StateExport): Promise<Answers["workspace"]> {
    return this.call("importState", { body: document });
  }

  routes(): Promise<Answers["routes"]> {
    return this.call("listRoutes");
  }
  /** The OpenAPI 3.1 description of the control API, built from the same route table. */
  openApi(): Promise<Answers["openapi"]> {
    return this.call("getOpenApi");
  }
}
