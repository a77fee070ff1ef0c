"""`gworkflow status`: the programme at a glance, one line per series."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import click

from gworkflow.cli._common import App, json_option, pass_app, series_option

if TYPE_CHECKING:
    from gworkflow.status import SeriesStatus

COLUMNS = ("series", "next meeting", "latest section", "typed", "open goals", "done 3 mo", "")
CSV_COLUMNS = (
    "series",
    "next_meeting",
    "next_meeting_status",
    "latest_section",
    "typed",
    "open_goals",
    "done_last_3_months",
    "quiet",
    "problem",
)


@dataclass(frozen=True)
class StatusReport:
    rows: Sequence[SeriesStatus]
    notes: Sequence[str] = ()

    def cells(self, row: SeriesStatus) -> list[str]:
        meeting = row.next_meeting
        when = "-"
        if meeting is not None:
            when = meeting.start.strftime("%a %Y-%m-%d %H:%M")
            if meeting.status == "moved":
                when += " (moved)"
        failed = bool(row.problem)
        return [
            row.series_id,
            "?" if failed else when,
            "?" if failed else (row.latest_section.isoformat() if row.latest_section else "-"),
            "?" if failed else (row.typed or "-"),
            "?" if failed else str(row.open_goals),
            "?" if failed else str(row.done_recently),
            row.flag,
        ]

    def as_text(self) -> str:
        table = [list(COLUMNS)] + [self.cells(row) for row in self.rows]
        widths = [max(len(line[i]) for line in table) for i in range(len(COLUMNS))]
        lines = [
            "  ".join(c.ljust(w) for c, w in zip(line, widths, strict=True)).rstrip()
            for line in table
        ]
        quiet = sum(1 for row in self.rows if row.quiet)
        if len(self.rows) > 1:
            lines.append(f"{len(self.rows)} series, {quiet} quiet.")
        return "\n".join([*lines, *self.notes])

    def as_json(self) -> Any:
        return [row.as_json() for row in self.rows]

    def as_csv(self) -> str:
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(CSV_COLUMNS)
        for row in self.rows:
            data = row.as_json()
            writer.writerow([_csv_cell(data[key]) for key in CSV_COLUMNS])
        return out.getvalue()

    @property
    def exit_code(self) -> int:
        return max((row.exit_code for row in self.rows), default=0)


def _csv_cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


@click.command("status")
@series_option
@click.option("--all", "all_series", is_flag=True, help="Every series in the config.")
@click.option("--csv", "as_csv", is_flag=True, help="Print CSV, one row per series.")
@json_option
@pass_app
def status(app: App, series_id: str | None, all_series: bool, as_csv: bool, as_json: bool) -> None:
    """One line per series: next meeting, latest section, goals, and pairs gone quiet.

    For each series: the next meeting; the date of the doc's latest section and whether
    anyone typed in it since gworkflow wrote it (a list item gworkflow did not write);
    goals still open and goals marked done in the last three months; and "quiet" when
    nothing was typed in the last two sections whose meeting has passed. Reads each doc
    once and each calendar once, paced like `run --all`.
    """
    from gworkflow.cli._common import emit
    from gworkflow.cli._programme import (
        make_pacer,
        progress_bar,
        rate_limit_note,
        show_progress,
        worker_clients,
    )
    from gworkflow.config import Series
    from gworkflow.google.clients import GoogleClients
    from gworkflow.programme import for_each_series
    from gworkflow.status import failed_status, series_status

    if all_series and series_id:
        raise click.UsageError("use --series ID or --all, not both")
    if as_json and as_csv:
        raise click.UsageError("use --json or --csv, not both")
    config = app.config()
    chosen = list(config.series) if all_series else [config.select(series_id)]
    now = app.clock()
    pacer = make_pacer(app)

    def task(series: Series, clients: GoogleClients) -> SeriesStatus:
        return series_status(series, clients.running_doc(), clients.series_event(series), now)

    machine = as_json or as_csv
    with progress_bar(len(chosen), "status", show_progress(machine) and len(chosen) > 1) as report:
        rows = for_each_series(
            chosen,
            task,
            worker_clients(app, pacer),
            failed_status,
            workers=config.limits.workers,
            pacer=pacer,
            progress=lambda state, _row: report(state),
        )
    result = StatusReport(rows, rate_limit_note(pacer))
    if as_csv:
        click.echo(result.as_csv(), nl=False)
    else:
        emit(result, as_json)
    if result.exit_code:
        click.get_current_context().exit(result.exit_code)
