"""Channel analytics: custom events and the (historic) analytics session, recorded for the agent.

Rules (reference §2.10; [SRC] resolves "Success" once the event is handed to the analytics
library):
- logAnalyticsEvent(data, eventName): `data` must hold `conversationId` and
  `providerSessionId` (the docs: "Be sure to include the fields"); the input schema checks the
  documented shape;
- initLogAnalytics(data): `data.conversation` with its `conversationId` (and, when given, a
  `session` with its `providerSessionId`);
- both resolve the string "Success"; nothing else is required (the real "Enable Analytics"
  provider flag only decides whether Dataverse keeps the data);
- every event is recorded in the workspace with the calling provider and the focused session,
  as the real host stamps it, so the workspace and the journal can show them; the most recent
  RECORDS_KEPT are kept.
"""

from __future__ import annotations

from typing import Any

from cifbridge.engine.base.context import CallContext
from cifbridge.engine.base.feature import Feature

SUCCESS = "Success"
RECORDS_KEPT = 200


def log_analytics_event(ctx: CallContext, args: dict[str, Any]) -> str:
    """Record a custom analytics event."""
    _record(ctx, "logAnalyticsEvent", args["data"], args["eventName"])
    return SUCCESS


def init_log_analytics(ctx: CallContext, args: dict[str, Any]) -> str:
    """Record the start of an analytics conversation session."""
    _record(ctx, "initLogAnalytics", args["data"], None)
    return SUCCESS


def _record(ctx: CallContext, api: str, data: dict[str, Any], event_name: str | None) -> None:
    records = ctx.workspace.analytics
    records.append(
        {
            "api": api,
            "provider": ctx.provider,
            "eventName": event_name,
            "data": data,
            "focusedSessionId": ctx.workspace.focused,
            "at": ctx.clock(),
        }
    )
    del records[:-RECORDS_KEPT]
    ctx.changed()


FEATURE = Feature(
    name="analytics",
    handlers={
        "logAnalyticsEvent": log_analytics_event,
        "initLogAnalytics": init_log_analytics,
    },
)
