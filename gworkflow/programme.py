"""Working on every series of a programme at once: paced, concurrent, failure-isolated.

A committee's config holds dozens to hundreds of series. `for_each_series` runs one task
per series on a few worker threads (`[limits] workers`), each with its own Google clients
(the client's HTTP object is not thread-safe) built by `make_clients`; the clients of every
worker share one `gworkflow.pacing.Pacer`, so the run stays under the user's quotas however
many workers there are, and writes come evenly spaced. One series' failure becomes that
series' outcome and never stops the others; only a missing or refused sign-in, which
would fail every series alike, stops the series not yet started (they are reported with
the same message, without calling Google).

The tasks: `run_all` (the daily job of `gworkflow.runner` for each series), `create_doc`
and `create_event` (`doc create --all`, `event create --all`). `gworkflow.status` adds its
own. The caller gets each outcome as it arrives (`progress`, for a progress bar and the
log) and all of them in config order at the end. Nothing here prints or builds clients.
"""

from __future__ import annotations

import datetime as dt
import itertools
import logging
import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal, Protocol, TypeVar

from gworkflow.config import Series, update_series
from gworkflow.errors import ExitCode, GworkflowError, SignInNeeded
from gworkflow.pacing import Pacer
from gworkflow.ports import AgendaDoc, SeriesCalendar
from gworkflow.runner import RunOutcome, run_series
from gworkflow.types import JSON

C = TypeVar("C")
R = TypeVar("R")


@dataclass(frozen=True)
class Progress:
    """How far a run over many series is: series done, series in all, seconds left (an
    estimate from the pacing, None until one series is done)."""

    done: int
    total: int
    eta_seconds: float | None

    @property
    def left(self) -> int:
        return self.total - self.done


def for_each_series(
    series_list: Sequence[Series],
    task: Callable[[Series, C], R],
    make_clients: Callable[[], C],
    failed: Callable[[Series, GworkflowError], R],
    *,
    workers: int = 4,
    pacer: Pacer | None = None,
    progress: Callable[[Progress, R], None] | None = None,
    clock: Callable[[], float] = time.monotonic,
) -> list[R]:
    """`task(series, clients)` for every series, on at most `workers` threads; the outcomes
    in the order of `series_list`.

    `make_clients()` is called once per worker thread. A `GworkflowError` (or any other
    exception: a bug must not cost the other series their run) becomes `failed(series,
    error)`. `progress(state, outcome)` is called in the calling thread as each series ends.
    """
    total = len(series_list)
    if total == 0:
        return []
    local = threading.local()
    stop: list[GworkflowError] = []  # a sign-in failure: every later series would fail too
    stop_lock = threading.Lock()

    def one(series: Series) -> R:
        with stop_lock:
            stopped = stop[0] if stop else None
        if stopped is not None:
            return failed(series, stopped)
        try:
            if not hasattr(local, "clients"):
                local.clients = make_clients()
            return task(series, local.clients)
        except SignInNeeded as exc:
            with stop_lock:
                stop.append(exc)
            return failed(series, exc)
        except GworkflowError as exc:
            return failed(series, exc)
        except Exception as exc:
            return failed(series, unexpected_failure(exc))

    started = clock()
    outcomes: dict[int, R] = {}
    workers = max(1, min(workers, total))
    executor = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="gworkflow")
    pending = iter(enumerate(series_list))
    running: dict[Future[R], int] = {}

    def start(count: int) -> None:
        for index, series in itertools.islice(pending, count):
            running[executor.submit(one, series)] = index

    try:
        # Slow start: one series first, then two more each time one ends, up to `workers`.
        # All at once, the workers' first reads would queue behind each other and the first
        # write (the scarcest quota) would wait for all of them.
        start(1)
        while running:
            finished, _ = wait(running, return_when=FIRST_COMPLETED)
            for future in finished:
                outcome = future.result()
                outcomes[running.pop(future)] = outcome
                if progress is not None:
                    done = len(outcomes)
                    eta = _estimate(pacer, done, total - done, clock() - started)
                    progress(Progress(done, total, eta), outcome)
            start(min(2 * len(finished), workers - len(running)))
    except BaseException:
        # Ctrl-C: start no other series; those under way finish their current request.
        executor.shutdown(wait=False, cancel_futures=True)
        raise
    executor.shutdown(wait=True)
    return [outcomes[index] for index in range(total)]


def _estimate(pacer: Pacer | None, done: int, remaining: int, elapsed: float) -> float | None:
    if pacer is not None:
        return pacer.estimate(done, remaining, elapsed)
    if done <= 0:
        return None
    return elapsed / done * remaining


def unexpected_failure(exc: Exception) -> GworkflowError:
    """A bug inside one series' work, as one line (the traceback goes to the -v log)."""
    logging.getLogger("gworkflow.run").debug("unexpected failure", exc_info=exc)
    error = GworkflowError(
        f"gworkflow failed unexpectedly ({type(exc).__name__}: {exc}); please report it "
        "(`gworkflow -v run` logs the details)"
    )
    error.exit_code = ExitCode.FAILED
    return error


# --- the daily job over every series -----------------------------------------------------------


