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


def test_each_xdist_worker_gets_a_bridge_of_its_own(pytester: pytest.Pytester) -> None:
    pytester.makeini(INI)
    pytester.makepyfile(
        """
        import os
        from pathlib import Path

        import pytest

        @pytest.mark.parametrize("n", range(4))
        def test_note_the_bridge(cifbridge, n):
            worker = os.environ["PYTEST_XDIST_WORKER"]
            Path(f"{worker}-{n}.url").write_text(cifbridge.url)
            assert [s["id"] for s in cifbridge.sessions()] == ["session-id-0"]
        """
    )
    result = pytester.runpytest_subprocess("-p", "xdist", "-n", "2")
    result.assert_outcomes(passed=4)
    urls: dict[str, set[str]] = {}
    for note in Path(pytester.path).glob("gw*-*.url"):
        urls.setdefault(note.name.split("-")[0], set()).add(note.read_text())
    assert sorted(urls) == ["gw0", "gw1"]
    assert all(len(seen) == 1 for seen in urls.values())  # one bridge per worker
    assert urls["gw0"] != urls["gw1"]


def test_reset_brings_the_clock_back_to_real_time(cifbridge_server: BridgeClient) -> None:
    advanced = cifbridge_server.advance_clock(3600)
    assert advanced > time.time() + 3000
    cifbridge_server.reset()
    now: float = cifbridge_server.request("GET", "/api/clock")["now"]
    assert now < time.time() + 60  # a test's fast-forward does not leak into the next test
