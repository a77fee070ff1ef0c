"""`gworkflow config ...`: check the config file, print the example, create or edit one.

`config init` on a terminal is a short interview (title, people, schedule, call link) that
previews the next meetings in everyone's zone before it writes anything; without a terminal
it writes the commented example. `config edit` opens $EDITOR and checks the file on save.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from gworkflow.cli._common import App, emit, json_option, pass_app, status_word

if TYPE_CHECKING:
    from gworkflow.config import Config


@dataclass(frozen=True)
class ConfigSummary:
    config: Config
    # Placeholders left from the example (`placeholder_warnings`): worth a look, not errors.
    warnings: list[str] = field(default_factory=list)

    def as_json(self) -> Any:
        return {
            "path": str(self.config.path),
            "warnings": self.warnings,
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
                    "reminders": [r.describe() for r in s.reminders],
                    "participants": [
                        {"name": p.name, "email": p.email, "timezone": p.timezone.key}
                        for p in s.participants
                    ],
                }
                for s in self.config.series
            ],
        }

    def as_text(self) -> str:
        ok = status_word("OK", "ok")
        lines = [f"{self.config.path}: {ok}, {len(self.config.series)} series"]
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
                "    remind: " + (", ".join(r.describe() for r in s.reminders) or "no reminders"),
            ]
        lines += [f"{status_word('warning', 'warning')}: {w}" for w in self.warnings]
        return "\n".join(lines)


def _summary(config: Config) -> ConfigSummary:
    from gworkflow.config import placeholder_warnings

    return ConfigSummary(config, placeholder_warnings(config))


@click.group("config")
def config_group() -> None:
    """Check, create, edit or print the config file."""


@config_group.command("check")
@json_option
@pass_app
def check(app: App, as_json: bool) -> None:
    """Validate the config file and summarise every series in it.

    Also warns about values left from the example (its example.edu / example.org addresses
    and its sample Zoom link): `doc create` and `event create` refuse to use them.
    """
    emit(_summary(app.config()), as_json)


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
    """Create the config file: by asking a few questions on a terminal, else the example.

    On a terminal it asks for the series title, each participant's name, e-mail and time
    zone, when you meet (in plain words, like "2nd Tuesday 14:00") and the Zoom link, shows
    the next three meetings in everyone's zone, and writes the file when you say yes.
    Without a terminal (a script, a pipe) it writes the commented example, to edit. An
    existing file is never replaced without --force.
    """
    from gworkflow.config import EXAMPLE_CONFIG, write_atomically
    from gworkflow.errors import ConfigError

    target = app.resolved_config_path()
    if target.exists() and not force:
        raise ConfigError(f"{target}: already exists; edit it, or pass --force to replace it")
    if not app.terminal():
        write_atomically(target, EXAMPLE_CONFIG, mode=0o600)
        click.echo(
            f"wrote {target}: the commented example; edit it (`gworkflow config edit`), "
            "then run `gworkflow config check`"
        )
        return
    text = _interview(app, target)
    if not click.confirm(f"Write {target}?", default=True):
        click.echo("Nothing written.")
        return
    write_atomically(target, text, mode=0o600)
    click.echo(
        f"Wrote {target}. Next: `gworkflow auth login`, then `gworkflow doc create` and "
        "`gworkflow event create`; `gworkflow config edit` to change it."
    )


@config_group.command("edit")
@pass_app
def edit(app: App) -> None:
    """Open the config file in your editor ($EDITOR), and check it when you save.

    A mistake is shown in one line and, on a terminal, you are offered to open the file
    again; the edit stays in the file either way, nothing is thrown away.
    """
    from gworkflow.config import load_config
    from gworkflow.errors import ConfigError

    target = app.resolved_config_path()
    if not target.exists():
        raise ConfigError(f"{target}: no config file yet; create one with `gworkflow config init`")
    while True:
        click.edit(filename=str(target))
        try:
            config = load_config(target)
        except ConfigError as exc:
            if not app.terminal():
                raise
            click.echo(f"{status_word('error', 'failed')}: {exc.message}", err=True)
            if click.confirm("Open the file again to fix it?", default=True):
                continue
            raise ConfigError(
                f"{target} keeps your edit, with the mistake above; "
                "`gworkflow config edit` to fix it"
            ) from None
        emit(_summary(config), as_json=False)
        return


# --- the interview of `config init` ----------------------------------------------------


@dataclass(frozen=True)
class _Person:
    name: str
    email: str
    timezone: str


def _interview(app: App, target: Path) -> str:
    """Ask for the series; return the config text (validated), after showing its meetings."""
    from gworkflow.cli.event_cmd import ScheduleResult
    from gworkflow.config import parse_config
    from gworkflow.meeting import meetings_from_rule

    click.echo(
        f"Setting up {target}: a few questions about the series (the people who meet, "
        "and when). Nothing is written until you say yes at the end; Ctrl-C stops."
    )
    title = click.prompt("Title of the meetings", default="Peer mentoring check-in").strip()
    people = _ask_people()
    schedule = click.prompt(
        "When do you meet? (e.g. '2nd Tuesday 14:00', 'last Friday 10:30')",
        value_proc=_checked(_schedule_problem),
    )
    zone = _ask_zone("In which time zone is that time?", people[0].timezone)
    duration = click.prompt("How long?", default="60m", value_proc=_checked(_duration_problem))
    link = click.prompt(
        "Zoom link (https://...; or 'meet' for Google Meet; empty for none)",
        default="",
        show_default=False,
        value_proc=_checked(_link_problem),
    )
    text = _config_text(title, people, schedule, zone, duration, link)
    series = parse_config(text, target).series[0]
    meetings = meetings_from_rule(series, app.clock(), 3)
    click.echo("")
    click.echo(ScheduleResult(series, meetings, "from the schedule rule").as_text())
    click.echo("")
    return text


def _checked(problem: Callable[[str], str | None]) -> Callable[[str], str]:
    """A prompt's value_proc: the answer, stripped, or click's re-ask with the problem."""

    def check(value: str) -> str:
        value = value.strip()
        found = problem(value)
        if found:
            raise click.UsageError(found)
        return value

    return check


def _ask_people() -> list[_Person]:
    from gworkflow.config import email_problem

    people: list[_Person] = []
    while True:
        n = len(people) + 1
        optional = n > 2  # a pair at least; more people when the group is larger
        name = click.prompt(
            f"Participant {n}: name" + (" (empty when that is everyone)" if optional else ""),
            default="" if optional else None,
            show_default=False,
            value_proc=_checked(partial(_name_problem, people=people, optional=optional)),
        )
        if not name:
            return people
        email = click.prompt(f"{name}'s e-mail", value_proc=_checked(email_problem))
        zone = _ask_zone(f"{name}'s time zone (e.g. America/Chicago, Europe/Berlin)", None)
        people.append(_Person(name, email, zone))


def _name_problem(value: str, people: Sequence[_Person], optional: bool) -> str | None:
    if not value:
        return None if optional else "a name, please"
    if any(p.name.casefold() == value.casefold() for p in people):
        return f"{value!r} is listed already"
    return None


def _ask_zone(question: str, default: str | None) -> str:
    """A time zone by its IANA name, with Tab completion on a terminal and "did you mean"."""
    from gworkflow.config import is_zone, suggest_zone, zone_problem

    with _tab_completes_zones():
        while True:
            typed = click.prompt(question, default=default, value_proc=str.strip)
            if is_zone(typed):
                return typed
            hint = suggest_zone(typed)
            if hint is None:
                click.echo(f"Error: {zone_problem(typed)}")
            elif click.confirm(f"Did you mean {hint!r}?", default=True):
                return hint


def _schedule_problem(value: str) -> str | None:
    from gworkflow.schedule import parse_schedule

    try:
        parse_schedule(value)
    except ValueError as exc:
        return str(exc)
    return None


def _duration_problem(value: str) -> str | None:
    import datetime as dt

    from gworkflow.config import parse_duration

    found = parse_duration(value)
    if found is None or not dt.timedelta(minutes=5) <= found <= dt.timedelta(hours=12):
        return f"{value!r}: a length between 5m and 12h, written like '60m' or '1h30m'"
    return None


def _link_problem(value: str) -> str | None:
    if value in ("", "meet") or value.startswith("https://"):
        return None
    return f"{value!r}: paste the https:// link (or 'meet', or nothing)"


def _slug(names: Sequence[str]) -> str:
    """The series id from the names: "Ruth", "Heather" -> "ruth-heather"."""
    parts = [re.sub(r"[^a-z0-9]+", "-", name.casefold()).strip("-") for name in names]
    slug = "-".join(part for part in parts if part)[:63].strip("-")
    return slug or "check-in"


def _toml(value: str) -> str:
    import tomlkit

    return tomlkit.string(value).as_string()


def _config_text(
    title: str, people: Sequence[_Person], schedule: str, zone: str, duration: str, link: str
) -> str:
    """The config file for the answers, with the example's comments where they help."""
    kind = "meet" if link == "meet" else "zoom" if link else "none"
    lines = [
        "# gworkflow configuration, written by `gworkflow config init`.",
        "# Check it with `gworkflow config check`; change it with `gworkflow config edit`.",
        "",
        "[[series]]",
        "# A stable slug, also the marker gworkflow leaves in Google: do not change it later.",
        f"id = {_toml(_slug([p.name for p in people]))}",
        f"title = {_toml(title)}",
        "# The zone the meeting time is in; the event is anchored there.",
        f"timezone = {_toml(zone)}",
        f"schedule = {_toml(schedule)}",
        f"duration = {_toml(duration)}",
        "# Add the agenda section this many days before each meeting.",
        "lead_days = 7",
        "# The event's reminders: at most 5, like '1 day email' or '10 minutes popup'; [] for none.",
        'reminders = ["30 minutes popup", "1 day email"]',
        'calendar_id = "primary"',
        "# The running Google Doc: empty until `gworkflow doc create` fills it in.",
        'doc_id = ""',
        '# tab = "2026"                      # optional: title or id of the doc tab to write into',
        '# template = "agenda.md.j2"         # optional: your own agenda template',
        '# position = "end"                  # "end" (default) or "top" (newest first)',
        "",
        "[series.conference]",
        "# zoom | meet | none",
        f"kind = {_toml(kind)}",
    ]
    if kind == "zoom":
        lines += [
            f"join_url = {_toml(link)}",
            '# meeting_id = ""                  # shown in the agenda and the event, if set',
            '# passcode = ""',
        ]
    for person in people:
        lines += [
            "",
            "[[series.participants]]",
            f"name = {_toml(person.name)}",
            f"email = {_toml(person.email)}",
            f"timezone = {_toml(person.timezone)}",
        ]
    return "\n".join(lines) + "\n"


