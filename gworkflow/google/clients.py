"""Building the Google API clients (Docs v1, Calendar v3, Drive v3).

The clients come from the discovery documents shipped inside google-api-python-client
(`static_discovery=True`), so building them needs no network. With an `api_endpoint`
(the sandbox, or anything speaking Google's protocol) every client is pointed there with
anonymous credentials. `client_options={"api_endpoint": ...}` replaces root URL *and*
service path together (checked with google-api-python-client 2.202), so Calendar and Drive
need their service path appended by us.

This module imports googleapiclient at import time: import it only inside commands that
call Google, never from `gworkflow.cli` at start-up.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import httplib2
from google.auth.credentials import AnonymousCredentials, Credentials
from google_auth_httplib2 import AuthorizedHttp
from googleapiclient.discovery import build

# Retries for transient errors (5xx, 429, rate-limit 403s). googleapiclient's
# `execute(num_retries=N)` backs off exponentially; we never write our own retry loop for these.
NUM_RETRIES = 4
HTTP_TIMEOUT_SECONDS = 60

_SERVICE_PATHS = {
    ("docs", "v1"): "",
    ("calendar", "v3"): "calendar/v3/",
    ("drive", "v3"): "drive/v3/",
}


def error_status(exc: Any) -> int:
    """The HTTP status of a googleapiclient HttpError."""
    return int(getattr(exc.resp, "status", 0) or 0)


def error_message(exc: Any) -> str:
    """Google's own one-line message from an HttpError's body, else the HTTP reason.

    Both shapes carry it at error.message: Docs {"error": {"code", "message", "status"}},
    Calendar/Drive {"error": {"errors": [...], "code", "message"}}.
    """
    try:
        content = exc.content.decode("utf-8", "replace") if exc.content else ""
        message = json.loads(content).get("error", {}).get("message") if content else None
    except (ValueError, AttributeError):
        message = None
    text = message or getattr(exc, "reason", "") or ""
    return " ".join(str(text).split())


@dataclass(frozen=True)
class GoogleClients:
    """The three API resources gworkflow uses. Tests build them against the sandbox."""

    docs: Any
    calendar: Any
    drive: Any


def _endpoint(api_endpoint: str, api: str, version: str) -> str:
    return api_endpoint.rstrip("/") + "/" + _SERVICE_PATHS[(api, version)]


def build_service(
    api: str, version: str, credentials: Credentials | None, api_endpoint: str | None
) -> Any:
    """One discovery-built client; anonymous and pointed at `api_endpoint` when given."""
    kwargs: dict[str, Any] = {"cache_discovery": False, "static_discovery": True}
    if api_endpoint:
        credentials = AnonymousCredentials()  # type: ignore[no-untyped-call]
        kwargs["client_options"] = {"api_endpoint": _endpoint(api_endpoint, api, version)}
    if credentials is None:
        raise ValueError("credentials are required unless api_endpoint is set")
    # An explicit http with a timeout: a hung connection must not hang cron forever.
    http = AuthorizedHttp(credentials, http=httplib2.Http(timeout=HTTP_TIMEOUT_SECONDS))
    return build(api, version, http=http, **kwargs)


def build_clients(
    credentials: Credentials | None, api_endpoint: str | None = None
) -> GoogleClients:
    return GoogleClients(
        docs=build_service("docs", "v1", credentials, api_endpoint),
        calendar=build_service("calendar", "v3", credentials, api_endpoint),
        drive=build_service("drive", "v3", credentials, api_endpoint),
    )
