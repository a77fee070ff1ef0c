"""`gworkflow doctor`: check config, template, sign-in, doc and event; say what to fix."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import click

from gworkflow.cli._common import App, emit, json_option, pass_app, status_word

if TYPE_CHECKING:
    from gworkflow.doctor import DoctorReport


@dataclass(frozen=True)
class ColouredReport:
    """The doctor's report, its [ok] / [FAIL] marks and summary coloured on a terminal."""

    report: DoctorReport

    def as_text(self) -> str:
        lines = []
        for check in self.report.checks:
            mark = "ok  " if check.ok else "FAIL"
            line = check.line()
            coloured = status_word(mark, "ok" if check.ok else "failed")
            lines.append(line.replace(f"[{mark}]", f"[{coloured}]", 1))
        *_, summary = self.report.as_text().splitlines()
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
    scopes), that the running doc is readable and writable and that the event exists.
    Exits 1 when anything is wrong.
    """
    from gworkflow.doctor import diagnose
    from gworkflow.errors import ExitCode
    from gworkflow.paths import token_path

    report = diagnose(
        load_config=app.config,
        config_path=app.resolved_config_path(),
        token_file=token_path(),
        endpoint=lambda config: app.api_endpoint or config.api_endpoint,
        clients=app.clients,
        now=app.clock(),
    )
    emit(ColouredReport(report), as_json)
    if not report.ok:
        click.get_current_context().exit(ExitCode.FAILED)
