"""Config: the README example is accepted as is; every mistake is one line naming file and key."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from gworkflow.config import EXAMPLE_CONFIG, Config, load_config, parse_config, update_series
from gworkflow.errors import ConfigError, ExitCode
from gworkflow.schedule import NthWeekday


def parse(text: str) -> Config:
    return parse_config(text, Path("config.toml"))


def error_of(text: str) -> str:
    with pytest.raises(ConfigError) as info:
        parse(text)
    assert info.value.exit_code == ExitCode.USAGE
    assert "\n" not in info.value.message
    return info.value.message


def test_example_is_accepted_as_is() -> None:
    config = parse_config(EXAMPLE_CONFIG, Path("config.toml"))
    series = config.select(None)
    assert series.id == "ruth-heather"
    assert series.duration == dt.timedelta(minutes=60)
    assert series.timezone.key == "America/Chicago"
    assert [p.name for p in series.participants] == ["Ruth", "Heather"]
    assert series.participants[0].timezone.key == "America/New_York"
    assert series.conference.kind == "zoom"
    assert series.conference.passcode == "314159"
    assert series.position == "end" and series.tab is None and series.doc_id == ""


def test_misspelt_time_zone_names_the_key_path_and_suggests() -> None:
    bad = EXAMPLE_CONFIG.replace(
        'email = "heather@example.org"\ntimezone = "America/Chicago"',
        'email = "heather@example.org"\ntimezone = "America/Chicgo"',
    )
    assert error_of(bad) == (
        "config.toml: series[0].participants[1].timezone: 'America/Chicgo' is not a known "
        "time zone (did you mean 'America/Chicago'?)"
    )


def test_unknown_key_is_an_error_with_a_suggestion() -> None:
    message = error_of(EXAMPLE_CONFIG.replace("lead_days = 7", "lead_dayz = 7"))
    assert message.startswith("config.toml: series[0].lead_dayz: unknown key")
    assert "did you mean 'lead_days'?" in message


def test_malformed_toml_reports_line_and_column() -> None:
    message = error_of(EXAMPLE_CONFIG.replace('duration = "60m"', "duration = 60m"))
    assert message.startswith("config.toml: not valid TOML:")
    assert "line 11" in message and "column" in message


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ('duration = "60m"', 'duration = "an hour"', "series[0].duration: 'an hour' must be"),
        ("lead_days = 7", 'lead_days = "7"', "series[0].lead_days: must be a whole number"),
        ("lead_days = 7", "lead_days = true", "series[0].lead_days: must be a whole number"),
        ('kind = "zoom"', 'kind = "teams"', "series[0].conference.kind: 'teams' is not one of"),
        ('email = "ruth@example.edu"', 'email = "ruth"', "participants[0].email: 'ruth' is not"),
        (
            'id = "ruth-heather"',
            'id = "Ruth & Heather"',
            "series[0].id: 'Ruth & Heather' must be a slug",
        ),
        ('# position = "end"', 'position = "middle"', "series[0].position: 'middle' is not one of"),
    ],
)
def test_bad_values_say_what_is_allowed(old: str, new: str, expected: str) -> None:
    assert old in EXAMPLE_CONFIG
    assert expected in error_of(EXAMPLE_CONFIG.replace(old, new, 1))


def test_zoom_without_a_link_says_how_to_get_one() -> None:
    message = error_of(
        EXAMPLE_CONFIG.replace('join_url = "https://zoom.us/j/85512345678?pwd=abc"', "")
    )
    assert "join_url: is required" in message and "gworkflow zoom create" in message


def test_the_schedule_is_parsed_once_at_load_and_keeps_its_words() -> None:
    text = EXAMPLE_CONFIG.replace('"2nd Tuesday 14:00"', '"  2nd Tuesday at 2pm "', 1)
    schedule = parse(text).select(None).schedule
    assert (schedule.by, schedule.time) == (NthWeekday(2, 1), dt.time(14, 0))
    assert schedule.rrule() == "RRULE:FREQ=MONTHLY;BYDAY=2TU"
    # What the user wrote is kept (for `config check --json`), without the padding.
    assert schedule.text == "2nd Tuesday at 2pm"


@pytest.mark.parametrize(
    ("schedule", "says"),
    [
        ("every blue moon", "'every blue moon' is not a schedule gworkflow understands; use e.g."),
        ("31st 10:00", "'31st 10:00': some months have no 31st"),
        ("5th Friday 10:00", "'5th Friday 10:00': most months have no 5th Friday; use 'last"),
    ],
)
def test_a_bad_schedule_is_one_line_naming_file_key_and_the_forms(schedule: str, says: str) -> None:
    message = error_of(EXAMPLE_CONFIG.replace('"2nd Tuesday 14:00"', f'"{schedule}"', 1))
    assert message.startswith(f"config.toml: series[0].schedule: {says}")


def test_a_schedule_that_is_not_text_names_the_key() -> None:
    message = error_of(EXAMPLE_CONFIG.replace('"2nd Tuesday 14:00"', "14", 1))
    assert message == "config.toml: series[0].schedule: must be a string, not 14"


def test_two_series_need_a_choice(tmp_path: Path) -> None:
    second = EXAMPLE_CONFIG.split("[[series]]", 1)[1].replace("ruth-heather", "ana-bo")
    config = parse(EXAMPLE_CONFIG + "\n[[series]]" + second)
    with pytest.raises(ConfigError, match="choose one with --series ID"):
        config.select(None)
    assert config.select("ana-bo").id == "ana-bo"
    with pytest.raises(ConfigError, match="no series with id 'nope'"):
        config.select("nope")


def test_duplicate_series_ids_are_rejected() -> None:
    second = EXAMPLE_CONFIG.split("[[series]]", 1)[1]
    assert "series[1].id: 'ruth-heather' is used by another series" in error_of(
        EXAMPLE_CONFIG + "\n[[series]]" + second
    )


def test_relative_template_is_relative_to_the_config_file(tmp_path: Path) -> None:
    path = tmp_path / "conf" / "config.toml"
    path.parent.mkdir()
    path.write_text(
        EXAMPLE_CONFIG.replace('# template = "agenda.md.j2"', 'template = "mine.md.j2"')
    )
    series = load_config(path).select(None)
    assert series.template == tmp_path / "conf" / "mine.md.j2"


def test_missing_file_says_how_to_create_one(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="gworkflow config example >"):
        load_config(tmp_path / "nope.toml")


def test_update_series_keeps_comments_and_layout(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text(EXAMPLE_CONFIG)
    update_series(path, "ruth-heather", {"doc_id": "abc123"})
    text = path.read_text()
    assert 'doc_id = "abc123"' in text
    # Everything else, comments included, is byte-for-byte what the user wrote.
    assert text.replace('doc_id = "abc123"', 'doc_id = ""') == EXAMPLE_CONFIG
    assert load_config(path).select(None).doc_id == "abc123"
