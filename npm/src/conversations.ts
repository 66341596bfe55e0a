/*
 * Play the customer and the agent of omnichannel conversations, as the Python CustomerClient
 * and ConversationAgent do (src/cifbridge/clients/omnichannel.py): each wraps a
 * CifbridgeClient, calls routes by name, and resolves with what the routes answer,
 * `{result, conversation}`; a refusal throws CifbridgeError.
 *
 *   const customer = new CustomerClient(bridge), agent = new ConversationAgent(bridge);
 *   const { conversation } = await customer.arrive("chat", { contact: "Maria Campbell" });
 *   await agent.accept(conversation.conversationId);
 */

import type { Answers } from "./answers.js";
import { CifbridgeClient } from "./client.js";
import type { ArriveConversationBody, RouteConversationBody } from "./routes.generated.js";

type Result = Promise<Answers["result"]>;

function on(conversationId: string): { conversation_id: string } {
  return { conversation_id: conversationId };
}

function clientOf(bridge: CifbridgeClient | string): CifbridgeClient {
  return typeof bridge === "string" ? new CifbridgeClient(bridge) : bridge;
}

/** The customers' side: what arrives, what they write and how they come and go. */
export class CustomerClient {
  readonly bridge: CifbridgeClient;

  constructor(bridge: CifbridgeClient | string) {
    this.bridge = clientOf(bridge);
  }

  /** Start a conversation on a channel (no customer: an unauthenticated visitor). */
  arrive(
    channel: string,
    customer?: ArriveConversationBody["customer"],
    extras: Omit<ArriveConversationBody, "channel" | "customer"> = {},
  ): Result {
    const body: ArriveConversationBody = { channel, ...extras };
    if (customer !== undefined && customer !== null) body.customer = customer;
    return this.bridge.call("arriveConversation", { body });
  }
  /**
   * Arrive through routing across agents: offered to `extras.agent` only when named, else to an
   * available agent with free capacity, round robin; queued when nobody can take it. Resolves
   * with the routed conversation (its `agent`, and `conversationId` in that agent's workspace).
   */
  route(
    channel: string,
    customer?: RouteConversationBody["customer"],
    extras: Omit<RouteConversationBody, "channel" | "customer"> = {},
  ): Promise<Answers["routed"]> {
    const body: RouteConversationBody = { channel, ...extras };
    if (customer !== undefined && customer !== null) body.customer = customer;
    return this.bridge.call("routeConversation", { body });
  }
  /** Write a message, optionally carrying a sentiment level. */
  message(conversationId: string, text: string, sentiment?: string): Result {
    const body = sentiment ? { text, sentiment } : { text };
    return this.bridge.call("customerMessage", { params: on(conversationId), body });
  }
  setSentiment(conversationId: string, sentiment: string): Result {
    return this.bridge.call("setSentiment", { params: on(conversationId), body: { sentiment } });
  }
  /** Lose the chat connection. */
  disconnect(conversationId: string): Result {
    return this.bridge.call("disconnectCustomer", { params: on(conversationId), body: {} });
  }
  /** Close the chat window (or hang up a call). */
  closeWindow(conversationId: string): Result {
    return this.bridge.call("closeWindow", { params: on(conversationId), body: {} });
  }
  reconnectByLink(link: string): Result {
    return this.bridge.call("followReconnectLink", { body: { link } });
  }
  /** Answer the continue-or-new prompt (authenticated customers). */
  reconnectAtPrompt(conversationId: string, choice: "continue" | "new" = "continue"): Result {
    return this.bridge.call("reconnectCustomer", { params: on(conversationId), body: { choice } });
  }
}

/** The agent's side of conversations. */
export class ConversationAgent {
  readonly bridge: CifbridgeClient;

  constructor(bridge: CifbridgeClient | string) {
    this.bridge = clientOf(bridge);
  }

  /** Capacity, thresholds and every conversation. */
  conversations(): Promise<Answers["conversations"]> {
    return this.bridge.call("listConversations");
  }
  conversation(conversationId: string): Promise<Answers["conversation"]> {
    return this.bridge.call("getConversation", { params: on(conversationId) });
  }
  /** Accept the conversation's (displayed) notification: its session opens. */
  accept(conversationId: string): Result {
    return this.bridge.call("acceptConversation", { params: on(conversationId), body: {} });
  }
  reject(conversationId: string): Result {
    return this.bridge.call("rejectConversation", { params: on(conversationId), body: {} });
  }
  /** Have an open conversation offered again. */
  offer(conversationId: string): Result {
    return this.bridge.call("offerConversation", { params: on(conversationId), body: {} });
  }
  reply(conversationId: string, text: string): Result {
    return this.bridge.call("agentReply", { params: on(conversationId), body: { text } });
  }
  /** Continue the contact on another channel in the same session. */
  elevate(conversationId: string, channel: string): Result {
    return this.bridge.call("elevateConversation", { params: on(conversationId), body: { channel } });
  }
  /** End the contact; it moves to wrap-up. */
  end(conversationId: string): Result {
    return this.bridge.call("endConversation", { params: on(conversationId), body: {} });
  }
  wrapUp(conversationId: string, disposition: string): Result {
    return this.bridge.call("wrapUpConversation", { params: on(conversationId), body: { disposition } });
  }
  /** Close the session holding the contact. */
  closeSession(conversationId: string): Result {
    return this.bridge.call("closeConversationSession", { params: on(conversationId), body: {} });
  }
}
