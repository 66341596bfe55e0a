/*
 * The data that goes into and comes out of Microsoft.CIFramework: inputs, the shapes behind the
 * JSON-string results, and the rejection forms.
 *
 * Reference sections: §1.2 (result encodings), §1.3 (error shapes), §2 (inputs), §4 (templates).
 * Functions that resolve a JSON string are typed `Promise<string>`; the interface named in
 * their comment is what `JSON.parse` gives, e.g. `JSON.parse(text) as NotifyEventResult`.
 */

declare namespace Microsoft.CIFramework {
  // -------------------------------------------------------------------------------------------
  // Plain values
  // -------------------------------------------------------------------------------------------

  /** Panel mode: 0 minimized, 1 docked, 2 hidden (the library refuses the docs' 3, collapse). */
  type PanelMode = 0 | 1 | 2;

  /** Search type: 0 relevance search, 1 categorized search (the default). */
  type SearchType = 0 | 1;

  /** Values a template parameter or slug takes (reference §4.4). */
  type TemplateParameterValue =
    | string
    | number
    | boolean
    | null
    | TemplateParameterValue[]
    | { [name: string]: TemplateParameterValue };

  /**
   * Global parameters, plus one object per application tab template unique name holding the
   * parameters for that template only (reference §4.4).
   */
  interface TemplateParameters {
    [name: string]: TemplateParameterValue;
  }

  // -------------------------------------------------------------------------------------------
  // Inputs
  // -------------------------------------------------------------------------------------------

  /** What `createSession` takes: a Generic session template and its parameters (§2.7). */
  interface CreateSessionInput {
    /** Unique name of a Generic session template, e.g. "msdyn_voicecall_session". */
    templateName?: string;
    /** The older way to pick a template: by its tag. */
    templateTag?: string;
    templateParameters?: TemplateParameters;
    /** Read by the library before templateParameters.customerName. */
    customerName?: string;
    context?: unknown;
    /** The Microsoft sample passes extra keys, such as `customer`. */
    [key: string]: unknown;
  }

  /** What `createTab` and `createTabInHomeSession` take (§2.6, §8.20). */
  interface CreateTabInput {
    /** Unique name of an application tab template. */
    templateName?: string;
    /** The older docs' way to pick a template. */
    templateTag?: string;
    templateParameters?: TemplateParameters;
    /** Focus the new tab (default false). */
    isFocused?: boolean;
    /** The older docs' tab context, e.g. new Map().set("etn", "contact"). */
    appContext?: Map<string, unknown>;
    injectOnSave?: boolean;
    [key: string]: unknown;
  }

  /** What `setSessionTitle` takes: slug values for the session template's title (§8.8). */
  interface SetSessionTitleInput {
    /** The session; the focused one when left out. */
    sessionId?: string;
    [slug: string]: unknown;
  }

  /** Computes a notification template's name in the host (`Xrm.Utility.executeFunction`). */
  interface TemplateNameResolver {
    webresourceName: string;
    functionName: string;
    parameters?: unknown;
  }

  /** What `notifyEvent` takes (§2.5). */
  interface NotifyEventInput {
    /** Unique name of a notification template. */
    templateName?: string;
    /** Slug values for the title and fields; pass {} at least (the library reads it). */
    templateParameters?: TemplateParameters;
    /** The docs' example puts the token here rather than as the third argument. */
    cancellationToken?: string;
    eventType?: string;
    templateNameResolver?: TemplateNameResolver;
    /** Legacy JSON text of the toast. */
    notificationUXObject?: string;
    [key: string]: unknown;
  }

  /** A lookup value: `{entityType, id, name?}`. */
  interface EntityReference {
    entityType: string;
    id: string;
    name?: string;
  }

  /** `Xrm.Navigation.openForm`'s entityFormOptions, for `openForm` (§2.3). */
  interface EntityFormOptions {
    entityName?: string;
    entityId?: string;
    formId?: string;
    useQuickCreateForm?: boolean;
    /** The docs' list spells it cmdbar, their table cmdBar. */
    cmdbar?: boolean;
    cmdBar?: boolean;
    createFromEntity?: EntityReference;
    height?: number;
    width?: number;
    navBar?: "on" | "off" | "entity";
    openInNewWindow?: boolean;
    /** 1 center, 2 side. */
    windowPosition?: 1 | 2;
    processId?: string;
    processInstanceId?: string;
    relationship?: {
      attributeName: string;
      name: string;
      navigationProperty?: string;
      /** 0 one-to-many, 1 many-to-many. */
      relationshipType?: 0 | 1;
      /** 1 referencing, 2 association entity. */
      roleType?: 1 | 2;
    };
    selectStageId?: string;
    [key: string]: unknown;
  }

