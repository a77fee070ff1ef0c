"""Pacing under Google's per-user quotas: the limiter, the pacer, the hook on the clients."""

from __future__ import annotations

import json
import threading
from typing import Any

import pytest

from gworkflow.google.gateway import Call, execute
from gworkflow.google.paced_http import PacedHttp, is_rate_limited, retry_after
from gworkflow.pacing import Pacer, RateLimiter, quota_for


class FakeTime:
    """A clock that only moves when someone sleeps. Thread-safe."""

    def __init__(self) -> None:
        self.now = 0.0
        self.sleeps: list[float] = []
        self._lock = threading.Lock()

    def clock(self) -> float:
        with self._lock:
            return self.now

    def sleep(self, seconds: float) -> None:
        with self._lock:
            self.sleeps.append(seconds)
            self.now += seconds


def test_n_acquisitions_take_n_minus_one_intervals() -> None:
    time = FakeTime()
    limiter = RateLimiter(60, window=60.0, clock=time.clock, sleep=time.sleep, safety=0.0)
    for _ in range(10):
        limiter.acquire()
    assert time.now == pytest.approx(9.0)  # the first slot is now, then one a second


def test_200_writes_at_60_a_minute_take_200_seconds_with_the_safety_margin() -> None:
    time = FakeTime()
    limiter = RateLimiter(60, window=60.0, clock=time.clock, sleep=time.sleep)
    for _ in range(200):
        limiter.acquire()
    assert time.now == pytest.approx(199 * 60.0 * 1.03 / 60)


def test_no_window_ever_holds_more_than_the_limit() -> None:
    time = FakeTime()
    limiter = RateLimiter(60, window=6.0, clock=time.clock, sleep=time.sleep)
    slots = []
    for _ in range(300):
        limiter.acquire()
        slots.append(time.now)
    for i, start in enumerate(slots):
        # The server's sliding window: those within (start - window, start] before it.
        in_window = [t for t in slots[: i + 1] if t > start - 6.0]
        assert len(in_window) <= 60


def test_a_caller_that_arrives_late_does_not_wait() -> None:
    time = FakeTime()
    limiter = RateLimiter(6, window=6.0, clock=time.clock, sleep=time.sleep, safety=0.0)
    limiter.acquire()
    time.now += 5.0  # long after the next slot
    assert limiter.acquire() == 0.0
    assert limiter.acquire() == pytest.approx(1.0)


