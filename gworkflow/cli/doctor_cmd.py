"""`gworkflow doctor`: check config, template, sign-in, doc, event, participants and the last
runs; say what to fix."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import click

from gworkflow.cli._common import App, StatusKind, emit, json_option, pass_app, status_word

if TYPE_CHECKING:
    from gworkflow.doctor import DoctorReport


@dataclass(frozen=True)
class ColouredReport:
    """The doctor's report, its [ok] / [FAIL] marks and summary coloured on a terminal."""

    report: DoctorReport

    def as_text(self) -> str:
        *lines, summary = self.report.as_text().splitlines()
        marks: tuple[tuple[str, StatusKind], ...] = (("[ok  ]", "ok"), ("[FAIL]", "failed"))
        for mark, kind in marks:
            bare = mark[1:-1]
            lines = [
                f"[{status_word(bare, kind)}]{line[len(mark) :]}" if line.startswith(mark) else line
                for line in lines
            ]
        lines.append(status_word(summary, "ok" if self.report.ok else "failed"))
        return "\n".join(lines)

    def as_json(self) -> Any:
        return self.report.as_json()


@click.command("doctor")
@json_option
@pass_app
def doctor(app: App, as_json: bool) -> None:
    """Check everything a daily run needs and print what to fix.

    Checks the config, that each template renders, the sign-in (present, refreshable,
    scopes), that the running doc is readable, writable and not in the trash, that the
    event exists, that the doc's sharing and the event's attendees match the config's
    participants, and that the last daily run succeeded within 3 days. Says when it
    checks a sandbox (GWORKFLOW_API_ENDPOINT) instead of Google; -v shows every failure
    in full. Exits 3 when signing in again is the fix, 1 when anything else is wrong.
    """
    from gworkflow.doctor import diagnose
    from gworkflow.paths import token_path
    from gworkflow.state import state_path

    report = diagnose(
        load_config=app.config,
        config_path=app.resolved_config_path(),
        token_file=token_path(),
        endpoint=lambda config: app.api_endpoint or config.api_endpoint,
        clients=app.clients,
        now=app.clock(),
        state_file=state_path(app.resolved_config_path()),
        verbose=app.verbose > 0,
        deadline=app.deadline(),
    )
    emit(ColouredReport(report), as_json)
    if report.exit_code:
        click.get_current_context().exit(report.exit_code)
