"""`gworkflow event ...` and `gworkflow schedule`: the recurring event and its meetings."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import click

from gworkflow.cli._common import App, dry_run_option, emit, json_option, pass_app, series_option

if TYPE_CHECKING:
    from gworkflow.config import Series
    from gworkflow.google.calendar import SeriesEvent
    from gworkflow.meeting import Meeting

invites_option = click.option(
    "--no-invites",
    is_flag=True,
    help="Do not e-mail the attendees about this change (sendUpdates=none).",
)


def _event_text(event: dict[str, Any]) -> str:
    start = event.get("start", {})
    lines = [
        f"{event.get('summary', '')} ({event.get('id', '')})",
        f"  starts:     {start.get('dateTime', start.get('date', '?'))} {start.get('timeZone', '')}".rstrip(),
        f"  repeats:    {'; '.join(event.get('recurrence', [])) or 'no'}",
        f"  attendees:  {', '.join(a.get('email', '') for a in event.get('attendees', []))}",
    ]
    if event.get("location"):
        lines.append(f"  location:   {event['location']}")
    if event.get("hangoutLink"):
        lines.append(f"  Meet:       {event['hangoutLink']}")
    if event.get("htmlLink"):
        lines.append(f"  calendar:   {event['htmlLink']}")
    return "\n".join(lines)


@dataclass(frozen=True)
class EventResult:
    headline: str
    event: dict[str, Any]

    def as_text(self) -> str:
        return f"{self.headline}\n{_event_text(self.event)}" if self.event else self.headline

    def as_json(self) -> Any:
        return {"message": self.headline, "event": self.event}


def _date(value: dt.datetime) -> dt.date:
    return value.date()


def _in_zone(value: dt.datetime, series: Series) -> dt.datetime:
    """A DATETIME without an offset is in the series time zone."""
    return value if value.tzinfo else value.replace(tzinfo=series.timezone)


def _parse_datetime(_ctx: click.Context, _param: click.Parameter, value: str) -> dt.datetime:
    try:
        return dt.datetime.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(
            f"{value!r} is not a date and time like 2027-01-14T15:00"
        ) from None


date_argument = click.argument("day", metavar="DATE", type=click.DateTime(formats=["%Y-%m-%d"]))


@click.group("event")
def event_group() -> None:
    """Create and manage the recurring calendar event."""


def _series_event(app: App, series_id: str | None) -> SeriesEvent:
    return app.clients().series_event(app.series(series_id))


@event_group.command("create")
@series_option
@click.option(
    "--all",
    "all_series",
    is_flag=True,
    help="Create the event of every series that has none (paced, like `run --all`).",
)
@invites_option
@dry_run_option
@json_option
@pass_app
def create(
    app: App,
    series_id: str | None,
    all_series: bool,
    no_invites: bool,
    dry_run: bool,
    as_json: bool,
) -> None:
    """Create the recurring event, once: the schedule, the attendees, the Zoom or Meet
    link and a link to the running doc. A second run finds it and changes nothing."""
    if all_series:
        _create_all(app, series_id, no_invites, dry_run, as_json)
        return
    from gworkflow.cli._common import refuse_placeholders

    refuse_placeholders(app, app.series(series_id), "invite", links=True)
    event = _series_event(app, series_id)
    result = event.create(
        event.series.doc_url, app.clock(), send_invites=not no_invites, dry_run=dry_run
    )
    if dry_run:
        headline = (
            "Would create this event (dry run):"
            if result.created
            else "The event exists; nothing to do."
        )
    elif result.created:
        headline = "Created the event" + (
            " (no invitations sent):" if no_invites else "; invitations sent:"
        )
    elif result.organizer:
        headline = (
            f"This calendar holds the series' event as an invitation from {result.organizer} "
            "(its organizer); nothing created, only the organizer changes it:"
        )
    else:
        headline = "The event already exists; nothing changed:"
    emit(EventResult(headline, result.event), as_json)


def _create_all(
    app: App, series_id: str | None, no_invites: bool, dry_run: bool, as_json: bool
) -> None:
    """`event create --all`: the event of every series that has none; a summary table,
    then the failures."""
    from gworkflow.cli._common import refuse_placeholders
    from gworkflow.cli._programme import setup_every_series
    from gworkflow.google.clients import GoogleClients
    from gworkflow.programme import SetupOutcome, create_event

    if series_id:
        raise click.UsageError("use --series ID or --all, not both")
    now = app.clock()

    def task(series: Series, clients: GoogleClients) -> SetupOutcome:
        refuse_placeholders(app, series, "invite", links=True)
        return create_event(
            series,
            clients.series_event(series),
            now,
            send_invites=not no_invites,
            dry_run=dry_run,
        )

    report = setup_every_series(app, app.config().series, task, "event create", as_json)
    emit(report, as_json)
    if report.exit_code:
        click.get_current_context().exit(report.exit_code)


@event_group.command("show")
@series_option
@json_option
@pass_app
def show(app: App, series_id: str | None, as_json: bool) -> None:
    """Show the series' event as Google Calendar has it."""
    from gworkflow.errors import NotFound

    found = _series_event(app, series_id).find()
    if found is None:
        raise NotFound("no calendar event for this series yet: run `gworkflow event create`")
    emit(EventResult("The series' event:", found), as_json)


