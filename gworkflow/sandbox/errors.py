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
    501: "UNIMPLEMENTED",
    503: "UNAVAILABLE",
    504: "DEADLINE_EXCEEDED",
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
    """An error answer: HTTP `code` and Google's `message` (and optional v3 `reason` and
    `domain`, "global" unless given)."""

    def __init__(
        self, code: int, message: str, reason: str | None = None, domain: str | None = None
    ) -> None:
        super().__init__(f"{code}: {message}")
        self.code = code
        self.message = message
        self.reason = reason
        self.domain = domain

    def docs_body(self) -> dict[str, Any]:
        """Docs v1 shape: {"error": {"code", "message", "status"}}."""
        return {
            "error": {
                "code": self.code,
                "message": self.message,
                "status": STATUS_NAMES.get(self.code, "UNKNOWN"),
            }
        }

    def v3_body(self, domain: str | None = None) -> dict[str, Any]:
        """Calendar/Drive v3 shape: {"error": {"errors": [...], "code", "message"}}."""
        reason = self.reason or REASONS.get(self.code, "unknown")
        where = domain or self.domain or "global"
        return {
            "error": {
                "errors": [{"domain": where, "reason": reason, "message": self.message}],
                "code": self.code,
                "message": self.message,
            }
        }


# --- the bodies of injected faults (faults.py arms them, server.py answers them) --------

# Calendar/Drive (v3 shape): the reasons Google gives with each status, reason -> (domain,
# message); the first is what a fault without a reason answers. Calendar errors guide
# (developers.google.com/calendar/api/guides/errors): 403 userRateLimitExceeded "User Rate
# Limit Exceeded" and rateLimitExceeded "Rate Limit Exceeded" (domain usageLimits), 403
# quotaExceeded "Calendar usage limits exceeded.", 404 notFound "Not Found", 409 duplicate,
# 410 deleted, 429 rateLimitExceeded (usageLimits), 500 backendError "Backend Error";
# requiredAccessLevel from spatie/laravel-google-calendar#95 (docs/google-api-notes.md,
# "Calendar error body", "Rate limits: 403 and 429").
V3_FAULT_REASONS: dict[int, dict[str, tuple[str, str]]] = {
    400: {"badRequest": ("global", "Bad Request"), "invalid": ("global", "Invalid Value")},
    403: {
        "forbidden": ("global", "Forbidden"),
        "rateLimitExceeded": ("usageLimits", "Rate Limit Exceeded"),
        "userRateLimitExceeded": ("usageLimits", "User Rate Limit Exceeded"),
        "quotaExceeded": ("usageLimits", "Calendar usage limits exceeded."),
        "requiredAccessLevel": ("calendar", "You need to have writer access to this calendar."),
    },
    404: {"notFound": ("global", "Not Found")},
    409: {"duplicate": ("global", "The requested identifier already exists.")},
    410: {"deleted": ("global", "Resource has been deleted")},
    429: {"rateLimitExceeded": ("usageLimits", "Rate Limit Exceeded")},
    500: {"backendError": ("global", "Backend Error")},
    503: {"backendError": ("global", "Backend Error")},
    504: {"backendError": ("global", "Backend Error")},
}
# Docs (google.rpc shape): the message per status. Docs has no 410. Only a 429 carries a
# reason, in an ErrorInfo detail (see docs_rate_limit_body).
DOCS_FAULT_MESSAGES = {
    400: "Request contains an invalid argument.",
    403: "The caller does not have permission",
    404: "Requested entity was not found.",
    409: "The operation was aborted.",
    500: "Internal error encountered.",
    503: "The service is currently unavailable.",
    504: "Deadline expired before operation could complete.",
}
DOCS_FAULT_REASONS = {429: ("RATE_LIMIT_EXCEEDED",)}
# A 502 comes from Google's front end, as an HTML page, for every API.
FRONT_END_502 = (
    "<!DOCTYPE html>\n<html lang=en>\n<meta charset=utf-8>\n<title>Error 502 (Server "
    "Error)!!1</title>\n<p><b>502.</b> <ins>That's an error.</ins>\n<p>The server "
    "encountered a temporary error and could not complete your request.<p>Please try again "
    "in 30 seconds. <ins>That's all we know.</ins>\n"
)


def fault_reasons(family: str, status: int) -> tuple[str | None, ...] | None:
    """The reasons a fault of `status` may carry on `family`'s routes (None meaning "no
    reason": the body has none); None when that API never answers `status` like that."""
    if status == 502:
        return (None,)  # the front end's HTML page: no reason anywhere
    if family in ("calendar", "drive"):
        reasons = V3_FAULT_REASONS.get(status)
        return (None, *reasons) if reasons else None
    if family == "docs":
        if status in DOCS_FAULT_REASONS:
            return (None, *DOCS_FAULT_REASONS[status])
        return (None,) if status in DOCS_FAULT_MESSAGES else None
    return (None,)  # OAuth and Zoom faults have bodies of their own, without reasons


def v3_fault_body(status: int, reason: str | None) -> dict[str, Any]:
    """A Calendar/Drive error body for an injected fault (`reason` None: the default)."""
    reasons = V3_FAULT_REASONS[status]
    name = reason or next(iter(reasons))
    domain, message = reasons[name]
    return ApiError(status, message, name, domain).v3_body()


def docs_rate_limit_body(method: str, project_number: str = "0") -> dict[str, Any]:
    """Docs' 429: RESOURCE_EXHAUSTED with the quota in the message and an ErrorInfo detail.

    The shape is Google's front end's for every googleapis.com service (captured for
    sheets.googleapis.com in Sage-Bionetworks/data_curator#110; the read message for
    docs.googleapis.com in owid/owid-grapher#1769); the write metric's name is not settled
    (docs/google-api-notes.md, "Docs quotas and the 429 answer", "Wording of the Docs quota
    429").
    """
    if method.upper() == "GET":
        metric, limit = "Quota group for read operations", "per minute per user"
        metric_id, limit_id = "read_requests", "ReadRequestsPerMinutePerUser"
    else:
        metric, limit = "Write requests", "per minute per user"
        metric_id, limit_id = "write_requests", "WriteRequestsPerMinutePerUser"
    message = (
        f"Quota exceeded for quota metric '{metric}' and limit '{metric} {limit}' of service "
        f"'docs.googleapis.com' for consumer 'project_number:{project_number}'."
    )
    body = ApiError(429, message).docs_body()
    body["error"]["details"] = [
        {
            "@type": "type.googleapis.com/google.rpc.ErrorInfo",
            "reason": "RATE_LIMIT_EXCEEDED",
            "domain": "googleapis.com",
            "metadata": {
                "consumer": f"projects/{project_number}",
                "quota_limit": limit_id,
                "quota_metric": f"docs.googleapis.com/{metric_id}",
                "service": "docs.googleapis.com",
            },
        }
    ]
    return body


def docs_fault_body(status: int, method: str) -> dict[str, Any]:
    """A Docs error body for an injected fault."""
    if status == 429:
        return docs_rate_limit_body(method)
    return ApiError(status, DOCS_FAULT_MESSAGES[status]).docs_body()
