"""`schedule --ics` once the event exists: moved and cancelled meetings travel with the file."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from zoneinfo import ZoneInfo

from click.testing import CliRunner, Result
from icalendar import Calendar

from gworkflow.cli import cli
from gworkflow.cli._common import App
from gworkflow.sandbox.server import Sandbox

NOW = dt.datetime(2026, 11, 27, 15, 0, tzinfo=dt.UTC)
CHICAGO = ZoneInfo("America/Chicago")


def gw(sb: Sandbox, *args: str) -> Result:
    result = CliRunner().invoke(
        cli, list(args), obj=App(api_endpoint=sb.base_url, clock=lambda: NOW)
    )
    assert result.exit_code == 0, result.output
    return result


def test_moved_and_cancelled_meetings_are_in_the_file(sb: Sandbox, config_file: Path) -> None:
    gw(sb, "event", "create")
    gw(sb, "event", "move", "2027-01-12", "--to", "2027-01-13T15:00")
    gw(sb, "event", "skip", "2027-02-09")

    calendar = Calendar.from_ical(gw(sb, "schedule", "--ics").stdout_bytes)

    series, moved = calendar.walk("VEVENT")
    assert series.decoded("dtstart") == dt.datetime(2026, 12, 8, 14, 0, tzinfo=CHICAGO)
    assert series["rrule"].to_ical() == b"FREQ=MONTHLY;BYDAY=2TU"
    assert [d.dt for d in series["exdate"].dts] == [dt.datetime(2027, 2, 9, 14, 0, tzinfo=CHICAGO)]
    # The moved one overrides its slot (same UID, RECURRENCE-ID = where the rule put it).
    assert str(moved["uid"]) == str(series["uid"])
    assert moved.decoded("recurrence-id") == dt.datetime(2027, 1, 12, 14, 0, tzinfo=CHICAGO)
    assert moved.decoded("dtstart") == dt.datetime(2027, 1, 13, 15, 0, tzinfo=CHICAGO)
    assert moved.decoded("dtend") == dt.datetime(2027, 1, 13, 16, 0, tzinfo=CHICAGO)