def _shown(key: str, value: Any) -> str:
    """One field of an event, short enough for one line."""
    if value in (None, "", [], {}):
        return "none"
    if key == "attendees" and isinstance(value, list):
        return ", ".join(str(a.get("email", "")) for a in value if isinstance(a, dict))
    if key in ("start", "end") and isinstance(value, dict):
        return f"{value.get('dateTime') or value.get('date')} {value.get('timeZone', '')}".strip()
    if key == "recurrence" and isinstance(value, list):
        return "; ".join(str(rule) for rule in value)
    if key == "reminders" and isinstance(value, dict):
        overrides = value.get("overrides") or []
        return ", ".join(f"{o.get('method')} {o.get('minutes')} min" for o in overrides) or (
            "the calendar's defaults"
        )
    if key == "conferenceData":
        return "a Google Meet link" if value else "none"
    return repr(" ".join(str(value).split()))


def _description_change(old: Any, new: Any) -> str:
    """The first line of the description that differs, old -> new."""
    old_lines, new_lines = str(old or "").splitlines(), str(new or "").splitlines()
    for before, after in zip(old_lines, new_lines, strict=False):
        if before != after:
            return f"{before!r} → {after!r}"
    return f"{len(old_lines)} lines → {len(new_lines)} lines"


def change_lines(existing: dict[str, Any], changes: dict[str, Any]) -> list[str]:
    """Each changed field of the event as "field: old → new"."""
    lines = []
    for key in sorted(changes):
        if key == "description":
            lines.append(f"  description: {_description_change(existing.get(key), changes[key])}")
        else:
            lines.append(f"  {key}: {_shown(key, existing.get(key))} → {_shown(key, changes[key])}")
    return lines


def _emails(attendees: Any) -> set[str]:
    return {
        str(a.get("email", "")).casefold()
        for a in attendees or []
        if isinstance(a, dict) and a.get("email")
    }


@dataclass(frozen=True)
class UpdateShown:
    headline: str
    before: dict[str, Any]
    changes: dict[str, Any]
    event: dict[str, Any]
    notes: list[str]

    def as_text(self) -> str:
        lines = [self.headline, *change_lines(self.before, self.changes), *self.notes]
        return "\n".join([*lines, _event_text(self.event)]) if self.event else "\n".join(lines)

    def as_json(self) -> Any:
        return {
            "message": self.headline,
            "changes": {
                key: {"old": self.before.get(key), "new": value}
                for key, value in sorted(self.changes.items())
            },
            "notes": self.notes,
            "event": self.event,
        }


@event_group.command("update")
@series_option
@invites_option
@dry_run_option
@json_option
@pass_app
def update(app: App, series_id: str | None, no_invites: bool, dry_run: bool, as_json: bool) -> None:
    """Push config changes (time, link, attendees, description) to the whole series.

    Shows each change as old → new. When attendees are added, offers to share the running
    doc with them (`gworkflow doc share`).
    """
    from gworkflow.cli._common import stdin_is_tty

    event = _series_event(app, series_id)
    series = event.series
    result = event.update(series.doc_url, send_invites=not no_invites, dry_run=dry_run)
    before = result.before
    if not result.changes:
        headline = "The event already matches the config; nothing changed."
    elif dry_run:
        headline = f"Would change: {', '.join(sorted(result.changes))} (dry run)"
    else:
        headline = f"Updated: {', '.join(sorted(result.changes))}"
    notes: list[str] = []
    added = _emails(result.changes.get("attendees")) - _emails(before.get("attendees"))
    if added and series.doc_id:
        running = app.clients().running_doc()
        sharing = running.sharing(series.doc_id)
        new_people = [p.email for p in series.participants if p.email.casefold() in added]
        lacking = sharing.lacking(new_people) if sharing.visible else new_people
        if lacking:
            who = ", ".join(lacking)
            if dry_run:
                notes.append(f"Would offer to share the running doc with {who}.")
            elif (
                not as_json
                and stdin_is_tty()
                and click.confirm(f"Share the running doc with {who} too?", default=True, err=True)
            ):
                running.share(series.doc_id, lacking)
                notes.append(f"Shared the running doc (as writers) with {who}.")
            else:
                notes.append(
                    f"{who} may not be able to open the running doc: run `gworkflow doc share`."
                )
    emit(UpdateShown(headline, before, result.changes, result.event, notes), as_json)


