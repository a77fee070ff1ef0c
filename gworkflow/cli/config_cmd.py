"""`gworkflow config ...`: check the config file, print the example, create one."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import click

from gworkflow.cli._common import App, emit, json_option, pass_app

if TYPE_CHECKING:
    from gworkflow.config import Config


@dataclass(frozen=True)
class ConfigSummary:
    config: Config

    def as_json(self) -> Any:
        return {
            "path": str(self.config.path),
            "series": [
                {
                    "id": s.id,
                    "title": s.title,
                    "timezone": s.timezone.key,
                    "schedule": s.schedule.text,
                    "duration_minutes": int(s.duration.total_seconds() // 60),
                    "lead_days": s.lead_days,
                    "calendar_id": s.calendar_id,
                    "doc_id": s.doc_id,
                    "tab": s.tab,
                    "position": s.position,
                    "template": str(s.template) if s.template else None,
                    "conference": s.conference.kind,
                    "participants": [
                        {"name": p.name, "email": p.email, "timezone": p.timezone.key}
                        for p in s.participants
                    ],
                }
                for s in self.config.series
            ],
        }

    def as_text(self) -> str:
        lines = [f"{self.config.path}: OK, {len(self.config.series)} series"]
        for s in self.config.series:
            people = ", ".join(f"{p.name} ({p.timezone.key})" for p in s.participants)
            minutes = int(s.duration.total_seconds() // 60)
            lines += [
                f"  {s.id}: {s.title}",
                f"    when:   {s.schedule.describe()}, {minutes} min, {s.timezone.key}",
                f"    who:    {people}",
                f"    doc:    {s.doc_url or 'not created yet (gworkflow doc create)'}",
                f"    call:   {s.conference.kind}"
                + (f" {s.conference.join_url}" if s.conference.join_url else ""),
                f"    agenda: {s.lead_days} days before, at the {s.position}"
                + (f" of tab {s.tab!r}" if s.tab else "")
                + f", template {s.template or 'default'}",
            ]
        return "\n".join(lines)


@click.group("config")
def config_group() -> None:
    """Check, print or create the config file."""


@config_group.command("check")
@json_option
@pass_app
def check(app: App, as_json: bool) -> None:
    """Validate the config file and summarise every series in it."""
    emit(ConfigSummary(app.config()), as_json)


@config_group.command("example")
def example() -> None:
    """Print a commented example config (redirect it into config.toml and edit)."""
    from gworkflow.config import EXAMPLE_CONFIG

    click.echo(EXAMPLE_CONFIG, nl=False)


@config_group.command("path")
@pass_app
def path(app: App) -> None:
    """Print where gworkflow reads its config file."""
    click.echo(str(app.resolved_config_path()))


@config_group.command("init")
@click.option("--force", is_flag=True, help="Overwrite an existing config file.")
@pass_app
def init(app: App, force: bool) -> None:
    """Write the example config to the config path, to edit from there."""
    from gworkflow.config import EXAMPLE_CONFIG, write_atomically
    from gworkflow.errors import ConfigError

    target = app.resolved_config_path()
    if target.exists() and not force:
        raise ConfigError(f"{target}: already exists; edit it, or pass --force to replace it")
    write_atomically(target, EXAMPLE_CONFIG, mode=0o600)
    click.echo(f"wrote {target}: edit it, then run `gworkflow config check`")
