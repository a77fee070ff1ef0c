"""`event create` run from an attendee's account: the attendee's calendar holds the
organizer's event as an invitation (same id, without the organizer's private extended
property); gworkflow recognises it, creates no second series and names the organizer.

Needs a sandbox with users and attendees' copies (`POST /_sandbox/users`,
`POST /_sandbox/act-as`); skipped on one without. Source: docs/google-api-notes.md,
"Attendees' copies and private extended properties".
"""

from __future__ import annotations

import datetime as dt
import json
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from gworkflow.cli import cli
from gworkflow.cli._common import App
from gworkflow.sandbox.server import Sandbox

NOW = dt.datetime(2026, 11, 27, 15, 0, tzinfo=dt.UTC)
ATTENDEE = "heather@example.org"


def admin(sb: Sandbox, path: str, body: dict[str, Any]) -> None:
    request = urllib.request.Request(
        sb.base_url + path,
        data=json.dumps(body).encode(),
        headers={"Content-Type": "application/json"},
        method="POST",
    )
    try:
        with urllib.request.urlopen(request):
            pass
    except urllib.error.HTTPError as error:
        if error.code == 404:
            pytest.skip("this sandbox has no users or attendees' copies")
        raise


def gworkflow(sb: Sandbox, *args: str) -> Result:
    app = App(api_endpoint=sb.base_url, clock=lambda: NOW)
    return CliRunner().invoke(cli, list(args), obj=app, catch_exceptions=False)


def masters(sb: Sandbox) -> list[tuple[str, str]]:
    """(calendar, event id) of every event that is not an attendee's copy."""
    calendars = sb.to_state()["calendar"]["calendars"]
    return [
        (calendar, event_id)
        for calendar, events in calendars.items()
        for event_id, record in events.items()
        if not record.get("copyOf") and record["event"].get("status") != "cancelled"
    ]


def test_event_create_from_an_attendees_account_uses_the_invitation(
    sb: Sandbox, config_file: Path
) -> None:
    admin(sb, "/_sandbox/users", {"email": ATTENDEE})
    created = gworkflow(sb, "event", "create", "--no-invites")
    assert created.exit_code == 0, created.output
    before = masters(sb)
    assert len(before) == 1

    admin(sb, "/_sandbox/act-as", {"email": ATTENDEE})
    again = gworkflow(sb, "event", "create", "--no-invites")
    assert again.exit_code == 0, again.output
    assert "invitation from" in again.output and "organizer" in again.output
    assert masters(sb) == before  # no second series

    changed = gworkflow(sb, "event", "skip", "2026-12-08", "--no-invites")
    assert changed.exit_code == 1
    assert "only its organizer can change it" in changed.output
