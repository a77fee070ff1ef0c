"""Reminders in the config, the example's placeholders, and time-zone suggestions."""

from __future__ import annotations

import datetime as dt
import json
from importlib import resources
from pathlib import Path

import pytest

from gworkflow.config import (
    DEFAULT_REMINDERS,
    EXAMPLE_CONFIG,
    MAX_REMINDER_MINUTES,
    MAX_REMINDERS,
    SAMPLE_JOIN_URL,
    Config,
    Reminder,
    parse_config,
    parse_reminder,
    placeholder_values,
    placeholder_warnings,
    suggest_zone,
)
from gworkflow.errors import ConfigError
from gworkflow.google.event_body import event_body, plan_update

NOW = dt.datetime(2026, 11, 20, tzinfo=dt.UTC)
REMINDERS_LINE = 'reminders = ["30 minutes popup", "1 day email"]'


def parse(text: str) -> Config:
    return parse_config(text, Path("config.toml"))


def with_reminders(value: str) -> str:
    assert REMINDERS_LINE in EXAMPLE_CONFIG
    return EXAMPLE_CONFIG.replace(REMINDERS_LINE, f"reminders = {value}")


def error_of(text: str) -> str:
    with pytest.raises(ConfigError) as info:
        parse(text)
    assert "\n" not in info.value.message
    return info.value.message


@pytest.mark.parametrize(
    ("text", "minutes", "method"),
    [
        ("1 day email", 1440, "email"),
        ("10 minutes popup", 10, "popup"),
        ("2 hours e-mail", 120, "email"),
        ("1 week popup", 10080, "popup"),
        ("4 weeks email", 40320, "email"),
        ("0 minutes popup", 0, "popup"),
        ("  15  MINUTES   Popup ", 15, "popup"),
    ],
)
def test_reminders_are_read_in_plain_words(text: str, minutes: int, method: str) -> None:
    assert parse_reminder(text) == Reminder(minutes, method)  # type: ignore[arg-type]


def test_a_reminder_reads_back_as_it_is_written() -> None:
    assert [r.describe() for r in DEFAULT_REMINDERS] == ["30 minutes popup", "1 day email"]
    assert Reminder(90, "email").describe() == "90 minutes email"
    assert Reminder(120, "popup").describe() == "2 hours popup"


def test_the_example_states_the_default_reminders() -> None:
    assert parse(EXAMPLE_CONFIG).series[0].reminders == DEFAULT_REMINDERS
    without = EXAMPLE_CONFIG.replace(REMINDERS_LINE + "   # ", "# ")
    assert "reminders =" not in without
    assert parse(without).series[0].reminders == DEFAULT_REMINDERS


def test_configured_reminders_become_the_events_overrides() -> None:
    series = parse(with_reminders('["1 day email", "10 minutes popup"]')).series[0]
    first = series.schedule.occurrences(series.timezone, NOW, 1)[0]
    body = event_body(series, series.schedule, first, "")
    assert body["reminders"] == {
        "useDefault": False,
        "overrides": [{"method": "email", "minutes": 1440}, {"method": "popup", "minutes": 10}],
    }


def test_an_empty_list_means_no_reminders() -> None:
    series = parse(with_reminders("[]")).series[0]
    first = series.schedule.occurrences(series.timezone, NOW, 1)[0]
    assert event_body(series, series.schedule, first, "")["reminders"] == {
        "useDefault": False,
        "overrides": [],
    }