class RunPorts(Protocol):
    """What a worker needs for the daily job: the running doc and a series' calendar."""

    def running_doc(self) -> AgendaDoc: ...

    def series_event(self, series: Series) -> SeriesCalendar: ...


def run_all(
    series_list: Sequence[Series],
    make_ports: Callable[[], RunPorts],
    pacer: Pacer | None,
    progress: Callable[[Progress, RunOutcome], None] | None,
    *,
    now: dt.datetime,
    lock_for: Callable[[str], Path],
    dry_run: bool = False,
    workers: int = 4,
) -> list[RunOutcome]:
    """`gworkflow.runner.run_series` for every series (see `for_each_series`)."""

    def task(series: Series, ports: RunPorts) -> RunOutcome:
        return run_series(
            series,
            ports.running_doc(),
            ports.series_event(series),
            now,
            lock_for(series.id),
            dry_run=dry_run,
        )

    return for_each_series(
        series_list,
        task,
        make_ports,
        failed_run,
        workers=workers,
        pacer=pacer,
        progress=progress,
    )


def failed_run(series: Series, error: GworkflowError) -> RunOutcome:
    return RunOutcome(series.id, "failed", message=error.message, exit_code=error.exit_code)


# --- setting up every series: docs and events ----------------------------------------------

SetupAction = Literal["created", "exists", "would-create", "failed"]


@dataclass(frozen=True)
class SetupOutcome:
    """What `doc create --all` or `event create --all` did for one series."""

    series_id: str
    action: SetupAction
    message: str = ""
    exit_code: int = 0
    detail: JSON = field(default_factory=dict)

    def summary(self) -> str:
        return f"{self.series_id}: {self.message}"

    def as_json(self) -> JSON:
        return {
            "series": self.series_id,
            "action": self.action,
            "message": self.message,
            "exit_code": self.exit_code,
            **self.detail,
        }


def failed_setup(series: Series, error: GworkflowError) -> SetupOutcome:
    return SetupOutcome(series.id, "failed", error.message, int(error.exit_code))


class DocMaker(Protocol):
    """The Docs and Drive calls that creating and sharing a running doc needs."""

    def create(self, title: str) -> JSON: ...

    def share(self, doc_id: str, emails: Sequence[str], notify: bool = True) -> None: ...


def doc_title(series: Series) -> str:
    return f"{series.title} — running agenda"


def create_doc(
    series: Series,
    doc: DocMaker,
    config_path: Path,
    *,
    share: bool,
    me: str,
    config_lock: threading.Lock,
    dry_run: bool = False,
) -> SetupOutcome:
    """Create the series' running doc unless it has one, record its id in the config at
    once (under `config_lock`: workers write the same file), and share it with every
    participant but `me` (the signed-in account). A share that fails is reported in the
    message; the doc is kept."""
    if series.doc_id:
        return SetupOutcome(series.id, "exists", f"has a doc already ({series.doc_id})")
    others = [p.email for p in series.participants if p.email.casefold() != me.casefold()]
    if dry_run:
        return SetupOutcome(
            series.id,
            "would-create",
            f"would create {doc_title(series)!r} and share it with "
            f"{', '.join(others) if share and others else 'nobody'} (dry run)",
        )
    doc_id = str(doc.create(doc_title(series))["documentId"])
    with config_lock:
        update_series(config_path, series.id, {"doc_id": doc_id})
    shared: list[str] = []
    problems: list[str] = []
    for email in others if share else []:
        try:
            doc.share(doc_id, [email])
            shared.append(email)
        except GworkflowError as exc:
            problems.append(f"{email}: {exc.message}")
    url = f"https://docs.google.com/document/d/{doc_id}/edit"
    message = f"created {url}" + (f", shared with {', '.join(shared)}" if shared else "")
    message += "".join(f"; could not share with {problem}" for problem in problems)
    detail: JSON = {"doc_id": doc_id, "url": url, "shared_with": shared, "problems": problems}
    return SetupOutcome(series.id, "created", message, detail=detail)


class EventCreated(Protocol):
    """What creating an event answers (`gworkflow.google.calendar.CreateResult`)."""

    @property
    def created(self) -> bool: ...

    @property
    def event(self) -> JSON: ...


class EventMaker(Protocol):
    """The Calendar call that creating a series' event needs (`SeriesEvent.create`)."""

    def create(
        self, doc_url: str, now: dt.datetime, send_invites: bool = True, dry_run: bool = False
    ) -> EventCreated: ...


def create_event(
    series: Series,
    event: EventMaker,
    now: dt.datetime,
    *,
    send_invites: bool,
    dry_run: bool = False,
) -> SetupOutcome:
    """Create the series' recurring event unless it exists (one lookup, one insert)."""
    result = event.create(series.doc_url, now, send_invites=send_invites, dry_run=dry_run)
    event_id = str(result.event.get("id", ""))
    if not result.created:
        return SetupOutcome(
            series.id, "exists", "the event exists already", detail={"event_id": event_id}
        )
    if dry_run:
        return SetupOutcome(series.id, "would-create", "would create the event (dry run)")
    invited = "invitations sent" if send_invites else "no invitations sent"
    return SetupOutcome(
        series.id,
        "created",
        f"created the event ({invited})",
        detail={"event_id": event_id, "html_link": result.event.get("htmlLink", "")},
    )
