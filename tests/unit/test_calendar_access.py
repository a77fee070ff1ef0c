"""SeriesEvent when the calendar is not what the config expects: an attendee's account
holding the organizer's event as an invitation, an unknown calendar id, no writer access.

A small in-memory Calendar resource stands in for Google; its errors are the HttpErrors
google-api-python-client raises, so the gateway words them as it does for real answers.

Sources (docs/google-api-notes.md): an attendee's copy has the organizer's event id but not
their private extended properties ("Attendees' copies and private extended properties";
calendar.v3.json Event.extendedProperties.private: "Properties that are private to the
copy of the event that appears on this calendar"); a calendar that does not exist or is
not shared answers 404, one shared read-only answers 403 requiredAccessLevel "You need to
have writer access to this calendar." (Calendar access: 403 requiredAccessLevel or 404).
"""

from __future__ import annotations

import copy
import datetime as dt
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httplib2
import pytest
from googleapiclient.errors import HttpError

from gworkflow.config import EXAMPLE_CONFIG, Series, parse_config
from gworkflow.errors import GworkflowError, NotFound
from gworkflow.google.calendar import SeriesEvent
from gworkflow.google.event_body import SERIES_PROPERTY, series_event_id

NOW = dt.datetime(2026, 11, 27, 15, 0, tzinfo=dt.UTC)
ORGANIZER = "ruth@example.edu"


def series(calendar_id: str = "primary") -> Series:
    config = parse_config(EXAMPLE_CONFIG.replace('"primary"', f'"{calendar_id}"'), Path("c.toml"))
    return config.series[0]


def http_error(status: int, reason: str, message: str) -> HttpError:
    body = {"error": {"errors": [{"reason": reason, "message": message}], "code": status,
                      "message": message}}  # fmt: skip
    return HttpError(httplib2.Response({"status": status}), json.dumps(body).encode())


class Call:
    def __init__(self, run: Callable[[], Any]) -> None:
        self.run = run

    def execute(self, num_retries: int = 0) -> Any:
        return self.run()


class FakeEvents:
    """One calendar's events, as Google answers them for the signed-in account."""

    def __init__(self, events: dict[str, dict[str, Any]] | None = None) -> None:
        self.events = events or {}
        self.inserted: list[dict[str, Any]] = []
        self.failure: HttpError | None = None  # answered to every call when set

    def _call(self, run: Callable[[], Any]) -> Call:
        failure = self.failure

        def answer() -> Any:
            if failure is not None:
                raise failure
            return run()

        return Call(answer)

    def list(self, calendarId: str, privateExtendedProperty: str, **_: Any) -> Call:
        name, _, value = privateExtendedProperty.partition("=")

        def run() -> Any:
            items = [
                e
                for e in self.events.values()
                if e.get("extendedProperties", {}).get("private", {}).get(name) == value
                and e.get("status") != "cancelled"
            ]
            return {"items": copy.deepcopy(items)}

        return self._call(run)

    def get(self, calendarId: str, eventId: str) -> Call:
        def run() -> Any:
            if eventId not in self.events:
                raise http_error(404, "notFound", "Not Found")
            return copy.deepcopy(self.events[eventId])

        return self._call(run)

    def insert(self, calendarId: str, body: dict[str, Any], **_: Any) -> Call:
        def run() -> Any:
            if body["id"] in self.events:
                raise http_error(409, "duplicate", "The requested identifier already exists.")
            event = {**copy.deepcopy(body), "organizer": {"email": "me@example.org", "self": True}}
            self.events[body["id"]] = event
            self.inserted.append(event)
            return copy.deepcopy(event)

        return self._call(run)


class FakeCalendar:
    def __init__(self, events: FakeEvents) -> None:
        self._events = events

    def events(self) -> FakeEvents:
        return self._events


def invitation(event_id: str) -> dict[str, Any]:
    """The attendee's copy: the organizer's id and fields, no private property of theirs."""
    return {
        "id": event_id,
        "status": "confirmed",
        "summary": "Peer mentoring check-in",
        "start": {"dateTime": "2026-12-08T14:00:00-06:00", "timeZone": "America/Chicago"},
        "end": {"dateTime": "2026-12-08T15:00:00-06:00", "timeZone": "America/Chicago"},
        "recurrence": ["RRULE:FREQ=MONTHLY;BYDAY=2TU"],
        "organizer": {"email": ORGANIZER},
        "attendees": [{"email": "heather@example.org", "self": True}],
    }


def test_create_from_an_attendees_account_uses_the_invitation_and_says_who_organizes() -> None:
    own = series()
    derived = series_event_id(own)
    events = FakeEvents({derived: invitation(derived)})
    result = SeriesEvent(FakeCalendar(events), own).create("", NOW, send_invites=False)
    assert not result.created and result.organizer == ORGANIZER
    assert result.event["id"] == derived
    # No second series: the only insert tried was the derived id, refused with 409.
    assert events.inserted == []


def test_a_deleted_event_of_ones_own_still_falls_back_to_a_fresh_id() -> None:
    own = series()
    derived = series_event_id(own)
    deleted = {
        "id": derived,
        "status": "cancelled",
        "organizer": {"email": "me@example.org", "self": True},
    }
    events = FakeEvents({derived: deleted})
    result = SeriesEvent(FakeCalendar(events), own).create("", NOW, send_invites=False)
    assert result.created and result.organizer is None
    assert [e["id"] for e in events.inserted] == [result.event["id"]]
    assert result.event["id"] != derived
    assert result.event["extendedProperties"]["private"][SERIES_PROPERTY] == own.id


def test_changing_the_event_from_an_attendees_account_names_the_organizer() -> None:
    own = series()
    derived = series_event_id(own)
    events = FakeEvents({derived: invitation(derived)})
    with pytest.raises(GworkflowError) as caught:
        SeriesEvent(FakeCalendar(events), own).skip(dt.date(2026, 12, 8), send_invites=False)
    message = caught.value.message
    assert ORGANIZER in message and "invitation" in message and "organizer" in message


def test_an_unknown_calendar_id_is_one_line_naming_calendar_id() -> None:
    events = FakeEvents()
    events.failure = http_error(404, "notFound", "Not Found")
    own = series("team@group.calendar.google.com")
    with pytest.raises(NotFound) as caught:
        SeriesEvent(FakeCalendar(events), own).create("", NOW, send_invites=False)
    message = caught.value.message
    assert "\n" not in message
    assert "calendar 'team@group.calendar.google.com' was not found" in message
    assert "check calendar_id of series 'ruth-heather' in the config" in message


class ReadOnlyEvents(FakeEvents):
    """A calendar shared with the account to read, not to change."""

    def insert(self, calendarId: str, body: dict[str, Any], **_: Any) -> Call:
        def run() -> Any:
            raise http_error(
                403, "requiredAccessLevel", "You need to have writer access to this calendar."
            )

        return Call(run)


def test_a_calendar_shared_read_only_says_writer_access_is_needed() -> None:
    own = series("team@group.calendar.google.com")
    with pytest.raises(NotFound) as caught:
        SeriesEvent(FakeCalendar(ReadOnlyEvents()), own).create("", NOW, send_invites=False)
    message = caught.value.message
    assert "403 requiredAccessLevel" in message
    assert "you need writer access to calendar 'team@group.calendar.google.com'" in message
    assert "calendar_id of series 'ruth-heather'" in message and "\n" not in message
