/*
 * The functions of the global Microsoft.CIFramework, as the CIF 2.0 widget library
 * (msdyn_ciLibrary.js) defines them and cifbridge serves them.
 *
 * Parameter names and order follow cifbridge's API catalog (src/cifbridge/api/catalog.py), which
 * a test compares with this file. Where the docs and the library disagree (reference §8) both
 * signatures are declared. `correlationId` is telemetry only and always last. Every call
 * rejects with one of the forms of `Rejection` and, except notifyEvent, openForm, insertNotes,
 * openDialog, openMDDDialog, showGlobalNotification and clearGlobalNotification (which wait for
 * the agent or skip the library's timer), after 10 s without an answer.
 */

declare namespace Microsoft.CIFramework {
  // -------------------------------------------------------------------------------------------
  // Communication panel (§2.1)
  // -------------------------------------------------------------------------------------------

  /** Set the panel width in pixels for all sessions (below 300 is ignored); resolves it. */
  function setWidth(value: number, correlationId?: string): Promise<number>;
  /** Resolve the panel width in pixels. */
  function getWidth(correlationId?: string): Promise<number>;
  /** Minimize, dock or hide the panel; resolves the mode applied. */
  function setMode(value: PanelMode, correlationId?: string): Promise<PanelMode>;
  /** Resolve the panel mode (a number, though the docs say String). */
  function getMode(correlationId?: string): Promise<PanelMode>;

  // -------------------------------------------------------------------------------------------
  // Records (§2.2, §2.3); `data` is JSON text of the Web API attributes
  // -------------------------------------------------------------------------------------------

  /** Create a record; resolves JSON text of CreateRecordResult. */
  function createRecord(entityName: string, data: string, correlationId?: string): Promise<string>;
  /** Read a record with OData `?$select=...&$expand=...`; resolves JSON text of RetrievedRecord. */
  function retrieveRecord(
    entityName: string,
    entityId: string,
    query?: string,
    correlationId?: string,
  ): Promise<string>;
  /** Update a record; resolves JSON text of UpdateRecordResult. */
  function updateRecord(
    entityName: string,
    entityId: string,
    data: string,
    correlationId?: string,
  ): Promise<string>;
  /** Delete a record; resolves JSON text of DeleteRecordResult. */
  function deleteRecord(
    entityName: string,
    entityId: string,
    correlationId?: string,
  ): Promise<string>;
  /**
   * Search with OData options (`?$filter=...`, `$search`, max 5000 records) and, unless
   * searchOnly, open the one hit or a search page; resolves JSON text of SearchResults.
   */
  function searchAndOpenRecords(
    entityName: string,
    queryParameters: string,
    searchOnly: boolean,
    correlationId?: string,
    searchType?: SearchType,
  ): Promise<string>;
  /** Open the search page for a text; searchType is documented as Boolean but takes 0/1 (§8.7). */
  function renderSearchPage(
    entityName: string,
    searchString: string,
    correlationId?: string,
    searchType?: SearchType | boolean,
  ): Promise<void>;
  /**
   * Open a record or a create form (no timeout: a quick create form answers when the agent
   * saves or cancels); resolves JSON text of OpenFormResult. The library takes JSON text.
   */
  function openForm(
    entityFormOptions: string,
    formParameters?: string,
    correlationId?: string,
  ): Promise<string>;
  /** The docs' table passes objects; cifbridge accepts them as well. */
  function openForm(
    entityFormOptions: EntityFormOptions,
    formParameters?: Record<string, unknown>,
    correlationId?: string,
  ): Promise<string>;
  /** Refresh (and optionally save) the focused record form; resolves the JSON text "null". */
  function refreshForm(save?: boolean, correlationId?: string): Promise<string>;
  /** Describe the app, page, org and agent; resolves JSON text of EnvironmentInfo. */
  function getEnvironment(correlationId?: string): Promise<string>;
  /** Describe an entity and the attributes asked; resolves JSON text of EntityMetadata. */
  function getEntityMetadata(
    entityName: string,
    attributes?: string[],
    correlationId?: string,
  ): Promise<string>;
  /** Turn the provider's click-to-act (outbound communication) on or off. */
  function setClickToAct(value: boolean, correlationId?: string): Promise<null>;
  /** Resolve whether click-to-act is on. */
  function getClickToAct(correlationId?: string): Promise<boolean>;
  /**
   * Merge values into a session's automation dictionary (the focused session when sessionId is
   * left out) or, with isDelete, remove the named keys; resolves the whole dictionary.
   */
  function updateContext(
    input: Record<string, unknown> | string[],
    sessionId?: string,
    isDelete?: boolean,
    correlationId?: string,
  ): Promise<Record<string, unknown>>;
  /**
   * Update the live work item of one of the provider's conversations (data: an object, or its
   * JSON text as in the docs' example, §8.13); resolves JSON text of UpdateRecordResult.
   */
  function updateConversation(
    id: string,
    data: Record<string, unknown> | string,
    correlationId?: string,
  ): Promise<string>;

