"""A run's deadline: how long one command may take in all, retries and waits included.

A daily run must end even when a server accepts the connection and never answers, or
keeps failing: every request's socket timeout, every backoff sleep between retries and the
wait for another run's lock are cut to the time left. `Deadline(None)` never passes (for
library use and tests that do not care).
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable

# The default for `gworkflow` commands: a daily run does one to four requests, so two
# minutes leaves room for several retries of a slow or failing Google.
DEFAULT_SECONDS = 120.0
# No single request waits longer than this, deadline or not.
REQUEST_TIMEOUT_SECONDS = 60.0


def _monotonic() -> float:
    return time.monotonic()


def _sleep(seconds: float) -> None:
    # Looked up at call time, so tests that patch time.sleep make every backoff instant.
    time.sleep(seconds)


class Deadline:
    """The moment `seconds` from now (by `clock`); None: no deadline."""

    def __init__(
        self,
        seconds: float | None,
        *,
        clock: Callable[[], float] = _monotonic,
        sleep: Callable[[float], None] = _sleep,
    ) -> None:
        self.seconds = seconds
        self._clock = clock
        self._sleep = sleep
        self._end = math.inf if seconds is None else clock() + seconds

    def remaining(self) -> float:
        """Seconds left (never negative; inf without a deadline)."""
        return max(self._end - self._clock(), 0.0)

    @property
    def passed(self) -> bool:
        return self.remaining() <= 0.0

    def timeout(self, cap: float = REQUEST_TIMEOUT_SECONDS) -> float:
        """The socket timeout for the next request: `cap`, or the time left if shorter
        (at least a hundredth of a second, so that a passed deadline fails at once)."""
        return max(min(cap, self.remaining()), 0.01)

    def sleep(self, seconds: float) -> bool:
        """Sleep `seconds` if that ends before the deadline, and say whether it did."""
        if seconds >= self.remaining():
            return False
        if seconds > 0:
            self._sleep(seconds)
        return True

    def describe(self) -> str:
        """ "2-minute deadline", "90-second deadline"."""
        if self.seconds is None:
            return "no deadline"
        whole = round(self.seconds)
        if whole >= 60 and whole % 60 == 0:
            return f"{whole // 60}-minute deadline"
        return f"{self.seconds:g}-second deadline"


def parse_seconds(text: str) -> float | None:
    """ "120", "90s", "2m", "1m30s" -> seconds; None when not of that form or not positive."""
    value = text.strip().lower()
    total = 0.0
    number = ""
    units = {"h": 3600.0, "m": 60.0, "s": 1.0}
    seen_unit = False
    for char in value:
        if char.isdigit() or char == ".":
            number += char
        elif char in units and number:
            try:
                total += float(number) * units[char]
            except ValueError:
                return None
            number = ""
            seen_unit = True
        elif char.isspace():
            continue
        else:
            return None
    if number:
        if seen_unit:
            return None  # "1m30": a number without its unit after one with
        try:
            total += float(number)
        except ValueError:
            return None
    return total if total > 0 else None
