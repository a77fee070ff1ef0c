"""Building the Google API clients (Docs v1, Calendar v3, Drive v3).

The clients come from the discovery documents shipped inside google-api-python-client
(`static_discovery=True`), so building them needs no network. With an `api_endpoint`
(the sandbox, or anything speaking Google's protocol) every client is pointed there, without
credentials unless some are given. `client_options={"api_endpoint": ...}` replaces root URL
*and* service path together (checked with google-api-python-client 2.202), so Calendar and
Drive need their service path appended by us.

Every client sends through one `DeadlineHttp`: each request's socket timeout is the time
left before the run's `Deadline` (at most a minute), so a server that never answers cannot
hold a run longer than its deadline. `_AuthorizedHttp` adds the credentials (refreshing the
access token through `CheckedTokenTransport`, which refuses an HTML page from the token
endpoint) and retries once after a 401, as google-auth-httplib2 does.

`GoogleClients` also builds the adapters the runner's ports want (`RunningDoc`,
`SeriesEvent`); requests themselves are executed by `gworkflow.google.gateway`.

This module imports googleapiclient at import time: import it only inside commands that
call Google, never from `gworkflow.cli` at start-up.
"""

from __future__ import annotations

import functools
import socket
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import google_auth_httplib2
import httplib2
from google.auth.credentials import Credentials
from googleapiclient.discovery import build

from gworkflow.config import Series
from gworkflow.deadline import REQUEST_TIMEOUT_SECONDS, Deadline
from gworkflow.google.calendar import SeriesEvent
from gworkflow.google.docs import RunningDoc
from gworkflow.google.gateway import CheckedTokenTransport
from gworkflow.google.paced_http import PacedHttp
from gworkflow.pacing import Pacer

HTTP_TIMEOUT_SECONDS = int(REQUEST_TIMEOUT_SECONDS)

# Calling `service.documents()` builds a new sub-resource each time, rendering the docstring
# of each of its methods from the schema: about 0.1 s for Docs' documents() on an idle core
# (google-api-python-client 2.202), paid by every documents.get and batchUpdate. The
# sub-resources gworkflow uses are built once per client instead.
_REUSED = {
    "docs": ("documents",),
    "calendar": ("events",),
    "drive": ("about", "files", "permissions"),
}

_SERVICE_PATHS = {
    ("docs", "v1"): "",
    ("calendar", "v3"): "calendar/v3/",
    ("drive", "v3"): "drive/v3/",
}


class DeadlineHttp(httplib2.Http):  # type: ignore[misc]
    """httplib2.Http whose every request times out at the run's deadline (at the latest)."""

    def __init__(self, deadline: Deadline) -> None:
        super().__init__(timeout=deadline.timeout())
        self.deadline = deadline

    def request(self, uri: str, method: str = "GET", *args: Any, **kwargs: Any) -> Any:
        if self.deadline.passed:
            raise TimeoutError("the run's deadline passed before this request")
        timeout = self.deadline.timeout()
        self.timeout = timeout
        # httplib2 keeps connections per host: a kept socket carries its old timeout.
        for connection in self.connections.values():
            connection.timeout = timeout
            sock = getattr(connection, "sock", None)
            if isinstance(sock, socket.socket):
                sock.settimeout(timeout)
        return super().request(uri, method, *args, **kwargs)


