"""Every feature of the engine, in one explicit list: core.py builds its tables from it alone.

Rules:
- a feature is one module of engine/cif/ or engine/omnichannel/ that declares `FEATURE`
  (base/feature.py), named after the module; tests/test_feature_names.py checks the names
  against the catalog, contracts/ and tests/engine/;
- the order is the order timers fire and hooks run in when several answer the same moment:
  notification deadlines before the conversations' (a lapse may offer a queued conversation,
  which raises a notification after the notifications already due), and a closed session's
  contacts are settled before its open record forms.
"""

from __future__ import annotations

from cifbridge.engine.base.feature import Feature
from cifbridge.engine.cif import (
    analytics,
    context,
    dialogs,
    events,
    focus,
    indicators,
    library,
    messagebars,
    notes,
    notifications,
    panel,
    presence,
    progress,
    record_forms,
    records,
    sessions,
    tabs,
    webapi,
)
from cifbridge.engine.omnichannel import (
    arrivals,
    completion,
    conversations,
    elevation,
    messaging,
    persistent_chat,
    reconnection,
)

FEATURES: tuple[Feature, ...] = (
    sessions.FEATURE,
    events.FEATURE,
    focus.FEATURE,
    tabs.FEATURE,
    panel.FEATURE,
    records.FEATURE,
    context.FEATURE,
    notifications.FEATURE,
    indicators.FEATURE,
    presence.FEATURE,
    analytics.FEATURE,
    library.FEATURE,
    dialogs.FEATURE,
    messagebars.FEATURE,
    progress.FEATURE,
    notes.FEATURE,
    webapi.FEATURE,
    conversations.FEATURE,
    arrivals.FEATURE,
    reconnection.FEATURE,
    persistent_chat.FEATURE,
    messaging.FEATURE,
    elevation.FEATURE,
    completion.FEATURE,
    record_forms.FEATURE,  # after completion: see the order above
)