@contextmanager
def _tab_completes_zones() -> Iterator[None]:
    """While a time zone is asked on a real terminal, Tab completes IANA zone names."""
    if not sys.stdin.isatty():
        yield
        return
    try:
        import readline
    except ImportError:  # no readline (Windows): the question works without completion
        yield
        return
    import zoneinfo

    old_completer, old_delims = readline.get_completer(), readline.get_completer_delims()
    readline.set_completer(zone_completer(sorted(zoneinfo.available_timezones())))
    readline.set_completer_delims(" \t\n")  # zone names hold '/', a default delimiter
    # macOS's Python links libedit, which spells the binding its own way.
    libedit = "libedit" in (readline.__doc__ or "")
    readline.parse_and_bind("bind ^I rl_complete" if libedit else "tab: complete")
    try:
        yield
    finally:
        readline.set_completer(old_completer)
        readline.set_completer_delims(old_delims)


def zone_completer(zones: Sequence[str]) -> Callable[[str, int], str | None]:
    """A readline completer over `zones`: "america/ch" completes to "America/Chicago"."""

    def complete(text: str, state: int) -> str | None:
        wanted = text.casefold()
        matches = [zone for zone in zones if zone.casefold().startswith(wanted)]
        return matches[state] if state < len(matches) else None

    return complete
