"""The `gworkflow` command line: the group, its global options and error handling.

Each command lives in a module of this package and registers itself below. Commands import
Google, Jinja and the recurrence library inside their functions, never at module level.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import click

from gworkflow import __version__
from gworkflow.cli._common import App
from gworkflow.errors import ExitCode, GworkflowError

# click reads `exit_code` from the exception class: one subclass per documented code.
_FAILURES: dict[int, type[click.ClickException]] = {
    int(code): type(f"Exit{code.name.title()}", (click.ClickException,), {"exit_code": int(code)})
    for code in ExitCode
}


class GworkflowGroup(click.Group):
    """Turns core errors and Ctrl-C into one readable line and a documented exit code."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except GworkflowError as exc:
            raise self._fail(ctx, exc.message, exc.exit_code) from None
        except KeyboardInterrupt:
            raise self._fail(ctx, "interrupted", ExitCode.INTERRUPTED) from None

    @staticmethod
    def _fail(ctx: click.Context, message: str, code: int) -> click.ClickException:
        if ctx.meta.get("gworkflow.json"):
            # Scripts asked for JSON: the error comes as JSON on stdout too.
            body = {"error": {"exit_code": int(code), "message": message}}
            click.echo(json.dumps(body, indent=2, ensure_ascii=False))
        return _FAILURES[int(code)](message)


@click.group(cls=GworkflowGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", prog_name="gworkflow")
@click.option(
    "--config",
    "config_path",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Config file (default: $GWORKFLOW_HOME/config.toml).",
)
@click.option(
    "--api-endpoint",
    metavar="URL",
    default="",
    help="Send every Google call to this endpoint (a sandbox) with anonymous credentials.",
)
@click.option("-v", "--verbose", count=True, help="Log more on stderr (-vv for HTTP detail).")
@click.pass_context
def cli(ctx: click.Context, config_path: Path | None, api_endpoint: str, verbose: int) -> None:
    """Automate a monthly peer-mentoring check-in on Google Workspace.

    gworkflow creates the recurring Zoom-linked calendar event once, and before each
    meeting appends a fresh agenda section (Achievements, Goals, Upcoming Conferences per
    person) to one running Google Doc, carrying last month's goals forward as prompts.

    Every option can also be set from the environment: GWORKFLOW_CONFIG,
    GWORKFLOW_API_ENDPOINT, GWORKFLOW_RUN_SERIES, ... (GWORKFLOW_ + the option name).

    Exit codes: 0 ok, 1 the operation failed, 2 usage or config error, 3 sign-in needed
    (run `gworkflow auth login`), 130 interrupted.
    """
    app = ctx.ensure_object(App)
    if config_path is not None:
        app.config_path = config_path
    if api_endpoint:
        app.api_endpoint = api_endpoint
    app.verbose = max(app.verbose, verbose)
    _configure_logging(app.verbose)


def _configure_logging(verbose: int) -> None:
    # Imported here: `gworkflow --help` never runs the group callback, so it never pays.
    import logging
    import sys

    level = logging.WARNING - 10 * min(verbose, 2)
    logging.basicConfig(
        level=level, format="%(levelname)s %(name)s: %(message)s", stream=sys.stderr
    )
    if verbose < 2:
        # googleapiclient logs request URLs at INFO; only -vv shows them.
        logging.getLogger("googleapiclient").setLevel(logging.WARNING)


def _register() -> None:
    from gworkflow.cli import (
        agenda_cmd,
        auth_cmd,
        config_cmd,
        demo_cmd,
        doc_cmd,
        doctor_cmd,
        event_cmd,
        run_cmd,
        sandbox_cmd,
    )

    for command in (
        auth_cmd.auth_group,
        config_cmd.config_group,
        demo_cmd.demo,
        doctor_cmd.doctor,
        doc_cmd.doc_group,
        agenda_cmd.agenda_group,
        agenda_cmd.goals,
        event_cmd.event_group,
        event_cmd.schedule,
        event_cmd.zoom_group,
        run_cmd.run,
        run_cmd.cron_group,
        sandbox_cmd.sandbox,
    ):
        cli.add_command(command)


_register()


def main() -> None:
    cli(auto_envvar_prefix="GWORKFLOW")
