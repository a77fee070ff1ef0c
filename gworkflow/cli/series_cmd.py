"""`gworkflow series import ROSTER.csv`: a programme's roster into the config file."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from gworkflow.cli._common import App, dry_run_option, emit, json_option, pass_app

if TYPE_CHECKING:
    from gworkflow.roster import ImportPlan


@click.group("series")
def series_group() -> None:
    """Manage the programme's series: import them from a roster."""


@dataclass(frozen=True)
class ImportReport:
    plan: ImportPlan
    config: Path
    roster: str
    dry_run: bool

    def as_text(self) -> str:
        changes = self.plan.changes
        lines = [change.summary() for change in changes if change.kind != "unchanged"]
        if self.plan.untouched:
            lines.append(
                "Kept as they are (in the config, not in the roster): "
                + ", ".join(self.plan.untouched)
            )
        if not self.plan.changed:
            lines.append(
                f"No changes: {self.config} already matches {self.roster} ({len(changes)} series)."
            )
            return "\n".join(lines)
        added = sum(1 for c in changes if c.kind == "added")
        updated = sum(1 for c in changes if c.kind == "updated")
        unchanged = len(changes) - added - updated
        counts = f"{added} added, {updated} updated, {unchanged} unchanged"
        if self.dry_run:
            lines.append(f"Would write {self.config}: {counts} (dry run; nothing written).")
        else:
            lines.append(f"Wrote {self.config}: {counts}.")
        return "\n".join(lines)

    def as_json(self) -> Any:
        return {
            "config": str(self.config),
            "written": self.plan.changed and not self.dry_run,
            "dry_run": self.dry_run,
            "series": [change.as_json() for change in self.plan.changes],
            "untouched": list(self.plan.untouched),
        }


@series_group.command("import")
@click.argument("roster", metavar="ROSTER.csv", type=click.Path(dir_okay=False, path_type=Path))
@dry_run_option
@json_option
@pass_app
def import_roster(app: App, roster: Path, dry_run: bool, as_json: bool) -> None:
    """Add or update one series per row of a roster (CSV) in the config file.

    Columns: id, schedule, timezone, participants ("Name <email> @Zone", separated by
    ";"), and optionally title, conference (a Zoom link, "meet", or empty), lead_days,
    template. Every bad row is reported with its row number, column and fix, and then
    nothing is written. Importing the same file again changes nothing; a changed row
    updates its series. The config file keeps its comments and layout.
    """
    import json

    from gworkflow.errors import ConfigError, ExitCode
    from gworkflow.roster import RosterError, apply_import, plan_import

    try:
        text = roster.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise ConfigError(f"{roster}: no such roster file") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(
            f"{roster}: cannot read the roster (save it as UTF-8 CSV): {exc}"
        ) from None
    config_path = app.resolved_config_path()
    try:
        plan = plan_import(text, roster.name, config_path)
    except RosterError as exc:
        if not as_json:
            raise
        body = {
            "error": {
                "exit_code": int(ExitCode.USAGE),
                "message": exc.message,
                "problems": [problem.as_json() for problem in exc.problems],
            }
        }
        click.echo(json.dumps(body, indent=2, ensure_ascii=False))
        click.get_current_context().exit(int(ExitCode.USAGE))
    if not dry_run:
        apply_import(plan, config_path)
    emit(ImportReport(plan, config_path, roster.name, dry_run), as_json)
