"""`gworkflow sandbox serve`: run the local Google/Zoom emulator until Ctrl-C.

Only parses options and prints; the server lives in gworkflow.sandbox.server, imported inside
the command so `gworkflow --help` stays fast.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click


@click.group("sandbox")
def sandbox() -> None:
    """A local emulator of Google Docs, Calendar, Drive, OAuth and Zoom.

    For trying gworkflow safely, and for its tests: nothing reaches Google.
    """


@sandbox.command("serve")
@click.option(
    "--port",
    type=click.IntRange(0, 65535),
    default=8765,
    show_default=True,
    help="Port on 127.0.0.1 (0: any free port).",
)
@click.option(
    "--state",
    "state_file",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="JSON file that keeps the sandbox's documents and events across restarts.",
)
@click.option(
    "--quota",
    "quota_settings",
    metavar="KEY=VALUE",
    multiple=True,
    callback=lambda _ctx, _param, values: _quota_settings(values),
    help="Change a per-user quota (repeatable): docs_read, docs_write, calendar, drive "
    "(requests per window; defaults: Google's 300, 60, 600, 12000), window_seconds (60), "
    "calendar_status / drive_status (403 or 429), doc_max_chars (1020000, none: no limit), "
    "enabled (true/false).",
)
def serve(port: int, state_file: Path | None, quota_settings: dict[str, Any]) -> None:
    """Serve the sandbox on 127.0.0.1 until Ctrl-C."""
    from gworkflow.sandbox.server import Sandbox

    try:
        box = Sandbox(state_file=state_file, quotas=quota_settings)
    except ValueError as error:  # the state file is not JSON, or not a sandbox state
        raise click.ClickException(str(error)) from None
    except OSError as error:
        raise click.ClickException(
            f"cannot read the sandbox state {state_file}: {error.strerror or error}"
        ) from None
    try:
        base_url = box.start(port)
    except OSError as error:
        raise click.ClickException(
            f"cannot listen on 127.0.0.1:{port}: {error.strerror or error}"
        ) from None
    click.echo(f"gworkflow sandbox at {base_url} (documents and events: {base_url}/)")
    click.echo("Point gworkflow at it with:")
    click.echo(f"  export GWORKFLOW_API_ENDPOINT={base_url}")
    if state_file is not None:
        click.echo(f"State is kept in {state_file}.")
    click.echo("Press Ctrl-C to stop.")
    try:
        box.serve_forever()
    except KeyboardInterrupt:
        click.echo("\nStopped.")
    finally:
        box.stop()


def _quota_settings(values: tuple[str, ...]) -> dict[str, Any]:
    """The `--quota KEY=VALUE` options as one settings dict (later ones win)."""
    from gworkflow.sandbox.server import parse_quota_option

    settings: dict[str, Any] = {}
    for value in values:
        try:
            settings.update(parse_quota_option(value))
        except ValueError as error:
            raise click.BadParameter(str(error), param_hint="--quota") from None
    return settings
