"""What a yes costs: the arithmetic, `gworkflow weigh`, and the `topics` key that turns the
invitations list on."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from gworkflow.agenda.weigh import Cost, hours_text, parse_length, read_cost
from gworkflow.cli import cli
from gworkflow.config import EXAMPLE_CONFIG, parse_config
from gworkflow.errors import ConfigError, ExitCode


@pytest.mark.parametrize(
    ("text", "meetings", "each", "prep"),
    [
        ("monthly 1h for 6 months", 6, 1.0, 1.0),
        ("Join the ALA review panel: monthly 1h for 6 months", 6, 1.0, 1.0),
        # A semester is 15 weeks, or 4 months when the cadence is monthly.
        ("weekly 30m for a semester", 15, 0.5, 0.5),
        ("monthly 2 hours for a semester", 4, 2.0, 2.0),
        ("biweekly 1h for a semester", 8, 1.0, 1.0),  # 7.5 rounds up
        ("every other week, 45 min, through the semester", 8, 0.75, 0.75),
        ("monthly 1h for 6 months, 2h prep per meeting", 6, 1.0, 2.0),
        ("weekly 1h30m for 10 weeks, 30m of prep each", 10, 1.5, 0.5),
        ("weekly 1 hour for 3 months", 13, 1.0, 1.0),  # 3 months = 13 weeks
        ("quarterly 2h for 2 years", 8, 2.0, 2.0),
        ("twice a month, an hour, for the next 3 months", 6, 1.0, 1.0),
        ("6 meetings of 90 minutes", 6, 1.5, 1.5),
        ("every 3 weeks half an hour for a year", 17, 0.5, 0.5),
    ],
)
def test_read_cost(text: str, meetings: int, each: float, prep: float) -> None:
    assert read_cost(text) == Cost(meetings, each, prep)


@pytest.mark.parametrize(
    "text",
    [
        "Join the ALA review panel",  # no cadence at all
        "monthly for 6 months",  # how long each time?
        "1h for 6 months",  # how often?
        "monthly 1h",  # for how long?
        "ACRL 2027, Minneapolis, 2027-04-07",
    ],
)
def test_unreadable_cadence_has_no_cost(text: str) -> None:
    assert read_cost(text) is None


def test_label_and_json() -> None:
    cost = Cost(6, 1.0, 1.0)
    assert cost.label == "≈ 6 meetings \u00d7 (1 h + 1 h prep) = 12 h"
    assert cost.as_json() == {
        "meetings": 6,
        "hours_per_meeting": 1.0,
        "prep_hours": 1.0,
        "hours": 12.0,
    }
    assert Cost(1, 0.5, 0).label == "≈ 1 meeting \u00d7 30 min = 30 min"
    assert Cost(5, 1.5, 0).label == "≈ 5 meetings \u00d7 1.5 h = 7.5 h"
    assert [hours_text(h) for h in (0.25, 1, 1.5, 12, 2 / 3)] == [
        "15 min",
        "1 h",
        "1.5 h",
        "12 h",
        "0.67 h",
    ]


def test_prep_given_wins_over_the_text() -> None:
    assert read_cost("monthly 1h for 6 months, 2h prep per meeting", prep=0) == Cost(6, 1.0, 0)
    assert [parse_length(t) for t in ("1h", "30m", "1h30m", "0", "90 min", "soon")] == [
        1.0,
        0.5,
        1.5,
        0.0,
        1.5,
        None,
    ]


# --- gworkflow weigh --------------------------------------------------------------------------


def test_weigh_prints_the_sum() -> None:
    result = CliRunner().invoke(cli, ["weigh", "monthly 1h for 6 months"])
    assert result.exit_code == 0
    assert result.output == "≈ 6 meetings \u00d7 (1 h + 1 h prep) = 12 h\n"


def test_weigh_json_with_prep() -> None:
    result = CliRunner().invoke(
        cli, ["weigh", "weekly 30m for a semester", "--prep", "1h", "--json"]
    )
    assert result.exit_code == 0
    assert json.loads(result.stdout) == {
        "meetings": 15,
        "hours_per_meeting": 0.5,
        "prep_hours": 1.0,
        "hours": 22.5,
    }


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["whenever"], "cannot read a cadence in 'whenever'"),
        (["monthly 1h for 6 months", "--prep", "lots"], "'lots' is not a length of time"),
    ],
)
def test_weigh_says_what_it_cannot_read(args: list[str], message: str) -> None:
    result = CliRunner().invoke(cli, ["weigh", *args])
    assert result.exit_code == ExitCode.USAGE
    assert message in result.output and "Traceback" not in result.output


# --- topics in the config ---------------------------------------------------------------------


def test_topics_are_off_by_default_and_documented_in_the_example() -> None:
    assert parse_config(EXAMPLE_CONFIG, Path("config.toml")).select(None).topics == ()
    assert '# topics = ["invitations"]' in EXAMPLE_CONFIG
    readme = (Path(__file__).parents[2] / "README.md").read_text(encoding="utf-8")
    assert '# topics = ["invitations"]' in readme


def test_topics_on_and_a_misspelt_topic_is_one_line() -> None:
    on = EXAMPLE_CONFIG.replace('# topics = ["invitations"]', 'topics = ["invitations"]')
    assert parse_config(on, Path("config.toml")).select(None).topics == ("invitations",)
    bad = EXAMPLE_CONFIG.replace('# topics = ["invitations"]', 'topics = ["invitation"]')
    with pytest.raises(ConfigError) as info:
        parse_config(bad, Path("config.toml"))
    assert info.value.message.startswith(
        "config.toml: series[0].topics[0]: 'invitation' is not a topic (did you mean 'invitations'?)"
    )
