"""What the `--all` commands share: the paced worker clients, the progress bar, the summary.

`run --all`, `doc create --all`, `event create --all` and `status --all` hand their
per-series task to `gworkflow.programme.for_each_series`; this module builds what it needs
from the App (a `Pacer` from the config's `[limits]`, one set of Google clients per worker,
all paced by it), shows a progress bar on stderr when it is a terminal (never under cron,
with --json/--csv or with `gworkflow --quiet`), and renders the final summary: a short
table of counts, then one line per failure.
"""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import click

from gworkflow.cli._common import App

if TYPE_CHECKING:
    from gworkflow.config import Series
    from gworkflow.google.clients import GoogleClients
    from gworkflow.pacing import Pacer
    from gworkflow.programme import Progress, SetupOutcome
    from gworkflow.runner import RunOutcome

QUIET_KEY = "gworkflow.quiet"


def make_pacer(app: App) -> Pacer:
    """The run's pacer, at the config's `[limits]`."""
    from gworkflow.pacing import Pacer

    return Pacer(app.config().limits.per_minute())


def worker_clients(app: App, pacer: Pacer) -> Callable[[], GoogleClients]:
    """A factory of Google clients paced by `pacer`: each worker thread calls it once.
    The sign-in is loaded (and refreshed) once, here, and shared."""
    from gworkflow.google.clients import build_clients

    endpoint = app.endpoint()
    deadline = app.deadline()
    if endpoint:
        return lambda: build_clients(None, endpoint, deadline=deadline, pacer=pacer)
    from gworkflow.google.credentials import load_credentials
    from gworkflow.paths import token_path

    credentials = load_credentials(app.config().auth, token_path(), deadline=deadline)
    return lambda: build_clients(credentials, None, deadline=deadline, pacer=pacer)


def show_progress(machine_output: bool) -> bool:
    """A progress bar only for a person at a terminal: not under cron (stderr is not a
    terminal), not with --json/--csv, not with `gworkflow --quiet`."""
    if machine_output or click.get_current_context().meta.get(QUIET_KEY):
        return False
    try:
        return sys.stderr.isatty()
    except (ValueError, OSError):
        return False


def duration(seconds: float) -> str:
    """ "45s", "3m 05s", "1h 02m"."""
    whole = max(round(seconds), 0)
    if whole < 60:
        return f"{whole}s"
    minutes, secs = divmod(whole, 60)
    if minutes < 60:
        return f"{minutes}m {secs:02d}s"
    hours, minutes = divmod(minutes, 60)
    return f"{hours}h {minutes:02d}m"


@contextmanager
def progress_bar(total: int, label: str, enabled: bool) -> Iterator[Callable[[Progress], None]]:
    """A callback to report progress to: a bar on stderr with done/total, how many are
    left and the time left estimated from the pacing; a no-op when not `enabled`."""
    if not enabled or total == 0:
        yield lambda _state: None
        return
    bar = click.progressbar(
        length=total,
        label=label,
        show_pos=True,
        show_eta=False,
        show_percent=False,
        item_show_func=lambda text: text,
        file=sys.stderr,
    )
    with bar:

        def report(state: Progress) -> None:
            eta = f", about {duration(state.eta_seconds)}" if state.eta_seconds else ""
            bar.update(state.done - bar.pos, current_item=f"{state.left} left{eta}")

        yield report


@dataclass(frozen=True)
class ProgrammeReport:
    """The summary of a run over many series: counts, then one line per failure."""

    rows: list[tuple[str, int]]
    failures: list[str]
    notes: list[str]
    json: Any
    exit_code: int
    # What each series' run did (RunOutcome), for the state file that `doctor` reads.
    outcomes: Sequence[Any] = ()

    def as_text(self) -> str:
        from gworkflow.cli._common import StatusKind, status_word

        # On a terminal: what was written green, what failed red, the rest plain.
        kinds: dict[str, StatusKind] = {"appended": "ok", "created": "ok", "failed": "failed"}
        width = max(len(label) for label, _ in self.rows)
        lines = []
        for label, count in self.rows:
            line = f"{label:<{width}}  {count:>4}"
            kind = kinds.get(label)
            lines.append(status_word(line, kind) if kind and count else line)
        lines += self.notes
        if self.failures:
            lines += ["", "Failures:"] + [
                status_word(f"  {line}", "failed") for line in self.failures
            ]
        return "\n".join(lines)

    def as_json(self) -> Any:
        return self.json


