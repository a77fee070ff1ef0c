"""A run's deadline: time left, sleeps that must fit, the words for it, and the durations
`--deadline` and the config accept."""

from __future__ import annotations

import pytest

from gworkflow.cli._common import DEFAULT_DEADLINE_SECONDS
from gworkflow.config import EXAMPLE_CONFIG, parse_config
from gworkflow.deadline import DEFAULT_SECONDS, REQUEST_TIMEOUT_SECONDS, Deadline, parse_seconds
from gworkflow.errors import ConfigError


class Clock:
    def __init__(self) -> None:
        self.now = 100.0
        self.slept: list[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds


def test_time_left_timeouts_and_sleeps_fit_inside_the_deadline() -> None:
    clock = Clock()
    deadline = Deadline(90, clock=clock, sleep=clock.sleep)
    assert deadline.remaining() == 90 and not deadline.passed
    assert deadline.timeout() == REQUEST_TIMEOUT_SECONDS  # no request waits over a minute
    assert deadline.sleep(40) and clock.slept == [40]
    assert deadline.timeout() == 50
    assert not deadline.sleep(60)  # would end after the deadline: not slept
    assert clock.slept == [40]
    clock.now += 50
    assert deadline.passed and deadline.timeout() == 0.01


def test_no_deadline_never_passes() -> None:
    deadline = Deadline(None, sleep=lambda _s: None)
    assert not deadline.passed and deadline.sleep(10**6)
    assert deadline.describe() == "no deadline"


@pytest.mark.parametrize(
    ("seconds", "words"),
    [(120, "2-minute deadline"), (90, "90-second deadline"), (1, "1-second deadline")],
)
def test_the_deadline_in_words(seconds: float, words: str) -> None:
    assert Deadline(seconds).describe() == words


@pytest.mark.parametrize(
    ("text", "seconds"),
    [("120", 120), ("90s", 90), ("2m", 120), ("1m30s", 90), ("1h", 3600), (" 5 m ", 300)],
)
def test_durations(text: str, seconds: float) -> None:
    assert parse_seconds(text) == seconds


@pytest.mark.parametrize("text", ["", "0", "-5", "soon", "2x", "1m30", "1.2.3s"])
def test_not_durations(text: str) -> None:
    assert parse_seconds(text) is None


def test_the_cli_default_is_the_deadline_default() -> None:
    assert DEFAULT_DEADLINE_SECONDS == DEFAULT_SECONDS == 120


def test_the_config_deadline() -> None:
    from pathlib import Path

    config = parse_config('deadline = "5m"\n' + EXAMPLE_CONFIG, Path("config.toml"))
    assert config.deadline == 300
    assert parse_config(EXAMPLE_CONFIG, Path("config.toml")).deadline is None
    for bad in ('"soon"', "true", "0"):
        with pytest.raises(ConfigError, match=r"deadline: .* must be a duration like '2m'"):
            parse_config(f"deadline = {bad}\n" + EXAMPLE_CONFIG, Path("config.toml"))
