"""A meeting of a series: when it starts and ends, and what happened to it.

Produced by `meetings_from_rule` here (from the series' schedule, before or without a
calendar event) or by `gworkflow.google.calendar` (from the calendar, which is the truth once
the event exists); consumed by the agenda and the runner.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

from gworkflow.config import Participant, Series

MeetingStatus = Literal["confirmed", "moved", "cancelled"]


@dataclass(frozen=True)
class Meeting:
    """One occurrence. Datetimes are timezone-aware (the series zone)."""

    start: dt.datetime
    end: dt.datetime
    status: MeetingStatus = "confirmed"
    # Where the rule put it; differs from `start` for a moved meeting.
    original_start: dt.datetime | None = None

    @property
    def key(self) -> dt.date:
        """The date that names this meeting (its section marker): the scheduled date, so
        moving a meeting by a day never makes a second section for it."""
        return (self.original_start or self.start).date()

    def local_times(self, participants: Iterable[Participant]) -> dict[str, dt.datetime]:
        """The start in each participant's own time zone, by name."""
        return {p.name: self.start.astimezone(p.timezone) for p in participants}


def agenda_day(series: Series, meeting: Meeting) -> dt.date:
    """The day (series zone) from which `gworkflow run` adds the meeting's agenda section:
    `lead_days` calendar days before the day it takes place, whatever the hour of either."""
    return meeting.start.astimezone(series.timezone).date() - dt.timedelta(days=series.lead_days)


def meetings_from_rule(series: Series, after: dt.datetime, count: int) -> list[Meeting]:
    """The next `count` meetings the series' schedule gives (before, or without, a calendar
    event), starting strictly after `after`."""
    meetings = []
    for start in series.schedule.occurrences(series.timezone, after, count):
        # End by elapsed time, not wall time, so a meeting across a DST change lasts as long.
        end = (start.astimezone(dt.UTC) + series.duration).astimezone(series.timezone)
        meetings.append(Meeting(start=start, end=end, status="confirmed", original_start=start))
    return meetings
