"""The error every sandbox service raises; the server turns it into Google's error body."""

from __future__ import annotations

from typing import Any

# Google's canonical status names for the HTTP codes the sandbox answers with.
STATUS_NAMES = {
    400: "INVALID_ARGUMENT",
    401: "UNAUTHENTICATED",
    403: "PERMISSION_DENIED",
    404: "NOT_FOUND",
    409: "ABORTED",
    410: "GONE",
    429: "RESOURCE_EXHAUSTED",
    500: "INTERNAL",
    503: "UNAVAILABLE",
}

# Calendar/Drive (v3 "errors[]" shape) reasons per HTTP code.
REASONS = {
    400: "badRequest",
    401: "authError",
    403: "forbidden",
    404: "notFound",
    409: "duplicate",
    410: "deleted",
    429: "rateLimitExceeded",
    500: "backendError",
    503: "backendError",
}


class ApiError(Exception):
    """An error answer: HTTP `code` and Google's `message` (and optional v3 `reason`)."""

    def __init__(self, code: int, message: str, reason: str | None = None) -> None:
        super().__init__(f"{code}: {message}")
        self.code = code
        self.message = message
        self.reason = reason

    def docs_body(self) -> dict[str, Any]:
        """Docs v1 shape: {"error": {"code", "message", "status"}}."""
        return {
            "error": {
                "code": self.code,
                "message": self.message,
                "status": STATUS_NAMES.get(self.code, "UNKNOWN"),
            }
        }

    def v3_body(self, domain: str = "global") -> dict[str, Any]:
        """Calendar/Drive v3 shape: {"error": {"errors": [...], "code", "message"}}."""
        reason = self.reason or REASONS.get(self.code, "unknown")
        return {
            "error": {
                "errors": [{"domain": domain, "reason": reason, "message": self.message}],
                "code": self.code,
                "message": self.message,
            }
        }
