"""The series' event as Calendar v3 JSON: what to insert, and what a patch must change.

Pure (no API calls): `event_body` (config -> the events.insert body), `plan_update` (the
events.patch body that brings an existing event in line with the config), the
description, reminders and Meet request they hold, reading an event's times back
(`parse_event_time`), and the event ids gworkflow chooses (`series_event_id`,
`new_event_id`). The API calls are in `gworkflow.google.calendar`.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import uuid
from zoneinfo import ZoneInfo

from gworkflow.config import Series
from gworkflow.errors import GoogleError
from gworkflow.schedule import Schedule
from gworkflow.types import JSON

SERIES_PROPERTY = "gworkflowSeries"
_AGENDA_LINE = (
    "Agenda: before each meeting gworkflow adds a fresh section to the running doc, with "
    "last month's goals carried forward; add your achievements, goals and upcoming "
    "conferences there."
)


def event_description(series: Series, schedule: Schedule, doc_url: str) -> str:
    """The event's description: schedule, running doc, how the agenda works, how to join."""
    lines = [
        f"{series.title}: {schedule.describe()} ({series.timezone.key}).",
        "",
        f"Running agenda: {doc_url}" if doc_url else "Running agenda: not created yet.",
        _AGENDA_LINE,
    ]
    conference = series.conference
    if conference.kind == "zoom":
        lines += ["", f"Join Zoom: {conference.join_url}"]
        if conference.meeting_id:
            lines.append(f"Meeting ID: {conference.meeting_id}")
        if conference.passcode:
            lines.append(f"Passcode: {conference.passcode}")
    elif conference.kind == "meet":
        lines += ["", "Join with the Google Meet link on this event."]
    return "\n".join(lines)


def event_time(moment: dt.datetime, tz: ZoneInfo) -> dict[str, str]:
    """An event's start or end: `moment` in `tz`, with the zone named."""
    # timeZone is always sent: a recurring event with only an offset is a 400 "Missing time
    # zone definition for start time." (docs/google-api-notes.md), and DST needs the zone anyway.
    return {"dateTime": moment.astimezone(tz).isoformat(), "timeZone": tz.key}


def _attendees(series: Series) -> list[dict[str, str]]:
    return [{"email": p.email, "displayName": p.name} for p in series.participants]


def reminders(series: Series) -> JSON:
    """The event's reminders: the series' `reminders` (by default a pop-up half an hour
    before and an e-mail the day before), not the calendar's defaults."""
    return {
        "useDefault": False,
        "overrides": [{"method": r.method, "minutes": r.minutes} for r in series.reminders],
    }


def _same_reminders(existing: JSON | None, wanted: JSON) -> bool:
    # Compared as sets: Google may list overrides in its own order, and leaves out an empty
    # "overrides" list (an event with no reminders).
    def key(value: JSON | None) -> tuple[bool, list[tuple[str, int]]]:
        value = value or {}
        overrides = value.get("overrides") or []
        pairs = sorted((str(o.get("method")), int(o.get("minutes", 0))) for o in overrides)
        return bool(value.get("useDefault")), pairs

    return key(existing) == key(wanted)


def _meet_request(series: Series, first_start: dt.datetime) -> JSON:
    # A stable requestId: Google treats a repeated requestId as the same conference
    # request, so a retried insert does not ask for a second Meet.
    request_id = f"gworkflow-{series.id}-{first_start.astimezone(dt.UTC):%Y%m%dT%H%MZ}"
    return {
        "createRequest": {
            "requestId": request_id,
            "conferenceSolutionKey": {"type": "hangoutsMeet"},
        }
    }


def event_body(series: Series, schedule: Schedule, first_start: dt.datetime, doc_url: str) -> JSON:
    """The events.insert body for the series, its first meeting at `first_start`."""
    tz = series.timezone
    body: JSON = {
        "summary": series.title,
        "description": event_description(series, schedule, doc_url),
        "start": event_time(first_start, tz),
        "end": event_time(first_start.astimezone(dt.UTC) + series.duration, tz),
        "recurrence": [schedule.rrule()],
        "attendees": _attendees(series),
        "reminders": reminders(series),
        "extendedProperties": {"private": {SERIES_PROPERTY: series.id}},
    }
    if series.conference.kind == "zoom":
        # Not conferenceData: only a Workspace add-on may write an "addOn" conference
        # (Google answers 400), so the join URL goes in location and description.
        body["location"] = series.conference.join_url
    elif series.conference.kind == "meet":
        body["conferenceData"] = _meet_request(series, first_start)
    return body


