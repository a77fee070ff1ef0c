"""The pacer installed on a client's HTTP object, for runs over many series.

`build_clients(..., pacer=...)` wraps each client's HTTP object in a `PacedHttp` that knows
its API ("docs", "calendar", "drive"). The gateway asks it for a slot before each request
(`pace()`), and every answer passes through it: a rate-limit answer (429; or 403 with a
rate-limit reason, as Calendar and Drive send) is counted on the pacer and, when Google
says `Retry-After`, every worker holds off that quota for that long. The retry itself is
google-api-python-client's (`execute(num_retries=...)`, with its exponential backoff;
docs/google-api-notes.md, "execute(num_retries) retries what").

Clients built without a pacer (every single-series command) have no wrapper and are not
paced. The wrapper holds one client's HTTP object, which is not thread-safe: each worker
thread gets its own clients, and only the pacer is shared.
"""

from __future__ import annotations

import email.utils
import json
import time
from typing import Any

from gworkflow.pacing import Pacer, quota_for

_RATE_LIMIT_REASONS = frozenset(
    {"rateLimitExceeded", "userRateLimitExceeded", "RATE_LIMIT_EXCEEDED", "RESOURCE_EXHAUSTED"}
)


class PacedHttp:
    """An httplib2-compatible HTTP object that paces and watches one API's requests."""

    def __init__(self, http: Any, pacer: Pacer, api: str) -> None:
        self._http = http
        self.pacer = pacer
        self.api = api

    def pace(self, write: bool) -> float:
        """Wait for a slot for one read or write request of this API."""
        return self.pacer.acquire(quota_for(self.api, write))

    def request(self, uri: str, method: str = "GET", *args: Any, **kwargs: Any) -> Any:
        resp, content = self._http.request(uri, method, *args, **kwargs)
        if is_rate_limited(int(getattr(resp, "status", 0) or 0), content):
            write = method.upper() not in ("GET", "HEAD")
            self.pacer.rate_limited(quota_for(self.api, write), retry_after(resp))
        return resp, content

    def __getattr__(self, name: str) -> Any:
        # credentials, timeout, close(), connections...: the wrapped object's.
        return getattr(self._http, name)


def is_rate_limited(status: int, content: object) -> bool:
    """A 429, or a 403 whose reason says "slow down" (not "you may not")."""
    if status == 429:
        return True
    if status != 403 or not isinstance(content, bytes | str):
        return False
    try:
        error = json.loads(content).get("error", {})
    except (ValueError, AttributeError):
        return False
    if not isinstance(error, dict):
        return False
    reasons = {str(error.get("status", ""))}
    for key in ("errors", "details"):
        items = error.get(key)
        for item in items if isinstance(items, list) else []:
            if isinstance(item, dict):
                reasons.add(str(item.get("reason", "")))
    return bool(reasons & _RATE_LIMIT_REASONS)


def retry_after(resp: Any) -> float | None:
    """The Retry-After header in seconds (delta-seconds or an HTTP date), if any."""
    value = resp.get("retry-after") if hasattr(resp, "get") else None
    if not value:
        return None
    text = str(value).strip()
    try:
        return max(float(text), 0.0)
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(text)
    except (TypeError, ValueError):
        return None
    return max(when.timestamp() - time.time(), 0.0)
