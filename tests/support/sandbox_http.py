"""Talking to a running sandbox from tests: its admin routes, and Google clients that act as
a chosen sandbox user (the `X-Sandbox-User` header on every request).

The clients are the real google-api-python-client, built from the shipped discovery
documents exactly as the product builds them (gworkflow/google/clients.py), except that the
HTTP object adds the header.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from typing import Any

import httplib2
from googleapiclient.discovery import build
from googleapiclient.errors import HttpError

USER_HEADER = "X-Sandbox-User"
_PATHS = {"calendar": "calendar/v3/", "drive": "drive/v3/", "docs": ""}


def admin(base_url: str, method: str, path: str, body: Any = None) -> tuple[int, Any]:
    """One admin request (`/_sandbox/...`): (HTTP status, JSON answer)."""
    data = None if body is None else json.dumps(body).encode()
    headers = {} if body is None else {"Content-Type": "application/json"}
    request = urllib.request.Request(base_url + path, data=data, method=method, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            raw, status = response.read(), response.status
    except urllib.error.HTTPError as error:
        raw, status = error.read(), error.code
    return status, json.loads(raw) if raw else None


class _AsUser(httplib2.Http):  # type: ignore[misc]
    """An httplib2.Http that says on every request which sandbox user is calling."""

    def __init__(self, email: str) -> None:
        super().__init__(timeout=30)
        self.email = email

    def request(
        self,
        uri: str,
        method: str = "GET",
        body: Any = None,
        headers: dict[str, str] | None = None,
        **kwargs: Any,
    ) -> Any:
        headers = {**(headers or {}), USER_HEADER: self.email}
        return super().request(uri, method, body, headers, **kwargs)


def client_as(base_url: str, api: str, email: str) -> Any:
    """A Docs ("docs"), Calendar ("calendar") or Drive ("drive") client acting as `email`."""
    version = "v1" if api == "docs" else "v3"
    return build(
        api,
        version,
        http=_AsUser(email),
        static_discovery=True,
        client_options={"api_endpoint": base_url.rstrip("/") + "/" + _PATHS[api]},
    )


def error_body(error: HttpError) -> dict[str, Any]:
    """The JSON error body of an HttpError."""
    loaded: dict[str, Any] = json.loads(error.content)
    return loaded
