"""Per-user request quotas of the sandbox, over a sliding window, and Google's answers to
a request over quota.

By default the sandbox enforces Google's published per-user limits (see
docs/google-api-notes.md, *Docs quotas and the 429 answer*, *Calendar quotas*, *Drive
quotas*): Docs 300 reads and 60 writes, Calendar 600 requests, Drive 12,000 requests, each
per minute per user. A quota keeps one deque of admission times per (user, quota); a request
is admitted when fewer than `limit` admissions fall in the last `window_seconds`. Refused
requests are counted (for `GET /_sandbox/quotas`) but take no place in the window.

The settings also carry `doc_max_chars`, the document size limit the Docs engine applies to
batchUpdate (see *Docs document size limit*); it holds whether or not `enabled` is true.

Lives here: the settings and their validation, the windows, which API call counts against
which quota (`quota_for`), whose call it is (`user_key`), the refusal bodies. Not here: the
HTTP server (server.py calls `QuotaEngine.refusal` once per API request).
"""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable, Mapping
from typing import Any

from gworkflow.sandbox.errors import docs_rate_limit_body

JSON = dict[str, Any]

QUOTAS = ("docs_read", "docs_write", "calendar", "drive")
# Google's published per-user numbers (docs/google-api-notes.md gives the sources).
DEFAULTS: JSON = {
    "enabled": True,
    "window_seconds": 60,
    "docs_read": 300,
    "docs_write": 60,
    "calendar": 600,
    "drive": 12_000,
    # Calendar and Drive answer either 403 or 429 over quota; 403 is the documented default.
    "calendar_status": 403,
    "drive_status": 403,
    # Not published by Google; the widely repeated figure (see *Docs document size limit*).
    "doc_max_chars": 1_020_000,
}
OVER_QUOTA_STATUSES = (403, 429)
ANONYMOUS = "anonymous"


def quota_for(family: str | None, method: str) -> str | None:
    """The quota an API call counts against: Docs GETs (documents.get) are reads, its POSTs
    (documents.create, documents.batchUpdate) writes; every Calendar or Drive call counts
    against that API's one quota; OAuth, Zoom and unknown routes count against none."""
    if family == "docs":
        return "docs_read" if method.upper() in ("GET", "HEAD") else "docs_write"
    if family in ("calendar", "drive"):
        return family
    return None


def user_key(headers: Mapping[str, str]) -> str:
    """Whose call this is: the bearer token when there is one, else one anonymous user (the
    sandbox has a single account today; keying by token lets several users be told apart)."""
    scheme, _, token = (headers.get("authorization") or "").strip().partition(" ")
    if scheme.lower() == "bearer" and token.strip():
        return "bearer:" + token.strip()
    return ANONYMOUS


def check_settings(changes: Any) -> JSON:
    """`changes` validated (a JSON object of known settings with values of the right type);
    raises ValueError naming the first wrong one."""
    if not isinstance(changes, dict):
        raise ValueError("quota settings must be a JSON object")
    checked: JSON = {}
    for key, value in changes.items():
        if key not in DEFAULTS:
            known = ", ".join(DEFAULTS)
            raise ValueError(f"unknown quota setting {key!r} (known: {known})")
        checked[key] = _check_value(key, value)
    return checked


def _check_value(key: str, value: Any) -> Any:
    if key == "enabled":
        if not isinstance(value, bool):
            raise ValueError("enabled must be true or false")
        return value
    if key == "window_seconds":
        if isinstance(value, bool) or not isinstance(value, int | float) or not value > 0:
            raise ValueError("window_seconds must be a number of seconds above 0")
        return value
    if key in ("calendar_status", "drive_status"):
        if isinstance(value, bool) or value not in OVER_QUOTA_STATUSES:
            raise ValueError(f"{key} must be 403 or 429")
        return value
    if key == "doc_max_chars":
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            raise ValueError("doc_max_chars must be a whole number above 0, or null for no limit")
        return value
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ValueError(f"{key} must be a whole number of requests, 0 or more")
    return value


