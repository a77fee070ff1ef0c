"""The series as an iCalendar file (RFC 5545), for a calendar that cannot subscribe to Google.

`series_ics` builds one VCALENDAR: a VTIMEZONE for the series' zone (from zoneinfo), one
recurring VEVENT with the same RRULE Google gets (`Schedule.rrule()`), the Zoom link as
LOCATION, the description the Google event has (schedule, running doc, how to join) and the
doc as URL; cancelled meetings become EXDATEs and moved ones an override VEVENT with the
same UID and a RECURRENCE-ID, as RFC 5545 3.8.4.4 has it. The UID is stable per series, so
importing a newer file updates the series instead of adding a second one.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Sequence

from icalendar import Alarm, Calendar, Event, vRecur

from gworkflow.config import Series
from gworkflow.google.event_body import event_description
from gworkflow.meeting import Meeting

PRODID = "-//gworkflow//monthly check-in//EN"


def series_uid(series: Series) -> str:
    """Stable for (calendar, series): the same meetings keep the same UID in every export."""
    digest = hashlib.sha256(f"{series.calendar_id}\0{series.id}".encode()).hexdigest()[:16]
    return f"{series.id}-{digest}@gworkflow"


def series_ics(series: Series, meetings: Sequence[Meeting], now: dt.datetime) -> bytes:
    """The series from its first meeting in `meetings` on, with the moved and cancelled
    ones among `meetings` (from the calendar, or the rule's when there is no event yet)."""
    if not meetings:
        raise ValueError("no meetings to export")
    tz = series.timezone
    first = _scheduled(meetings[0]).astimezone(tz)
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", series.title)
    calendar.add("x-wr-timezone", tz.key)

    event = _event(series, first, _end(first, series), now)
    event.add("rrule", vRecur.from_ical(series.schedule.rrule().removeprefix("RRULE:")))
    for reminder in series.reminders:
        if reminder.method == "popup":  # an e-mail alarm would need the calendar's mail
            alarm = Alarm()
            alarm.add("action", "DISPLAY")
            alarm.add("description", series.title)
            alarm.add("trigger", -dt.timedelta(minutes=reminder.minutes))
            event.add_component(alarm)
    cancelled = [_scheduled(m).astimezone(tz) for m in meetings if m.status == "cancelled"]
    if cancelled:
        event.add("exdate", cancelled)
    calendar.add_component(event)
    for meeting in meetings:
        if meeting.status == "moved":
            moved = _event(series, meeting.start.astimezone(tz), meeting.end.astimezone(tz), now)
            moved.add("recurrence-id", _scheduled(meeting).astimezone(tz))
            calendar.add_component(moved)
    # VTIMEZONE from zoneinfo, covering the years the file is likely to be used for.
    calendar.add_missing_timezones(
        first_date=dt.date(first.year - 1, 1, 1), last_date=dt.date(first.year + 10, 12, 31)
    )
    return bytes(calendar.to_ical())


def _scheduled(meeting: Meeting) -> dt.datetime:
    return meeting.original_start or meeting.start


def _end(start: dt.datetime, series: Series) -> dt.datetime:
    # Elapsed time, like the Google event, so a meeting across a DST change lasts as long.
    return (start.astimezone(dt.UTC) + series.duration).astimezone(series.timezone)


def _event(series: Series, start: dt.datetime, end: dt.datetime, now: dt.datetime) -> Event:
    event = Event()
    event.add("uid", series_uid(series))
    event.add("dtstamp", now.astimezone(dt.UTC))
    event.add("dtstart", start)
    event.add("dtend", end)
    event.add("summary", series.title)
    event.add("description", event_description(series, series.schedule, series.doc_url))
    if series.conference.kind == "zoom" and series.conference.join_url:
        event.add("location", series.conference.join_url)
    if series.doc_url:
        event.add("url", series.doc_url)
    return event
