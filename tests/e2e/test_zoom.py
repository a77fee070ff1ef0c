"""Zoom: the monthly recurrence mapping, and creating the meeting against the sandbox's fake."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import replace
from zoneinfo import ZoneInfo

import pytest

from gworkflow.config import Participant, Series
from gworkflow.errors import ConfigError
from gworkflow.sandbox.server import Sandbox
from gworkflow.schedule import parse_schedule
from gworkflow.zoom import (
    ZoomClient,
    ZoomError,
    format_meeting_id,
    meeting_body,
    zoom_client_from_env,
    zoom_recurrence,
)

CHICAGO = ZoneInfo("America/Chicago")
NOW = dt.datetime(2026, 11, 20, 9, 0, tzinfo=CHICAGO)
SECRET = "s3cret-value-never-shown"


def recurrence_for(text: str) -> dict[str, int]:
    schedule = parse_schedule(text)
    return zoom_recurrence(schedule, CHICAGO, schedule.first_start(CHICAGO, NOW))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2nd Tuesday 14:00", {"monthly_week": 2, "monthly_week_day": 3}),
        ("last Friday 10:30", {"monthly_week": -1, "monthly_week_day": 6}),
        ("first Sunday 10:00", {"monthly_week": 1, "monthly_week_day": 1}),
        ("4th Saturday 10:00", {"monthly_week": 4, "monthly_week_day": 7}),
        ("15th 09:00", {"monthly_day": 15}),
    ],
)
def test_zoom_recurrence_maps_each_kind_of_rule(text: str, expected: dict[str, int]) -> None:
    assert recurrence_for(text) == {"type": 3, "repeat_interval": 1, **expected, "end_times": 50}


def test_every_other_month_keeps_its_interval() -> None:
    assert recurrence_for("every 3 months on the 2nd Tuesday 14:00")["repeat_interval"] == 3


def test_what_zoom_cannot_repeat_is_a_clear_error() -> None:
    with pytest.raises(ConfigError, match="at most every 3 months"):
        recurrence_for("every 4 months on the 2nd Tuesday 14:00")
    with pytest.raises(ConfigError, match="last day of the month"):
        recurrence_for("last day 17:00")


def test_the_first_start_must_be_a_meeting_of_the_rule() -> None:
    schedule = parse_schedule("2nd Tuesday 14:00")
    with pytest.raises(ValueError, match="not a meeting"):
        zoom_recurrence(schedule, CHICAGO, dt.datetime(2026, 12, 9, 14, 0, tzinfo=CHICAGO))
    with pytest.raises(ValueError, match="not a meeting"):
        zoom_recurrence(schedule, CHICAGO, dt.datetime(2026, 12, 8, 15, 0, tzinfo=CHICAGO))


def test_a_first_meeting_on_the_day_clocks_go_forward_keeps_the_rule_time() -> None:
    # 2027-03-14 has no 02:30 in Chicago: that meeting is at 03:30 CDT (08:30Z), but Zoom
    # repeats the wall time it is given, so it must get 02:30 for the months after.
    gap = replace(series(), schedule=parse_schedule("2nd Sunday 02:30"))
    first = gap.schedule.first_start(CHICAGO, dt.datetime(2027, 3, 1, tzinfo=CHICAGO))
    assert first.astimezone(dt.UTC) == dt.datetime(2027, 3, 14, 8, 30, tzinfo=dt.UTC)

    body = meeting_body(gap, gap.schedule, first)

    assert (body["start_time"], body["timezone"]) == ("2027-03-14T02:30:00", "America/Chicago")
    assert body["recurrence"]["monthly_week"] == 2 and body["recurrence"]["monthly_week_day"] == 1


def test_meeting_ids_are_shown_as_zoom_shows_them() -> None:
    assert format_meeting_id(85512345678) == "855 1234 5678"
    assert format_meeting_id("1234567890") == "123 456 7890"


# --- against the sandbox's Zoom fake ----------------------------------------------------------


@pytest.fixture(scope="module")
def sandbox() -> Iterator[Sandbox]:
    with Sandbox() as sb:
        yield sb


def env_for(sb: Sandbox) -> dict[str, str]:
    return {
        "ZOOM_ACCOUNT_ID": "acct-1",
        "ZOOM_CLIENT_ID": "client-1",
        "ZOOM_CLIENT_SECRET": SECRET,
        "ZOOM_OAUTH_BASE": f"{sb.base_url}/zoom",
        "ZOOM_API_BASE": f"{sb.base_url}/zoom/v2",
    }


def series() -> Series:
    return Series(
        id="ruth-heather",
        title="Peer mentoring check-in",
        timezone=CHICAGO,
        schedule=parse_schedule("2nd Tuesday 14:00"),
        duration=dt.timedelta(minutes=45),
        participants=(Participant("Ruth", "ruth@example.edu", CHICAGO),),
    )


def test_create_meeting_returns_what_the_config_needs(sandbox: Sandbox) -> None:
    client = zoom_client_from_env(env_for(sandbox))
    schedule = series().schedule
    first = schedule.first_start(CHICAGO, NOW)

    meeting = client.create_meeting(series(), schedule, first)

    assert meeting.join_url.startswith("https://zoom.us/j/")
    assert re.fullmatch(r"\d{3} \d{4} \d{4}", meeting.meeting_id)
    assert meeting.passcode
    stored = sandbox.zoom.meetings[meeting.meeting_id.replace(" ", "")]
    assert stored["type"] == 8 and stored["duration"] == 45
    assert stored["timezone"] == "America/Chicago"
    starts = [o["start_time"] for o in stored["occurrences"]]
    # 14:00 Chicago: CST (20:00Z) in December, CDT (19:00Z) in April.
    assert starts[:2] == ["2026-12-08T20:00:00Z", "2027-01-12T20:00:00Z"]
    assert starts[4] == "2027-04-13T19:00:00Z"
    assert len(starts) == 50


def test_missing_variables_are_named(sandbox: Sandbox) -> None:
    env = env_for(sandbox)
    del env["ZOOM_CLIENT_SECRET"], env["ZOOM_ACCOUNT_ID"]
    with pytest.raises(ConfigError, match="set ZOOM_ACCOUNT_ID, ZOOM_CLIENT_SECRET to create"):
        zoom_client_from_env(env)


def test_refused_credentials_say_which_variables_to_check(sandbox: Sandbox) -> None:
    # The fake refuses an empty client id with Zoom's 401 invalid_client.
    client = ZoomClient(
        "acct-1", "", SECRET, f"{sandbox.base_url}/zoom", f"{sandbox.base_url}/zoom/v2"
    )
    with pytest.raises(ZoomError) as caught:
        client.token()
    assert "Zoom answered 401" in caught.value.message
    assert "ZOOM_CLIENT_SECRET" in caught.value.message
    assert SECRET not in caught.value.message and SECRET not in repr(client)


def test_an_unreachable_zoom_is_one_line_without_secrets() -> None:
    client = ZoomClient("acct-1", "client-1", SECRET, "http://127.0.0.1:9", "http://127.0.0.1:9/v2")
    with pytest.raises(ZoomError) as caught:
        client.token()
    assert caught.value.message.startswith(
        "could not get a Zoom access token: cannot reach 127.0.0.1:9"
    )
    assert SECRET not in caught.value.message and "\n" not in caught.value.message