def parse_assignment(text: str) -> JSON:
    """One `KEY=VALUE` of `gworkflow sandbox serve --quota`, as a checked setting.

    VALUE is a number, `true`/`false` (enabled) or `none` (doc_max_chars: no limit)."""
    key, sep, raw = text.partition("=")
    key, raw = key.strip(), raw.strip()
    if not sep or not key or not raw:
        raise ValueError(f"expected KEY=VALUE, got {text!r}")
    value: Any
    lowered = raw.lower()
    if lowered in ("true", "false"):
        value = lowered == "true"
    elif lowered in ("none", "null"):
        value = None
    else:
        try:
            value = int(raw)
        except ValueError:
            try:
                value = float(raw)
            except ValueError:
                raise ValueError(f"{key}: {raw!r} is not a number") from None
    return check_settings({key: value})


class QuotaEngine:
    """The quota settings and the per-(user, quota) windows. Thread-safe.

    `settings` are the base the engine starts from and returns to on `reset()` (the
    `--quota` options of `sandbox serve`); `clock` gives seconds (monotonic), injectable
    for tests.
    """

    def __init__(
        self, settings: Mapping[str, Any] | None = None, clock: Callable[[], float] | None = None
    ) -> None:
        self.clock: Callable[[], float] = clock or time.monotonic
        self._base: JSON = {**DEFAULTS, **check_settings(dict(settings or {}))}
        self._lock = threading.Lock()
        self._settings: JSON = dict(self._base)
        self._windows: dict[tuple[str, str], deque[float]] = {}
        self._refused: dict[str, int] = dict.fromkeys(QUOTAS, 0)

    def settings(self) -> JSON:
        """The current settings, plus `refused`: how many requests each quota refused."""
        with self._lock:
            return {**self._settings, "refused": dict(self._refused)}

    def configure(self, changes: Any) -> JSON:
        """Merge `changes` into the settings (all or nothing); returns `settings()`."""
        checked = check_settings(changes)
        with self._lock:
            self._settings.update(checked)
        return self.settings()

    def reset(self) -> None:
        """Back to the base settings, with empty windows and no refusals counted."""
        with self._lock:
            self._settings = dict(self._base)
            self._windows.clear()
            self._refused = dict.fromkeys(QUOTAS, 0)

    @property
    def doc_max_chars(self) -> int | None:
        with self._lock:
            limit = self._settings["doc_max_chars"]
        return None if limit is None else int(limit)

    def admit(self, user: str, quota: str) -> bool:
        """Count one request of `user` against `quota`; False (and counted as refused) when
        the window is full."""
        with self._lock:
            if not self._settings["enabled"]:
                return True
            now = self.clock()
            window = self._windows.setdefault((user, quota), deque())
            oldest_kept = now - float(self._settings["window_seconds"])
            while window and window[0] <= oldest_kept:
                window.popleft()
            if len(window) >= int(self._settings[quota]):
                self._refused[quota] += 1
                return False
            window.append(now)
            return True

    def refusal(
        self, family: str | None, method: str, headers: Mapping[str, str]
    ) -> tuple[int, JSON] | None:
        """Count this API call; None when it may proceed, else Google's (status, body)."""
        quota = quota_for(family, method)
        if quota is None or self.admit(user_key(headers), quota):
            return None
        with self._lock:
            settings = dict(self._settings)
        if quota in ("docs_read", "docs_write"):
            # The same body as an injected 429: one builder of Google's answer.
            return 429, docs_rate_limit_body("GET" if quota == "docs_read" else "POST")
        status = int(settings[f"{quota}_status"])
        return status, v3_over_quota(quota, status)


def v3_over_quota(quota: str, status: int) -> JSON:
    """Calendar's or Drive's rate-limit answer, domain usageLimits (403 or 429)."""
    if quota == "drive" and status == 403:
        reason, message = "userRateLimitExceeded", "User Rate Limit Exceeded"
    else:
        reason, message = "rateLimitExceeded", "Rate Limit Exceeded"
    return {
        "error": {
            "errors": [{"domain": "usageLimits", "reason": reason, "message": message}],
            "code": status,
            "message": message,
        }
    }
