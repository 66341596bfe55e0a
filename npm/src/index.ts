/*
 * cifbridge/client: the typed control-API client (plain fetch, no dependencies; Node 20 and
 * browsers), the conversation clients and the journal helpers.
 */

export type * from "./answers.js";
export type * from "./overlays.js";
export { CifbridgeClient } from "./client.js";
export { type FaultOptions, HarnessApi, type JournalQuery } from "./harness.js";
export { RecordStoreClient } from "./records.js";
export {
  agentUrl,
  type ClientOptions,
  ControlApi,
  DEFAULT_AGENT,
  type Query,
  type RouteName,
  type RouteRequest,
  routeUrl,
  scriptTag,
  splitAgentUrl,
} from "./request.js";
export { ConversationAgent, CustomerClient } from "./conversations.js";
export { CifbridgeError, type ErrorBody, JournalAssertionError } from "./errors.js";
export { type CallFilter, countCalls, expectNoRejectedCall, findCalls, journalMark, type WaitOptions, waitForCall } from "./journal.js";
export type * from "./routes.generated.js";
export { ROUTES } from "./routes.generated.js";
