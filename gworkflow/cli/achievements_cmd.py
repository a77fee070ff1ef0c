"""`gworkflow achievements`: what each person achieved, read back out of the running doc.

One documents.get, then the core (gworkflow.agenda.achievements: what counts;
gworkflow.agenda.achievements_render: the forms). `--to-doc` adds one documents.create, one
batchUpdate and the share with the person the doc is about.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Literal, cast

import click

from gworkflow.cli._common import App, pass_app, progress, series_option

if TYPE_CHECKING:
    from gworkflow.agenda.achievements import Report
    from gworkflow.config import Series
    from gworkflow.types import JSON

Format = Literal["text", "markdown", "csv", "json"]
FORMATS: tuple[Format, ...] = ("text", "markdown", "csv", "json")
_DAY = click.DateTime(formats=["%Y-%m-%d"])


def _remember_json(ctx: click.Context, _param: click.Parameter, value: object) -> object:
    # Scripts that asked for JSON get failures as JSON too (see the group in cli/__init__).
    if value is True or value == "json":
        ctx.meta["gworkflow.json"] = True
    return value


@click.command("achievements")
@series_option
@click.option("--person", metavar="NAME", help="Only this participant (default: everyone).")
@click.option(
    "--since", type=_DAY, metavar="DATE", help="From the meeting on DATE on (YYYY-MM-DD)."
)
@click.option("--until", type=_DAY, metavar="DATE", help="Up to the meeting on DATE, included.")
@click.option(
    "--year",
    type=click.IntRange(1, 9999),
    metavar="YYYY",
    help="The meetings of calendar year YYYY (instead of --until).",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(FORMATS),
    default="text",
    show_default=True,
    callback=_remember_json,
    help="text by month; markdown to paste into a report; csv or json for a spreadsheet.",
)
@click.option(
    "--json", "as_json", is_flag=True, callback=_remember_json, help="Same as --format json."
)
@click.option(
    "--goals",
    "with_goals",
    is_flag=True,
    help="Add each goal's history: set, meetings carried, done or dropped; the ones carried "
    "3 meetings or more and not done, apart.",
)
@click.option(
    "--to-doc",
    is_flag=True,
    help="Write one person's achievements (default: this year's) into a new Google Doc, "
    "shared with them alone, and print its link.",
)
@click.option(
    "--doc-json",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Read a saved documents.get response instead of calling Google (offline).",
)
@pass_app
def achievements(
    app: App,
    series_id: str | None,
    person: str | None,
    since: dt.datetime | None,
    until: dt.datetime | None,
    year: int | None,
    fmt: Format,
    as_json: bool,
    with_goals: bool,
    to_doc: bool,
    doc_json: Path | None,
) -> None:
    """Every achievement recorded in the running doc, by month: for annual reviews and dossiers.

    What counts: the items people typed under their Achievements heading, and each goal
    marked done (✅, ✔, [x], done: or struck through), once, at the meeting where it was
    first marked done. The lines gworkflow writes itself never count: the "Planned on ..."
    note, the empty items, the "✅ goal" carried from the last meeting. Sections typed by
    hand, or written by earlier versions, count when they follow the Achievements / Goals
    outline.

    Each achievement comes with the meeting it was recorded at, and keeps its links. csv
    has the columns person,meeting,text,link,source (source: typed or goal); json is a
    list of objects with those keys.
    """
    from gworkflow.agenda.achievements import pick_person, read_record, report, year_period
    from gworkflow.agenda.achievements_render import as_csv, as_markdown, as_text
    from gworkflow.agenda.achievements_render import as_json as report_json

    if as_json:
        if fmt not in ("text", "json"):
            raise click.UsageError(f"use --json or --format {fmt}, not both")
        fmt = "json"
    first, last = _period(since, until, year)
    if fmt == "csv" and with_goals:
        raise click.UsageError("--goals has no CSV form: use --format text, markdown or json")
    if to_doc and fmt != "text":
        raise click.UsageError(
            "--to-doc writes a Google Doc and prints its link: leave out --format and --json"
        )
    series = app.series(series_id)
    names = [p.name for p in series.participants]
    people = [pick_person(names, person, series.id)] if person else names
    if to_doc:
        if len(people) != 1:
            raise click.UsageError(
                f"--to-doc writes one person's achievements: add --person ({' or '.join(names)})"
            )
        if first is None and last is None:
            first, last = year_period(app.clock().astimezone(series.timezone).year)
    record = read_record(_read_doc(app, series, doc_json), series.id, names, series.tab, last)
    found = report(record, people, first, last)
    if to_doc:
        _write_doc(app, series, found)
        return
    if not found.achievements and not (with_goals and found.goals):
        message = found.empty_message(series.id)
        if fmt == "text":
            click.echo(message)
            return
        progress(message)  # stdout keeps the (empty) result a script expects
        if fmt == "markdown":
            return
    if fmt == "text":
        click.echo(as_text(found, series.title, with_goals))
    elif fmt == "markdown":
        click.echo(as_markdown(found, series.title, with_goals))
    elif fmt == "csv":
        click.echo(as_csv(found), nl=False)
    else:
        click.echo(json.dumps(report_json(found, with_goals), indent=2, ensure_ascii=False))


def _period(
    since: dt.datetime | None, until: dt.datetime | None, year: int | None
) -> tuple[dt.date | None, dt.date | None]:
    from gworkflow.agenda.achievements import year_period

    first = since.date() if since else None
    last = until.date() if until else None
    if year is not None:
        if last is not None:
            raise click.UsageError("use --until or --year, not both")
        start, last = year_period(year)
        first = max(first, start) if first else start
    if first is not None and last is not None and first > last:
        raise click.UsageError(f"the period starts ({first}) after it ends ({last})")
    return first, last


def _read_doc(app: App, series: Series, doc_json: Path | None) -> JSON:
    """The running doc: one documents.get, or a saved response."""
    from gworkflow.errors import ConfigError

    if doc_json is None:
        from gworkflow.runner import require_doc

        return app.clients().running_doc().fetch(require_doc(series))
    try:
        doc = json.loads(doc_json.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ConfigError(f"{doc_json}: not a documents.get JSON response: {exc}") from None
    if not isinstance(doc, dict) or not ({"body", "tabs"} & doc.keys()):
        raise ConfigError(f"{doc_json}: not a documents.get response (no body or tabs)")
    return cast("JSON", doc)


def _write_doc(app: App, series: Series, found: Report) -> None:
    """A new Google Doc with one person's achievements: one documents.create, one
    batchUpdate, and the share with that person (unless the doc is already theirs)."""
    from gworkflow.agenda.achievements_render import doc_blocks, title
    from gworkflow.agenda.docjson import select_tab
    from gworkflow.agenda.requests import build_section
    from gworkflow.cli._common import refuse_placeholders

    if not found.achievements:
        click.echo(f"{found.empty_message(series.id)}: no doc created")
        return
    person = next(p for p in series.participants if p.name == found.people[0])
    # Only the person the doc is about is shared with: only their address must be real.
    refuse_placeholders(app, replace(series, participants=(person,)), "share the doc with")
    heading = title(found, series.title)
    running = app.clients().running_doc()
    created = running.create(heading)
    doc_id = str(created["documentId"])
    url = f"https://docs.google.com/document/d/{doc_id}/edit"
    blocks = doc_blocks(found, heading, series.doc_url or None)
    # The request builder marks a section of the running doc with a named range; this doc
    # is not a running doc, so that one request is left out.
    requests = [
        r
        for r in build_section(blocks, select_tab(created), "top", "")
        if "createNamedRange" not in r
    ]
    # On stderr at once: if a later step fails, the doc's link is not lost.
    progress(f"created {url}")
    running.write_new(doc_id, requests, created.get("revisionId"))
    mine = (running.account_email() or "").casefold() == person.email.casefold()
    if not mine:
        progress(f"sharing it with {person.email} ...")
        running.share(doc_id, [person.email])
    click.echo(f"Created “{heading}”: {url}")
    if mine:
        click.echo(f"It is {person.name}'s own doc (the signed-in account): shared with nobody.")
    else:
        click.echo(f"Shared with {person.email} (can edit) and nobody else.")
