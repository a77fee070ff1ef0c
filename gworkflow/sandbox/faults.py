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

Only the matching lives here; the server decides what a fault does to a request, and which
error body an API answers with.
"""

from __future__ import annotations

import fnmatch
import re
import threading
from dataclasses import asdict, dataclass
from typing import Any

MODES = ("error", "apply_then_fail", "concurrent_edit", "latency")
STATUSES = (400, 403, 404, 409, 410, 429, 500, 502, 503, 504)


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
        if fnmatch.fnmatchcase(path, self.path):
            return True
        try:
            return re.search(self.path, path) is not None
        except re.error:
            return False

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
            raise ValueError(f"mode must be one of {', '.join(MODES)}, not {mode!r}")
        if mode in ("error", "apply_then_fail") and status not in STATUSES:
            raise ValueError(f"status must be one of {STATUSES}, not {status!r}")
        if count < 1:
            raise ValueError("count must be at least 1")
        if latency_ms < 0:
            raise ValueError("latency_ms must not be negative")
        fault = Fault(method.upper(), path_pattern, status, count, mode, latency_ms, reason)
        with self._lock:
            self._faults.append(fault)
        return fault

    def add_from_json(self, spec: dict[str, Any]) -> Fault:
        """Arm a fault from the admin API's JSON (`method`, `path`, `count`, `status`, ...)."""
        known = {"method", "path", "count", "status", "reason", "latency_ms", "mode"}
        unknown = set(spec) - known
        if unknown:
            raise ValueError(f"unknown fault field(s): {', '.join(sorted(unknown))}")
        if not isinstance(spec.get("path"), str):
            raise ValueError("a fault needs a 'path' (a glob or a regular expression)")
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
