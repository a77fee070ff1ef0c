"""The schedule grammar, the RRULE Google gets, and meeting times across DST in every zone."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from gworkflow.config import EXAMPLE_CONFIG, Participant, Series, parse_config
from gworkflow.errors import ConfigError
from gworkflow.meeting import meetings_from_rule
from gworkflow.schedule import MonthDay, NthWeekday, parse_schedule

CHICAGO = ZoneInfo("America/Chicago")
NEW_YORK = ZoneInfo("America/New_York")
LONDON = ZoneInfo("Europe/London")
SYDNEY = ZoneInfo("Australia/Sydney")
AFTER = dt.datetime(2026, 11, 20, 9, 0, tzinfo=CHICAGO)


@pytest.mark.parametrize(
    ("text", "rrule", "next_starts"),
    [
        (
            "2nd Tuesday 14:00",
            "RRULE:FREQ=MONTHLY;BYDAY=2TU",
            ["2026-12-08 14:00", "2027-01-12 14:00"],
        ),
        (
            "2nd Tuesday at 2pm",
            "RRULE:FREQ=MONTHLY;BYDAY=2TU",
            ["2026-12-08 14:00", "2027-01-12 14:00"],
        ),
        (
            "last Friday 10:30",
            "RRULE:FREQ=MONTHLY;BYDAY=-1FR",
            ["2026-11-27 10:30", "2026-12-25 10:30"],
        ),
        (
            "first Monday 9am",
            "RRULE:FREQ=MONTHLY;BYDAY=1MO",
            ["2026-12-07 09:00", "2027-01-04 09:00"],
        ),
        (
            "15th 09:00",
            "RRULE:FREQ=MONTHLY;BYMONTHDAY=15",
            ["2026-12-15 09:00", "2027-01-15 09:00"],
        ),
        (
            "last day 17:00",
            "RRULE:FREQ=MONTHLY;BYMONTHDAY=-1",
            ["2026-11-30 17:00", "2026-12-31 17:00"],
        ),
        (
            "every 2 months on the 3rd Wednesday 13:00",
            "RRULE:FREQ=MONTHLY;INTERVAL=2;BYDAY=3WE",
            # Nov 18 has passed, so the first is December's and then every other month.
            ["2026-12-16 13:00", "2027-02-17 13:00"],
        ),
        (
            "RRULE:FREQ=MONTHLY;BYDAY=2TU;BYHOUR=14;BYMINUTE=0",
            "RRULE:FREQ=MONTHLY;BYDAY=2TU",
            ["2026-12-08 14:00", "2027-01-12 14:00"],
        ),
        (
            "RRULE:FREQ=MONTHLY;BYDAY=2TU 14:00",
            "RRULE:FREQ=MONTHLY;BYDAY=2TU",
            ["2026-12-08 14:00", "2027-01-12 14:00"],
        ),
        (
            "FREQ=MONTHLY;BYDAY=TU;BYSETPOS=-1;BYHOUR=9",
            "RRULE:FREQ=MONTHLY;BYDAY=-1TU",
            ["2026-11-24 09:00", "2026-12-29 09:00"],
        ),
    ],
)
def test_each_accepted_form_gives_the_rule_and_the_next_meetings(
    text: str, rrule: str, next_starts: list[str]
) -> None:
    schedule = parse_schedule(text)

    assert schedule.rrule() == rrule
    starts = schedule.occurrences(CHICAGO, AFTER, 2)
    assert [f"{s:%Y-%m-%d %H:%M}" for s in starts] == next_starts
    assert all(s.tzinfo is CHICAGO for s in starts)


def test_the_schedule_reads_back_in_words() -> None:
    assert parse_schedule("2nd Tuesday 14:00").describe() == "2nd Tuesday of every month at 14:00"
    assert parse_schedule("last Friday 10:30").describe() == "last Friday of every month at 10:30"
    assert parse_schedule("the 15th at 9am").describe() == "15th of every month at 09:00"
    assert (
        parse_schedule("every 3 months on the 1st Monday 12pm").describe()
        == "1st Monday of every 3rd month at 12:00"
    )


def test_the_parsed_value_says_what_the_rule_is() -> None:
    schedule = parse_schedule("Last  FRIDAY 10:30pm")
    assert schedule.by == NthWeekday(-1, 4)
    assert schedule.time == dt.time(22, 30)
    assert schedule.interval_months == 1
    midnight = parse_schedule("the 3rd at 12am")
    assert (midnight.by, midnight.time) == (MonthDay(3), dt.time(0, 0))


@pytest.mark.parametrize(
    "text",
    [
        "banana",
        "every Tuesday",
        "2nd Tuesday",
        "Tuesday 14:00",
        "2nd Tuesday 14",
        "2nd Funday 10:00",
        "",
    ],
)
def test_nonsense_is_one_line_that_shows_the_accepted_forms(text: str) -> None:
    with pytest.raises(ValueError) as caught:
        parse_schedule(text)
    message = str(caught.value)
    assert "\n" not in message
    assert "2nd Tuesday 14:00" in message
    assert "RRULE:FREQ=MONTHLY" in message


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("2nd Tuesday 25:00", "not a time of day"),
        ("2nd Tuesday 13pm", "1-12 with am/pm"),
        ("5th Friday 10:00", "use 'last Friday'"),
        ("every 13 months on the 15th 10:00", "1 to 12 months"),
        ("RRULE:FREQ=MONTHLY;BYDAY=2TU", "needs a time"),
        (
            "RRULE:FREQ=MONTHLY;BYDAY=2TU;BYHOUR=14 15:00",
            "says 14:00 but the trailing time says 15:00",
        ),
        ("RRULE:FREQ=WEEKLY;BYDAY=TU;BYHOUR=14", "only FREQ=MONTHLY"),
        ("RRULE:FREQ=MONTHLY;BYDAY=2TU;COUNT=3;BYHOUR=14", "runs until it is deleted"),
        ("RRULE:FREQ=MONTHLY;BYDAY=TU,TH;BYHOUR=14", "must be one day"),
    ],
)
def test_almost_right_schedules_say_what_is_wrong(text: str, says: str) -> None:
    with pytest.raises(ValueError, match=says):
        parse_schedule(text)


def test_a_day_some_months_lack_is_refused_with_last_day_offered() -> None:
    # RFC 5545 (and Google) skip months without a 31st: seven months a year would have
    # no meeting without anyone noticing.
    for text in (
        "31st 10:00",
        "30th 10:00",
        "29th 10:00",
        "RRULE:FREQ=MONTHLY;BYMONTHDAY=31;BYHOUR=10",
    ):
        with pytest.raises(ValueError, match="use 'last day'"):
            parse_schedule(text)
    last_day = parse_schedule("last day 10:00")
    starts = last_day.occurrences(CHICAGO, dt.datetime(2027, 1, 1, tzinfo=CHICAGO), 4)
    assert [s.date().isoformat() for s in starts] == [
        "2027-01-31",
        "2027-02-28",
        "2027-03-31",
        "2027-04-30",
    ]


def test_the_28th_is_in_every_month() -> None:
    starts = parse_schedule("28th 10:00").occurrences(
        CHICAGO, dt.datetime(2027, 1, 1, tzinfo=CHICAGO), 12
    )
    assert len({s.month for s in starts}) == 12


def test_occurrences_refuse_a_naive_clock() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        parse_schedule("2nd Tuesday 14:00").occurrences(CHICAGO, dt.datetime(2026, 1, 1), 1)


def test_a_meeting_starting_exactly_now_is_not_next() -> None:
    schedule = parse_schedule("2nd Tuesday 14:00")
    at_start = dt.datetime(2026, 12, 8, 14, 0, tzinfo=CHICAGO)
    assert schedule.first_start(CHICAGO, at_start) == dt.datetime(
        2027, 1, 12, 14, 0, tzinfo=CHICAGO
    )


# On the day clocks change, a wall time that does not exist is read with the offset before
# the gap (so 02:30 is really 03:30) and a repeated one is the first, as Google Calendar does
# (RFC 5545 3.3.5). The UTC instants below are written out by hand from the tz database's
# 2027 transitions: Chicago Mar 14 08:00Z (CST -6 -> CDT -5) and Nov 7 07:00Z (back);
# Sydney Oct 2 16:00Z (AEST +10 -> AEDT +11) and Apr 3 16:00Z (back).
@pytest.mark.parametrize(
    ("zone", "text", "utc", "shown"),
    [
        # Chicago jumps from 02:00 to 03:00: there is no 02:30 that Sunday.
        (CHICAGO, "2nd Sunday 02:30", "2027-03-14T08:30:00+00:00", "2027-03-14T03:30-05:00"),
        # Chicago repeats 01:00-02:00: the meeting is at the first 01:30 (CDT), not the second.
        (CHICAGO, "1st Sunday 01:30", "2027-11-07T06:30:00+00:00", "2027-11-07T01:30-05:00"),
        # Sydney jumps from 02:00 to 03:00 on the first Sunday of October.
        (SYDNEY, "first Sunday 02:30", "2027-10-02T16:30:00+00:00", "2027-10-03T03:30+11:00"),
        # Sydney repeats 02:00-03:00 on the first Sunday of April: the first 02:30 is AEDT.
        (SYDNEY, "first Sunday 02:30", "2027-04-03T15:30:00+00:00", "2027-04-04T02:30+11:00"),
    ],
)
def test_a_meeting_on_the_day_clocks_change_is_where_google_puts_it(
    zone: ZoneInfo, text: str, utc: str, shown: str
) -> None:
    expected = dt.datetime.fromisoformat(utc)
    after = expected - dt.timedelta(days=3)

    [start] = parse_schedule(text).occurrences(zone, after, 1)

    assert start.astimezone(dt.UTC) == expected
    # Shown with the local time it really takes place at, normalised (not zoneinfo's
    # unnormalised 02:30 in the gap, whose clock reading and offset disagree).
    assert start.isoformat(timespec="minutes") == shown
    assert start.tzinfo is zone


def test_the_month_after_a_gap_is_back_at_the_rule_time() -> None:
    schedule = parse_schedule("2nd Sunday 02:30")
    starts = schedule.occurrences(CHICAGO, dt.datetime(2027, 2, 1, tzinfo=CHICAGO), 3)
    assert [s.astimezone(dt.UTC).isoformat() for s in starts] == [
        "2027-02-14T08:30:00+00:00",
        "2027-03-14T08:30:00+00:00",
        "2027-04-11T07:30:00+00:00",
    ]
    assert [f"{s:%H:%M}" for s in starts] == ["02:30", "03:30", "02:30"]


def test_is_occurrence_knows_the_meeting_on_a_day_clocks_change() -> None:
    gap = parse_schedule("2nd Sunday 02:30")
    at_0330_cdt = dt.datetime(2027, 3, 14, 8, 30, tzinfo=dt.UTC)
    assert gap.is_occurrence(at_0330_cdt, CHICAGO)
    assert not gap.is_occurrence(at_0330_cdt + dt.timedelta(hours=1), CHICAGO)
    repeated = parse_schedule("1st Sunday 01:30")
    first_0130 = dt.datetime(2027, 11, 7, 6, 30, tzinfo=dt.UTC)  # CDT
    second_0130 = dt.datetime(2027, 11, 7, 7, 30, tzinfo=dt.UTC)  # CST, same wall time
    assert repeated.is_occurrence(first_0130, CHICAGO)
    assert not repeated.is_occurrence(second_0130, CHICAGO)


def test_a_meeting_in_the_gap_lasts_the_series_duration() -> None:
    [meeting] = meetings_from_rule(
        series("2nd Sunday 02:30"), dt.datetime(2027, 3, 1, tzinfo=CHICAGO), 1
    )
    assert meeting.start.isoformat(timespec="minutes") == "2027-03-14T03:30-05:00"
    assert meeting.end.isoformat(timespec="minutes") == "2027-03-14T04:30-05:00"
    assert meeting.key == dt.date(2027, 3, 14)
    # Ruth in New York sees it at 04:30 EDT (New York changes clocks the same night).
    ruth = meeting.local_times(series().participants)["Ruth"]
    assert ruth.isoformat(timespec="minutes") == "2027-03-14T04:30-04:00"


def series(schedule: str = "2nd Tuesday 14:00") -> Series:
    return Series(
        id="ruth-heather",
        title="Peer mentoring check-in",
        timezone=CHICAGO,
        schedule=parse_schedule(schedule),
        duration=dt.timedelta(minutes=60),
        participants=(
            Participant("Ruth", "ruth@example.edu", NEW_YORK),
            Participant("Heather", "heather@example.org", CHICAGO),
            Participant("Lou", "lou@example.ac.uk", LONDON),
            Participant("Mia", "mia@example.edu.au", SYDNEY),
        ),
    )


def test_every_participant_sees_the_right_local_time_across_dst_changes() -> None:
    # 14:00 stays 14:00 in Chicago while the US, the UK and Australia change clocks on
    # different dates: 2026 US DST Mar 8 - Nov 1, UK Mar 29 - Oct 25, Sydney DST ends
    # Apr 5 and starts Oct 4.
    meetings = meetings_from_rule(series(), dt.datetime(2026, 2, 1, tzinfo=CHICAGO), 10)
    hours = dt.timedelta(hours=1)
    expected = {
        # date: (Chicago offset, then each participant's local start and UTC offset)
        "2026-02-10": (
            -6,
            {"Ruth": ("15:00", -5), "Lou": ("20:00", 0), "Mia": ("02-11 07:00", 11)},
        ),
        "2026-03-10": (
            -5,
            {"Ruth": ("15:00", -4), "Lou": ("19:00", 0), "Mia": ("03-11 06:00", 11)},
        ),
        "2026-04-14": (
            -5,
            {"Ruth": ("15:00", -4), "Lou": ("20:00", 1), "Mia": ("04-15 05:00", 10)},
        ),
        "2026-10-13": (
            -5,
            {"Ruth": ("15:00", -4), "Lou": ("20:00", 1), "Mia": ("10-14 06:00", 11)},
        ),
        "2026-11-10": (
            -6,
            {"Ruth": ("15:00", -5), "Lou": ("20:00", 0), "Mia": ("11-11 07:00", 11)},
        ),
    }
    by_date = {m.start.date().isoformat(): m for m in meetings}
    for day, (chicago_offset, people) in expected.items():
        meeting = by_date[day]
        assert meeting.start.strftime("%H:%M") == "14:00"
        assert meeting.start.utcoffset() == chicago_offset * hours
        local = meeting.local_times(series().participants)
        for name, (when, offset) in people.items():
            shown = local[name].strftime("%m-%d %H:%M" if " " in when else "%H:%M")
            assert (shown, local[name].utcoffset()) == (when, offset * hours), (day, name)


def test_meetings_from_the_rule_last_the_series_duration() -> None:
    meetings = meetings_from_rule(series("last Friday 10:30"), AFTER, 3)
    assert [m.start.date().isoformat() for m in meetings] == [
        "2026-11-27",
        "2026-12-25",
        "2027-01-29",
    ]
    assert all(m.end - m.start == dt.timedelta(minutes=60) for m in meetings)
    assert all(m.status == "confirmed" and m.key == m.start.date() for m in meetings)


def test_config_check_reports_a_bad_schedule_in_one_line() -> None:
    text = EXAMPLE_CONFIG.replace('schedule = "2nd Tuesday 14:00"', 'schedule = "every blue moon"')
    with pytest.raises(ConfigError) as caught:
        parse_config(text, Path("config.toml"))
    message = caught.value.message
    assert message.startswith("config.toml: series[0].schedule: 'every blue moon'")
    assert "'2nd Tuesday 14:00'" in message and "\n" not in message
