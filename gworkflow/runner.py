"""What to do for a series, now: the agenda operations and the cron job made of them.

Pure orchestration: every function takes its clock (`now`), its series and the ports it
talks through (`gworkflow.ports`: the running doc, the series' calendar event) as
arguments, and returns a result object; nothing here prints or prompts, builds a Google
client or imports Google's libraries. The pieces it composes: the ports, reading the doc
back (`agenda.parse`/`agenda.carry`), rendering (`agenda.render`) and the schedule rule
(`schedule`) for a series without an event yet.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from filelock import FileLock, Timeout

from gworkflow.agenda.blocks import Block, ParticipantCarry, PreviousMeeting, marker_name
from gworkflow.agenda.carry import carry_from_previous
from gworkflow.agenda.context import build_context
from gworkflow.agenda.docjson import select_tab
from gworkflow.agenda.parse import has_section_for
from gworkflow.agenda.render import render_section
from gworkflow.config import Series
from gworkflow.errors import ConfigError, GworkflowError, NotFound, TemplateError
from gworkflow.meeting import Meeting, agenda_day, meetings_from_rule
from gworkflow.ports import AgendaDoc, SeriesCalendar
from gworkflow.types import JSON

log = logging.getLogger(__name__)

# How long a second `gworkflow run` waits for the first to finish before giving up.
LOCK_TIMEOUT_SECONDS = 300.0


@dataclass(frozen=True)
class SectionPlan:
    """The section gworkflow would write for one meeting, and whether it is there already."""

    series: Series
    meeting: Meeting
    previous: dt.date | None
    carries: tuple[ParticipantCarry, ...]
    blocks: tuple[Block, ...]
    already_written: bool

    @property
    def marker(self) -> str:
        return marker_name(self.series.id, self.meeting.key)


def plan_section(
    series: Series, meeting: Meeting, doc: JSON | None, now: dt.datetime
) -> SectionPlan:
    """Render the section for `meeting`, carrying forward from the doc's latest section."""
    names = [p.name for p in series.participants]
    previous: PreviousMeeting | None = None
    carries: tuple[ParticipantCarry, ...] = tuple(ParticipantCarry(name) for name in names)
    written = False
    if doc is not None:
        tab = select_tab(doc, series.tab)
        # Conferences count as upcoming against the meeting's day, not the day we write.
        meeting_day = meeting.start.astimezone(series.timezone).date()
        previous, carried = carry_from_previous(tab, series.id, names, meeting.key, meeting_day)
        carries = tuple(carried)
        written = has_section_for(tab, series.id, meeting.key, meeting_day)
    context = build_context(series, meeting, carries, previous, now)
    blocks = render_section(series, context)
    if not blocks:
        raise TemplateError(
            f"template {series.template or 'agenda.md.j2'}: renders nothing (the file is empty "
            "or only whitespace): write the section's Markdown in it, or remove `template` "
            "from the series to use the default"
        )
    key = previous.key if previous else None
    return SectionPlan(series, meeting, key, carries, tuple(blocks), written)


def require_doc(series: Series) -> str:
    if not series.doc_id:
        raise ConfigError(
            f"series {series.id!r} has no running doc yet (doc_id is empty): "
            "run `gworkflow doc create`"
        )
    return series.doc_id


def meeting_on(meetings: list[Meeting], day: dt.date, series: Series) -> Meeting:
    """The meeting scheduled (or moved to) `day` in the series zone."""
    for meeting in meetings:
        if day in (meeting.key, meeting.start.astimezone(series.timezone).date()):
            return meeting
    near = ", ".join(m.key.isoformat() for m in meetings[:4])
    raise GworkflowError(f"no meeting of {series.id!r} on {day.isoformat()} (next ones: {near})")


def upcoming_meetings(
    series: Series, calendar: SeriesCalendar | None, now: dt.datetime, count: int = 6
) -> tuple[list[Meeting], bool]:
    """The next meetings, and whether they come from the calendar.

    The calendar (the series' event) is the truth once the event exists (moved and
    cancelled meetings honoured); without an event (or with `calendar` None) they come
    from the schedule rule.
    """
    after = now - series.duration  # a meeting under way still counts
    if calendar is not None:
        found = calendar.upcoming(after, count)
        if found is not None:
            return found, True
    return meetings_from_rule(series, after, count), False


def next_meeting(meetings: list[Meeting]) -> Meeting | None:
    return next((m for m in meetings if m.status != "cancelled"), None)


def select_meeting(
    series: Series, calendar: SeriesCalendar | None, now: dt.datetime, on: dt.date | None = None
) -> Meeting:
    """The next meeting after `now`, or the one on the date `on` (series zone)."""
    if on is None:
        meetings, _ = upcoming_meetings(series, calendar, now)
        found = next_meeting([m for m in meetings if m.end > now])
        if found is None:
            raise GworkflowError(f"series {series.id!r} has no upcoming meeting")
        return found
    # Start a day early: a meeting moved to the day before its slot still counts.
    after = dt.datetime.combine(on, dt.time(0), series.timezone) - dt.timedelta(days=1)
    meetings, _ = upcoming_meetings(series, calendar, after, count=4)
    return meeting_on(meetings, on, series)


@dataclass(frozen=True)
class AppendOutcome:
    """What `append_agenda` did. `written`: this call put the section in the doc;
    `meanwhile`: it was not there when we first read, and another run (or a person) wrote
    it before our write could land."""

    plan: SectionPlan
    written: bool
    dry_run: bool = False
    attempts: int = 0
    meanwhile: bool = False


