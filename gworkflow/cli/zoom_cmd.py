"""`gworkflow zoom create`: the recurring Zoom meeting itself, through the Zoom API."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import click

from gworkflow.cli._common import App, dry_run_option, emit, json_option, pass_app, series_option


@dataclass(frozen=True)
class ZoomCreated:
    join_url: str
    meeting_id: str

    def as_text(self) -> str:
        return (
            f"Created the Zoom meeting {self.meeting_id}: {self.join_url}\n"
            "Saved in the config; run `gworkflow event update` to put it in the calendar event."
        )

    def as_json(self) -> Any:
        # The passcode is in the config file; it is not echoed to logs or pipes.
        return {"join_url": self.join_url, "meeting_id": self.meeting_id}


@click.group("zoom")
def zoom_group() -> None:
    """Create the recurring Zoom meeting through the Zoom API."""


@zoom_group.command("create")
@series_option
@dry_run_option
@json_option
@pass_app
def zoom_create(app: App, series_id: str | None, dry_run: bool, as_json: bool) -> None:
    """Create the series' recurring Zoom meeting and write its link into the config.

    Needs a Zoom Server-to-Server OAuth app: ZOOM_ACCOUNT_ID, ZOOM_CLIENT_ID and
    ZOOM_CLIENT_SECRET in the environment.
    """
    import os

    from gworkflow.config import update_series
    from gworkflow.zoom import zoom_client_from_env

    series = app.series(series_id)
    first = series.schedule.first_start(series.timezone, app.clock())
    if dry_run:
        import json

        from gworkflow.zoom import meeting_body

        body = json.dumps(meeting_body(series, series.schedule, first), indent=2)
        click.echo(f"Would ask Zoom to create this meeting (dry run):\n{body}")
        return
    meeting = zoom_client_from_env(os.environ).create_meeting(series, series.schedule, first)
    update_series(
        app.resolved_config_path(),
        series.id,
        {
            "kind": "zoom",
            "join_url": meeting.join_url,
            "meeting_id": meeting.meeting_id,
            "passcode": meeting.passcode,
        },
        table="conference",
    )
    emit(ZoomCreated(meeting.join_url, meeting.meeting_id), as_json)
