"""Pacing: staying under Google's per-user quotas instead of discovering them by failure.

Google counts each user's requests per API over a sliding minute (docs/google-api-notes.md,
"Docs quotas and the 429 answer", "Calendar quotas"). A run over many series shares one
`Pacer`: one `RateLimiter` per quota ("docs_read", "docs_write", "calendar", "drive"), each
handing out evenly spaced slots, so the requests of every worker thread together never
exceed the limit in any window, and writes are spread evenly instead of bunched.

Why evenly spaced slots and not a bucket that allows a burst: the server measures its
window on arrival times, which it cannot share with us, and another run of the same user
may have spent part of the window already; a burst of N at the start of a run would then
be refused. Slots are spaced `SAFETY` wider than the limit strictly needs, because arrival
times jitter by the network and thread scheduling: with spacing exactly window/limit, the
(N+1)th request arrives exactly one window after the first, and any jitter pushes it in.

What lives here: the limiter, the pacer and its counters (slots taken, time waited,
rate-limit answers received), the time estimate for progress bars. What does not: which
request counts against which quota (the Google layer asks `quota_for`), the retries after
a rate-limit answer (google-api-python-client's, see gworkflow.google.paced_http). Pure:
the clock and the sleep are injectable, and nothing here imports Google's libraries.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass

QUOTAS = ("docs_read", "docs_write", "calendar", "drive")
WINDOW_SECONDS = 60.0
# Slots are this much farther apart than window/limit (see the module docstring).
SAFETY = 0.03


def quota_for(api: str, write: bool) -> str | None:
    """The quota a request counts against: Docs reads and writes apart, one quota for each
    of Calendar and Drive (as Google counts them); None for any other API."""
    if api == "docs":
        return "docs_write" if write else "docs_read"
    if api in ("calendar", "drive"):
        return api
    return None


class RateLimiter:
    """At most `limit` slots in any `window` seconds, evenly spaced. Thread-safe.

    `acquire()` reserves the next free slot under a lock and sleeps (outside the lock)
    until it comes, so concurrent callers queue in order of arrival.
    """

    def __init__(
        self,
        limit: int,
        window: float = WINDOW_SECONDS,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
        safety: float = SAFETY,
    ) -> None:
        if limit < 1 or window <= 0:
            raise ValueError("a rate limit needs limit >= 1 and window > 0")
        self.limit = limit
        self.window = window
        self.interval = window * (1.0 + safety) / limit
        self._clock = clock
        self._sleep = sleep
        self._lock = threading.Lock()
        self._next: float | None = None  # the next free slot; None before the first
        self.acquired = 0
        self.waited = 0.0

    def acquire(self) -> float:
        """Wait for the next slot; returns how long this call waited (seconds)."""
        with self._lock:
            now = self._clock()
            slot = now if self._next is None else max(now, self._next)
            self._next = slot + self.interval
            self.acquired += 1
            wait = slot - now
            self.waited += wait
        if wait > 0:
            self._sleep(wait)
        return wait

    def hold_off(self, seconds: float) -> None:
        """Give out no slot for `seconds` from now (Google said Retry-After)."""
        with self._lock:
            until = self._clock() + max(seconds, 0.0)
            if self._next is None or self._next < until:
                self._next = until


@dataclass(frozen=True)
class PacerStats:
    """What a pacer did, per quota: slots taken, seconds waited, rate-limit answers."""

    acquired: Mapping[str, int]
    waited: Mapping[str, float]
    rate_limited: Mapping[str, int]

    @property
    def rate_limited_total(self) -> int:
        return sum(self.rate_limited.values())


class Pacer:
    """The rate limiters of one run, shared by every worker's Google clients.

    `per_minute` maps a quota name to requests per minute; a quota left out (or a Pacer
    built with none, `Pacer.unpaced()`) is not paced, but its rate-limit answers are still
    counted.
    """

    def __init__(
        self,
        per_minute: Mapping[str, int],
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
        window: float = WINDOW_SECONDS,
    ) -> None:
        self.limiters = {
            quota: RateLimiter(rate, window, clock, sleep)
            for quota, rate in per_minute.items()
            if quota in QUOTAS
        }
        self._sleep = sleep
        self._lock = threading.Lock()
        self._counted: dict[str, int] = dict.fromkeys(QUOTAS, 0)
        self._rate_limited: dict[str, int] = dict.fromkeys(QUOTAS, 0)

    @classmethod
    def unpaced(cls) -> Pacer:
        """A pacer that never waits and only counts (for comparison runs)."""
        return cls({})

    def acquire(self, quota: str | None) -> float:
        """Wait for a slot of `quota` (none to wait for when it is not paced)."""
        if quota is None:
            return 0.0
        with self._lock:
            if quota in self._counted:
                self._counted[quota] += 1
        limiter = self.limiters.get(quota)
        return limiter.acquire() if limiter is not None else 0.0

    def rate_limited(self, quota: str | None, retry_after: float | None) -> None:
        """Google answered a request of `quota` with a rate-limit error: count it, and when
        it said how long to wait, hold every worker off that quota and wait that long."""
        if quota is None:
            return
        with self._lock:
            if quota in self._rate_limited:
                self._rate_limited[quota] += 1
        if retry_after is not None and retry_after > 0:
            limiter = self.limiters.get(quota)
            if limiter is not None:
                limiter.hold_off(retry_after)
            self._sleep(retry_after)

    def stats(self) -> PacerStats:
        with self._lock:
            return PacerStats(
                acquired=dict(self._counted),
                waited={q: (lim.waited if (lim := self.limiters.get(q)) else 0.0) for q in QUOTAS},
                rate_limited=dict(self._rate_limited),
            )

    def estimate(self, done: int, remaining: int, elapsed: float) -> float | None:
        """Seconds left for `remaining` series, from the pacing: each quota needs the calls
        the series done so far made on average, one per slot interval; and never less than
        the pace observed so far. None before the first series is done."""
        if done <= 0:
            return None
        if remaining <= 0:
            return 0.0
        stats = self.stats()
        paced = max(
            (
                stats.acquired[quota] / done * remaining * limiter.interval
                for quota, limiter in self.limiters.items()
            ),
            default=0.0,
        )
        observed = elapsed / done * remaining
        return max(paced, observed)
