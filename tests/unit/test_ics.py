"""`gworkflow schedule --ics`: the series as an iCalendar file, read back with icalendar."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from click.testing import CliRunner
from icalendar import Calendar

from gworkflow.cli import cli
from gworkflow.cli._common import App
from gworkflow.config import EXAMPLE_CONFIG, SAMPLE_JOIN_URL, parse_config
from gworkflow.errors import ExitCode
from gworkflow.ics import series_ics
from gworkflow.meeting import meetings_from_rule

NOW = dt.datetime(2026, 11, 20, 15, 0, tzinfo=dt.UTC)
CHICAGO = ZoneInfo("America/Chicago")
DOC_URL = "https://docs.google.com/document/d/doc123/edit"


def export(*args: str) -> Calendar:
    result = CliRunner().invoke(
        cli, ["schedule", "--offline", "--ics", *args], obj=App(clock=lambda: NOW)
    )
    assert result.exit_code == 0, result.output
    return Calendar.from_ical(result.stdout_bytes)


def test_the_file_has_the_rule_the_zone_and_the_links(config_file: Path) -> None:
    config_file.write_text(EXAMPLE_CONFIG.replace('doc_id = ""', 'doc_id = "doc123"'))
    calendar = export()

    [event] = calendar.walk("VEVENT")
    start = event.decoded("dtstart")
    assert start == dt.datetime(2026, 12, 8, 14, 0, tzinfo=CHICAGO)
    assert event["dtstart"].params["TZID"] == "America/Chicago"
    assert event.decoded("dtend") - start == dt.timedelta(hours=1)
    assert event["rrule"].to_ical() == b"FREQ=MONTHLY;BYDAY=2TU"
    assert str(event["location"]) == SAMPLE_JOIN_URL
    assert str(event["url"]) == DOC_URL
    description = str(event["description"])
    assert f"Running agenda: {DOC_URL}" in description
    assert f"Join Zoom: {SAMPLE_JOIN_URL}" in description
    assert "Passcode: 314159" in description
    assert str(event["summary"]) == "Peer mentoring check-in"
    # The zone travels with the file, so a calendar without zoneinfo places it right.
    [zone] = calendar.walk("VTIMEZONE")
    assert str(zone["tzid"]) == "America/Chicago"
    # The 30-minute pop-up reminder as an alarm.
    [alarm] = event.walk("VALARM")
    assert alarm.decoded("trigger") == -dt.timedelta(minutes=30)


def test_the_meetings_in_the_file_are_the_schedules(config_file: Path) -> None:
    # Expand the RRULE the file holds (dateutil, as a calendar would) and compare.
    from dateutil.rrule import rrulestr

    calendar = export()
    [event] = calendar.walk("VEVENT")
    rule = rrulestr(
        event["rrule"].to_ical().decode(), dtstart=event.decoded("dtstart").replace(tzinfo=None)
    )
    series = parse_config(EXAMPLE_CONFIG, config_file).series[0]
    expected = [m.start.replace(tzinfo=None) for m in meetings_from_rule(series, NOW, 6)]
    assert list(rule[:6]) == expected


def test_the_uid_is_stable_per_series(config_file: Path) -> None:
    first = export()
    later = CliRunner().invoke(
        cli,
        ["schedule", "--offline", "--ics"],
        obj=App(clock=lambda: NOW + dt.timedelta(days=40)),
    )
    [a] = first.walk("VEVENT")
    [b] = Calendar.from_ical(later.stdout_bytes).walk("VEVENT")
    assert str(a["uid"]) == str(b["uid"]) and str(a["uid"]).startswith("ruth-heather-")
    other = parse_config(
        EXAMPLE_CONFIG.replace('id = "ruth-heather"', 'id = "kim-lee"'), config_file
    )
    [c] = Calendar.from_ical(
        series_ics(other.series[0], meetings_from_rule(other.series[0], NOW, 1), NOW)
    ).walk("VEVENT")
    assert str(c["uid"]) != str(a["uid"])


def test_ics_and_json_together_is_a_usage_error(config_file: Path) -> None:
    result = CliRunner().invoke(cli, ["schedule", "--offline", "--ics", "--json"])
    assert result.exit_code == ExitCode.USAGE


@pytest.mark.parametrize("kind", ["meet", "none"])
def test_without_zoom_there_is_no_location(config_file: Path, kind: str) -> None:
    config_file.write_text(
        EXAMPLE_CONFIG.replace('kind = "zoom" ', f'kind = "{kind}"').replace(
            f'join_url = "{SAMPLE_JOIN_URL}"', 'join_url = ""'
        )
    )
    [event] = export().walk("VEVENT")
    assert "location" not in event and "url" not in event