  // -------------------------------------------------------------------------------------------
  // Event handlers (§2.4, §3)
  // -------------------------------------------------------------------------------------------

  /** Run `handler` with the event's JSON text each time `eventName` is raised. */
  function addHandler(eventName: EventName, handler: EventHandler): Promise<void>;
  /** Stop running `handler`; resolves whether it was registered. */
  function removeHandler(eventName: EventName, handler: EventHandler): Promise<boolean>;
  /**
   * Raise a custom event for the handlers of the widget and the host page; the input is JSON
   * text in the docs, an object in practice (§8.11).
   */
  function raiseEvent(
    eventName: EventName,
    eventInputParameters: string | Record<string, unknown>,
    correlationId?: string,
  ): Promise<boolean>;

  // -------------------------------------------------------------------------------------------
  // Notifications (§2.5)
  // -------------------------------------------------------------------------------------------

  /**
   * Show a notification from a template and wait for the agent (no timeout); resolves JSON text
   * of NotifyEventResult. The older signature is (input, correlationId); the token may also go
   * inside input (§8.1).
   */
  function notifyEvent(
    input: NotifyEventInput,
    correlationId?: string,
    cancellationToken?: string,
  ): Promise<string>;
  /** Withdraw the pending notification given this token; resolves the token. */
  function cancelEvent(cancellationToken: string, correlationId?: string): Promise<string>;

  // -------------------------------------------------------------------------------------------
  // Application tabs of the focused session (§2.6)
  // -------------------------------------------------------------------------------------------

  /** Open a tab from an application tab template; resolves its id, e.g. "tab-id-2". */
  function createTab(input: CreateTabInput, correlationId?: string): Promise<string>;
  /** Open a tab in the Home session; resolves its id. */
  function createTabInHomeSession(input: CreateTabInput, correlationId?: string): Promise<string>;
  /** Resolve the ids of the tabs made from template `name` (else with tag `tags`), or null. */
  function getTabs(name: string, tags?: string, correlationId?: string): Promise<string[] | null>;
  /** Focus one of the focused session's tabs. */
  function focusTab(tabId: string, correlationId?: string): Promise<void>;
  /** Resolve the focused tab's id, or null when the focused session is another provider's. */
  function getFocusedTab(correlationId?: string): Promise<string | null>;
  /** Reload a tab. */
  function refreshTab(tabId: string, correlationId?: string): Promise<void>;
  /** Re-resolve a tab's title with these slug values (or `title`); resolves the title. */
  function setTabTitle(
    tabId: string,
    input: Record<string, unknown>,
    correlationId?: string,
  ): Promise<string>;
  /** Close a tab (the anchor tab cannot be closed). */
  function closeTab(tabId: string, correlationId?: string): Promise<void>;

  // -------------------------------------------------------------------------------------------
  // Sessions (§2.7)
  // -------------------------------------------------------------------------------------------

  /** Resolve whether another session fits (false at 10). */
  function canCreateSession(correlationId?: string): Promise<boolean>;
  /** Open a focused session from a Generic template; resolves its id, e.g. "session-id-1". */
  function createSession(
    input: CreateSessionInput,
    correlationId?: string,
    providerSessionId?: string,
  ): Promise<string>;
  /**
   * Describe one of the provider's sessions: a Map with sessionId, focused, context and
   * conversationId (see SessionInfo).
   */
  // biome-ignore lint/suspicious/noExplicitAny: the library's Map holds values of several types
  function getSession(sessionId: string, correlationId?: string): Promise<Map<string, any>>;
  /** Resolve the focused session's id, or null when it is another provider's. */
  function getFocusedSession(correlationId?: string): Promise<string | null>;
  /** Resolve the ids of the provider's open sessions. */
  function getAllSessions(correlationId?: string): Promise<string[]>;
  /** Re-resolve a session's template title with these slug values; resolves the title. */
  function setSessionTitle(input: SetSessionTitleInput, correlationId?: string): Promise<string>;
  /**
   * Show a notification indicator on a session (it does not switch focus): the library's
   * signature (§8.3).
   */
  function requestFocusSession(
    sessionId: string,
    messagesCount?: number,
    correlationId?: string,
  ): Promise<void>;
  /** The docs' signature. */
  function requestFocusSession(sessionId: string, correlationId: string): Promise<void>;

  // -------------------------------------------------------------------------------------------
  // Session indicators, presence, analytics (§2.8 - §2.10)
  // -------------------------------------------------------------------------------------------

