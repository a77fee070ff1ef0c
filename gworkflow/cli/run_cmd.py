"""`gworkflow run` (the daily cron job) and `gworkflow cron print`."""

from __future__ import annotations

import datetime as dt
import logging
import shlex
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from gworkflow.cli._common import App, dry_run_option, emit, json_option, pass_app, series_option

if TYPE_CHECKING:
    from gworkflow.cli._programme import ProgrammeReport
    from gworkflow.config import Series
    from gworkflow.google.clients import GoogleClients
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
    """Every series' outcome. `links` holds the running doc's link per series, for the
    lines that say a section was written."""

    outcomes: list[RunOutcome]
    links: dict[str, str] = field(default_factory=dict)

    def line(self, outcome: RunOutcome) -> str:
        link = self.links.get(outcome.series_id) if outcome.action == "appended" else None
        return f"{outcome.summary()}: {link}" if link else outcome.summary()

    def as_text(self) -> str:
        from gworkflow.cli._common import StatusKind, status_word

        # On a terminal: what was written green, what failed red, the rest plain.
        kinds: dict[str, StatusKind] = {"appended": "ok", "failed": "failed"}
        lines = []
        for outcome in self.outcomes:
            kind = kinds.get(outcome.action)
            line = self.line(outcome)
            lines.append(status_word(line, kind) if kind else line)
        return "\n".join(lines)

    def as_json(self) -> Any:
        return [
            {**outcome.as_json(), "doc_url": self.links.get(outcome.series_id) or None}
            for outcome in self.outcomes
        ]

    @property
    def exit_code(self) -> int:
        return max((outcome.exit_code for outcome in self.outcomes), default=0)


# Each series' outcome is logged here (INFO, failures at ERROR with their fix). It does not
# propagate to the root logger, whose stderr handler would print failures a second time:
# `run` prints them itself.
RUN_LOG = "gworkflow.run"


@contextmanager
def _run_log(path: Path | None, verbose: int) -> Iterator[logging.Logger]:
    """The run's logger, writing to `path` (and the other gworkflow loggers with it)."""
    run_log = logging.getLogger(RUN_LOG)
    run_log.propagate = False
    run_log.setLevel(logging.DEBUG if verbose else logging.INFO)
    handler: logging.Handler = logging.NullHandler()
    root = logging.getLogger()
    old_level = root.level
    # Lowering the root logger's level for the file must not let INFO lines (a renewed
    # token, a retry) through the stderr handler too: cron would mail them every day.
    pinned = [h for h in root.handlers if h.level == logging.NOTSET]
    for existing in pinned:
        existing.setLevel(old_level)
    if path is not None:
        handler = logging.FileHandler(path, encoding="utf-8")
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
        handler.setLevel(logging.DEBUG if verbose else logging.INFO)
        root.addHandler(handler)
        root.setLevel(min(root.level, logging.INFO))
    run_log.addHandler(handler)
    try:
        yield run_log
    finally:
        run_log.removeHandler(handler)
        if path is not None:
            root.removeHandler(handler)
            root.setLevel(old_level)
            handler.close()
        for existing in pinned:
            existing.setLevel(logging.NOTSET)


