"""The `gworkflow` command line: the group, its global options and error handling.

Each command lives in a module of this package, listed in `COMMANDS` and imported only when
it runs (or its help is shown): `gworkflow --help` and `--version` import nothing but click.
Commands import Google, Jinja and the recurrence library inside their functions.
"""

from __future__ import annotations

import importlib
from typing import Any

import click

from gworkflow import __version__
from gworkflow.errors import ExitCode, GworkflowError

# name -> (module, attribute, the one line `gworkflow --help` shows). A test checks that
# each line is the first sentence of the command's own help, so they cannot drift.
COMMANDS: dict[str, tuple[str, str, str]] = {
    "achievements": ("achievements_cmd", "achievements", "Every achievement recorded in the running doc, by month: for annual reviews and dossiers."),
    "agenda": ("agenda_cmd", "agenda_group", "Preview or append the agenda section for a meeting."),
    "auth": ("auth_cmd", "auth_group", "Sign in to Google, show the sign-in, or sign out."),
    "completion": ("completion_cmd", "completion", "Print the shell completion script for bash, zsh or fish."),
    "config": ("config_cmd", "config_group", "Check, create, edit or print the config file."),
    "cron": ("run_cmd", "cron_group", "Help to schedule `gworkflow run`."),
    "demo": ("demo_cmd", "demo", "Play the whole story on a local sandbox, no Google account needed."),
    "doc": ("doc_cmd", "doc_group", "Create, share or show the running agenda doc."),
    "doctor": ("doctor_cmd", "doctor", "Check everything a daily run needs and print what to fix."),
    "event": ("event_cmd", "event_group", "Create and manage the recurring calendar event."),
    "goals": ("agenda_cmd", "goals", "What the doc's latest section holds per participant: what the next one carries."),
    "run": ("run_cmd", "run", "The daily job: append the next meeting's agenda once it is within lead_days."),
    "sandbox": ("sandbox_cmd", "sandbox", "A local emulator of Google Docs, Calendar, Drive, OAuth and Zoom."),
    "schedule": ("event_cmd", "schedule", "The next meetings, in the series' zone and every participant's own."),
    "selftest": ("selftest_cmd", "selftest", "Check that Google answers the requests gworkflow sends as gworkflow expects."),
    "series": ("series_cmd", "series_group", "Manage the programme's series: import them from a roster."),
    "status": ("status_cmd", "status", "One line per series: next meeting, latest section, goals, and pairs gone quiet."),
    "weigh": ("weigh_cmd", "weigh", "What saying yes to a recurring commitment costs, in hours."),
    "zoom": ("zoom_cmd", "zoom_group", "Create the recurring Zoom meeting through the Zoom API."),
}  # fmt: skip

# click reads `exit_code` from the exception class: one subclass per documented code.
_FAILURES: dict[int, type[click.ClickException]] = {
    int(code): type(f"Exit{code.name.title()}", (click.ClickException,), {"exit_code": int(code)})
    for code in ExitCode
}


class GworkflowGroup(click.Group):
    """Loads commands lazily, and turns core errors and Ctrl-C into one readable line and a
    documented exit code."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        spec = COMMANDS.get(cmd_name)
        if spec is None:
            return None
        module = importlib.import_module(f"gworkflow.cli.{spec[0]}")
        command: click.Command = getattr(module, spec[1])
        return command

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        # The one-line summaries come from COMMANDS, so listing them imports no command.
        with formatter.section("Commands"):
            formatter.write_dl([(name, spec[2]) for name, spec in sorted(COMMANDS.items())])

    def format_epilog(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        # Where the config is read from, here and now. Cheap (the environment and
        # platformdirs), so `gworkflow --help` stays fast.
        import os
        from pathlib import Path

        from gworkflow.paths import HOME_ENV, default_config_path

        named = os.environ.get("GWORKFLOW_CONFIG")
        if named:
            where, why = Path(named), "named by GWORKFLOW_CONFIG"
        elif os.environ.get(HOME_ENV):
            where, why = default_config_path(), "in GWORKFLOW_HOME"
        else:
            where, why = default_config_path(), "the default; GWORKFLOW_HOME is not set"
        home = Path.home()
        shown = f"~/{where.relative_to(home)}" if where.is_relative_to(home) else str(where)
        formatter.write_paragraph()
        # Not wrapped: a path broken at a hyphen could not be copied.
        formatter.write(f"Config file here: {shown} ({why}).\n")
        super().format_epilog(ctx, formatter)

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except GworkflowError as exc:
            raise self._fail(ctx, exc.message, exc.exit_code) from None
        except KeyboardInterrupt:
            raise self._fail(ctx, "interrupted", ExitCode.INTERRUPTED) from None
        except OSError as exc:
            # A file we could not read or write (full disk, permissions): one line, not a
            # traceback. Network errors never get here: the Google modules translate them.
            where = f"{exc.filename}: " if exc.filename else ""
            raise self._fail(ctx, f"{where}{exc.strerror or exc}", ExitCode.FAILED) from None

    @staticmethod
    def _fail(ctx: click.Context, message: str, code: int) -> click.ClickException:
        if ctx.meta.get("gworkflow.json"):
            import json

            # Scripts asked for JSON: the error comes as JSON on stdout too.
            body = {"error": {"exit_code": int(code), "message": message}}
            click.echo(json.dumps(body, indent=2, ensure_ascii=False))
        return _FAILURES[int(code)](message)


@click.group(cls=GworkflowGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", prog_name="gworkflow")
@click.option(
    "--config",
    "config_path",
    type=click.Path(dir_okay=False),
    help="Config file (default: $GWORKFLOW_HOME/config.toml).",
)
@click.option(
    "--api-endpoint",
    metavar="URL",
    default="",
    help="Send every Google call to this endpoint (a sandbox) with anonymous credentials.",
)
@click.option("-v", "--verbose", count=True, help="Log more on stderr (-vv for HTTP detail).")
@click.option(
    "-q", "--quiet", is_flag=True, help="No progress bars (they show only on a terminal)."
)
@click.pass_context
def cli(
    ctx: click.Context, config_path: str | None, api_endpoint: str, verbose: int, quiet: bool
) -> None:
    """Automate a monthly peer-mentoring check-in on Google Workspace.

    gworkflow creates the recurring Zoom-linked calendar event once, and before each
    meeting appends a fresh agenda section (Achievements, Goals, Upcoming Conferences per
    person) to one running Google Doc, offering unfinished goals again and showing the
    ones marked done as achievements.

    Files: the config is GWORKFLOW_HOME/config.toml unless --config (GWORKFLOW_CONFIG)
    names another. GWORKFLOW_HOME also holds the sign-in (token.json) and the run locks;
    it defaults to your user config directory (~/.config/gworkflow on Linux,
    ~/Library/Application Support/gworkflow on macOS). `gworkflow config path` prints it.

    Every option can also be set from the environment: GWORKFLOW_CONFIG,
    GWORKFLOW_API_ENDPOINT, GWORKFLOW_RUN_SERIES, ... (GWORKFLOW_ + the option name).

    Exit codes: 0 ok, 1 the operation failed, 2 usage or config error, 3 sign-in needed
    (run `gworkflow auth login`), 130 interrupted.
    """
    from pathlib import Path

    from gworkflow.cli._common import App
    from gworkflow.cli._programme import QUIET_KEY

    ctx.meta[QUIET_KEY] = quiet
    app = ctx.ensure_object(App)
    if config_path is not None:
        app.config_path = Path(config_path)
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


def main() -> None:
    cli(auto_envvar_prefix="GWORKFLOW")
