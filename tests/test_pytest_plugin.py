"""The pytest plugin in a partner's suite: failing starts, factories, xdist workers, the clock."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from cifbridge.clients.bridge import BridgeClient

pytest_plugins = ["pytester"]

# pytest-asyncio is installed here and warns unless its loop scope is set.
INI = "[pytest]\nfilterwarnings = error\nasyncio_default_fixture_loop_scope = function\n"


def test_a_bridge_that_cannot_start_fails_the_fixture_with_its_own_output(
    pytester: pytest.Pytester,
) -> None:
    pytester.makeini(INI + "cifbridge_config = workspace.yaml\n")
    pytester.makefile(".yaml", workspace="limits: {maxSessions: lots}\n")
    pytester.makepyfile("def test_never_runs(cifbridge):\n    raise AssertionError('ran')\n")
    result = pytester.runpytest_subprocess()
    result.assert_outcomes(errors=1)
    result.stdout.fnmatch_lines(
        [
            "*cifbridge serve exited with status 2:",
            "cifbridge: invalid configuration: *workspace.yaml: $.limits.maxSessions: 'lots'*",
        ]
    )
    assert "did not answer" not in result.stdout.str()  # it failed at once, not at a timeout


def test_factories_start_bridges_of_a_given_configuration(pytester: pytest.Pytester) -> None:
    pytester.makeini(INI)
    pytester.makepyfile(
        """
        import pytest
        from cifbridge.clients import WidgetClient

        @pytest.fixture(scope="module")
        def roomy(cifbridge_module_factory):
            return cifbridge_module_factory({"limits": {"maxSessions": 4}})

        def test_module_bridge(roomy, cifbridge):
            assert roomy.workspace()["maxSessions"] == 4
            assert cifbridge.workspace()["maxSessions"] == 10   # the session bridge is apart
            assert roomy.url != cifbridge.url

        def test_module_bridge_is_shared(roomy, request):
            assert roomy.workspace()["maxSessions"] == 4

        def test_test_bridge_with_serve_flags(cifbridge_factory, tmp_path):
            state = tmp_path / "ws.sqlite3"
            bridge = cifbridge_factory(None, "--store", "sqlite", "--state", str(state))
            with WidgetClient(bridge.url) as widget:
                widget.call("createSession", {"templateName": "msdyn_chat_session"})
            assert state.is_file()
        """
    )
    result = pytester.runpytest_subprocess()
    result.assert_outcomes(passed=3)


XDIST_SUITE = """
import os
import uuid
from pathlib import Path
from urllib.parse import quote

import pytest
from cifbridge.clients import WidgetClient

CHAT = {"templateName": "msdyn_chat_session"}


@pytest.mark.parametrize("n", range(4))
def test_each_test_sees_only_its_own_sessions(cifbridge, n):
    worker = os.environ["PYTEST_XDIST_WORKER"]
    Path(f"{worker}-{n}.url").write_text(cifbridge.bridge_url)
    with WidgetClient(cifbridge.url) as widget:
        for _ in range(n + 1):
            widget.call("createSession", CHAT)
    assert len(cifbridge.sessions()) == n + 2  # Home and its own, whatever runs beside it
    assert cifbridge.agent in [a["agent"] for a in cifbridge.agents()]


def test_a_record_is_the_orgs(cifbridge, cifbridge_server):
    worker = os.environ["PYTEST_XDIST_WORKER"]
    Path(f"{worker}-record.url").write_text(cifbridge.bridge_url)
    name = f"Org {uuid.uuid4().hex}"
    cifbridge.request("POST", "/api/records/contact", {"firstname": "Org", "lastname": name})
    query = quote(f"lastname eq '{name}'")
    found = cifbridge_server.request("GET", f"/api/records/contact?$filter={query}")
    assert [c["lastname"] for c in found["value"]] == [name]
"""


def test_xdist_workers_share_one_bridge_with_an_agent_per_test(pytester: pytest.Pytester) -> None:
    pytester.makeini(INI)
    pytester.makepyfile(XDIST_SUITE)
    result = pytester.runpytest_subprocess("-p", "xdist", "-n", "2")
    result.assert_outcomes(passed=5)
    urls: dict[str, set[str]] = {}
    for note in Path(pytester.path).glob("gw*-*.url"):
        urls.setdefault(note.name.split("-")[0], set()).add(note.read_text())
    assert sorted(urls) == ["gw0", "gw1"]  # both workers ran tests ...
    assert len(set().union(*urls.values())) == 1  # ... on one bridge
    (url,) = set().union(*urls.values())
    with pytest.raises(OSError):  # the controller stopped it when the run ended
        BridgeClient(url, timeout=2).request("GET", "/healthz")


def test_each_test_agent_is_removed_after_the_test(pytester: pytest.Pytester) -> None:
    pytester.makeini(INI)
    pytester.makepyfile(
        """
        from pathlib import Path

        def test_first(cifbridge):
            Path("first.agent").write_text(cifbridge.agent)
            assert cifbridge.agent in [a["agent"] for a in cifbridge.agents()]

        def test_second(cifbridge):
            first = Path("first.agent").read_text()
            assert first != cifbridge.agent
            assert first not in [a["agent"] for a in cifbridge.agents()]
        """
    )
    result = pytester.runpytest_subprocess("-p", "no:xdist")
    result.assert_outcomes(passed=2)


def test_reset_brings_the_clock_back_to_real_time(cifbridge_server: BridgeClient) -> None:
    advanced = cifbridge_server.advance_clock(3600)
    assert advanced > time.time() + 3000
    cifbridge_server.reset()
    now: float = cifbridge_server.request("GET", "/api/clock")["now"]
    assert now < time.time() + 60  # a test's fast-forward does not leak into the next test
