"""Reminders from the config reach the event, and `event update` pushes a change (sandbox)."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from gworkflow.config import EXAMPLE_CONFIG, Series, parse_config, parse_reminder
from gworkflow.google.calendar import SeriesEvent
from gworkflow.google.clients import build_clients
from gworkflow.sandbox.server import Sandbox

NOW = dt.datetime(2026, 11, 20, 9, 0, tzinfo=dt.UTC)


@pytest.fixture
def calendar(sb: Sandbox) -> Iterator[Any]:
    yield build_clients(None, sb.base_url).calendar


def example_series(*reminders: str) -> Series:
    series = parse_config(EXAMPLE_CONFIG, Path("config.toml")).series[0]
    return dataclasses.replace(series, reminders=tuple(parse_reminder(r) for r in reminders))


def overrides(event: dict[str, Any]) -> list[tuple[str, int]]:
    return [(o["method"], o["minutes"]) for o in event["reminders"].get("overrides", [])]


def test_the_configured_reminders_are_on_the_event_and_update_pushes_a_change(
    calendar: Any,
) -> None:
    created = SeriesEvent(calendar, example_series("1 day email", "10 minutes popup"))
    event = created.create("", NOW).event
    assert overrides(event) == [("email", 1440), ("popup", 10)]
    assert event["reminders"]["useDefault"] is False

    in_step = SeriesEvent(calendar, example_series("10 minutes popup", "1 day email"))
    assert in_step.update("").changes == {}

    changed = SeriesEvent(calendar, example_series("2 days email"))
    result = changed.update("")
    assert set(result.changes) == {"reminders"}
    assert overrides(changed.find() or {}) == [("email", 2880)]
