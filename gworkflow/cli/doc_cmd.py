"""`gworkflow doc create|share|show`: the running Google Doc of a series."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import click

from gworkflow.cli._common import (
    App,
    dry_run_option,
    emit,
    json_option,
    pass_app,
    progress,
    series_option,
)


@dataclass(frozen=True)
class DocCreated:
    series_id: str
    doc_id: str
    url: str
    shared_with: list[str]
    problems: list[str] = field(default_factory=list)

    def as_text(self) -> str:
        lines = [f"Created the running doc for {self.series_id}: {self.url}"]
        if self.shared_with:
            lines.append(f"Shared (as writers) with: {', '.join(self.shared_with)}")
        lines += [f"Could not share: {problem}" for problem in self.problems]
        lines.append("Its id is now doc_id in the config file.")
        return "\n".join(lines)

    def as_json(self) -> Any:
        return {
            "series": self.series_id,
            "doc_id": self.doc_id,
            "url": self.url,
            "shared_with": self.shared_with,
            "problems": self.problems,
        }


@click.group("doc")
def doc_group() -> None:
    """Create, share or show the running agenda doc."""


@doc_group.command("create")
@series_option
@click.option(
    "--all",
    "all_series",
    is_flag=True,
    help="Create a doc for every series that has none (paced, like `run --all`).",
)
@click.option(
    "--share/--no-share",
    default=True,
    show_default=True,
    help="Share the doc with the participants as writers (they get Google's e-mail).",
)
@dry_run_option
@json_option
@pass_app
def create(
    app: App, series_id: str | None, all_series: bool, share: bool, dry_run: bool, as_json: bool
) -> None:
    """Create the running doc, share it, and write its id into the config file.

    The new doc starts with a short "How this doc works" paragraph. The config file keeps
    its comments and layout; only doc_id changes.
    """
    if all_series:
        _create_all(app, series_id, share, dry_run, as_json)
        return
    from gworkflow.cli._common import refuse_placeholders
    from gworkflow.config import update_series
    from gworkflow.errors import ConfigError, GworkflowError

    series = app.series(series_id)
    if share:
        refuse_placeholders(app, series, "share the doc with")
    if series.doc_id:
        raise ConfigError(
            f"{app.resolved_config_path()}: series {series.id!r} already has doc_id "
            f"{series.doc_id!r}; empty it first to create a new doc"
        )
    title = f"{series.title} — running agenda"
    if dry_run:
        others = ", ".join(p.email for p in series.participants) if share else "nobody"
        click.echo(
            f"Would create the doc {title!r}, share it with {others} (but not yourself), "
            f"and write its id into {app.resolved_config_path()} (dry run)."
        )
        return
    running = app.clients().running_doc()
    created = running.create(title)
    doc_id = str(created["documentId"])
    try:
        from gworkflow.agenda.render import intro_blocks

        running.write_intro(created, intro_blocks(series))
    except GworkflowError as exc:
        # The doc works without it: keep going (config, sharing), and say so.
        progress(f"could not write 'How this doc works' at the top: {exc.message}")
    update_series(app.resolved_config_path(), series.id, {"doc_id": doc_id})
    shared: list[str] = []
    problems: list[str] = []
    if share:
        # The doc is already the signed-in account's own: share it with the others.
        me = (running.account_email() or "").casefold()
        for person in (p for p in series.participants if p.email.casefold() != me):
            progress(f"sharing with {person.email} ...")
            try:
                running.share(doc_id, [person.email])
                shared.append(person.email)
            except GworkflowError as exc:
                # One address failing (e.g. the owner's own) must not lose the created doc.
                problems.append(f"{person.email}: {exc.message}")
    emit(DocCreated(series.id, doc_id, app.doc_link(doc_id), shared, problems), as_json)


@dataclass(frozen=True)
class DocShared:
    """What `doc share` did (or would do): who got access, who had it, what failed."""

    series_id: str
    shared_with: list[str]
    already: list[str]
    problems: list[str] = field(default_factory=list)
    dry_run: bool = False

    def as_text(self) -> str:
        lines = []
        if self.shared_with:
            verb = (
                "Would share (as writers, dry run) with"
                if self.dry_run
                else "Shared (as writers) with"
            )
            lines.append(f"{verb}: {', '.join(self.shared_with)}")
        if self.already:
            lines.append(f"Already have access: {', '.join(self.already)}")
        lines += [f"Could not share: {problem}" for problem in self.problems]
        if not self.shared_with and not self.problems:
            lines.append("Every participant can edit the running doc; nothing to do.")
        return "\n".join(lines)

    def as_json(self) -> Any:
        return {
            "series": self.series_id,
            "shared_with": self.shared_with,
            "already": self.already,
            "problems": self.problems,
            "dry_run": self.dry_run,
        }


@doc_group.command("share")
@series_option
@dry_run_option
@json_option
@pass_app
def share(app: App, series_id: str | None, dry_run: bool, as_json: bool) -> None:
    """Share the running doc with every participant who cannot edit it yet.

    Says who already has access. Each person added gets Google's e-mail with the link.
    """
    from gworkflow.errors import GoogleError, GworkflowError
    from gworkflow.runner import require_doc

    series = app.series(series_id)
    doc_id = require_doc(series)
    running = app.clients().running_doc()
    sharing = running.sharing(doc_id)
    emails = [p.email for p in series.participants]
    if not sharing.visible:
        raise GoogleError(
            f"Google Drive does not show who can open doc {doc_id} (gworkflow may only manage "
            "the sharing of docs it created): share it from the doc's Share button with "
            + ", ".join(emails)
        )
    me = (running.account_email() or "").casefold()
    lacking = [e for e in sharing.lacking(emails) if e.casefold() != me]
    already = [e for e in emails if e not in lacking]
    shared: list[str] = []
    problems: list[str] = []
    if not dry_run:
        for email in lacking:
            progress(f"sharing with {email} ...")
            try:
                running.share(doc_id, [email])
                shared.append(email)
            except GworkflowError as exc:
                problems.append(f"{email}: {exc.message}")
    result = DocShared(series.id, lacking if dry_run else shared, already, problems, dry_run)
    emit(result, as_json)
    if problems:
        click.get_current_context().exit(1)


def _create_all(app: App, series_id: str | None, share: bool, dry_run: bool, as_json: bool) -> None:
    """`doc create --all`: a doc for every series without one, each id written into the
    config as soon as its doc exists; a summary table, then the failures."""
    import threading

    from gworkflow.cli._common import refuse_placeholders
    from gworkflow.cli._programme import make_pacer, setup_every_series, worker_clients
    from gworkflow.config import Series
    from gworkflow.google.clients import GoogleClients
    from gworkflow.programme import SetupOutcome, create_doc

    if series_id:
        raise click.UsageError("use --series ID or --all, not both")
    series_list = app.config().series
    me = ""
    if share and not dry_run and any(not s.doc_id for s in series_list):
        # The signed-in account owns the docs: it is not invited to them (one Drive call).
        me = worker_clients(app, make_pacer(app))().running_doc().account_email() or ""
    config_lock = threading.Lock()

    def task(series: Series, clients: GoogleClients) -> SetupOutcome:
        if share and not series.doc_id:
            refuse_placeholders(app, series, "share the doc with")
        return create_doc(
            series,
            clients.running_doc(),
            app.resolved_config_path(),
            share=share,
            me=me,
            config_lock=config_lock,
            dry_run=dry_run,
        )

    report = setup_every_series(app, series_list, task, "doc create", as_json)
    emit(report, as_json)
    if report.exit_code:
        click.get_current_context().exit(report.exit_code)


@dataclass(frozen=True)
class DocText:
    title: str
    text: str

    def as_text(self) -> str:
        return f"{self.title}\n\n{self.text}"

    def as_json(self) -> Any:
        return {"title": self.title, "text": self.text}


@doc_group.command("show")
@series_option
@json_option
@pass_app
def show(app: App, series_id: str | None, as_json: bool) -> None:
    """Print the running doc (its configured tab) as readable text."""
    from gworkflow.agenda.docjson import select_tab
    from gworkflow.agenda.parse import paragraphs
    from gworkflow.agenda.text import blocks_to_text
    from gworkflow.runner import require_doc

    series = app.series(series_id)
    doc = app.clients().running_doc().fetch(require_doc(series))
    blocks = [p.block for p in paragraphs(select_tab(doc, series.tab))]
    emit(DocText(str(doc.get("title", "")), blocks_to_text(blocks)), as_json)
