"""The programme at a glance: one line per series, from one read of its doc and one of its
calendar.

Per series: the next meeting (from the calendar once the event exists, else the schedule
rule); the date of the doc's latest section; whether anyone typed in that section since
gworkflow wrote it; the goals still open and the goals marked done in the last three months;
and a flag for pairs that seem to have gone quiet.

"Typed since it was written" compares the section's list items with the ones gworkflow
writes for it: the section is planned again exactly as `run` would plan it
(`gworkflow.runner.plan_section`: the same template, the goals and conferences carried from
the section before it), and any list item with text that is not among the planned ones is
something a person typed — a goal under Goals, an achievement, a conference, or a carried
prompt that someone edited or marked ✅. Headings and plain paragraphs are left out (a
changed Zoom link would otherwise count as typing). A section found by its dated heading
rather than our marker was typed by hand, so it counts as typed. Limits: a template
changed since the section was written, or an earlier section edited after it, makes
untouched items count as typed; a section whose template no longer renders counts as
unknown.

Quiet: nothing typed in the last two sections whose meeting day has passed (a section
written for a meeting still ahead is not expected to hold anything yet).

Goals are read with the carry-forward's own reader (`participant_notes`): open goals are the
goals not marked done in the latest section that lists any; goals done are those marked done
in any section of the last three months (a goal is marked done in one section; later
sections show it as an achievement, not as a goal).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Literal

from gworkflow.agenda.blocks import LIST_KINDS
from gworkflow.agenda.carry import participant_notes
from gworkflow.agenda.docjson import select_tab
from gworkflow.agenda.parse import FoundSection, find_sections
from gworkflow.config import Series
from gworkflow.errors import GworkflowError
from gworkflow.meeting import Meeting, meetings_from_rule
from gworkflow.ports import AgendaDoc, SeriesCalendar
from gworkflow.runner import next_meeting, plan_section, upcoming_meetings
from gworkflow.types import JSON

RECENT = dt.timedelta(days=91)  # "the last three months"
QUIET_AFTER = 2  # past sections with nothing typed

Typed = Literal["yes", "no", "unknown"]


@dataclass(frozen=True)
class SeriesStatus:
    """One line of `gworkflow status`."""

    series_id: str
    next_meeting: Meeting | None = None
    from_calendar: bool = False
    has_doc: bool = True
    latest_section: dt.date | None = None
    typed: Typed | None = None  # None: no section yet
    open_goals: int = 0
    done_recently: int = 0
    quiet: bool = False
    problem: str = ""
    exit_code: int = 0

    @property
    def flag(self) -> str:
        if self.problem:
            return f"failed: {self.problem}"
        if not self.has_doc:
            return "no doc yet (gworkflow doc create)"
        if self.quiet:
            return "quiet: nothing typed in the last two sections"
        if not self.from_calendar:
            return "no event yet (gworkflow event create)"
        return ""

    def as_json(self) -> JSON:
        meeting = self.next_meeting
        return {
            "series": self.series_id,
            "next_meeting": meeting.start.isoformat() if meeting else None,
            "next_meeting_status": meeting.status if meeting else None,
            "next_meeting_source": "calendar" if self.from_calendar else "schedule",
            "latest_section": self.latest_section.isoformat() if self.latest_section else None,
            "typed": self.typed,
            "open_goals": self.open_goals,
            "done_last_3_months": self.done_recently,
            "quiet": self.quiet,
            "has_doc": self.has_doc,
            "problem": self.problem or None,
            "exit_code": self.exit_code,
        }


def failed_status(series: Series, error: GworkflowError) -> SeriesStatus:
    return SeriesStatus(series.id, problem=error.message, exit_code=int(error.exit_code))


def series_status(
    series: Series, doc: AgendaDoc, calendar: SeriesCalendar, now: dt.datetime
) -> SeriesStatus:
    """The status of one series: one calendar read (two when it has no event yet), one doc
    read."""
    meetings, from_calendar = upcoming_meetings(series, calendar, now, count=2)
    upcoming = next_meeting([m for m in meetings if m.end > now])
    if not series.doc_id:
        return SeriesStatus(series.id, upcoming, from_calendar, has_doc=False)
    content = doc.fetch(series.doc_id)
    sections = [s for s in find_sections(select_tab(content, series.tab), series.id) if s.meeting]
    sections.sort(key=lambda s: (s.meeting, s.marked, s.start))
    if not sections:
        return SeriesStatus(series.id, upcoming, from_calendar)
    today = now.astimezone(series.timezone).date()
    names = [p.name for p in series.participants]

    def typed(section: FoundSection) -> Typed:
        return typed_since_written(series, section, content)

    past = [s for s in sections if s.meeting is not None and s.meeting < today]
    quiet = len(past) >= QUIET_AFTER and all(typed(s) == "no" for s in past[-QUIET_AFTER:])
    open_goals = 0
    for section in reversed(sections):
        goals = [g for carry in participant_notes(section, names) for g in carry.goals]
        if goals:
            open_goals = sum(1 for goal in goals if not goal.done)
            break
    done = sum(
        1
        for section in sections
        if section.meeting is not None and today - RECENT <= section.meeting <= today
        for carry in participant_notes(section, names)
        for goal in carry.goals
        if goal.done
    )
    return SeriesStatus(
        series.id,
        upcoming,
        from_calendar,
        latest_section=sections[-1].meeting,
        typed=typed(sections[-1]),
        open_goals=open_goals,
        done_recently=done,
        quiet=quiet,
    )


def typed_since_written(series: Series, section: FoundSection, doc: JSON) -> Typed:
    """Whether the section holds list items with text that gworkflow did not write."""
    if not section.marked:
        return "yes"  # typed by hand under a dated heading
    items = {_text(b.text) for b in section.blocks if b.kind in LIST_KINDS} - {""}
    if not items:
        return "no"
    if section.meeting is None:
        return "unknown"
    meeting = _meeting_on(series, section.meeting)
    written_at = meeting.start - dt.timedelta(days=series.lead_days)
    try:
        plan = plan_section(series, meeting, doc, written_at)
    except GworkflowError:
        return "unknown"  # e.g. the template no longer renders
    planned = {_text(b.text) for b in plan.blocks if b.kind in LIST_KINDS}
    return "yes" if items - planned else "no"


def _meeting_on(series: Series, day: dt.date) -> Meeting:
    """The meeting the rule puts on `day` (the section's scheduled date)."""
    midnight = dt.datetime.combine(day, dt.time(0), series.timezone)
    for meeting in meetings_from_rule(series, midnight - dt.timedelta(minutes=1), 1):
        if meeting.key == day:
            return meeting
    start = midnight.replace(hour=12)  # not on the rule (a custom date): any time that day
    return Meeting(start=start, end=start + series.duration, original_start=start)


def _text(text: str) -> str:
    return " ".join(text.split())
