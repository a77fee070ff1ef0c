"""Building the Google API clients (Docs v1, Calendar v3, Drive v3).

The clients come from the discovery documents shipped inside google-api-python-client
(`static_discovery=True`), so building them needs no network. With an `api_endpoint`
(the sandbox, or anything speaking Google's protocol) every client is pointed there, with
anonymous credentials unless some are given. `client_options={"api_endpoint": ...}`
replaces root URL *and* service path together (checked with google-api-python-client
2.202), so Calendar and Drive need their service path appended by us.

`GoogleClients` also builds the adapters the runner's ports want (`RunningDoc`,
`SeriesEvent`); requests themselves are executed by `gworkflow.google.gateway`.

This module imports googleapiclient at import time: import it only inside commands that
call Google, never from `gworkflow.cli` at start-up.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import httplib2
from google.auth.credentials import AnonymousCredentials, Credentials
from google_auth_httplib2 import AuthorizedHttp
from googleapiclient.discovery import build

from gworkflow.config import Series
from gworkflow.google.calendar import SeriesEvent
from gworkflow.google.docs import RunningDoc
from gworkflow.google.paced_http import PacedHttp
from gworkflow.pacing import Pacer

HTTP_TIMEOUT_SECONDS = 60

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


@dataclass(frozen=True)
class GoogleClients:
    """The three API resources gworkflow uses. Tests build them against the sandbox."""

    docs: Any
    calendar: Any
    drive: Any

    def running_doc(self) -> RunningDoc:
        """The running doc's adapter (Docs and Drive)."""
        return RunningDoc(self.docs, self.drive)

    def series_event(self, series: Series) -> SeriesEvent:
        """The adapter for `series`' recurring event on its calendar."""
        return SeriesEvent(self.calendar, series)


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
    wrap_http: HttpWrapper | None = None,
    pacer: Pacer | None = None,
) -> Any:
    """One discovery-built client, pointed at `api_endpoint` when given (then anonymous
    unless `credentials` are given: the sandbox checks no access token). `wrap_http`, when
    given, wraps the client's HTTP object; `pacer`, when given, paces it (runs over many
    series; see gworkflow.google.paced_http)."""
    kwargs: dict[str, Any] = {"cache_discovery": False, "static_discovery": True}
    if api_endpoint:
        if credentials is None:
            credentials = AnonymousCredentials()  # type: ignore[no-untyped-call]
        kwargs["client_options"] = {"api_endpoint": _endpoint(api_endpoint, api, version)}
    if credentials is None:
        raise ValueError("credentials are required unless api_endpoint is set")
    # An explicit http with a timeout: a hung connection must not hang cron forever.
    http: Any = AuthorizedHttp(credentials, http=httplib2.Http(timeout=HTTP_TIMEOUT_SECONDS))
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
    wrap_http: HttpWrapper | None = None,
    pacer: Pacer | None = None,
) -> GoogleClients:
    """Docs, Calendar and Drive clients with `credentials`, or for the sandbox at
    `api_endpoint` (see `build_service`); `pacer` paces them (one set per worker thread)."""
    return GoogleClients(
        docs=build_service("docs", "v1", credentials, api_endpoint, wrap_http, pacer),
        calendar=build_service("calendar", "v3", credentials, api_endpoint, wrap_http, pacer),
        drive=build_service("drive", "v3", credentials, api_endpoint, wrap_http, pacer),
    )
