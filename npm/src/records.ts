/*
 * The record store through the control API, as the workspace's forms and lists use it:
 * `bridge.records.create("contact", {firstname: "Ana"})`. Attributes are Web API attributes
 * (lookups as "<navigation>@odata.bind"); Dataverse's own refusals come as CifbridgeError with
 * Dataverse's message.
 */

import type { Answers } from "./answers.js";
import type { ControlApi, Query } from "./request.js";
import type { RouteBodies } from "./routes.generated.js";

type Attributes = RouteBodies["createRecord"];

export class RecordStoreClient {
  constructor(private readonly api: ControlApi) {}

  /** Every entity's metadata with all its attributes. */
  entities(): Promise<Answers["entities"]> {
    return this.api.call("listEntities");
  }
  /** An entity's records; `query` takes OData options ($select, $filter, $top, ...). */
  list(entityName: string, query: Query = {}): Promise<Answers["value"]> {
    return this.api.call("listRecords", { params: { entity_name: entityName }, query });
  }
  /** One record ($select and $expand allowed). */
  get(entityName: string, recordId: string, query: Query = {}): Promise<Answers["value"]> {
    return this.api.call("getRecord", { params: { entity_name: entityName, record_id: recordId }, query });
  }
  create(entityName: string, attributes: Attributes): Promise<Answers["created"]> {
    return this.api.call("createRecord", { params: { entity_name: entityName }, body: attributes });
  }
  update(entityName: string, recordId: string, attributes: Attributes): Promise<Answers["value"]> {
    const params = { entity_name: entityName, record_id: recordId };
    return this.api.call("updateRecord", { params, body: attributes });
  }
  delete(entityName: string, recordId: string): Promise<Answers["deleted"]> {
    return this.api.call("deleteRecord", { params: { entity_name: entityName, record_id: recordId } });
  }
  /** The create form a tab holds (openForm without a record id). */
  form(tabId: string): Promise<Answers["value"]> {
    return this.api.call("getForm", { params: { tab_id: tabId } });
  }
  saveForm(tabId: string, attributes: Attributes): Promise<Answers["value"]> {
    return this.api.call("saveForm", { params: { tab_id: tabId }, body: attributes });
  }
  /** Discard a create form and close its tab. */
  cancelForm(tabId: string): Promise<Answers["empty"]> {
    return this.api.call("cancelForm", { params: { tab_id: tabId } });
  }
}
