"""`gworkflow run` (the daily cron job) and `gworkflow cron print`."""

from __future__ import annotations

import datetime as dt
import shlex
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from gworkflow.cli._common import App, dry_run_option, emit, json_option, pass_app, series_option

if TYPE_CHECKING:
    from gworkflow.runner import RunOutcome


def _parse_now(
    _ctx: click.Context, _param: click.Parameter, value: str | None
) -> dt.datetime | None:
    if not value:
        return None
    try:
        parsed = dt.datetime.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(
            f"{value!r} is not ISO 8601, e.g. 2026-12-01T07:00-06:00"
        ) from None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=dt.UTC)


@dataclass(frozen=True)
class RunReport:
    outcomes: list[RunOutcome]

    def as_text(self) -> str:
        from gworkflow.cli._common import StatusKind, status_word

        # On a terminal: what was written green, what failed red, the rest plain.
        kinds: dict[str, StatusKind] = {"appended": "ok", "failed": "failed"}
        lines = []
        for outcome in self.outcomes:
            kind = kinds.get(outcome.action)
            lines.append(status_word(outcome.summary(), kind) if kind else outcome.summary())
        return "\n".join(lines)

    def as_json(self) -> Any:
        return [outcome.as_json() for outcome in self.outcomes]

    @property
    def exit_code(self) -> int:
        return max((outcome.exit_code for outcome in self.outcomes), default=0)


def _log_to(path: Path) -> None:
    import logging

    handler = logging.FileHandler(path, encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    root.addHandler(handler)
    root.setLevel(min(root.level, logging.INFO))


@click.command("run")
@series_option
@click.option("--all", "all_series", is_flag=True, help="Run every series in the config.")
@click.option(
    "--now",
    callback=_parse_now,
    metavar="DATETIME",
    help="Pretend it is DATETIME (ISO 8601; without an offset, UTC).",
)
@click.option(
    "--log-file",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Also append log lines to FILE (for cron).",
)
@dry_run_option
@json_option
@pass_app
def run(
    app: App,
    series_id: str | None,
    all_series: bool,
    now: dt.datetime | None,
    log_file: Path | None,
    dry_run: bool,
    as_json: bool,
) -> None:
    """The daily job: append the next meeting's agenda once it is within lead_days.

    For each series: make sure the event exists; find the next meeting on the calendar
    (moved and cancelled meetings honoured); if it is within lead_days and its section
    is missing from the doc, append it.

    Idempotent and cheap, so it can run every day from cron. Never opens a browser or
    asks a question: without a valid sign-in it exits with code 3.
    """
    from gworkflow.errors import GworkflowError
    from gworkflow.paths import lock_path
    from gworkflow.runner import RunOutcome, run_series

    if all_series and series_id:
        raise click.UsageError("use --series ID or --all, not both")
    if log_file is not None:
        _log_to(log_file)
    config = app.config()
    chosen = list(config.series) if all_series else [config.select(series_id)]
    moment = now or app.clock()
    if all_series:
        # Every series: paced under the quotas, several at once, a progress bar on a terminal.
        from gworkflow.cli._programme import run_every_series

        programme = run_every_series(app, chosen, moment, dry_run, as_json)
        emit(programme, as_json)
        if programme.exit_code:
            click.get_current_context().exit(programme.exit_code)
        return
    clients = app.clients()
    outcomes: list[RunOutcome] = []
    for series in chosen:
        try:
            outcome = run_series(
                series,
                clients.running_doc(),
                clients.series_event(series),
                moment,
                lock_path(series.id),
                dry_run=dry_run,
            )
        except GworkflowError as exc:
            # One broken series must not stop the others; the exit code reports it.
            outcome = RunOutcome(series.id, "failed", message=exc.message, exit_code=exc.exit_code)
        import logging

        logging.getLogger("gworkflow.run").info(outcome.summary())
        outcomes.append(outcome)
    report = RunReport(outcomes)
    emit(report, as_json)
    if report.exit_code:
        click.get_current_context().exit(report.exit_code)


@click.group("cron")
def cron_group() -> None:
    """Help to schedule `gworkflow run`."""


@dataclass(frozen=True)
class CronLine:
    schedule: str  # the five crontab time fields
    environment: dict[str, str]
    command: list[str]

    def line(self) -> str:
        env = " ".join(f"{name}={shlex.quote(value)}" for name, value in self.environment.items())
        args = " ".join(shlex.quote(part) for part in self.command)
        return f"{self.schedule} {env} {args} >/dev/null 2>&1"

    def as_text(self) -> str:
        return f"# gworkflow: daily agenda check (add with `crontab -e`)\n{self.line()}"

    def as_json(self) -> Any:
        return {
            "schedule": self.schedule,
            "environment": self.environment,
            "command": self.command,
            "line": self.line(),
        }


@cron_group.command("print")
@click.option("--at", "at", default="07:17", show_default=True, metavar="HH:MM", help="Daily time.")
@json_option
@pass_app
def cron_print(app: App, at: str, as_json: bool) -> None:
    """Print a crontab line (absolute paths, the environment it needs) for a daily run."""
    import os
    import shutil
    import sys

    from gworkflow.paths import home_dir

    try:
        hour, minute = (int(part) for part in at.split(":"))
        if not (0 <= hour < 24 and 0 <= minute < 60):
            raise ValueError
    except ValueError:
        raise click.BadParameter(f"{at!r} is not a time like 07:17", param_hint="--at") from None
    found = shutil.which("gworkflow")
    command = [found] if found else [sys.executable, "-m", "gworkflow"]
    home = home_dir().resolve()
    env = {"GWORKFLOW_HOME": str(home)}
    if app.config_path is not None:
        env["GWORKFLOW_CONFIG"] = str(app.config_path.resolve())
    if os.environ.get("GWORKFLOW_API_ENDPOINT"):
        env["GWORKFLOW_API_ENDPOINT"] = os.environ["GWORKFLOW_API_ENDPOINT"]
    log = home / "run.log"
    args = [*command, "run", "--all", "--log-file", str(log)]
    emit(CronLine(f"{minute} {hour} * * *", env, args), as_json)
