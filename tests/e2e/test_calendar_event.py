"""The series' recurring Calendar event, driven through the real google-api-python-client
against the sandbox (which checks every request against Google's discovery schema)."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterator
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from support.behaviors import READING_MEETINGS, sweep

from gworkflow.config import Conference, Participant, Series
from gworkflow.errors import GworkflowError, NotFound
from gworkflow.google.calendar import SeriesEvent
from gworkflow.google.clients import GoogleClients, build_clients
from gworkflow.google.event_body import SERIES_PROPERTY, event_body, series_event_id
from gworkflow.sandbox.server import Sandbox
from gworkflow.schedule import parse_schedule

CHICAGO = ZoneInfo("America/Chicago")
NOW = dt.datetime(2026, 11, 20, 9, 0, tzinfo=CHICAGO)
DOC_URL = "https://docs.google.com/document/d/doc123/edit"
ZOOM = Conference("zoom", "https://zoom.us/j/85512345678?pwd=abc", "855 1234 5678", "314159")


def make_series(**changes: Any) -> Series:
    values: dict[str, Any] = {
        "id": "ruth-heather",
        "title": "Peer mentoring check-in",
        "timezone": CHICAGO,
        "schedule": parse_schedule("2nd Tuesday 14:00"),
        "duration": dt.timedelta(minutes=60),
        "participants": (
            Participant("Ruth", "ruth@example.edu", ZoneInfo("America/New_York")),
            Participant("Heather", "heather@example.org", CHICAGO),
        ),
        "conference": ZOOM,
    }
    values.update(changes)
    return Series(**values)


@pytest.fixture(scope="module")
def running() -> Iterator[tuple[Sandbox, GoogleClients]]:
    with Sandbox() as sandbox:
        yield sandbox, build_clients(None, sandbox.base_url)


@pytest.fixture
def sb(running: tuple[Sandbox, GoogleClients], behaviors: dict[str, str]) -> Sandbox:
    running[0].reset()
    running[0].set_behaviors(**behaviors)
    return running[0]


@pytest.fixture
def calendar(running: tuple[Sandbox, GoogleClients], sb: Sandbox) -> Any:
    return running[1].calendar


def our_events(calendar: Any, series_id: str = "ruth-heather") -> list[dict[str, Any]]:
    answer = (
        calendar.events()
        .list(calendarId="primary", privateExtendedProperty=f"{SERIES_PROPERTY}={series_id}")
        .execute()
    )
    return [e for e in answer.get("items", []) if not e.get("recurringEventId")]


def calls(sb: Sandbox) -> list[tuple[str, str]]:
    return [(r["method"], r["path"].rsplit("/", 1)[-1]) for r in sb.requests_log()]


# --- the event body (pure) -----------------------------------------------------------------


def test_the_event_body_has_everything_people_need_to_join() -> None:
    schedule = make_series().schedule
    first = schedule.first_start(CHICAGO, NOW)
    body = event_body(make_series(), schedule, first, DOC_URL)

    assert body["start"] == {"dateTime": "2026-12-08T14:00:00-06:00", "timeZone": "America/Chicago"}
    assert body["end"] == {"dateTime": "2026-12-08T15:00:00-06:00", "timeZone": "America/Chicago"}
    assert body["recurrence"] == ["RRULE:FREQ=MONTHLY;BYDAY=2TU"]
    assert body["location"] == ZOOM.join_url
    for text in (DOC_URL, ZOOM.join_url, "Meeting ID: 855 1234 5678", "Passcode: 314159", "goals"):
        assert text in body["description"]
    assert [a["email"] for a in body["attendees"]] == ["ruth@example.edu", "heather@example.org"]
    assert body["reminders"] == {
        "useDefault": False,
        "overrides": [{"method": "popup", "minutes": 30}, {"method": "email", "minutes": 1440}],
    }
    assert body["extendedProperties"] == {"private": {"gworkflowSeries": "ruth-heather"}}
    assert "conferenceData" not in body  # Zoom cannot be conferenceData for a non-add-on


def test_a_meet_series_asks_google_for_a_meet_link() -> None:
    series = make_series(conference=Conference("meet"))
    schedule = series.schedule
    body = event_body(series, schedule, schedule.first_start(CHICAGO, NOW), DOC_URL)
    request = body["conferenceData"]["createRequest"]
    assert request["conferenceSolutionKey"] == {"type": "hangoutsMeet"}
    assert request["requestId"]
    assert "location" not in body


# --- create ------------------------------------------------------------------------------


def test_create_twice_makes_one_event_and_invites_once(sb: Sandbox, calendar: Any) -> None:
    first = SeriesEvent(calendar, make_series()).create(DOC_URL, NOW)
    second = SeriesEvent(calendar, make_series()).create(DOC_URL, NOW)

    # Calls: list + insert, then list only (the sandbox validated each body: all 200).
    assert (first.api_calls, second.api_calls) == (2, 1)
    assert calls(sb) == [("GET", "events"), ("POST", "events"), ("GET", "events")]
    assert all(r["status"] == 200 for r in sb.requests_log())
    assert (first.created, second.created) == (True, False)
    assert second.event["id"] == first.event["id"]
    assert len(our_events(calendar)) == 1
    assert sb.calendar.invitations == [
        {
            "eventId": first.event["id"],
            "sendUpdates": "all",
            "attendees": ["ruth@example.edu", "heather@example.org"],
        }
    ]
    event = first.event
    assert event["start"]["timeZone"] == event["end"]["timeZone"] == "America/Chicago"
    assert event["start"]["dateTime"] == "2026-12-08T14:00:00-06:00"


def test_no_invites_means_no_mail(sb: Sandbox, calendar: Any) -> None:
    SeriesEvent(calendar, make_series()).create(DOC_URL, NOW, send_invites=False)
    assert [i["sendUpdates"] for i in sb.calendar.invitations] == ["none"]


def test_dry_run_writes_nothing(sb: Sandbox, calendar: Any) -> None:
    result = SeriesEvent(calendar, make_series()).create(DOC_URL, NOW, dry_run=True)
    assert result.dry_run and result.created
    assert result.event["start"]["dateTime"] == "2026-12-08T14:00:00-06:00"
    assert calls(sb) == [("GET", "events")]
    assert our_events(calendar) == []


def test_a_retried_insert_that_had_landed_still_makes_one_event(
    sb: Sandbox, calendar: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Google stored the event but the answer was a 503; googleapiclient retries the POST.
    monkeypatch.setattr(random, "random", lambda: 0.0)  # no backoff sleep in the test
    sb.faults.add(
        "POST", "/calendar/v3/calendars/primary/events", status=503, mode="apply_then_fail"
    )
    result = SeriesEvent(calendar, make_series()).create(DOC_URL, NOW)

    assert result.created
    posts = [r["status"] for r in sb.requests_log() if r["method"] == "POST"]
    assert posts == [503, 409]  # the retry hit the id the first attempt had stored
    assert [e["id"] for e in our_events(calendar)] == [result.event["id"]]


def test_a_meet_series_gets_its_meet_link(sb: Sandbox, calendar: Any) -> None:
    result = SeriesEvent(calendar, make_series(conference=Conference("meet"))).create(DOC_URL, NOW)
    assert result.event["hangoutLink"].startswith("https://meet.google.com/")
    insert = next(r for r in sb.requests_log() if r["method"] == "POST")
    assert insert["query"]["conferenceDataVersion"] == ["1"]


@sweep("conference_create")
def test_a_meet_link_is_on_the_event_once_google_has_made_it(sb: Sandbox, calendar: Any) -> None:
    # Google may answer the insert with the conference still pending; the product never
    # needs the link then, and the next read (what `event show` prints) has it.
    series = make_series(conference=Conference("meet"))
    result = SeriesEvent(calendar, series).create(DOC_URL, NOW)
    assert result.created
    found = SeriesEvent(calendar, series).find()
    assert found is not None and found["hangoutLink"].startswith("https://meet.google.com/")


def test_the_sandbox_would_refuse_an_event_without_a_time_zone(calendar: Any) -> None:
    # The guard our bodies never trip: proof that the check above is a real one.
    from googleapiclient.errors import HttpError

    body = {
        "summary": "x",
        "start": {"dateTime": "2026-12-08T14:00:00-06:00"},
        "end": {"dateTime": "2026-12-08T15:00:00-06:00"},
        "recurrence": ["RRULE:FREQ=MONTHLY;BYDAY=2TU"],
    }
    with pytest.raises(HttpError, match="Missing time zone definition"):
        calendar.events().insert(calendarId="primary", body=body).execute()


# --- meetings, move, skip ------------------------------------------------------------------


@sweep(*READING_MEETINGS)
def test_meetings_show_a_moved_and_a_skipped_meeting(sb: Sandbox, calendar: Any) -> None:
    event = SeriesEvent(calendar, make_series())
    event.create(DOC_URL, NOW)
    event.skip(dt.date(2027, 1, 12))
    moved = event.move(dt.date(2027, 2, 9), dt.datetime(2027, 2, 10, 15, 0, tzinfo=CHICAGO))
    assert moved["start"] == {
        "dateTime": "2027-02-10T15:00:00-06:00",
        "timeZone": "America/Chicago",
    }
    sb.clear_requests()

    reader = SeriesEvent(calendar, make_series())
    meetings = reader.meetings(NOW, 4)

    assert [(m.start.isoformat(), m.status, m.key.isoformat()) for m in meetings] == [
        ("2026-12-08T14:00:00-06:00", "confirmed", "2026-12-08"),
        ("2027-01-12T14:00:00-06:00", "cancelled", "2027-01-12"),
        ("2027-02-10T15:00:00-06:00", "moved", "2027-02-09"),
        ("2027-03-09T14:00:00-06:00", "confirmed", "2027-03-09"),
    ]
    assert meetings[2].end - meetings[2].start == dt.timedelta(hours=1)
    # One call: the instances of the event id derived from the series, no lookup first.
    assert reader.api_calls == 1
    assert calls(sb) == [("GET", "instances")]
    invited = [i["sendUpdates"] for i in sb.calendar.invitations]
    assert invited == ["all", "all", "all"]


def test_move_and_skip_take_three_calls_and_respect_no_invites(sb: Sandbox, calendar: Any) -> None:
    SeriesEvent(calendar, make_series()).create(DOC_URL, NOW, send_invites=False)
    sb.clear_requests()
    event = SeriesEvent(calendar, make_series())
    event.skip(dt.date(2026, 12, 8), send_invites=False)
    assert event.api_calls == 3  # find, instances around the date, patch
    assert calls(sb)[-1] == ("PATCH", f"{our_events(calendar)[0]['id']}_20261208T200000Z")
    assert [i["sendUpdates"] for i in sb.calendar.invitations] == ["none", "none"]


def test_a_date_that_is_not_a_meeting_names_the_nearby_ones(sb: Sandbox, calendar: Any) -> None:
    event = SeriesEvent(calendar, make_series())
    event.create(DOC_URL, NOW)
    with pytest.raises(GworkflowError) as caught:
        event.skip(dt.date(2026, 12, 9))
    assert caught.value.message == (
        "2026-12-09 is not a meeting of series 'ruth-heather' (2nd Tuesday of every month at "
        "14:00); nearby meetings: 2026-12-08, 2027-01-12"
    )


# --- update and delete ---------------------------------------------------------------------


def test_update_pushes_a_new_time_and_a_new_person_keeping_replies(
    sb: Sandbox, calendar: Any
) -> None:
    SeriesEvent(calendar, make_series()).create(DOC_URL, NOW)
    event_id = our_events(calendar)[0]["id"]
    # Ruth accepts in her calendar.
    calendar.events().patch(
        calendarId="primary",
        eventId=event_id,
        body={
            "attendees": [
                {"email": "ruth@example.edu", "responseStatus": "accepted"},
                {"email": "heather@example.org"},
            ]
        },
    ).execute()
    people = (
        *make_series().participants,
        Participant("Kim", "kim@example.edu", CHICAGO),
    )
    changed = make_series(schedule=parse_schedule("2nd Tuesday 15:30"), participants=people)

    result = SeriesEvent(calendar, changed).update(DOC_URL)

    assert set(result.changes) == {"start", "end", "recurrence", "attendees", "description"}
    assert result.event["start"]["dateTime"] == "2026-12-08T15:30:00-06:00"
    replies = {a["email"]: a["responseStatus"] for a in result.event["attendees"]}
    assert replies == {
        "ruth@example.edu": "accepted",
        "heather@example.org": "needsAction",
        "kim@example.edu": "needsAction",
    }
    meetings = SeriesEvent(calendar, changed).meetings(NOW, 2)
    assert [m.start.strftime("%m-%d %H:%M") for m in meetings] == ["12-08 15:30", "01-12 15:30"]


def test_update_in_step_sends_nothing(sb: Sandbox, calendar: Any) -> None:
    SeriesEvent(calendar, make_series()).create(DOC_URL, NOW)
    sb.clear_requests()
    result = SeriesEvent(calendar, make_series()).update(DOC_URL)
    assert result.changes == {} and result.api_calls == 1
    assert calls(sb) == [("GET", "events")]


def test_update_dry_run_shows_the_patch_without_sending_it(sb: Sandbox, calendar: Any) -> None:
    SeriesEvent(calendar, make_series()).create("", NOW)
    sb.clear_requests()
    result = SeriesEvent(calendar, make_series()).update(DOC_URL, dry_run=True)
    assert DOC_URL in result.changes["description"]
    assert calls(sb) == [("GET", "events")]


def test_delete_removes_the_series_and_a_second_delete_says_so(sb: Sandbox, calendar: Any) -> None:
    event = SeriesEvent(calendar, make_series())
    event.create(DOC_URL, NOW)
    event.delete(send_invites=False)
    assert event.find() is None
    with pytest.raises(NotFound, match="gworkflow event create"):
        event.delete()


def test_a_google_error_is_one_readable_line(sb: Sandbox, calendar: Any) -> None:
    event = SeriesEvent(calendar, make_series(calendar_id="nobody@example.com"))
    with pytest.raises(NotFound) as caught:
        event.find()
    message = caught.value.message
    assert message.startswith("could not look for the series' event: Google Calendar answered 404")
    assert "\n" not in message


@sweep("cancelled_instance_body")
def test_a_deleted_series_can_be_created_again_and_its_meetings_read(
    sb: Sandbox, calendar: Any
) -> None:
    series = make_series()
    SeriesEvent(calendar, series).create(DOC_URL, NOW)
    SeriesEvent(calendar, series).delete(send_invites=False)
    again = SeriesEvent(calendar, series).create(DOC_URL, NOW)
    # The derived id stays taken by the deleted event, so the new one gets a fresh id.
    assert again.created and again.event["id"] != series_event_id(series)
    assert len(our_events(calendar)) == 1
    reader = SeriesEvent(calendar, series)
    meetings = reader.meetings(NOW, 2)
    assert [m.status for m in meetings] == ["confirmed", "confirmed"]
    assert reader.api_calls == 3  # instances of the deleted id, then list + instances


def test_two_creates_racing_make_one_event(
    sb: Sandbox, calendar: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    series = make_series()
    first, second = SeriesEvent(calendar, series), SeriesEvent(calendar, series)
    real_find = first.find
    looks: list[str] = []

    def find_racing() -> dict[str, Any] | None:
        # The first look happens before the other run inserts; later looks see it.
        looks.append("find")
        return None if len(looks) == 1 else real_find()

    monkeypatch.setattr(first, "find", find_racing)
    second.create(DOC_URL, NOW)
    result = first.create(DOC_URL, NOW)
    assert looks == ["find", "find"]  # it did try to insert, got 409, and looked again
    assert result.event["id"] == series_event_id(series)
    assert len(our_events(calendar)) == 1