def test_update_compares_reminders_as_google_returns_them() -> None:
    series = parse(with_reminders("[]")).series[0]
    first = series.schedule.occurrences(series.timezone, NOW, 1)[0]
    existing = event_body(series, series.schedule, first, "")
    # Google leaves an empty list out of its answer: still in step.
    existing["reminders"] = {"useDefault": False}
    assert "reminders" not in plan_update(existing, series, series.schedule, "")

    two = parse(with_reminders('["1 day email", "10 minutes popup"]')).series[0]
    # The same two in Google's order: in step; a changed one: pushed.
    existing["reminders"] = {
        "useDefault": False,
        "overrides": [{"method": "popup", "minutes": 10}, {"method": "email", "minutes": 1440}],
    }
    assert "reminders" not in plan_update(existing, two, two.schedule, "")
    other = parse(with_reminders('["2 days email"]')).series[0]
    changes = plan_update(existing, other, other.schedule, "")
    assert changes["reminders"] == {
        "useDefault": False,
        "overrides": [{"method": "email", "minutes": 2880}],
    }


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (
            '["1 day sms"]',
            "config.toml: series[0].reminders[0]: '1 day sms' is not a reminder; write it like "
            "'1 day email' or '10 minutes popup' (minutes, hours, days or weeks; email or popup)",
        ),
        (
            '["30 minutes popup", "5 weeks email"]',
            "config.toml: series[0].reminders[1]: '5 weeks email' is more than 4 weeks before; "
            "Google allows at most 4 weeks",
        ),
        (
            '["1 day email", "2 days email", "3 days email", "4 days email", "5 days email", '
            '"6 days email"]',
            "config.toml: series[0].reminders: 6 reminders; Google allows at most 5",
        ),
        (
            '["1 day email", "24 hours email"]',
            "config.toml: series[0].reminders[1]: '24 hours email' is listed twice",
        ),
        (
            "[30]",
            "config.toml: series[0].reminders[0]: must be a string like '1 day email', not 30",
        ),
        ('"1 day email"', "config.toml: series[0].reminders: must be a list, not '1 day email'"),
    ],
)
def test_a_wrong_reminder_is_one_line(value: str, message: str) -> None:
    assert error_of(with_reminders(value)) == message


def test_the_limits_are_googles() -> None:
    # Straight from the calendar.v3 discovery document the client library ships.
    ref = resources.files("googleapiclient.discovery_cache").joinpath(
        "documents", "calendar.v3.json"
    )
    schemas = json.loads(ref.read_text(encoding="utf-8"))["schemas"]
    overrides = schemas["Event"]["properties"]["reminders"]["properties"]["overrides"]
    assert f"maximum number of override reminders is {MAX_REMINDERS}." in overrides["description"]
    minutes = schemas["EventReminder"]["properties"]["minutes"]["description"]
    assert f"between 0 and {MAX_REMINDER_MINUTES}" in minutes


# --- placeholders ---------------------------------------------------------------------


def test_the_examples_placeholders_are_found() -> None:
    assert SAMPLE_JOIN_URL in EXAMPLE_CONFIG
    series = parse(EXAMPLE_CONFIG).series[0]
    assert placeholder_values(series, links=False) == ["ruth@example.edu", "heather@example.org"]
    assert placeholder_values(series)[-1] == f"the sample Zoom link {SAMPLE_JOIN_URL}"
    assert placeholder_warnings(parse(EXAMPLE_CONFIG)) == [
        f"series 'ruth-heather': ruth@example.edu, heather@example.org, the sample Zoom link "
        f"{SAMPLE_JOIN_URL} are placeholders from the example; put in the real ones "
        "(`gworkflow config edit`)"
    ]


def test_real_values_are_not_placeholders() -> None:
    real = (
        EXAMPLE_CONFIG.replace("ruth@example.edu", "ruth@lib.example-university.edu")
        .replace("heather@example.org", "heather@mail.example.org")
        .replace(SAMPLE_JOIN_URL, "https://zoom.us/j/123")
    )
    series = parse(real).series[0]
    # mail.example.org is still inside the reserved example.org.
    assert placeholder_values(series) == ["heather@mail.example.org"]
    assert parse(real.replace("heather@mail.example.org", "heather@uni.edu")).series[0]
    assert placeholder_warnings(parse(real.replace("heather@mail.example.org", "h@uni.edu"))) == []


# --- time zones -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "zone"),
    [
        ("america/chicago", "America/Chicago"),
        ("New York", "America/New_York"),
        ("America/Chicgo", "America/Chicago"),
        ("Berlin", "Europe/Berlin"),
        ("Nowhere at all", None),
    ],
)
def test_a_zone_is_suggested_from_what_people_type(typed: str, zone: str | None) -> None:
    assert suggest_zone(typed) == zone


def test_a_region_alone_is_not_a_zone() -> None:
    # "America" is a directory in the zone database; it must not surface as a file error.
    message = error_of(
        EXAMPLE_CONFIG.replace('timezone = "America/Chicago"', 'timezone = "America"', 1)
    )
    assert message.startswith("config.toml: series[0].timezone: 'America' is not a known time zone")
