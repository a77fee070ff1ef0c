"""`gworkflow agenda preview|append` and `gworkflow goals`: the running agenda."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from gworkflow.cli._common import App, dry_run_option, emit, json_option, pass_app, series_option

if TYPE_CHECKING:
    from gworkflow.agenda.blocks import ParticipantCarry
    from gworkflow.runner import AppendOutcome, SectionPlan

meeting_option = click.option(
    "--meeting",
    "meeting_day",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    metavar="DATE",
    help="The meeting on DATE (YYYY-MM-DD, series time zone) instead of the next one.",
)


def _day(value: dt.datetime | None) -> dt.date | None:
    return value.date() if value else None


@dataclass(frozen=True)
class PreviewResult:
    plan: SectionPlan

    def as_text(self) -> str:
        from gworkflow.agenda.text import blocks_to_text

        plan = self.plan
        head = f"Agenda for {plan.series.id}, meeting {plan.meeting.key.isoformat()}"
        if plan.already_written:
            head += " (already in the doc: `agenda append` would change nothing)"
        return f"{head}\n\n{blocks_to_text(plan.blocks)}"

    def as_json(self) -> Any:
        return _plan_json(self.plan)


def _plan_json(plan: SectionPlan) -> dict[str, Any]:
    from gworkflow.agenda.text import blocks_to_text

    return {
        "series": plan.series.id,
        "meeting": plan.meeting.key.isoformat(),
        "start": plan.meeting.start.isoformat(),
        "previous_meeting": plan.previous.isoformat() if plan.previous else None,
        "already_written": plan.already_written,
        "marker": plan.marker,
        "text": blocks_to_text(plan.blocks),
    }


@dataclass(frozen=True)
class AppendResult:
    outcome: AppendOutcome
    link: str = ""  # where a person opens the doc (Google Docs, or the sandbox's view)

    def as_text(self) -> str:
        outcome, plan = self.outcome, self.outcome.plan
        when = plan.meeting.key.isoformat()
        if plan.already_written:
            return f"The agenda for {when} is already in the doc; nothing changed."
        if outcome.dry_run:
            from gworkflow.agenda.text import blocks_to_text

            return f"Would append the agenda for {when} (dry run):\n\n{blocks_to_text(plan.blocks)}"
        if outcome.meanwhile:
            return f"The agenda for {when} is already there: another run wrote it."
        if not outcome.written:
            return f"The agenda for {when} is already in the doc; nothing changed."
        return f"Appended the agenda for {when}: {self.link or plan.series.doc_url}"

    def as_json(self) -> Any:
        body = _plan_json(self.outcome.plan)
        body.update(
            written=self.outcome.written,
            written_by_another_run=self.outcome.meanwhile,
            dry_run=self.outcome.dry_run,
            doc_url=self.link or None,
        )
        return body


@click.group("agenda")
def agenda_group() -> None:
    """Preview or append the agenda section for a meeting."""


@agenda_group.command("preview")
@series_option
@meeting_option
@json_option
@pass_app
def preview(
    app: App, series_id: str | None, meeting_day: dt.datetime | None, as_json: bool
) -> None:
    """Show the section that would be written for the next meeting. Writes nothing.

    Last month's goals are read from the running doc (when the series has one) and shown
    as the prompts they would become.
    """
    from gworkflow.runner import plan_section, select_meeting

    series = app.series(series_id)
    clients = app.clients()
    now = app.clock()
    meeting = select_meeting(series, clients.series_event(series), now, _day(meeting_day))
    doc = clients.running_doc().fetch(series.doc_id) if series.doc_id else None
    emit(PreviewResult(plan_section(series, meeting, doc, now)), as_json)


@agenda_group.command("append")
@series_option
@meeting_option
@dry_run_option
@json_option
@pass_app
def append(
    app: App, series_id: str | None, meeting_day: dt.datetime | None, dry_run: bool, as_json: bool
) -> None:
    """Write the section for the next meeting (or --meeting DATE) into the running doc.

    Idempotent: when the section is already there, nothing changes and the exit code is 0.
    """
    from gworkflow.runner import append_agenda, select_meeting

    series = app.series(series_id)
    clients = app.clients()
    now = app.clock()
    meeting = select_meeting(series, clients.series_event(series), now, _day(meeting_day))
    outcome = append_agenda(series, clients.running_doc(), meeting, now, dry_run=dry_run)
    emit(AppendResult(outcome, app.doc_link(series.doc_id)), as_json)


@dataclass(frozen=True)
class GoalsResult:
    meeting: dt.date | None
    carries: list[ParticipantCarry]
    topics: tuple[str, ...] = ()

    def as_json(self) -> Any:
        from gworkflow.agenda.carry import to_json

        return to_json(self.meeting, self.carries, self.topics)

    def as_text(self) -> str:
        from gworkflow.agenda.text import carry_text

        if self.meeting is None:
            return "The doc has no agenda section yet: nothing to carry forward."
        return carry_text(self.meeting, self.carries, self.topics)


@click.command("goals")
@series_option
@click.option(
    "--doc-json",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Read a saved documents.get response instead of calling Google (offline).",
)
@json_option
@pass_app
def goals(app: App, series_id: str | None, doc_json: Path | None, as_json: bool) -> None:
    """What the doc's latest section holds per participant: what the next one carries.

    Checkbox ticks are invisible to the Docs API; a goal counts as done only when its text
    starts with a check mark, "[x]" or "done:", or is struck through.
    """
    from gworkflow.agenda.carry import carry_forward
    from gworkflow.agenda.docjson import select_tab
    from gworkflow.errors import ConfigError
    from gworkflow.google.answers import document

    series = app.series(series_id)
    if doc_json is not None:
        try:
            doc = json.loads(doc_json.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise ConfigError(f"{doc_json}: not a documents.get JSON response: {exc}") from None
        problem = document(doc)
        if problem:
            # The same check as for Google's own answer: what carry-forward reads.
            raise ConfigError(f"{doc_json}: not a documents.get response ({problem})")
    else:
        from gworkflow.runner import require_doc

        doc = app.clients().running_doc().fetch(require_doc(series))
    today = app.clock().astimezone(series.timezone).date()
    names = [p.name for p in series.participants]
    latest, carries = carry_forward(
        select_tab(doc, series.tab), series.id, names, dt.date.max, today
    )
    emit(GoalsResult(latest, list(carries), series.topics), as_json)
