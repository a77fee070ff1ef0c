"""Fault injection for the sandbox: make the next N matching API calls fail, stall or race.

A `Fault` matches by HTTP method and path (a glob such as `/v1/documents/*:batchUpdate`, or a
regular expression searched in the path such as `:batchUpdate$`). Modes:
- "error": answer `status` with the API's own error body; nothing is applied.
- "apply_then_fail": apply the request, then answer `status` (default 503): the client sees an
  error although the write landed, as after a timeout on Google's side.
- "concurrent_edit": just before a Docs batchUpdate, a collaborator edits the document (the
  server does the edit); the call itself then runs normally.
- "latency": only the delay; the call then runs normally.
`latency_ms` adds a delay before the call in every mode.

A fault answers with the body Google gives that status on that API: `reason` picks one of
the reasons Google sends with it (errors.py, `fault_reasons`; the first when omitted). A
fault whose status or reason no API its path can match would send is refused when armed
(`FaultError`), as is one that would need a body Google never sends (a Docs 410, a Docs 403
with a reason).

Only the matching and that check live here; the server decides what a fault does to a
request, and builds the error body.
"""

from __future__ import annotations

import fnmatch
import re
import threading
from dataclasses import asdict, dataclass
from typing import Any

from gworkflow.sandbox.errors import fault_reasons

MODES = ("error", "apply_then_fail", "concurrent_edit", "latency")
STATUSES = (400, 403, 404, 409, 410, 429, 500, 502, 503, 504)
# One path per route of each API family, to tell which families a pattern can reach.
_SAMPLE_PATHS = {
    "docs": ("/v1/documents", "/v1/documents/DOC", "/v1/documents/DOC:batchUpdate"),
    "calendar": (
        "/calendar/v3/calendars/primary/events",
        "/calendar/v3/calendars/primary/events/EVENT",
        "/calendar/v3/calendars/primary/events/EVENT/instances",
    ),
    "drive": (
        "/drive/v3/about",
        "/drive/v3/files/DOC",
        "/drive/v3/files/DOC/permissions",
    ),
    "oauth": ("/token", "/revoke"),
    "zoom": ("/zoom/oauth/token", "/zoom/v2/users/me/meetings"),
}


class FaultError(ValueError):
    """A fault that cannot be armed; the message says what is allowed."""


@dataclass
class Fault:
    method: str  # "POST", or "*" for any
    path: str
    status: int = 503
    count: int = 1
    mode: str = "error"
    latency_ms: int = 0
    reason: str | None = None

    def matches(self, method: str, path: str) -> bool:
        if self.method not in ("*", method.upper()):
            return False
        return self.matches_path(path)

    def matches_path(self, path: str) -> bool:
        if fnmatch.fnmatchcase(path, self.path):
            return True
        try:
            return re.search(self.path, path) is not None
        except re.error:
            return False

    def families(self) -> list[str]:
        """The API families whose routes this fault's path can match."""
        return [
            family
            for family, paths in _SAMPLE_PATHS.items()
            if any(self.matches_path(path) for path in paths)
        ]

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


class FaultInjector:
    """The armed faults, in the order they were added. Thread-safe."""

    def __init__(self) -> None:
        self._faults: list[Fault] = []
        self._lock = threading.Lock()

    def add(
        self,
        method: str,
        path_pattern: str,
        status: int = 503,
        count: int = 1,
        mode: str = "error",
        latency_ms: int = 0,
        reason: str | None = None,
    ) -> Fault:
        """Arm a fault for the next `count` calls matching `method` and `path_pattern`."""
        if mode not in MODES:
            raise FaultError(f"mode must be one of {', '.join(MODES)}, not {mode!r}")
        if mode in ("error", "apply_then_fail") and status not in STATUSES:
            raise FaultError(f"status must be one of {STATUSES}, not {status!r}")
        if count < 1:
            raise FaultError("count must be at least 1")
        if latency_ms < 0:
            raise FaultError("latency_ms must not be negative")
        fault = Fault(method.upper(), path_pattern, status, count, mode, latency_ms, reason)
        if mode in ("error", "apply_then_fail"):
            for family in fault.families():
                check_fault_body(family, fault)
        with self._lock:
            self._faults.append(fault)
        return fault

    def add_from_json(self, spec: dict[str, Any]) -> Fault:
        """Arm a fault from the admin API's JSON (`method`, `path`, `count`, `status`, ...)."""
        known = {"method", "path", "count", "status", "reason", "latency_ms", "mode"}
        unknown = set(spec) - known
        if unknown:
            raise FaultError(f"unknown fault field(s): {', '.join(sorted(unknown))}")
        if not isinstance(spec.get("path"), str):
            raise FaultError("a fault needs a 'path' (a glob or a regular expression)")
        return self.add(
            str(spec.get("method", "*")),
            spec["path"],
            status=int(spec.get("status", 503)),
            count=int(spec.get("count", 1)),
            mode=str(spec.get("mode", "error")),
            latency_ms=int(spec.get("latency_ms", 0)),
            reason=spec.get("reason"),
        )

    def take(self, method: str, path: str) -> Fault | None:
        """The first armed fault matching this call, its count spent by one; None if none."""
        with self._lock:
            for fault in self._faults:
                if fault.matches(method, path):
                    fault.count -= 1
                    if fault.count <= 0:
                        self._faults.remove(fault)
                    return Fault(**asdict(fault))
        return None

    def clear(self) -> None:
        with self._lock:
            self._faults.clear()

    def pending(self) -> list[dict[str, Any]]:
        with self._lock:
            return [f.to_json() for f in self._faults]


def check_fault_body(family: str, fault: Fault) -> None:
    """Refuse a fault whose status and reason `family` never answers with."""
    status = fault.status if fault.mode == "error" or fault.status >= 400 else 503
    allowed = fault_reasons(family, status)
    if allowed is None:
        raise FaultError(f"the {family} API never answers {status} (fault on {fault.path!r})")
    if fault.reason not in allowed:
        named = [reason for reason in allowed if reason is not None]
        choices = f"one of {', '.join(named)}, or none" if named else "none"
        raise FaultError(
            f"a {status} from the {family} API carries reason {choices}, not "
            f"{fault.reason!r} (fault on {fault.path!r})"
        )