@event_group.command("move")
@series_option
@date_argument
@click.option(
    "--to",
    "to",
    required=True,
    metavar="DATETIME",
    callback=_parse_datetime,
    help="New start, e.g. 2027-01-14T15:00 (without an offset: the series time zone).",
)
@invites_option
@dry_run_option
@json_option
@pass_app
def move(
    app: App,
    series_id: str | None,
    day: dt.datetime,
    to: dt.datetime,
    no_invites: bool,
    dry_run: bool,
    as_json: bool,
) -> None:
    """Move the one meeting scheduled on DATE to another time."""
    event = _series_event(app, series_id)
    moved = event.move(
        _date(day), _in_zone(to, event.series), send_invites=not no_invites, dry_run=dry_run
    )
    verb = "Would move (dry run)" if dry_run else "Moved"
    emit(EventResult(f"{verb} the meeting of {_date(day)}:", moved), as_json)


@event_group.command("skip")
@series_option
@date_argument
@invites_option
@dry_run_option
@json_option
@pass_app
def skip(
    app: App,
    series_id: str | None,
    day: dt.datetime,
    no_invites: bool,
    dry_run: bool,
    as_json: bool,
) -> None:
    """Cancel the one meeting scheduled on DATE (the series stays)."""
    event = _series_event(app, series_id)
    skipped = event.skip(_date(day), send_invites=not no_invites, dry_run=dry_run)
    verb = "Would cancel (dry run)" if dry_run else "Cancelled"
    emit(EventResult(f"{verb} the meeting of {_date(day)}.", skipped), as_json)


@event_group.command("delete")
@series_option
@invites_option
@click.option("--yes", is_flag=True, help="Do not ask for confirmation (for scripts).")
@dry_run_option
@pass_app
def delete(app: App, series_id: str | None, no_invites: bool, yes: bool, dry_run: bool) -> None:
    """Delete the whole series from the calendar (every meeting). Asks first."""
    from gworkflow.cli._common import stdin_is_tty
    from gworkflow.errors import GworkflowError

    event = _series_event(app, series_id)
    if dry_run:
        found = event.delete(dry_run=True)
        click.echo(f"Would delete (dry run):\n{_event_text(found)}")
        return
    if not yes:
        if not stdin_is_tty():
            raise GworkflowError("not deleting without confirmation: pass --yes")
        click.confirm(f"Delete every meeting of {event.series.id!r} from the calendar?", abort=True)
    event.delete(send_invites=not no_invites)
    click.echo(f"Deleted the event of {event.series.id}.")


@dataclass(frozen=True)
class ScheduleResult:
    series: Series
    meetings: list[Meeting]
    source: str

    def _agenda_on(self, m: Meeting) -> dt.date | None:
        from gworkflow.meeting import agenda_day

        return None if m.status == "cancelled" else agenda_day(self.series, m)

    def as_json(self) -> Any:
        return [
            {
                "start": m.start.isoformat(),
                "end": m.end.isoformat(),
                "status": m.status,
                "local": {
                    name: t.isoformat()
                    for name, t in m.local_times(self.series.participants).items()
                },
                "agenda_on": day.isoformat() if (day := self._agenda_on(m)) else None,
            }
            for m in self.meetings
        ]

    def as_text(self) -> str:
        lines = [f"Next meetings of {self.series.id} ({self.source}):"]
        for m in self.meetings:
            when = m.start.astimezone(self.series.timezone)
            note = {"moved": f" (moved from {m.key})", "cancelled": " CANCELLED"}.get(m.status, "")
            lines.append(f"  {when:%a %Y-%m-%d %H:%M} {self.series.timezone.key}{note}")
            for name, local in m.local_times(self.series.participants).items():
                lines.append(f"      {name}: {local:%a %H:%M} {local.tzname()} ({local.tzinfo})")
            day = self._agenda_on(m)
            if day is not None:
                lines.append(f"      agenda added: {day:%a %Y-%m-%d}")
        return "\n".join(lines)


@click.command("schedule")
@series_option
@click.option(
    "--count", type=click.IntRange(1, 60), default=6, show_default=True, help="How many meetings."
)
@click.option(
    "--offline", is_flag=True, help="Compute from the schedule rule alone; do not ask Google."
)
@click.option(
    "--ics",
    is_flag=True,
    help="Print the series as an iCalendar file instead (schedule --ics > meetings.ics).",
)
@json_option
@pass_app
def schedule(
    app: App, series_id: str | None, count: int, offline: bool, ics: bool, as_json: bool
) -> None:
    """The next meetings, in the series' zone and every participant's own.

    Once the event exists the calendar is the truth: moved and cancelled meetings show.

    With --ics: the series as an iCalendar file to import where Google Calendar cannot be
    subscribed to: the same rule and time zone, the Zoom link, the running doc, and the
    moved and cancelled meetings among the next --count.
    """
    from gworkflow.runner import upcoming_meetings

    if ics and as_json:
        raise click.UsageError("use --ics or --json, not both")
    series = app.series(series_id)
    calendar = None if offline else app.clients().series_event(series)
    meetings, from_calendar = upcoming_meetings(series, calendar, app.clock(), count)
    if ics:
        from gworkflow.ics import series_ics

        click.echo(series_ics(series, meetings, app.clock()), nl=False)
        return
    source = "from the calendar" if from_calendar else "from the schedule rule"
    emit(ScheduleResult(series, meetings, source), as_json)