class _AuthorizedHttp:
    """What google_auth_httplib2.AuthorizedHttp does (credentials on each request, one
    refresh and retry after a 401), but refreshing through `CheckedTokenTransport`, and
    doing nothing without credentials (the sandbox)."""

    def __init__(self, credentials: Credentials | None, http: DeadlineHttp) -> None:
        self.http = http
        self.credentials = credentials
        self.timeout = http.timeout
        self._token_transport = CheckedTokenTransport(google_auth_httplib2.Request(http))

    def request(
        self,
        uri: str,
        method: str = "GET",
        body: Any = None,
        headers: dict[str, str] | None = None,
        **kwargs: Any,
    ) -> Any:
        for attempt in (1, 2):
            sent = dict(headers or {})
            if self.credentials is not None:
                self.credentials.before_request(self._token_transport, method, uri, sent)  # type: ignore[no-untyped-call]
            response, content = self.http.request(uri, method, body=body, headers=sent, **kwargs)
            if response.status != 401 or self.credentials is None or attempt == 2:
                return response, content
            # The access token may have expired after before_request checked it.
            self.credentials.refresh(self._token_transport)  # type: ignore[no-untyped-call]
        raise AssertionError("unreachable")

    def close(self) -> None:
        self.http.close()


@dataclass(frozen=True)
class GoogleClients:
    """The three API resources gworkflow uses. Tests build them against the sandbox."""

    docs: Any
    calendar: Any
    drive: Any
    deadline: Deadline = field(default_factory=lambda: Deadline(None))

    def running_doc(self) -> RunningDoc:
        """The running doc's adapter (Docs and Drive)."""
        return RunningDoc(self.docs, self.drive, deadline=self.deadline)

    def series_event(self, series: Series) -> SeriesEvent:
        """The adapter for `series`' recurring event on its calendar."""
        return SeriesEvent(self.calendar, series, deadline=self.deadline)


def _endpoint(api_endpoint: str, api: str, version: str) -> str:
    return api_endpoint.rstrip("/") + "/" + _SERVICE_PATHS[(api, version)]


# Wraps the authorized HTTP object a client sends through (`gworkflow selftest` records each
# request and answer this way); the wrapper must offer the same `request()`.
HttpWrapper = Callable[[Any], Any]


def build_service(
    api: str,
    version: str,
    credentials: Credentials | None,
    api_endpoint: str | None,
    deadline: Deadline | None = None,
    wrap_http: HttpWrapper | None = None,
    pacer: Pacer | None = None,
) -> Any:
    """One discovery-built client, pointed at `api_endpoint` when given (then anonymous
    unless `credentials` are given: the sandbox checks no access token). `wrap_http`, when
    given, wraps the client's HTTP object; `pacer`, when given, paces it (runs over many
    series; see gworkflow.google.paced_http)."""
    kwargs: dict[str, Any] = {"cache_discovery": False, "static_discovery": True}
    if api_endpoint:
        kwargs["client_options"] = {"api_endpoint": _endpoint(api_endpoint, api, version)}
    elif credentials is None:
        raise ValueError("credentials are required unless api_endpoint is set")
    http: Any = _AuthorizedHttp(credentials, DeadlineHttp(deadline or Deadline(None)))
    if wrap_http is not None:
        http = wrap_http(http)
    if pacer is not None:  # outermost: the gateway asks the request's HTTP object for a slot
        http = PacedHttp(http, pacer, api)
    service = build(api, version, http=http, **kwargs)
    for name in _REUSED.get(api, ()):
        setattr(service, name, functools.cache(getattr(service, name)))
    return service


def build_clients(
    credentials: Credentials | None,
    api_endpoint: str | None = None,
    deadline: Deadline | None = None,
    wrap_http: HttpWrapper | None = None,
    pacer: Pacer | None = None,
) -> GoogleClients:
    """Docs, Calendar and Drive clients with `credentials`, or for the sandbox at
    `api_endpoint` (see `build_service`), all bound by `deadline` (none by default);
    `pacer` paces them (one set per worker thread)."""
    deadline = deadline or Deadline(None)

    def service(api: str, version: str) -> Any:
        return build_service(
            api, version, credentials, api_endpoint, deadline, wrap_http=wrap_http, pacer=pacer
        )

    return GoogleClients(
        docs=service("docs", "v1"),
        calendar=service("calendar", "v3"),
        drive=service("drive", "v3"),
        deadline=deadline,
    )