  /** Show (or with shouldReset true, clear) the KPI breach alert on a session. */
  function notifyKpiBreach(
    sessionId: string,
    shouldReset?: boolean,
    details?: string,
    correlationId?: string,
  ): Promise<void>;
  /** Show a count badge on a session that is not focused (0: a dot); the docs stop at count. */
  function notifyNewActivity(
    sessionId: string,
    count: number,
    shouldReset?: boolean,
    correlationId?: string,
  ): Promise<void>;
  /** Switch to the presence with exactly this text; resolves false when there is none. */
  function setPresence(presenceText: string, correlationId?: string): Promise<boolean>;
  /** Resolve the presence text in effect. */
  function getPresence(correlationId?: string): Promise<string | null>;
  /** Log an analytics event of a conversation; resolves "Success". */
  function logAnalyticsEvent(
    data: AnalyticsEventData,
    eventName: string,
    correlationId?: string,
  ): Promise<string>;
  /** Start analytics for a conversation (historic); resolves "Success". */
  function initLogAnalytics(data: InitLogAnalyticsData, correlationId?: string): Promise<string>;

  // -------------------------------------------------------------------------------------------
  // In the library, not in the public docs (§2.11)
  // -------------------------------------------------------------------------------------------

  /** Resolve true in multisession (console) apps. */
  function isConsoleApp(correlationId?: string): Promise<boolean>;
  /**
   * Open the notes flap for a record (no timeout); resolves JSON text `{"value": annotationId}`
   * once the agent saves, `{"value": ""}` when the flap closes. While open, a second call rejects
   * `{"value": "Flap already expanded", "errorCode": 101}` as JSON text.
   */
  function insertNotes(
    entityName: string,
    entitySetName: string,
    entityId: string,
    annotationId: string,
    correlationId?: string,
  ): Promise<string>;
  /** Close the notes flap. */
  function closeNotes(correlationId?: string): Promise<void>;
  /** Focus the knowledge search control; resolves whether there was one. */
  function openKBSearchControl(value: string, correlationId?: string): Promise<boolean>;
  /** Set the legacy presence control's presence (PresenceInfo or its JSON text). */
  function setAgentPresence(
    presenceInfo: PresenceInfo | string,
    correlationId?: string,
  ): Promise<boolean>;
  /** Give the legacy presence control its list (PresenceInfo[] or its JSON text). */
  function initializeAgentPresenceList(
    presenceList: PresenceInfo[] | string,
    correlationId?: string,
  ): Promise<boolean>;
  /** Resolve a feature control setting of a namespace; null when it is not set. */
  function getFcsValue(
    featureNameSpace: string,
    featureUniqueName: string,
    correlationId?: string,
  ): Promise<boolean | number | string | null>;
  /** Resolve whether a feature is enabled (false when it is not known). */
  function isFeatureEnabled(featureName: string, correlationId?: string): Promise<boolean>;
  /**
   * Open a confirm dialog (Xrm.Navigation.openConfirmDialog's strings and options, as JSON text
   * or objects); resolves JSON text `{"confirmed": boolean}` when the agent answers.
   */
  function openDialog(
    dialogStrings: string | ConfirmDialogStrings,
    dialogOptions?: string | Record<string, unknown>,
    correlationId?: string,
  ): Promise<string>;
  /**
   * Open a model-driven dialog by name; resolves a Map whose `parameters` are its fields and
   * `param_lastButtonClicked` ("ok_id" or "cancel_id").
   */
  function openMDDDialog(
    dialogName: string,
    dialogOptions?: Record<string, unknown>,
    dialogParams?: Record<string, unknown>,
    correlationId?: string,
    // biome-ignore lint/suspicious/noExplicitAny: the dialog's parameters have any type
  ): Promise<Map<string, any>>;
  /** Show a message bar across the app; resolves its id (Xrm.App.addGlobalNotification's). */
  function showGlobalNotification(
    notificationOptions: GlobalNotificationOptions | string,
    correlationId?: string,
  ): Promise<string>;
  /** Remove a message bar shown by showGlobalNotification. */
  function clearGlobalNotification(notificationId: string, correlationId?: string): Promise<void>;
  /** Show the missed-notification message bar; resolves its id. */
  function showTimeoutGlobalNotification(correlationId?: string): Promise<string>;
  /** Show the app's progress indicator with a message. */
  function showProgressIndicator(message: string, correlationId?: string): Promise<string>;
  /** Close the progress indicator. */
  function closeProgressIndicator(correlationId?: string): Promise<string>;
  /**
   * Run a Web API query on an entity set (plural name) with OData or FetchXML options, or
   * `/(<id>)/<file attribute>` to read file data; resolves the JSON text of the Web API
   * response body, `{"@odata.context", "value": [rows]}` (FetchXmlResult).
   */
  function executeFetchQuery(
    entityName: string,
    options: string,
    correlationId?: string,
  ): Promise<string>;
  /** Run an action or function; resolves the response body (an object). */
  function executeAction(
    request: ExecuteActionRequest,
    correlationId?: string,
  ): Promise<ExecuteActionResponse>;
}