def _parse_deadline(
    _ctx: click.Context, _param: click.Parameter, value: str | None
) -> float | None:
    if not value:
        return None
    from gworkflow.deadline import parse_seconds

    seconds = parse_seconds(value)
    if seconds is None:
        raise click.BadParameter(f"{value!r} is not a duration like 90s, 2m or 120")
    return seconds


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
    help="Also append log lines to FILE (for cron); failures at ERROR, with their fix.",
)
@click.option(
    "--deadline",
    "deadline",
    callback=_parse_deadline,
    metavar="DURATION",
    help="Give up after DURATION in all, retries included, e.g. 90s or 5m (default: "
    "`deadline` in the config, else 2m).",
)
@click.option(
    "--quiet",
    is_flag=True,
    help="Print nothing when all is well, only failures (for cron, which mails what a job prints).",
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
    deadline: float | None,
    quiet: bool,
    dry_run: bool,
    as_json: bool,
) -> None:
    """The daily job: append the next meeting's agenda once it is within lead_days.

    For each series: make sure the event exists; find the next meeting on the calendar
    (moved and cancelled meetings honoured); if it is within lead_days and its section
    is missing from the doc, append it.

    Idempotent and cheap, so it can run every day from cron. Never opens a browser or
    asks a question: without a valid sign-in it exits with code 3. Every failure goes to
    stderr and to the log file (at ERROR, with its fix), and each series' outcome to the
    state file next to the config, which `gworkflow doctor` reads.
    """
    from gworkflow.errors import GworkflowError

    if all_series and series_id:
        raise click.UsageError("use --series ID or --all, not both")
    with _run_log(log_file, app.verbose) as run_log:
        chosen: list[Series] = []
        try:
            config = app.config()
            if deadline is not None:
                app.deadline_seconds = deadline
            chosen = list(config.series) if all_series else [config.select(series_id)]
            clients = app.clients()
        except GworkflowError as exc:
            # Nothing ran: say so where a person will see it (the log, stderr via the
            # group, and the state file that `doctor` reads).
            run_log.error("%s", exc.message)
            if not dry_run and chosen:
                _record(app, [_failed(series.id, exc.message, exc.exit_code) for series in chosen])
            raise
        moment = now or app.clock()
        programme: ProgrammeReport | None = None
        if all_series:
            # Every series: paced under the quotas, several at once, a progress bar on a
            # terminal; one series' failure never stops the others.
            from gworkflow.cli._programme import run_every_series

            programme = run_every_series(app, chosen, moment, dry_run, as_json)
            outcomes = list(programme.outcomes)
            for outcome in outcomes:
                if outcome.action == "failed":
                    run_log.error("%s", outcome.summary())
        else:
            outcomes = [
                _run_one(app, clients, series, moment, dry_run, run_log) for series in chosen
            ]
        if not dry_run:
            _record(app, outcomes)
    report = RunReport(
        outcomes,
        {series.id: app.doc_link(series.doc_id) for series in chosen if series.doc_id},
    )
    failures = [outcome for outcome in outcomes if outcome.action == "failed"]
    if as_json:
        emit(report, as_json=True)
    elif not quiet:
        if programme is not None:
            # The summary table on stdout; the failures go to stderr, below.
            click.echo(replace(programme, failures=[]).as_text())
        else:
            succeeded = [outcome for outcome in outcomes if outcome.action != "failed"]
            if succeeded:
                click.echo(replace(report, outcomes=succeeded).as_text())
    if failures:
        from gworkflow.cli._common import status_word

        for outcome in failures:
            click.echo(status_word(f"Error: {outcome.summary()}", "failed"), err=True)
    if report.exit_code:
        click.get_current_context().exit(report.exit_code)


def _run_one(
    app: App,
    clients: GoogleClients,
    series: Series,
    moment: dt.datetime,
    dry_run: bool,
    run_log: logging.Logger,
) -> RunOutcome:
    """One series' run; a failure becomes its outcome, so the other series still run."""
    from gworkflow.errors import GworkflowError
    from gworkflow.paths import lock_path
    from gworkflow.runner import LOCK_TIMEOUT_SECONDS, run_series

    try:
        outcome = run_series(
            series,
            clients.running_doc(),
            clients.series_event(series),
            moment,
            lock_path(series.id),
            dry_run=dry_run,
            lock_timeout=max(min(LOCK_TIMEOUT_SECONDS, app.deadline().remaining()), 0.01),
        )
    except GworkflowError as exc:
        outcome = _failed(series.id, exc.message, exc.exit_code)
    except Exception as exc:  # a bug: still one line, and the other series still run
        from gworkflow.programme import unexpected_failure

        bug = unexpected_failure(exc)
        outcome = _failed(series.id, bug.message, bug.exit_code)
    if outcome.action == "failed":
        run_log.error("%s", outcome.summary())
    else:
        run_log.info("%s", outcome.summary())
    return outcome


def _failed(series_id: str, message: str, exit_code: int) -> RunOutcome:
    from gworkflow.runner import RunOutcome

    return RunOutcome(series_id, "failed", message=message, exit_code=exit_code)


