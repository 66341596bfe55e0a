"""Why `cifbridge serve` could not start: one line with the cause and the fix, and its status.

    status  cause
    0       the bridge ran and was stopped (Ctrl+C, SIGTERM)
    1       an unexpected error inside cifbridge (a bug: --debug shows the traceback)
    2       the configuration file is missing, unreadable or invalid
    3       the address is taken: the port is in use, or the host cannot be bound
    4       Redis does not answer (--store redis)
    5       the state file is unreadable, or the workspace saved in it cannot be restored
    6       the state file is in use by another running bridge
    7       the installation is incomplete (the socket.io-client bundle is missing)
    8       the ready file cannot be written
    9       the --import file cannot be read or is not a state cifbridge exported, or the
            folder of the --export-on-exit file does not exist
    64      a bad option or environment value (CIFBRIDGE_STORE=postgres, --port x)

Rules:
- a failure is one line on stderr: what went wrong, then what to do about it;
- no traceback unless --debug; an error that `explain` does not know is a bug (status 1).
"""

from __future__ import annotations

import errno

from cifbridge.settings import Settings

STOPPED = 0
INTERNAL = 1
BAD_CONFIG = 2
ADDRESS_TAKEN = 3
REDIS_UNREACHABLE = 4
STATE_UNREADABLE = 5
STATE_IN_USE = 6
INCOMPLETE_INSTALL = 7
READY_FILE = 8
IMPORT_FILE = 9
BAD_USAGE = 64


class StartupFailure(Exception):
    """The bridge cannot start; `status` is the process exit status."""

    def __init__(self, status: int, cause: str, fix: str) -> None:
        super().__init__(f"{cause}; {fix}")
        self.status = status
        self.cause = cause
        self.fix = fix


def explain(error: BaseException, settings: Settings) -> StartupFailure | None:
    """Return the startup failure an exception means, or None when it is a bug."""
    # Imported here, not above: `cifbridge --version` and `--help` import this module.
    from cifbridge.files.config import ConfigError
    from cifbridge.files.resources import MissingResource

    if isinstance(error, StartupFailure):
        return error
    if isinstance(error, ConfigError):
        fix = "check the --config path (CIFBRIDGE_CONFIG) and the problems named"
        return StartupFailure(BAD_CONFIG, f"invalid configuration: {error}", fix)
    if isinstance(error, MissingResource):
        return StartupFailure(INCOMPLETE_INSTALL, "the installation is incomplete", str(error))
    return _store_failure(error, settings)


def _store_failure(error: BaseException, settings: Settings) -> StartupFailure | None:
    import sqlite3

    from redis.exceptions import ConnectionError as RedisConnectionError
    from redis.exceptions import TimeoutError as RedisTimeoutError

    from cifbridge.store.base import StateInUse, StateUnreadable, StoreFailed

    cause = error.__cause__
    if isinstance(error, StoreFailed) and cause is not None:
        error = cause  # the store's own error says what to fix
    elif isinstance(error, StateUnreadable) and isinstance(
        cause, RedisConnectionError | RedisTimeoutError
    ):
        error = cause  # Redis did not answer when the org's records were read
    if isinstance(error, RedisConnectionError | RedisTimeoutError):
        return StartupFailure(
            REDIS_UNREACHABLE,
            f"Redis does not answer at {settings.redis_url} ({error})",
            "start redis-server, point --redis-url (CIFBRIDGE_REDIS_URL) at a running one,"
            " or use --store sqlite",
        )
    if isinstance(error, StateInUse):
        return StartupFailure(
            STATE_IN_USE,
            f"the state file {settings.state_path} is in use by another running cifbridge",
            "stop that bridge, or give this one its own file with --state PATH (or --store memory)",
        )
    if isinstance(error, StateUnreadable | sqlite3.DatabaseError):
        return StartupFailure(
            STATE_UNREADABLE,
            f"the state file {settings.state_path} cannot be used ({error})",
            "move it away (the bridge then starts a new one), or choose another with --state PATH",
        )
    return None


def address_failure(error: OSError, host: str, port: int) -> StartupFailure:
    """Explain why the bridge could not listen on host:port."""
    if error.errno == errno.EADDRINUSE:
        return StartupFailure(
            ADDRESS_TAKEN,
            f"port {port} on {host} is already in use (another cifbridge?)",
            "stop what listens there, or choose another port with --port N"
            " (CIFBRIDGE_PORT; --port 0 picks a free one)",
        )
    return StartupFailure(
        ADDRESS_TAKEN,
        f"cannot listen on {host}:{port} ({error.strerror or error})",
        "choose another --host (CIFBRIDGE_HOST) or --port (CIFBRIDGE_PORT)",
    )