  /** A presence as the host describes it (§2.9, §3 onPresenceChange). */
  interface PresenceInfo {
    presenceId: string;
    presenceText: string;
    presenceColor: string;
    /** e.g. "AVAILABLE", "BUSY", "BUSY_DND", "AWAY", "OFFLINE". */
    basePresenceStatus: string;
  }

  /** One analytics event of `logAnalyticsEvent` (§2.10). */
  interface AnalyticsEvent {
    kpiEventName?: string;
    kpiEventReason?: string;
    eventTimestamp?: string;
    additionalData?: string;
    notificationResponseAction?: string;
    externalCorrelationId?: string;
    customData?: { attribute: string; value: unknown }[];
  }

  /** What `logAnalyticsEvent` takes (§2.10). */
  interface AnalyticsEventData {
    conversationId: string;
    providerSessionId: string;
    clientSessionId?: string;
    participantId?: string;
    events?: AnalyticsEvent[];
    [key: string]: unknown;
  }

  /** What `initLogAnalytics` takes (§2.10, historic). */
  interface InitLogAnalyticsData {
    conversation: {
      conversationId: string;
      session?: { providerSessionId?: string; [key: string]: unknown };
      [key: string]: unknown;
    };
  }

  /**
   * `showGlobalNotification`'s options: `Xrm.App.addGlobalNotification`'s notification, or the
   * shape other widgets pass (`level: "INFO"`, `actionLabel` + `actionLink`).
   */
  interface GlobalNotificationOptions {
    /** 2: a message bar. */
    type?: number;
    /** 1 success, 2 error, 3 warning, 4 information, or its name; absent: information. */
    level?: 1 | 2 | 3 | 4 | "SUCCESS" | "ERROR" | "WARNING" | "INFO" | "INFORMATION";
    message: string;
    showCloseButton?: boolean;
    action?: { actionLabel?: string; eventHandler?: () => void };
    actionLabel?: string;
    /** An http(s) URL the agent's click opens. */
    actionLink?: string;
    [key: string]: unknown;
  }

  /** `Xrm.Navigation.openConfirmDialog`'s strings, for `openDialog`. */
  interface ConfirmDialogStrings {
    text: string;
    title?: string;
    subtitle?: string;
    confirmButtonLabel?: string;
    cancelButtonLabel?: string;
  }

  /** An unbound action for `executeAction`, as `Xrm.WebApi.online.execute` takes it. */
  interface ExecuteActionRequest {
    operationName: string;
    /** 0 action, 1 function, 2 CRUD. */
    operationType: 0 | 1 | 2;
    /** A list as Xrm's metadata describes it, or a plain name -> value object. */
    parameters?:
      | {
          name: string;
          value: unknown;
          type?: { structuralProperty: number; typeName: string };
        }[]
      | Record<string, unknown>;
    /** The record a bound action (QualifyLead) runs on. */
    entity?: { entityType: string; id: string };
  }

  /** What the host's action answered. */
  interface ExecuteActionResponse {
    [key: string]: unknown;
  }

  // -------------------------------------------------------------------------------------------
  // The shapes behind JSON-string results (§1.2): JSON.parse(result) as ...
  // -------------------------------------------------------------------------------------------

  /** createRecord's result. */
  interface CreateRecordResult {
    entityType: string;
    id: string;
  }

  /** updateRecord's result (updateConversation's too, for msdyn_ocliveworkitem). */
  interface UpdateRecordResult {
    entityType: string;
    id: string;
  }

  /** deleteRecord's result: the reference with the name the record had. */
  interface DeleteRecordResult {
    entityType: string;
    id: string;
    name?: string | null;
  }

  /** retrieveRecord's result: the record's attributes (and OData annotations). */
  interface RetrievedRecord {
    [attribute: string]: unknown;
  }

  /**
   * searchAndOpenRecords' result: the records keyed "0", "1", ... (the library turns the
   * array into an object), so `result[0]` works as with an array.
   */
  interface SearchResults {
    [index: string]: RetrievedRecord;
  }

