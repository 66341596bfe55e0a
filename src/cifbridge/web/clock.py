"""The bridge's clock: real time plus an offset that tests and scenarios can move forward."""

from __future__ import annotations

import time


class OffsetClock:
    """Wall-clock seconds, fast-forwardable: hour-long flows run in seconds in tests."""

    def __init__(self) -> None:
        self.offset = 0.0

    def __call__(self) -> float:
        return time.time() + self.offset

    def advance(self, seconds: float) -> float:
        """Move time forward and return the new now."""
        if seconds < 0:
            raise ValueError("the clock only moves forward")
        self.offset += seconds
        return self()

    def resume_at(self, now: float) -> None:
        """Set the clock so it reads `now` at once and runs on from there (an imported state)."""
        self.offset = now - time.time()

    def reset(self) -> None:
        """Go back to wall-clock time (a reset workspace must not inherit a test's fast-forward)."""
        self.offset = 0.0