def parse_event_time(value: JSON | None, tz: ZoneInfo) -> dt.datetime | None:
    """An event time ({dateTime} or all-day {date}) as an aware datetime in `tz`."""
    if not value:
        return None
    if value.get("dateTime"):
        moment = dt.datetime.fromisoformat(str(value["dateTime"]).replace("Z", "+00:00"))
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=ZoneInfo(value.get("timeZone") or tz.key))
        return moment.astimezone(tz)
    if value.get("date"):
        day = dt.date.fromisoformat(str(value["date"]))
        return dt.datetime(day.year, day.month, day.day, tzinfo=tz)
    return None


def _schedule_changed(existing: JSON, series: Series, schedule: Schedule) -> bool:
    tz = series.timezone
    start = parse_event_time(existing.get("start"), tz)
    end = parse_event_time(existing.get("end"), tz)
    if start is None or end is None:
        return True
    return (
        existing.get("recurrence") != [schedule.rrule()]
        or (existing.get("start") or {}).get("timeZone") != tz.key
        or start.time().replace(second=0, microsecond=0) != schedule.time
        or end - start != series.duration
    )


def _merged_attendees(existing: list[JSON], series: Series) -> list[JSON] | None:
    """The attendee list after the config's changes, or None if the emails are the same.

    Entries already on the event are kept as they are (with their responseStatus), so a
    patch does not reset who accepted."""
    wanted = {p.email.casefold(): p for p in series.participants}
    have = {str(a.get("email", "")).casefold() for a in existing}
    # The organizer's own entry (self/organizer) is Google's, not the config's: keep it.
    keep = [a for a in existing if str(a.get("email", "")).casefold() in wanted or a.get("self")]
    added = [
        {"email": p.email, "displayName": p.name} for key, p in wanted.items() if key not in have
    ]
    if not added and len(keep) == len(existing):
        return None
    return keep + added


def plan_update(existing: JSON, series: Series, schedule: Schedule, doc_url: str) -> JSON:
    """The events.patch body that brings `existing` in line with the config ({} = in step).

    A changed rule, time, zone or duration rewrites the whole series (like Google's "all
    events" edit): the new first meeting is the rule's first one in the month the series
    started, so the series keeps its history's shape.
    """
    changes: JSON = {}
    if existing.get("summary") != series.title:
        changes["summary"] = series.title
    description = event_description(series, schedule, doc_url)
    if existing.get("description") != description:
        changes["description"] = description
    conference = series.conference
    location = existing.get("location", "")
    if conference.kind == "zoom" and location != conference.join_url:
        changes["location"] = conference.join_url
    elif conference.kind != "zoom" and "zoom.us/" in location:
        changes["location"] = ""  # a stale Zoom link would send people to the wrong room
    if not _same_reminders(existing.get("reminders"), reminders(series)):
        changes["reminders"] = reminders(series)
    attendees = _merged_attendees(list(existing.get("attendees") or []), series)
    if attendees is not None:
        changes["attendees"] = attendees
    tz = series.timezone
    old_start = parse_event_time(existing.get("start"), tz)
    if old_start is None:
        raise GoogleError(f"the calendar event {existing.get('id')} has no start time")
    if _schedule_changed(existing, series, schedule):
        month_start = old_start.replace(day=1, hour=0, minute=0, second=0, microsecond=0)
        first = schedule.occurrences(
            tz, month_start - dt.timedelta(seconds=1), 1, anchor=month_start
        )[0]
        changes["start"] = event_time(first, tz)
        changes["end"] = event_time(first.astimezone(dt.UTC) + series.duration, tz)
        changes["recurrence"] = [schedule.rrule()]
    if conference.kind == "meet" and not existing.get("conferenceData"):
        changes["conferenceData"] = _meet_request(series, old_start)
    return changes


def series_event_id(series: Series) -> str:
    """The id gworkflow gives a series' event: stable for (calendar, series), in Google's
    event-id alphabet (base32hex, lowercase; 5-1024 characters)."""
    digest = hashlib.sha256(f"{series.calendar_id}\0{series.id}".encode()).digest()[:20]
    return "g" + base64.b32hexencode(digest).decode().lower().rstrip("=")


def new_event_id() -> str:
    """A fresh event id in Google's alphabet (base32hex: a-v, 0-9; 5-1024 characters)."""
    return base64.b32hexencode(uuid.uuid4().bytes).decode().lower().rstrip("=")