  /** executeFetchQuery's result: the Web API response body; linked columns as alias.column. */
  interface FetchXmlResult {
    "@odata.context": string;
    value: RetrievedRecord[];
  }

  /** openForm's result (Xrm.Navigation.openForm's). */
  interface OpenFormResult {
    savedEntityReference: EntityReference[];
  }

  /** notifyEvent's result: what became of the notification (§2.5). */
  interface NotifyEventResult {
    actionName: "Accept" | "Reject" | "Timeout" | (string & {});
    responseReason:
      | "Accept"
      | "AutoAccept"
      | "AutoAcceptOnTimeout"
      | "DeclinedByAgent"
      | "DisplayTimeout"
      | "NotificationQueueLimitExceeded"
      | "NotificationQueueTimeLimitExceeded"
      | "NotificationTemplateNotFoundError"
      | "NotificationTemplateResolverNotFoundError"
      | "RejectAfterTimeoutNonPlatformTimer"
      | (string & {});
    /** The 2020 library's form sent the widget's landing URL. */
    originURL?: string;
  }

  /** getEnvironment's result: the app, the page's URL parameters, the org and the agent. */
  interface EnvironmentInfo {
    appid: string;
    /** The focused page: "dashboard", "entityrecord", "entitylist", ... (left out when the
     * focused session is another provider's). */
    pagetype?: string;
    /** The record id of an entityrecord page. */
    id?: string;
    /** The entity of an entityrecord or entitylist page. */
    etn?: string;
    customParams: string;
    clientUrl: string;
    appUrl: string;
    orgLcid: number;
    orgUniqueName: string;
    orgId: string;
    orgGeo: string;
    /** The agent's id, in braces: "{...}". */
    userId: string;
    userLcid: number;
    username: string;
    userRoles: string[];
    crmVersion: string;
    isDirty: boolean;
    navigationType: string;
    /** Any other query-string parameter of the page. */
    [parameter: string]: unknown;
  }

  /** One attribute of EntityMetadata.Attributes. */
  interface AttributeMetadata {
    LogicalName: string;
    EntityLogicalName: string;
    DisplayName: string;
    AttributeType: string;
    Targets?: string[];
    OptionSet?: { Value: number; Label: string }[];
    [key: string]: unknown;
  }

  /** getEntityMetadata's result (Xrm.Utility.getEntityMetadata's). */
  interface EntityMetadata {
    LogicalName: string;
    EntitySetName: string;
    PrimaryIdAttribute: string;
    PrimaryNameAttribute: string;
    DisplayName: string;
    DisplayCollectionName?: string;
    Description?: string;
    ObjectTypeCode?: number;
    IsActivity: boolean;
    ActivityTypeMask: number;
    IsCustomEntity?: boolean;
    Attributes: AttributeMetadata[];
    [key: string]: unknown;
  }

  /** getSession's Map as a plain object: `Object.fromEntries(map) as SessionInfo` (§8.4). */
  interface SessionInfo {
    sessionId: string;
    /** Not the docs' isFocused. */
    focused: boolean;
    context: unknown;
    conversationId: string | null;
  }

  // -------------------------------------------------------------------------------------------
  // Rejections (§1.3)
  // -------------------------------------------------------------------------------------------

  /** The fields of a rejection: always `message`; `msdyn_name` from the host; `errorCode` from
   * the tab functions. */
  interface ErrorDetails {
    message: string;
    /** The request that failed, e.g. "createSession", "NotifyEvent". */
    msdyn_name?: string;
    errorCode?: number;
  }

  /** A Dataverse failure in the record functions, JSON text of this shape. */
  interface DataverseErrorDetails {
    value: {
      errorMsg: string;
      sourceFunc: string;
      /** UTC time. */
      reportTime: string;
      /** 0 invalid parameters, 1 timeout, 2 Xrm API error, 3 generic error. */
      errorType: 0 | 1 | 2 | 3;
    };
  }

  /**
   * What a promise rejects with, as the real library does it: JSON text of ErrorDetails (or of
   * DataverseErrorDetails) for argument checks and for the JSON-string functions; a Map with
   * `message` (and `msdyn_name`) for host failures of the other functions and for the 10 s
   * timeout; a plain ErrorDetails in cifbridge's "docs" fidelity profile.
   */
  type Rejection = string | Map<string, unknown> | ErrorDetails;
}
