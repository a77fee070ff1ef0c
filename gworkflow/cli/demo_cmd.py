"""`gworkflow demo`: three months of check-ins on the built-in sandbox."""

from __future__ import annotations

import click

from gworkflow.cli._common import App, emit, json_option, pass_app, progress


@click.command("demo")
@click.option(
    "--months", type=click.IntRange(1, 12), default=3, show_default=True, help="Months to play."
)
@click.option(
    "--serve", is_flag=True, help="Keep the sandbox running afterwards and print its URL."
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
    """
    import tempfile
    from pathlib import Path

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
            progress(f"Sandbox running at {sandbox.base_url} (Ctrl-C to stop).")
            progress(f"  export GWORKFLOW_API_ENDPOINT={sandbox.base_url}")
            try:
                sandbox.serve_forever()
            except KeyboardInterrupt:
                progress("Stopped.")
    finally:
        sandbox.stop()