def append_agenda(
    series: Series, doc: AgendaDoc, meeting: Meeting, now: dt.datetime, dry_run: bool = False
) -> AppendOutcome:
    """Write the section for `meeting` into the running doc, once.

    One documents.get (read for carry-forward and the marker check, then reused by the
    writer), one Drive files.get (is the doc in the trash?) and one documents.batchUpdate
    on the happy path. When the doc changed before the write landed, the writer reads it
    again and the section is planned again from that read: a goal typed meanwhile into the
    previous section is carried too.
    """
    doc_id = require_doc(series)
    content = doc.fetch(doc_id)
    plan = plan_section(series, meeting, content, now)
    if plan.already_written or dry_run:
        return AppendOutcome(plan, written=False, dry_run=dry_run)
    if doc.trashed(doc_id):
        raise NotFound(
            f"the running doc {content.get('title', doc_id)!r} ({doc_id}) is in the Google "
            "Drive trash: restore it (drive.google.com, Trash), or make a new one with "
            "`gworkflow doc create` after emptying doc_id"
        )
    final = plan

    def replan(fresh: JSON) -> tuple[Block, ...] | None:
        nonlocal final
        final = plan_section(series, meeting, fresh, now)
        return None if final.already_written else final.blocks

    result = doc.append_section(
        doc_id, series.tab, series.position, plan.marker, plan.blocks, doc=content, replan=replan
    )
    return AppendOutcome(
        final, written=result.written, attempts=result.attempts, meanwhile=result.meanwhile
    )


RunAction = Literal["appended", "exists", "not-yet", "no-meeting", "would-append", "failed"]


@dataclass(frozen=True)
class RunOutcome:
    """What `gworkflow run` did for one series: one summary line, or one JSON object."""

    series_id: str
    action: RunAction
    meeting: Meeting | None = None
    event_created: bool = False
    message: str = ""
    exit_code: int = 0
    # "not-yet": the day (series zone) the first run will add the meeting's section.
    agenda_on: dt.date | None = None
    meanwhile: bool = False  # "exists": another run wrote it while this one was writing

    def summary(self) -> str:
        when = f" {self.meeting.key.isoformat()}" if self.meeting else ""
        exists = (
            f"the agenda for{when} is already there: another run wrote it"
            if self.meanwhile
            else f"the agenda for{when} is already in the doc"
        )
        text = {
            "appended": f"appended the agenda for{when}",
            "exists": exists,
            "not-yet": f"next meeting{when}: will add its agenda on {self.agenda_on}"
            if self.agenda_on
            else f"next meeting{when} is more than lead_days away; nothing to do",
            "no-meeting": "no upcoming meeting found",
            "would-append": f"would append the agenda for{when} (dry run)",
            "failed": self.message,
        }[self.action]
        created = "created the calendar event; " if self.event_created else ""
        return f"{self.series_id}: {created}{text}"

    def as_json(self) -> JSON:
        return {
            "series": self.series_id,
            "action": self.action,
            "meeting": self.meeting.key.isoformat() if self.meeting else None,
            "start": self.meeting.start.isoformat() if self.meeting else None,
            "event_created": self.event_created,
            "written_by_another_run": self.meanwhile,
            "message": self.summary() if self.action != "failed" else self.message,
            "exit_code": self.exit_code,
        }


@contextmanager
def series_lock(path: Path, timeout: float = LOCK_TIMEOUT_SECONDS) -> Iterator[None]:
    """One `run` per series at a time; the second waits, then finds the marker and stops."""
    path.parent.mkdir(parents=True, exist_ok=True)
    lock = FileLock(str(path), timeout=timeout)
    try:
        with lock:
            yield
    except Timeout:
        raise GworkflowError(
            f"another gworkflow run holds {path} for more than {int(timeout)}s; "
            "if none is running, delete that file"
        ) from None


def run_series(
    series: Series,
    doc: AgendaDoc,
    calendar: SeriesCalendar,
    now: dt.datetime,
    lock_file: Path,
    dry_run: bool = False,
    lock_timeout: float = LOCK_TIMEOUT_SECONDS,
) -> RunOutcome:
    """The daily job for one series: event exists; next meeting within lead_days gets its
    section. Idempotent and cheap when there is nothing to do.

    `doc` is the running doc, `calendar` this series' event (see `gworkflow.ports`);
    `lock_timeout` how long to wait for another run of the series (the CLI passes the time
    left before the run's deadline). Every outcome comes from what the API returned: "the
    event was created" only when this run's insert made it, "appended" only when this
    run's write landed."""
    with series_lock(lock_file, lock_timeout):
        return _run_locked(series, doc, calendar, now, dry_run)


def _run_locked(
    series: Series, doc: AgendaDoc, calendar: SeriesCalendar, now: dt.datetime, dry_run: bool
) -> RunOutcome:
    require_doc(series)
    meetings, has_event = upcoming_meetings(series, calendar, now)
    created = False
    if not has_event:
        if dry_run:
            log.info("%s: the calendar event is missing; a real run would create it", series.id)
        else:
            created = calendar.create(series.doc_url, now).created
    upcoming = next_meeting([m for m in meetings if m.end > now])
    if upcoming is None:
        return RunOutcome(series.id, "no-meeting", event_created=created)
    # Calendar days in the series zone: a 07:17 run adds a 14:00 meeting's section on the
    # day lead_days before it, not the day after.
    due = agenda_day(series, upcoming)
    if now.astimezone(series.timezone).date() < due:
        return RunOutcome(series.id, "not-yet", upcoming, event_created=created, agenda_on=due)
    outcome = append_agenda(series, doc, upcoming, now, dry_run=dry_run)
    if outcome.plan.already_written:
        action: RunAction = "exists"
    elif dry_run:
        action = "would-append"
    else:
        action = "appended" if outcome.written else "exists"
    meanwhile = action == "exists" and outcome.meanwhile
    return RunOutcome(series.id, action, upcoming, event_created=created, meanwhile=meanwhile)
