"""What every probe works with: the clients, the scratch doc and event, and small helpers
that send one raw request through the gateway.

The probes send most requests themselves rather than through `RunningDoc`/`SeriesEvent`,
because what they check is Google's raw answer; each request still runs through
`gworkflow.google.gateway.execute`, so failures are worded as everywhere else. Where the
product's own adapters are the thing under test (appending a section, creating, moving and
skipping meetings, finding the event) the probes call them.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from gworkflow.agenda.docjson import TabContent, select_tab
from gworkflow.config import Series
from gworkflow.google.calendar import SeriesEvent
from gworkflow.google.clients import GoogleClients
from gworkflow.google.gateway import ApiError, Call, Request, execute
from gworkflow.selftest.recorder import Recorder
from gworkflow.selftest.results import Observation
from gworkflow.types import JSON

DOCS = "Google Docs"
CALENDAR = "Google Calendar"
DRIVE = "Google Drive"
# The scratch doc's title and the scratch event's summary.
SCRATCH_TITLE = "gworkflow self-test — safe to delete"


class NotRun(Exception):
    """A probe could not run because something it needs is missing (reported as fail)."""


@dataclass
class Context:
    """The state of one self-test run, shared by its probes in order."""

    clients: GoogleClients
    configured: Series  # the config's series: its calendar_id is where the scratch event goes
    scratch: Series  # the scratch series (no attendees, its own id, a zone with DST)
    now: dt.datetime
    recorder: Recorder
    sleep: Callable[[float], None]
    doc_id: str | None = None
    event: JSON | None = None  # the scratch series' event (master) once created
    # What earlier probes found, for later ones.
    notes: dict[str, Any] = field(default_factory=dict)
    _series_events: dict[tuple[str, str, str], SeriesEvent] = field(
        default_factory=dict, repr=False
    )

    # -- raw requests ---------------------------------------------------------------------

    def call(self, request: Request, service: str, action: str) -> JSON:
        """Send one request through the gateway; its errors propagate."""
        return execute(request, Call(service, action))

    def attempt(self, request: Request, service: str, action: str) -> JSON | ApiError:
        """Send one request whose refusal is an expected answer: the error is returned."""
        try:
            return self.call(request, service, action)
        except ApiError as error:
            return error

    # -- the scratch doc ------------------------------------------------------------------

    def require_doc(self) -> str:
        if self.doc_id is None:
            raise NotRun("not run: the scratch doc could not be created (see docs.create)")
        return self.doc_id

    @functools.cached_property
    def documents(self) -> Any:
        # Built once: each `documents()` call makes a new resource from the discovery
        # document, which costs a noticeable fraction of a second.
        return self.clients.docs.documents()

    def read_doc(self) -> JSON:
        doc_id = self.require_doc()
        request = self.documents.get(documentId=doc_id, includeTabsContent=True)
        return self.call(request, DOCS, "read the scratch doc")

    def tab(self) -> TabContent:
        return select_tab(self.read_doc(), None)

    def batch(self, requests: list[JSON], revision: str | None = None) -> JSON:
        return self.call(self._batch_request(requests, revision), DOCS, "write the scratch doc")

    def try_batch(self, requests: list[JSON], revision: str | None = None) -> JSON | ApiError:
        return self.attempt(self._batch_request(requests, revision), DOCS, "write the scratch doc")

    def _batch_request(self, requests: list[JSON], revision: str | None) -> Request:
        body: JSON = {"requests": requests}
        if revision is not None:
            body["writeControl"] = {"requiredRevisionId": revision}
        request: Request = self.documents.batchUpdate(documentId=self.require_doc(), body=body)
        return request

    # -- the scratch event ----------------------------------------------------------------

    def require_event(self) -> JSON:
        if self.event is None:
            raise NotRun("not run: the scratch event could not be created (see calendar.insert)")
        return self.event

    @functools.cached_property
    def events(self) -> Any:
        return self.clients.calendar.events()

    def series_event(self, series: Series | None = None) -> SeriesEvent:
        """gworkflow's adapter for `series` (default: the scratch series), made once."""
        series = series or self.scratch
        key = (series.id, series.calendar_id, series.conference.kind)
        if key not in self._series_events:
            self._series_events[key] = SeriesEvent(self.clients.calendar, series)
        return self._series_events[key]


@dataclass(frozen=True)
class Probe:
    """One probe: its name, what gworkflow expects (or what is open), and the function that
    sends the request(s) and judges the answer."""

    name: str
    expected: str
    run: Callable[[Context], Observation]
