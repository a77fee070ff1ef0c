"""`gworkflow doctor`: check everything a daily run needs, and say what to fix.

Each check returns a `Check` (ok or not, what was found, how to fix it) and never raises
for a problem a user can cause: the doctor's job is to report every problem at once, not
to stop at the first. Checks that depend on an earlier one (the doc needs working clients)
are skipped when that one failed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from gworkflow.agenda.blocks import ParticipantCarry
from gworkflow.agenda.context import build_context
from gworkflow.agenda.docjson import select_tab
from gworkflow.agenda.parse import find_sections
from gworkflow.agenda.render import render_section
from gworkflow.config import Config, Series
from gworkflow.errors import GoogleUnavailable, GworkflowError
from gworkflow.google.auth_status import status
from gworkflow.google.clients import GoogleClients
from gworkflow.google.credentials import load_credentials
from gworkflow.google.token_file import permission_warning
from gworkflow.meeting import meetings_from_rule
from gworkflow.runner import require_doc


@dataclass(frozen=True)
class Check:
    name: str
    ok: bool
    detail: str
    fix: str = ""

    def line(self) -> str:
        mark = "ok  " if self.ok else "FAIL"
        fix = f"\n        fix: {self.fix}" if self.fix and not self.ok else ""
        return f"[{mark}] {self.name}: {self.detail}{fix}"


@dataclass
class DoctorReport:
    checks: list[Check] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return all(check.ok for check in self.checks)

    def as_text(self) -> str:
        summary = (
            "Everything looks right." if self.ok else "Some checks failed: see the fixes above."
        )
        return "\n".join([*(check.line() for check in self.checks), summary])

    def as_json(self) -> Any:
        return {
            "ok": self.ok,
            "checks": [
                {"name": c.name, "ok": c.ok, "detail": c.detail, "fix": c.fix} for c in self.checks
            ],
        }


NETWORK_FIX = (
    "Google did not answer as expected: check the network, then run `gworkflow doctor` again"
)


def _attempt(name: str, fix: str, action: Callable[[], str]) -> Check:
    try:
        return Check(name, True, action())
    except GworkflowError as exc:
        # A Google outage or a network problem is not fixed by the check's usual remedy.
        unreachable = isinstance(exc, GoogleUnavailable)
        return Check(name, False, exc.message, NETWORK_FIX if unreachable else fix)


def check_config(load: Callable[[], Config], path: Path) -> tuple[Check, Config | None]:
    try:
        config = load()
    except GworkflowError as exc:
        return Check(
            "config", False, exc.message, "edit the file; see `gworkflow config example`"
        ), None
    return Check("config", True, f"{path}: {len(config.series)} series"), config


def check_template(series: Series, now: dt.datetime) -> Check:
    def render() -> str:
        meeting = meetings_from_rule(series, now, 1)[0]
        carries = [ParticipantCarry(p.name) for p in series.participants]
        blocks = render_section(series, build_context(series, meeting, carries, None, now))
        return f"{series.template or 'default template'} renders {len(blocks)} paragraphs"

    return _attempt(
        f"{series.id}: template", "fix the template, then `gworkflow agenda preview`", render
    )


def check_sign_in(config: Config, token_file: Path, endpoint: str) -> Check:
    if endpoint:
        return Check("sign-in", True, f"using the sandbox at {endpoint} (no Google sign-in)")

    def signed_in() -> str:
        load_credentials(config.auth, token_file)  # refreshes, as a cron run would
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
        "check doc_id and that the signed-in account can edit the doc (or `gworkflow doc create`)",
        readable_and_writable,
    )


def check_event(series: Series, clients: GoogleClients, now: dt.datetime) -> Check:
    def exists() -> str:
        found = clients.series_event(series).find()
        if found is None:
            raise GworkflowError(
                f"no calendar event for series {series.id!r} in {series.calendar_id!r}"
            )
        return f"{found.get('summary', '')!r} ({found.get('id')})"

    return _attempt(f"{series.id}: calendar event", "run `gworkflow event create`", exists)


def diagnose(
    load_config: Callable[[], Config],
    config_path: Path,
    token_file: Path,
    endpoint: Callable[[Config], str],
    clients: Callable[[], GoogleClients],
    now: dt.datetime,
) -> DoctorReport:
    report = DoctorReport()
    config_check, config = check_config(load_config, config_path)
    report.checks.append(config_check)
    if config is None:
        return report
    report.checks += [check_template(series, now) for series in config.series]
    sign_in = check_sign_in(config, token_file, endpoint(config))
    report.checks.append(sign_in)
    if not sign_in.ok:
        return report
    try:
        google = clients()
    except GworkflowError as exc:
        report.checks.append(Check("Google clients", False, exc.message))
        return report
    for series in config.series:
        report.checks.append(check_doc(series, google))
        report.checks.append(check_event(series, google, now))
    return report
