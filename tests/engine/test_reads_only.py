"""The functions the catalog marks `reads_only` never change the workspace or the records.

Shared stores answer those calls from a process's cached workspace without the lock, so a
function wrongly marked would change a copy nobody saves. Each one is called here, with
arguments that succeed and arguments that fail, on a workspace with sessions of two
providers, tabs, records written, presence and click-to-act set.
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import quote

import pytest

from cifbridge.api.catalog import APIS
from cifbridge.engine.base.state import to_json
from tests.conftest import CHAT, Bridge

MARIA = "d8378461-2f3a-4cd2-8048-1451d3dbef2e"
FETCH = '<fetch><entity name="contact"><attribute name="fullname"/></entity></fetch>'

# Every reads-only function, with argument lists that succeed and that fail.
CASES: dict[str, list[list[Any]]] = {
    "getWidth": [[]],
    "getMode": [[]],
    "retrieveRecord": [
        ["contact", MARIA, "?$select=fullname"],
        ["contact", "00000000-0000-0000-0000-000000000000", ""],
        ["nosuchentity", MARIA, ""],
    ],
    "getEntityMetadata": [["contact", ["fullname"]], ["nosuchentity", None]],
    "getEnvironment": [[]],
    "getClickToAct": [[]],
    "getTabs": [["msdyn_search", None], ["nosuchtemplate", "sometag"]],
    "getFocusedTab": [[]],
    "canCreateSession": [[]],
    "getSession": [["session-id-1"], ["session-id-2"], ["session-id-99"]],
    "getFocusedSession": [[]],
    "getAllSessions": [[]],
    "getPresence": [[]],
    "isConsoleApp": [[]],
    "getFcsValue": [["Omnichannel", "EnableSmartAssist"], ["None", "none"]],
    "isFeatureEnabled": [["OmnichannelCIFv2"], ["nothing"]],
    "executeFetchQuery": [
        ["contacts", "?fetchXml=" + quote(FETCH)],
        ["contacts", "?$select=fullname&$top=2"],
        ["nosuchentities", "?$top=1"],
    ],
}


def populated(bridge: Bridge) -> Bridge:
    """Give the workspace what the reads look at: sessions, tabs, records, presence."""
    bridge.create("Ana")
    bridge.ok("createTab", {"templateName": "msdyn_search"})
    bridge.ok("setWidth", 420)  # while the softphone's session has the focus
    bridge.ok("createSession", {"templateName": "msdyn_chat_session"}, provider=CHAT)
    bridge.ok("createRecord", "contact", json.dumps({"firstname": "Read", "lastname": "Only"}))
    bridge.ok("setPresence", "Busy")
    bridge.ok("setClickToAct", True)
    return bridge


def test_every_reads_only_function_is_checked_here() -> None:
    assert sorted(CASES) == sorted(name for name, spec in APIS.items() if spec.reads_only)


@pytest.mark.parametrize("api", sorted(CASES))
def test_a_reads_only_function_changes_nothing(two_providers: Bridge, api: str) -> None:
    bridge = populated(two_providers)
    for provider in (None, CHAT):
        for args in CASES[api]:
            before = to_json(bridge.engine.workspace)
            version = bridge.engine.records.version
            outcome = (
                bridge.call(api, *args, rid=f"read-{api}")
                if provider is None
                else bridge.call(api, *args, provider=provider, rid=f"read-{api}")
            )
            assert outcome.mutated is False, (api, args)
            assert outcome.deferred is False
            assert outcome.deliveries == ()
            assert outcome.settlements == ()
            assert outcome.record_changes == ()
            assert to_json(bridge.engine.workspace) == before, (api, args)
            assert bridge.engine.records.version == version, (api, args)


def test_the_cases_reach_both_answers(two_providers: Bridge) -> None:
    # The table is worth its name only if the reads succeed and fail as they would for real.
    bridge = populated(two_providers)
    outcomes = {api: [bridge.call(api, *args).ok for args in CASES[api]] for api in CASES}
    assert outcomes["retrieveRecord"] == [True, False, False]
    assert outcomes["getSession"] == [True, False, False]  # session 2 is the other provider's
    assert outcomes["executeFetchQuery"] == [True, True, False]
    assert outcomes["getTabs"] == [False, False]  # the focused session is the chat's
    assert [bridge.call("getTabs", *args, provider=CHAT).ok for args in CASES["getTabs"]] == [
        True,
        True,
    ]
