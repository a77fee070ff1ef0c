"""`gworkflow demo`: three months of check-ins on the built-in sandbox."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING

import click

from gworkflow.cli._common import App, emit, json_option, pass_app, progress

if TYPE_CHECKING:
    from gworkflow.demo import DemoResult


@click.command("demo")
@click.option(
    "--months", type=click.IntRange(1, 12), default=3, show_default=True, help="Months to play."
)
@click.option(
    "--serve",
    is_flag=True,
    help="Keep the sandbox running afterwards: print the doc's page to edit and the "
    "commands to run against it.",
)
@click.option(
    "--port",
    type=click.IntRange(0, 65535),
    default=0,
    help="Sandbox port with --serve (0: any free).",
)
@json_option
@pass_app
def demo(app: App, months: int, serve: bool, port: int, as_json: bool) -> None:
    """Play the whole story on a local sandbox, no Google account needed.

    Starts an in-process emulator of Google Docs and Calendar, sets up a pair in two time
    zones, creates the running doc and the recurring Zoom event, then for three months
    appends each meeting's agenda while the pair types goals in between, and prints the
    resulting doc. Nothing touches your config or your Google account.

    With --serve the sandbox keeps running: edit the doc's page in a browser, and run
    `goals`, `agenda preview` and `run --now ...` against it with the `export` line it
    prints, to watch the next month's section carry what you typed.
    """
    import tempfile

    from gworkflow.demo import run_demo
    from gworkflow.sandbox.server import Sandbox

    sandbox = Sandbox()
    sandbox.start(port if serve else 0)
    try:
        with tempfile.TemporaryDirectory(prefix="gworkflow-demo-") as workdir:
            result = run_demo(sandbox, Path(workdir), app.clock(), progress, months=months)
            if serve:
                result.view_url = f"{sandbox.base_url}/view/documents/{result.doc_id}"
            emit(result, as_json)
            if serve:
                # The demo's files (its config with the doc id, the run locks) live until
                # Ctrl-C, so the commands printed here work against it meanwhile.
                for line in serve_instructions(sandbox.base_url, Path(workdir), result):
                    progress(line)
                try:
                    sandbox.serve_forever()
                except KeyboardInterrupt:
                    progress("Stopped; the demo's files are deleted.")
    finally:
        sandbox.stop()


def serve_instructions(base_url: str, home: Path, result: DemoResult) -> list[str]:
    """What a newcomer runs next: the page to edit, the environment, the next month's run."""
    import shlex

    from gworkflow.config import load_config
    from gworkflow.meeting import meetings_from_rule

    series = load_config(home / "config.toml").select(None)
    last = next((run.meeting for run in reversed(result.runs) if run.meeting), None)
    lines = [
        f"The sandbox is running at {base_url} (Ctrl-C stops it).",
        f"Open the doc, type a goal under a Goals heading or mark one done: {result.view_url}",
        "Then, in another terminal:",
        f"  export GWORKFLOW_HOME={shlex.quote(str(home))} GWORKFLOW_API_ENDPOINT={base_url}",
        "  gworkflow goals                     # what the next section will carry",
    ]
    if last is not None:
        after = meetings_from_rule(series, last.end, 1)[0]
        due = after.start.astimezone(dt.UTC) - dt.timedelta(days=series.lead_days - 1)
        lines += [
            f"  gworkflow agenda preview --meeting {after.key}",
            f"  gworkflow run --now {due:%Y-%m-%dT%H:%M}Z   # append the {after.key} section",
            "  gworkflow doc show",
        ]
    return lines
