"""Running the probes in order, collecting their results, and cleaning up.

Each probe runs once; whatever it raises becomes its result, so one surprise never stops
the others: a gworkflow error (Google's answer, worded by the gateway) or an answer of a
shape the probe did not expect is a "fail" with what happened; a missing prerequisite
(`NotRun`) is a "fail" saying which probe to look at. A lost sign-in stops the run (after
the clean-up), since every later probe would fail the same way.

Clean-up (skipped with `keep`): the scratch event is deleted (sendUpdates=none); the scratch
doc is moved to Drive's trash with `files.update(trashed=true)`, which the drive.file scope
allows for a file the app created, and which its owner can still undo for 30 days (a
permanent `files.delete` could not be undone if the id were ever wrong).
"""

from __future__ import annotations

import datetime as dt
import secrets
import time
from collections.abc import Callable, Sequence

from gworkflow.config import Series
from gworkflow.errors import GworkflowError, SignInNeeded
from gworkflow.google.clients import GoogleClients
from gworkflow.google.gateway import ApiError, Call, execute
from gworkflow.selftest.calendar_probes import CALENDAR_PROBES, scratch_series
from gworkflow.selftest.context import CALENDAR, DRIVE, Context, NotRun, Probe
from gworkflow.selftest.docs_probes import DOCS_PROBES
from gworkflow.selftest.recorder import Recorder
from gworkflow.selftest.results import Cleanup, ProbeResult, SelftestReport, failed

PROBES: tuple[Probe, ...] = DOCS_PROBES + CALENDAR_PROBES


def run_probe(ctx: Context, probe: Probe) -> ProbeResult:
    """One probe's result; never raises except for a lost sign-in."""
    ctx.recorder.probe = probe.name
    try:
        observation = probe.run(ctx)
    except SignInNeeded:
        raise
    except NotRun as exc:
        observation = failed(str(exc))
    except GworkflowError as exc:
        observation = failed(exc.message)
    except (KeyError, IndexError, TypeError, ValueError, AttributeError) as exc:
        # Google answered with a shape this probe did not expect: that is a finding too.
        observation = failed(f"unexpected answer ({type(exc).__name__}: {exc})")
    return ProbeResult(probe.name, probe.expected, observation.observed, observation.result)


def run_selftest(
    clients: GoogleClients,
    configured: Series,
    now: dt.datetime,
    endpoint: str,
    recorder: Recorder | None = None,
    keep: bool = False,
    probes: Sequence[Probe] = PROBES,
    sleep: Callable[[float], None] = time.sleep,
) -> SelftestReport:
    """Run `probes` against `clients` (the scratch event on `configured`'s calendar) and
    clean up unless `keep`."""
    ctx = Context(
        clients=clients,
        configured=configured,
        scratch=scratch_series(configured, secrets.token_hex(4)),
        now=now,
        recorder=recorder or Recorder(),
        sleep=sleep,
    )
    results: list[ProbeResult] = []
    try:
        for probe in probes:
            results.append(run_probe(ctx, probe))
    finally:
        ctx.recorder.probe = "cleanup"
        cleanup: tuple[Cleanup, ...] = () if keep else clean_up(ctx)
    return SelftestReport(endpoint, tuple(results), cleanup, kept(ctx) if keep else ())


def kept(ctx: Context) -> tuple[str, ...]:
    """What --keep left in place, for the user to look at."""
    found = []
    if ctx.doc_id:
        found.append(f"the scratch doc {ctx.doc_id}")
    if ctx.event:
        found.append(
            f"the scratch event {ctx.event.get('id')} on calendar {ctx.scratch.calendar_id!r}"
        )
    return tuple(found)


def clean_up(ctx: Context) -> tuple[Cleanup, ...]:
    """Delete the scratch event and trash the scratch doc; say what could not be."""
    done: list[Cleanup] = []
    if ctx.event is not None or ctx.notes.get("duplicate"):
        done.append(_delete_event(ctx))
    if ctx.doc_id is not None:
        done.append(_trash_doc(ctx, ctx.doc_id))
    return tuple(done)


def _delete_event(ctx: Context) -> Cleanup:
    what = f"scratch event on calendar {ctx.scratch.calendar_id!r}"
    try:
        event = ctx.series_event().delete(send_invites=False)
        extra = ctx.notes.get("duplicate")
        if extra and extra != event.get("id"):
            execute(
                ctx.events.delete(
                    calendarId=ctx.scratch.calendar_id, eventId=extra, sendUpdates="none"
                ),
                Call(CALENDAR, "delete the duplicate scratch event"),
            )
    except GworkflowError as exc:
        return Cleanup(what, False, _not_removed(CALENDAR, exc))
    return Cleanup(f"{what} ({event.get('id')})", True, "deleted, nobody notified")


def _trash_doc(ctx: Context, doc_id: str) -> Cleanup:
    what = f"scratch doc {doc_id}"
    request = ctx.clients.drive.files().update(
        fileId=doc_id, body={"trashed": True}, fields="id,trashed"
    )
    try:
        # Not retried: the probes are done, and a doc left behind is named below and says
        # in its title that it is safe to delete.
        answer = execute(
            request, Call(DRIVE, f"move the scratch doc {doc_id} to the trash"), num_retries=0
        )
    except GworkflowError as exc:
        return Cleanup(what, False, _not_removed(DRIVE, exc))
    if answer.get("trashed") is not True:
        return Cleanup(what, False, "Drive did not report it trashed; delete it by hand")
    return Cleanup(what, True, "moved to Drive's trash")


def _not_removed(service: str, exc: GworkflowError) -> str:
    if isinstance(exc, ApiError):
        reason = f" {exc.reason}" if exc.reason else ""
        said = f"{service} answered {exc.status}{reason}" + (
            f" ({exc.detail})" if exc.detail else ""
        )
    else:
        said = exc.message
    return f"{said}; delete it by hand, its title says it is safe to"
