/*
 * cifbridge: TypeScript declarations for the global Microsoft.CIFramework of Dynamics 365's
 * Channel Integration Framework 2.0 widget library, as cifbridge serves it.
 *
 * Referencing this package (an import of it, `/// <reference types="cifbridge" />`, or
 * `"types": ["cifbridge"]`) declares the global; the named types below are the same as
 * Microsoft.CIFramework.<Name>, for modules that prefer `import type`.
 */

/// <reference path="./types/shapes.d.ts" />
/// <reference path="./types/events.d.ts" />
/// <reference path="./types/cif.d.ts" />

export type PanelMode = Microsoft.CIFramework.PanelMode;
export type SearchType = Microsoft.CIFramework.SearchType;
export type TemplateParameterValue = Microsoft.CIFramework.TemplateParameterValue;
export type TemplateParameters = Microsoft.CIFramework.TemplateParameters;
export type CreateSessionInput = Microsoft.CIFramework.CreateSessionInput;
export type CreateTabInput = Microsoft.CIFramework.CreateTabInput;
export type SetSessionTitleInput = Microsoft.CIFramework.SetSessionTitleInput;
export type TemplateNameResolver = Microsoft.CIFramework.TemplateNameResolver;
export type NotifyEventInput = Microsoft.CIFramework.NotifyEventInput;
export type EntityReference = Microsoft.CIFramework.EntityReference;
export type EntityFormOptions = Microsoft.CIFramework.EntityFormOptions;
export type PresenceInfo = Microsoft.CIFramework.PresenceInfo;
export type AnalyticsEvent = Microsoft.CIFramework.AnalyticsEvent;
export type AnalyticsEventData = Microsoft.CIFramework.AnalyticsEventData;
export type InitLogAnalyticsData = Microsoft.CIFramework.InitLogAnalyticsData;
export type GlobalNotificationOptions = Microsoft.CIFramework.GlobalNotificationOptions;
export type ConfirmDialogStrings = Microsoft.CIFramework.ConfirmDialogStrings;
export type ExecuteActionRequest = Microsoft.CIFramework.ExecuteActionRequest;
export type ExecuteActionResponse = Microsoft.CIFramework.ExecuteActionResponse;
export type CreateRecordResult = Microsoft.CIFramework.CreateRecordResult;
export type UpdateRecordResult = Microsoft.CIFramework.UpdateRecordResult;
export type DeleteRecordResult = Microsoft.CIFramework.DeleteRecordResult;
export type RetrievedRecord = Microsoft.CIFramework.RetrievedRecord;
export type SearchResults = Microsoft.CIFramework.SearchResults;
export type FetchXmlResult = Microsoft.CIFramework.FetchXmlResult;
export type OpenFormResult = Microsoft.CIFramework.OpenFormResult;
export type NotifyEventResult = Microsoft.CIFramework.NotifyEventResult;
export type EnvironmentInfo = Microsoft.CIFramework.EnvironmentInfo;
export type AttributeMetadata = Microsoft.CIFramework.AttributeMetadata;
export type EntityMetadata = Microsoft.CIFramework.EntityMetadata;
export type SessionInfo = Microsoft.CIFramework.SessionInfo;
export type ErrorDetails = Microsoft.CIFramework.ErrorDetails;
export type DataverseErrorDetails = Microsoft.CIFramework.DataverseErrorDetails;
export type Rejection = Microsoft.CIFramework.Rejection;
export type BuiltInEventName = Microsoft.CIFramework.BuiltInEventName;
export type EventName = Microsoft.CIFramework.EventName;
export type EventHandler = Microsoft.CIFramework.EventHandler;
export type ClickToActEvent = Microsoft.CIFramework.ClickToActEvent;
export type ModeChangedEvent = Microsoft.CIFramework.ModeChangedEvent;
export type SizeChangedEvent = Microsoft.CIFramework.SizeChangedEvent;
export type PageNavigateEvent = Microsoft.CIFramework.PageNavigateEvent;
export type SendKBArticleEvent = Microsoft.CIFramework.SendKBArticleEvent;
export type SessionSwitchedEvent = Microsoft.CIFramework.SessionSwitchedEvent;
export type SessionClosedEvent = Microsoft.CIFramework.SessionClosedEvent;
export type PresenceChangeEvent = Microsoft.CIFramework.PresenceChangeEvent;
export type EventData = Microsoft.CIFramework.EventData;