def _record(app: App, outcomes: list[RunOutcome]) -> None:
    """Each series' outcome into the state file next to the config (for `doctor`)."""
    from gworkflow.state import RunRecord, record_runs, state_path

    records = [
        RunRecord(o.series_id, o.action != "failed", o.action, o.summary()) for o in outcomes
    ]
    try:
        record_runs(state_path(app.resolved_config_path()), records, app.clock())
    except OSError as exc:
        # The run itself is done; only doctor's history is missing this one.
        logging.getLogger(RUN_LOG).warning("could not record the run: %s", exc)


@click.group("cron")
def cron_group() -> None:
    """Help to schedule `gworkflow run`."""


@dataclass(frozen=True)
class CronLine:
    schedule: str  # the five crontab time fields
    environment: dict[str, str]
    command: list[str]
    mailto: str  # cron mails what the job prints here: with --quiet, only failures

    def line(self) -> str:
        env = " ".join(f"{name}={shlex.quote(value)}" for name, value in self.environment.items())
        args = " ".join(shlex.quote(part) for part in self.command)
        return f"{self.schedule} {env} {args}"

    def as_text(self) -> str:
        return "\n".join(
            [
                "# gworkflow: daily agenda check (add with `crontab -e`).",
                "# cron mails what a job prints to MAILTO; the run prints only failures, so a "
                "mail means something to fix.",
                f"MAILTO={self.mailto}",
                self.line(),
            ]
        )

    def as_json(self) -> Any:
        return {
            "schedule": self.schedule,
            "environment": self.environment,
            "command": self.command,
            "mailto": self.mailto,
            "line": self.line(),
        }


@cron_group.command("print")
@click.option("--at", "at", default="07:17", show_default=True, metavar="HH:MM", help="Daily time.")
@click.option(
    "--mailto",
    metavar="ADDRESS",
    help="Where cron mails a failing run's output (MAILTO; default: your user here).",
)
@click.option(
    "--allow-sandbox",
    is_flag=True,
    help="Print the line even when Google calls go to a sandbox on this machine.",
)
@json_option
@pass_app
def cron_print(app: App, at: str, mailto: str | None, allow_sandbox: bool, as_json: bool) -> None:
    """Print a crontab line (absolute paths, the environment it needs) for a daily run.

    The job runs `gworkflow run --all --quiet`: silent when all is well, so the mail cron
    sends to MAILTO whenever a job prints something arrives only when a run failed.
    """
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
    endpoint = os.environ.get("GWORKFLOW_API_ENDPOINT", "")
    for name, value in (
        ("GWORKFLOW_API_ENDPOINT", endpoint),
        ("api_endpoint in the config", _config_endpoint(app)),
    ):
        if value and _is_loopback(value) and not allow_sandbox:
            raise click.UsageError(
                f"{name} is {value}, a sandbox on this machine: a daily job would write "
                "there, not to Google. Unset it, or pass --allow-sandbox to print the line "
                "anyway"
            )
    found = shutil.which("gworkflow")
    command = [found] if found else [sys.executable, "-m", "gworkflow"]
    home = home_dir().resolve()
    env = {"GWORKFLOW_HOME": str(home)}
    if app.config_path is not None:
        env["GWORKFLOW_CONFIG"] = str(app.config_path.resolve())
    if endpoint:
        env["GWORKFLOW_API_ENDPOINT"] = endpoint
    log = home / "run.log"
    args = [*command, "run", "--all", "--log-file", str(log), "--quiet"]
    emit(CronLine(f"{minute} {hour} * * *", env, args, mailto or _local_user()), as_json)


def _local_user() -> str:
    import getpass

    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no user name in the environment or the password database
        return "you@example.org"


def _config_endpoint(app: App) -> str:
    from gworkflow.errors import ConfigError

    try:
        return app.config().api_endpoint
    except ConfigError:
        return ""


def _is_loopback(url: str) -> bool:
    import ipaddress
    from urllib.parse import urlsplit

    host = urlsplit(url).hostname or ""
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False