def test_concurrent_callers_each_get_their_own_slot() -> None:
    time = FakeTime()
    # No real sleeping: every caller sees the frozen clock and is told how long to wait.
    limiter = RateLimiter(100, window=1.0, clock=time.clock, sleep=lambda _s: None, safety=0.0)
    start = threading.Barrier(8)
    waits: list[float] = []
    lock = threading.Lock()

    def worker() -> None:
        start.wait()
        for _ in range(50):
            wait = limiter.acquire()
            with lock:
                waits.append(wait)

    threads = [threading.Thread(target=worker) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(round(w, 6) for w in waits) == [round(k * 0.01, 6) for k in range(400)]
    assert limiter.acquired == 400


def test_hold_off_delays_every_later_slot() -> None:
    time = FakeTime()
    limiter = RateLimiter(60, window=60.0, clock=time.clock, sleep=time.sleep, safety=0.0)
    limiter.acquire()
    limiter.hold_off(30.0)
    assert limiter.acquire() == pytest.approx(30.0)
    assert limiter.acquire() == pytest.approx(1.0)


def test_quota_for_counts_docs_reads_and_writes_apart() -> None:
    assert quota_for("docs", write=False) == "docs_read"
    assert quota_for("docs", write=True) == "docs_write"
    assert quota_for("calendar", write=True) == "calendar"
    assert quota_for("drive", write=False) == "drive"
    assert quota_for("oauth2", write=True) is None


def test_pacer_paces_each_quota_on_its_own_and_counts_every_slot() -> None:
    time = FakeTime()
    pacer = Pacer({"docs_write": 60, "calendar": 600}, clock=time.clock, sleep=time.sleep)
    for _ in range(3):
        pacer.acquire("docs_write")
    writes_done = time.now
    pacer.acquire("calendar")
    pacer.acquire("drive")  # not paced: no wait, still counted
    stats = pacer.stats()
    assert writes_done == pytest.approx(2 * 1.03)
    assert time.now == writes_done  # the calendar slot was free, drive is not paced
    assert stats.acquired == {"docs_read": 0, "docs_write": 3, "calendar": 1, "drive": 1}


def test_a_rate_limit_answer_is_counted_and_retry_after_holds_every_worker_off() -> None:
    time = FakeTime()
    pacer = Pacer({"docs_write": 60}, clock=time.clock, sleep=time.sleep)
    pacer.acquire("docs_write")
    pacer.rate_limited("docs_write", retry_after=10.0)
    assert time.sleeps == [10.0]
    pacer.rate_limited("calendar", retry_after=None)
    assert pacer.stats().rate_limited == {
        "docs_read": 0,
        "docs_write": 1,
        "calendar": 1,
        "drive": 0,
    }
    assert pacer.stats().rate_limited_total == 2
    # The next write slot is at least Retry-After after the answer.
    assert pacer.acquire("docs_write") == pytest.approx(0.0)
    assert time.now >= 10.0


def test_unpaced_pacer_never_waits() -> None:
    time = FakeTime()
    pacer = Pacer.unpaced()
    for _ in range(100):
        pacer.acquire("docs_write")
    assert time.now == 0.0 and pacer.stats().acquired["docs_write"] == 100


def test_estimate_uses_the_pace_of_the_busiest_quota() -> None:
    time = FakeTime()
    pacer = Pacer({"docs_write": 60, "calendar": 600}, clock=time.clock, sleep=time.sleep)
    assert pacer.estimate(0, 10, 0.0) is None
    for _ in range(2):  # two series done: one write and four calendar calls each
        pacer.acquire("docs_write")
        for _ in range(4):
            pacer.acquire("calendar")
    # 198 series left need 198 writes, one every 1.03 s.
    assert pacer.estimate(2, 198, elapsed=1.0) == pytest.approx(198 * 1.03)
    assert pacer.estimate(200, 0, elapsed=1.0) == 0.0


# --- the hook on the clients -------------------------------------------------------------------


class FakeResponse(dict[str, str]):
    def __init__(self, status: int, headers: dict[str, str] | None = None) -> None:
        super().__init__(headers or {})
        self.status = status


class FakeHttp:
    def __init__(self, answers: list[tuple[FakeResponse, bytes]]) -> None:
        self.answers = answers
        self.credentials = "the credentials"

    def request(self, uri: str, method: str = "GET", **_kwargs: Any) -> tuple[Any, bytes]:
        return self.answers.pop(0)


DOCS_429 = json.dumps(
    {
        "error": {
            "code": 429,
            "status": "RESOURCE_EXHAUSTED",
            "details": [{"reason": "RATE_LIMIT_EXCEEDED", "domain": "googleapis.com"}],
        }
    }
).encode()
CALENDAR_403 = json.dumps(
    {"error": {"errors": [{"domain": "usageLimits", "reason": "rateLimitExceeded"}], "code": 403}}
).encode()
DRIVE_403 = json.dumps(
    {"error": {"errors": [{"domain": "usageLimits", "reason": "userRateLimitExceeded"}]}}
).encode()
FORBIDDEN = json.dumps(
    {"error": {"errors": [{"domain": "calendar", "reason": "requiredAccessLevel"}], "code": 403}}
).encode()


def test_rate_limit_answers_are_told_from_refusals() -> None:
    assert is_rate_limited(429, DOCS_429)
    assert is_rate_limited(429, b"")
    assert is_rate_limited(403, CALENDAR_403)
    assert is_rate_limited(403, DRIVE_403)
    assert not is_rate_limited(403, FORBIDDEN)
    assert not is_rate_limited(403, b"<html>")
    assert not is_rate_limited(200, b"{}")


def test_retry_after_in_seconds_or_as_a_date() -> None:
    assert retry_after(FakeResponse(429, {"retry-after": "7"})) == 7.0
    assert retry_after(FakeResponse(429)) is None
    assert retry_after(FakeResponse(429, {"retry-after": "Wed, 21 Oct 2015 07:28:00 GMT"})) == 0.0
    assert retry_after(FakeResponse(429, {"retry-after": "soon"})) is None


def test_paced_http_counts_rate_limits_and_honours_retry_after() -> None:
    time = FakeTime()
    pacer = Pacer({"docs_write": 60}, clock=time.clock, sleep=time.sleep)
    inner = FakeHttp(
        [(FakeResponse(429, {"retry-after": "3"}), DOCS_429), (FakeResponse(200), b"{}")]
    )
    http = PacedHttp(inner, pacer, "docs")
    assert http.request("https://docs/x:batchUpdate", "POST")[0].status == 429
    assert http.request("https://docs/x:batchUpdate", "POST")[0].status == 200
    assert pacer.stats().rate_limited["docs_write"] == 1
    assert time.sleeps == [3.0]
    assert http.credentials == "the credentials"  # the gateway reads it for its messages


class FakeRequest:
    def __init__(self, http: Any, method: str) -> None:
        self.http = http
        self.method = method

    def execute(self, num_retries: int = 0) -> Any:
        return {"ok": True}


def test_the_gateway_takes_a_slot_for_reads_and_writes_of_paced_clients_only() -> None:
    time = FakeTime()
    pacer = Pacer({"docs_read": 300, "docs_write": 60}, clock=time.clock, sleep=time.sleep)
    paced = PacedHttp(FakeHttp([]), pacer, "docs")
    call = Call("Google Docs", "read Google Doc x")
    assert execute(FakeRequest(paced, "GET"), call) == {"ok": True}
    execute(FakeRequest(paced, "POST"), call)
    execute(FakeRequest(paced, "POST"), call)
    execute(FakeRequest(FakeHttp([]), "POST"), call)  # an unpaced client: no slot taken
    assert pacer.stats().acquired == {"docs_read": 1, "docs_write": 2, "calendar": 0, "drive": 0}
    assert time.now == pytest.approx(1.03)  # the second write waited for its slot
