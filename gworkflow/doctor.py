"""`gworkflow doctor`: check everything a daily run needs, and say what to fix.

Each check returns a `Check` (ok or not, what was found, how to fix it) and never raises
for a problem a user can cause: the doctor's job is to report every problem at once, not
to stop at the first. Checks that depend on an earlier one (the doc needs working clients)
are skipped when that one failed. Besides the setup it reads the state file `gworkflow run`
keeps (`gworkflow.state`): a daily job that stopped, or whose last run failed, is a problem
too. It compares the running doc's sharing and the event's attendees with the config, and
says whether it checks Google or a sandbox.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from gworkflow.agenda.docjson import select_tab
from gworkflow.agenda.parse import find_sections
from gworkflow.config import Config, Series
from gworkflow.deadline import Deadline
from gworkflow.errors import ExitCode, GoogleUnavailable, GworkflowError
from gworkflow.google.auth_status import status
from gworkflow.google.clients import GoogleClients
from gworkflow.google.credentials import load_credentials
from gworkflow.google.token_file import permission_warning
from gworkflow.meeting import meetings_from_rule
from gworkflow.runner import plan_section, require_doc
from gworkflow.state import SeriesState, StateUnreadable, ago, read_state

# A daily job that has not succeeded for this long has stopped (or never started).
STALE_AFTER = dt.timedelta(days=3)
NETWORK_FIX = (
    "Google did not answer as expected: check the network, then run `gworkflow doctor` again"
)
SCHEDULE_FIX = "schedule the daily job (`gworkflow cron print`), and check its log and cron's mail"


@dataclass(frozen=True)
class Check:
    """One check's result. `exit_code` is what a failure means (3: sign in again);
    `unreachable` marks a failure because Google (or the sandbox) could not be reached."""

    name: str
    ok: bool
    detail: str
    fix: str = ""
    exit_code: int = ExitCode.OK
    unreachable: bool = False

    def line(self) -> str:
        mark = "ok  " if self.ok else "FAIL"
        return f"[{mark}] {self.name}: {self.detail}"


@dataclass
class DoctorReport:
    checks: list[Check] = field(default_factory=list)
    sandbox: str = ""  # the sandbox's endpoint when the checks went there, not to Google
    verbose: bool = False

    @property
    def ok(self) -> bool:
        return all(check.ok for check in self.checks)

    @property
    def exit_code(self) -> int:
        """0 when all is well; 3 when signing in again is what is needed; else 1."""
        codes = {check.exit_code for check in self.checks if not check.ok}
        if not codes:
            return ExitCode.OK
        return ExitCode.SIGN_IN if ExitCode.SIGN_IN in codes else ExitCode.FAILED

    def as_text(self) -> str:
        lines = [
            f"Checking the sandbox at {self.sandbox} (GWORKFLOW_API_ENDPOINT), not Google."
            if self.sandbox
            else "Checking the setup with Google."
        ]
        fixes_given: set[str] = set()
        unreachable_seen = False
        for check in self.checks:
            if check.unreachable and unreachable_seen and not self.verbose:
                # One "cannot reach" is enough; -v shows each check's own words.
                lines.append(f"[FAIL] {check.name}: not checked: the same failure as above")
                continue
            unreachable_seen = unreachable_seen or check.unreachable
            lines.append(check.line())
            if not check.ok and check.fix and check.fix not in fixes_given:
                fixes_given.add(check.fix)
                lines.append(f"        fix: {check.fix}")
        lines.append(
            "Everything looks right." if self.ok else "Some checks failed: see the fixes above."
        )
        return "\n".join(lines)

    def as_json(self) -> Any:
        return {
            "ok": self.ok,
            "exit_code": self.exit_code,
            "target": {"sandbox": bool(self.sandbox), "endpoint": self.sandbox or None},
            "checks": [
                {"name": c.name, "ok": c.ok, "detail": c.detail, "fix": c.fix} for c in self.checks
            ],
        }


def _attempt(name: str, fix: str, action: Callable[[], str]) -> Check:
    try:
        return Check(name, True, action())
    except GworkflowError as exc:
        # A Google outage or a network problem is not fixed by the check's usual remedy.
        unreachable = isinstance(exc, GoogleUnavailable)
        return Check(
            name,
            False,
            exc.message,
            NETWORK_FIX if unreachable else fix,
            exc.exit_code,
            unreachable,
        )


def check_config(load: Callable[[], Config], path: Path) -> tuple[Check, Config | None]:
    try:
        config = load()
    except GworkflowError as exc:
        return Check(
            "config",
            False,
            exc.message,
            "edit the file; see `gworkflow config example`",
            exc.exit_code,
        ), None
    return Check("config", True, f"{path}: {len(config.series)} series"), config


def check_template(series: Series, now: dt.datetime) -> Check:
    def render() -> str:
        meeting = meetings_from_rule(series, now, 1)[0]
        plan = plan_section(series, meeting, None, now)
        return f"{series.template or 'default template'} renders {len(plan.blocks)} paragraphs"

    return _attempt(
        f"{series.id}: template", "fix the template, then `gworkflow agenda preview`", render
    )


def check_sign_in(
    config: Config, token_file: Path, endpoint: str, deadline: Deadline | None = None
) -> Check:
    if endpoint:
        return Check(
            "sign-in", True, f"no sign-in needed: every call goes to the sandbox at {endpoint}"
        )

    def signed_in() -> str:
        # Refreshes, as a cron run would.
        load_credentials(config.auth, token_file, deadline=deadline)
        state = status(config.auth, token_file)
        warning = permission_warning(token_file) if config.auth.method == "oauth" else None
        if warning:
            raise GworkflowError(warning)
        expiry = (
            f", access token valid until {state.expiry:%Y-%m-%d %H:%M} UTC" if state.expiry else ""
        )
        return f"{state.method} as {state.account or 'unknown account'}, scopes ok{expiry}"

    return _attempt("sign-in", "run `gworkflow auth login`", signed_in)


def check_doc(series: Series, clients: GoogleClients) -> Check:
    def readable_and_writable() -> str:
        running = clients.running_doc()
        doc = running.fetch(require_doc(series))
        sections = find_sections(select_tab(doc, series.tab), series.id)
        title = doc.get("title", series.doc_id)
        if running.trashed(series.doc_id):
            raise GworkflowError(
                f"{title!r} is in the Google Drive trash: runs would keep writing to a doc "
                "nobody sees"
            )
        editable = running.can_edit(series.doc_id)
        if editable is False:
            raise GworkflowError(f"{title!r} is read-only for the signed-in account")
        access = (
            "readable and writable"
            if editable
            else "readable (write access is checked on the next append: the drive.file "
            "scope cannot see a doc gworkflow did not create)"
        )
        return f"{title!r} is {access}; {len(sections)} agenda sections"

    return _attempt(
        f"{series.id}: running doc",
        "check doc_id and that the signed-in account can edit the doc (or `gworkflow doc "
        "create`); a doc in the trash: restore it from the Drive trash",
        readable_and_writable,
    )


def check_event(series: Series, clients: GoogleClients) -> tuple[Check, dict[str, Any] | None]:
    found: list[dict[str, Any]] = []

    def exists() -> str:
        event = clients.series_event(series).find()
        if event is None:
            raise GworkflowError(
                f"no calendar event for series {series.id!r} in {series.calendar_id!r}"
            )
        found.append(event)
        return f"{event.get('summary', '')!r} ({event.get('id')})"

    check = _attempt(f"{series.id}: calendar event", "run `gworkflow event create`", exists)
    return check, (found[0] if found else None)


def participant_differences(
    series: Series,
    writers: frozenset[str] | None,
    attendees: Sequence[dict[str, Any]] | None,
    me: str = "",
) -> tuple[list[str], list[str]]:
    """(problems, notes) comparing the config's participants with who may edit the doc
    (`writers`, lower-cased; None: not visible) and the event's attendees (None: no event).
    Problems are what `doc share` / `event update` fix; notes are differences that may be
    on purpose (the doc also shared with someone outside the series). `me` is the signed-in
    account, which owns the doc whether it is a participant or not."""
    wanted = {p.email.casefold(): p.email for p in series.participants}
    problems: list[str] = []
    notes: list[str] = []
    if writers is not None:
        lacking = [email for key, email in wanted.items() if key not in writers | {me}]
        if lacking:
            problems.append(f"the doc is not shared (as writer) with {', '.join(lacking)}")
        extra = sorted(writers - set(wanted) - {me})
        if extra:
            notes.append(f"the doc is also shared with {', '.join(extra)}")
    if attendees is not None:
        invited = {
            str(a.get("email", "")).casefold(): str(a.get("email", ""))
            for a in attendees
            if not a.get("self") and not a.get("organizer")
        }
        missing = [email for key, email in wanted.items() if key not in invited]
        if missing:
            problems.append(f"the event does not invite {', '.join(missing)}")
        unknown = [email for key, email in invited.items() if key not in wanted]
        if unknown:
            problems.append(f"the event invites {', '.join(unknown)}, who is not in the config")
    return problems, notes


def check_participants(
    series: Series, clients: GoogleClients, event: dict[str, Any] | None
) -> Check:
    fixes: list[str] = []

    def compare() -> str:
        sharing = clients.running_doc().sharing(require_doc(series))
        me = (clients.running_doc().account_email() or "").casefold()
        writers = sharing.writers if sharing.visible else None
        attendees = event.get("attendees", []) if event is not None else None
        problems, notes = participant_differences(series, writers, attendees, me)
        if any(p.startswith("the doc") for p in problems):
            fixes.append("`gworkflow doc share`")
        if any(p.startswith("the event") for p in problems):
            fixes.append("`gworkflow event update`")
        if problems:
            raise GworkflowError("; ".join(problems + notes))
        seen = (
            ""
            if sharing.visible
            else (
                "; who can open the doc is not visible (the drive.file scope shows only docs "
                "gworkflow created)"
            )
        )
        people = len(series.participants)
        return "; ".join([f"the config's {people} participants match", *notes]) + seen

    check = _attempt(f"{series.id}: participants", "", compare)
    if not check.ok and fixes:
        return Check(check.name, False, check.detail, "run " + " and ".join(fixes), check.exit_code)
    return check


def check_last_run(
    series: Series, states: dict[str, SeriesState], state_file: Path, now: dt.datetime
) -> Check:
    name = f"{series.id}: last run"
    state = states.get(series.id)
    if state is None:
        return Check(
            name, False, f"no run recorded yet (in {state_file})", SCHEDULE_FIX, ExitCode.FAILED
        )
    when = f"{ago(state.last_run, now)}, {state.last_run:%Y-%m-%d %H:%M %Z}"
    if not state.ok:
        return Check(
            name,
            False,
            f"the last run ({when}) failed: {state.message}",
            "fix what it says, then `gworkflow run` to check",
            ExitCode.FAILED,
        )
    success = state.last_success or state.last_run
    if now - success > STALE_AFTER:
        return Check(
            name,
            False,
            f"last successful run: {ago(success, now)} ({success:%Y-%m-%d}); none since",
            SCHEDULE_FIX,
            ExitCode.FAILED,
        )
    return Check(name, True, f"last successful run: {ago(success, now)} ({state.action})")


def diagnose(
    load_config: Callable[[], Config],
    config_path: Path,
    token_file: Path,
    endpoint: Callable[[Config], str],
    clients: Callable[[], GoogleClients],
    now: dt.datetime,
    state_file: Path | None = None,
    verbose: bool = False,
    deadline: Deadline | None = None,
) -> DoctorReport:
    report = DoctorReport(verbose=verbose)
    config_check, config = check_config(load_config, config_path)
    report.checks.append(config_check)
    if config is None:
        return report
    report.sandbox = endpoint(config)
    report.checks += [check_template(series, now) for series in config.series]
    report.checks += _google_checks(config, token_file, report.sandbox, clients, deadline)
    if state_file is not None:
        try:
            states = read_state(state_file)
        except StateUnreadable as exc:
            report.checks.append(
                Check("last runs", False, str(exc), f"delete {state_file}; the next run writes it")
            )
        else:
            report.checks += [
                check_last_run(series, states, state_file, now) for series in config.series
            ]
    return report


def _google_checks(
    config: Config,
    token_file: Path,
    endpoint: str,
    clients: Callable[[], GoogleClients],
    deadline: Deadline | None,
) -> list[Check]:
    sign_in = check_sign_in(config, token_file, endpoint, deadline)
    if not sign_in.ok:
        return [sign_in]
    try:
        google = clients()
    except GworkflowError as exc:
        return [sign_in, Check("Google clients", False, exc.message, "", exc.exit_code)]
    checks = [sign_in]
    for series in config.series:
        doc_check = check_doc(series, google)
        event_check, event = check_event(series, google)
        checks += [doc_check, event_check]
        if doc_check.ok and event_check.ok:
            checks.append(check_participants(series, google, event))
    return checks