def rate_limit_note(pacer: Pacer) -> list[str]:
    """One line when Google answered some requests with a rate limit (they were retried)."""
    count = pacer.stats().rate_limited_total
    if not count:
        return []
    return [
        f"Google asked to slow down {count} time(s) (rate limit; retried): lower [limits] "
        "in the config if another program uses the same account"
    ]


# --- run --all ----------------------------------------------------------------------------


def run_every_series(
    app: App, series_list: Sequence[Series], now: dt.datetime, dry_run: bool, as_json: bool
) -> ProgrammeReport:
    """The daily job for every series, paced and concurrent, with a progress bar."""
    import logging

    from gworkflow.paths import lock_path
    from gworkflow.programme import run_all

    log = logging.getLogger("gworkflow.run")
    pacer = make_pacer(app)
    make_clients = worker_clients(app, pacer)
    with progress_bar(len(series_list), "run", show_progress(as_json)) as report:

        def progress(state: Progress, outcome: RunOutcome) -> None:
            log.info(outcome.summary())
            report(state)

        outcomes = run_all(
            series_list,
            make_clients,
            pacer,
            progress,
            now=now,
            lock_for=lock_path,
            dry_run=dry_run,
            workers=app.config().limits.workers,
        )
    return run_report(outcomes, rate_limit_note(pacer))


def run_report(outcomes: Sequence[RunOutcome], notes: Sequence[str] = ()) -> ProgrammeReport:
    def count(*actions: str) -> int:
        return sum(1 for outcome in outcomes if outcome.action in actions)

    rows = [
        ("appended", count("appended")),
        ("already there", count("exists")),
        ("not yet due", count("not-yet")),
        ("failed", count("failed")),
    ]
    extra = [
        ("would append (dry run)", count("would-append")),
        ("no upcoming meeting", count("no-meeting")),
    ]
    rows[3:3] = [row for row in extra if row[1]]
    created = sum(1 for outcome in outcomes if outcome.event_created)
    lines = [f"Created {created} calendar event(s)."] if created else []
    return ProgrammeReport(
        rows=rows,
        failures=[o.summary() for o in outcomes if o.action == "failed"],
        notes=lines + list(notes),
        json=[outcome.as_json() for outcome in outcomes],
        exit_code=max((outcome.exit_code for outcome in outcomes), default=0),
        outcomes=list(outcomes),
    )


# --- doc create --all, event create --all -------------------------------------------------------


def setup_every_series(
    app: App,
    series_list: Sequence[Series],
    task: Callable[[Series, GoogleClients], SetupOutcome],
    label: str,
    as_json: bool,
) -> ProgrammeReport:
    """One setup task (create a doc, create an event) for every series, paced."""
    from gworkflow.programme import failed_setup, for_each_series

    pacer = make_pacer(app)
    make_clients = worker_clients(app, pacer)
    with progress_bar(len(series_list), label, show_progress(as_json)) as report:
        outcomes = for_each_series(
            series_list,
            task,
            make_clients,
            failed_setup,
            workers=app.config().limits.workers,
            pacer=pacer,
            progress=lambda state, _outcome: report(state),
        )
    return setup_report(outcomes, rate_limit_note(pacer))


def setup_report(outcomes: Sequence[SetupOutcome], notes: Sequence[str] = ()) -> ProgrammeReport:
    def count(action: str) -> int:
        return sum(1 for outcome in outcomes if outcome.action == action)

    rows = [("created", count("created")), ("already there", count("exists"))]
    if count("would-create"):
        rows.append(("would create (dry run)", count("would-create")))
    rows.append(("failed", count("failed")))
    return ProgrammeReport(
        rows=rows,
        failures=[o.summary() for o in outcomes if o.action == "failed"],
        notes=list(notes),
        json=[outcome.as_json() for outcome in outcomes],
        exit_code=max((outcome.exit_code for outcome in outcomes), default=0),
    )
