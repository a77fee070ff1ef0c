"""The meeting schedule: "2nd Tuesday 14:00" <-> a monthly RRULE, and its occurrences.

What lives here: the schedule grammar (`parse_schedule`), the `Schedule` value (rule + wall
time), the RRULE line Google gets, a human description, and occurrences in a time zone.
It is pure: it knows nothing of the config or of meetings. What does not live here: parsing
config.toml (`gworkflow.config`, which parses the schedule once, at load), meetings built from
the rule (`gworkflow.meeting.meetings_from_rule`), talking to Google or Zoom
(`gworkflow.google.calendar`, `gworkflow.zoom`).
Once the calendar event exists, the calendar is the truth about meetings (moved or skipped
ones); the rule here is for planning, previews and creating the event.

Accepted forms (case-insensitive; "at" before the time and "the" before the day are optional):

    2nd Tuesday 14:00             first Monday 9am            last Friday 10:30
    15th 09:00                    last day 17:00
    every 2 months on the 3rd Wednesday 13:00    (also "every other month on ...")
    RRULE:FREQ=MONTHLY;BYDAY=2TU;BYHOUR=14;BYMINUTE=0
    RRULE:FREQ=MONTHLY;BYDAY=2TU 14:00

Decisions:
- Ordinals 1st-4th and "last". A "5th Tuesday" exists only in some months (RFC 5545 and
  Google skip the others, and Zoom has no such rule), so it is refused with a hint to use
  "last Tuesday".
- Days of the month 1-28 and "last day". The 29th-31st are refused: RFC 5545 says a rule
  that lands on a date the month lacks yields no meeting that month ("MUST be ignored",
  RFC 5545 3.3.10), and Google follows that, so "31st" would silently drop the meeting in
  seven months of the year. "last day" (BYMONTHDAY=-1) is the usual intent.
- A raw RRULE must carry the time, either as BYHOUR (+ optional BYMINUTE) inside the rule or
  as a trailing " 14:00"; Google takes the time from the event start, not from the rule, so
  `rrule()` never emits BYHOUR. Only FREQ=MONTHLY with one BYDAY (or BYDAY+BYSETPOS) or one
  BYMONTHDAY, INTERVAL and the time parts are accepted; COUNT/UNTIL are refused because a
  series runs until it is deleted.
- Times are wall-clock times in the series' zone: 14:00 stays 14:00 across DST changes there
  (the UTC instant moves), as Google does for an event with `start.timeZone`.
- On the day clocks change, a wall time that does not exist (02:30 in Chicago when 02:00
  jumps to 03:00) is read with the offset before the gap, so the meeting is at 03:30 local;
  a wall time that happens twice (01:30 when 02:00 falls back to 01:00) is the first,
  earlier one. That is what Google Calendar does and what RFC 5545 3.3.5 says.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field, replace
from zoneinfo import ZoneInfo

from dateutil import rrule as du

FORMS_HINT = (
    "use e.g. '2nd Tuesday 14:00', 'last Friday 10:30', 'first Monday 9am', '15th 09:00', "
    "'last day 17:00', 'every 2 months on the 3rd Wednesday 13:00' or "
    "'RRULE:FREQ=MONTHLY;BYDAY=2TU;BYHOUR=14;BYMINUTE=0'"
)

WEEKDAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
# RFC 5545 two-letter codes, Monday first like `datetime.weekday()`.
WEEKDAY_CODES = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
MAX_INTERVAL_MONTHS = 12


@dataclass(frozen=True)
class NthWeekday:
    """The n-th (1..4) or last (-1) given weekday (0 = Monday) of the month."""

    n: int
    weekday: int

    def describe(self) -> str:
        return f"{'last' if self.n == -1 else _ordinal(self.n)} {WEEKDAY_NAMES[self.weekday]}"

    def rrule_part(self) -> str:
        return f"BYDAY={self.n}{WEEKDAY_CODES[self.weekday]}"


@dataclass(frozen=True)
class MonthDay:
    """A day of the month: 1..28, or -1 for the last day."""

    day: int

    def describe(self) -> str:
        return "last day" if self.day == -1 else _ordinal(self.day)

    def rrule_part(self) -> str:
        return f"BYMONTHDAY={self.day}"


By = NthWeekday | MonthDay


@dataclass(frozen=True)
class Schedule:
    """A monthly meeting rule and its wall-clock start time (in the series' zone)."""

    by: By
    time: dt.time
    interval_months: int = 1
    # What the user wrote (stripped), to show or write back as is; "" when built in code.
    # Two spellings of one rule ("14:00", "2pm") are the same schedule.
    text: str = field(default="", compare=False)

    def rrule(self) -> str:
        """The RRULE line for Google's `recurrence[]`: no DTSTART (Google refuses it there)
        and no BYHOUR (the time comes from the event's start)."""
        interval = f";INTERVAL={self.interval_months}" if self.interval_months != 1 else ""
        return f"RRULE:FREQ=MONTHLY{interval};{self.by.rrule_part()}"

    def describe(self) -> str:
        """E.g. "2nd Tuesday of every month at 14:00"."""
        every = (
            "every month"
            if self.interval_months == 1
            else f"every {_ordinal(self.interval_months)} month"
        )
        return f"{self.by.describe()} of {every} at {self.time:%H:%M}"

    def occurrences(
        self,
        tz: ZoneInfo,
        after: dt.datetime,
        count: int,
        anchor: dt.datetime | None = None,
    ) -> list[dt.datetime]:
        """The next `count` starts strictly after `after`, as aware datetimes in `tz`.

        The wall time is constant in `tz` (DST-correct), except on a day its wall time does
        not exist (see the module docstring). For an interval above one month, `anchor`
        (e.g. the series' first start) fixes which months count; without it the first
        meeting after `after` is meeting one.
        """
        _require_aware(after, "after")
        if count <= 0:
            return []
        if anchor is None and self.interval_months > 1:
            anchor = replace(self, interval_months=1).first_start(tz, after)
        start_month = (anchor if anchor is not None else after).astimezone(tz)
        # Generate naive wall times and attach the zone afterwards, so each occurrence keeps
        # its wall time and gets the UTC offset valid on its own date (RFC 5545 3.3.10; a
        # time in a DST gap or overlap as 3.3.5 says, which fold=0 gives; see
        # docs/google-api-notes.md). Tested against literal instants, not the sandbox.
        dtstart = dt.datetime(
            start_month.year, start_month.month, 1, self.time.hour, self.time.minute
        )
        after_utc = after.astimezone(dt.UTC)
        found: list[dt.datetime] = []
        for naive in self._rule(dtstart):
            # fold=0 (the default) picks the offset before a gap and the first of a repeated
            # hour; the round trip through UTC then turns a nonexistent 02:30 into the real
            # 03:30 (zoneinfo leaves it as an unnormalised 02:30).
            start = naive.replace(tzinfo=tz).astimezone(dt.UTC)
            # Compare instants: aware datetimes sharing a tzinfo compare by wall time.
            if start > after_utc:
                found.append(start.astimezone(tz))
                if len(found) == count:
                    break
        return found

    def first_start(self, tz: ZoneInfo, after: dt.datetime) -> dt.datetime:
        """The first meeting start strictly after `after` (e.g. for creating the event)."""
        return self.occurrences(tz, after, 1)[0]

    def is_occurrence(self, start: dt.datetime, tz: ZoneInfo) -> bool:
        """Whether `start` (aware) is a meeting of this rule in `tz` (ignoring interval phase)."""
        _require_aware(start, "start")
        local = start.astimezone(tz)
        # The meeting on `start`'s day, if there is one, is the first one after a day before.
        # Compared as instants: 01:30 CDT and 01:30 CST are equal wall times in one zone.
        day_before = (start.astimezone(dt.UTC) - dt.timedelta(days=1)).astimezone(tz)
        found = self.occurrences(tz, day_before, 1, anchor=local)[0]
        return found.astimezone(dt.UTC) == start.astimezone(dt.UTC)

    def _rule(self, dtstart: dt.datetime) -> du.rrule:
        if isinstance(self.by, NthWeekday):
            weekday = du.weekdays[self.by.weekday](self.by.n)
            return du.rrule(
                du.MONTHLY, dtstart=dtstart, interval=self.interval_months, byweekday=weekday
            )
        return du.rrule(
            du.MONTHLY, dtstart=dtstart, interval=self.interval_months, bymonthday=self.by.day
        )


# --- parsing ---------------------------------------------------------------------------

_ORDINAL_WORDS = {"first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "last": -1}
_NUMBER_WORDS = {"one": 1, "two": 2, "three": 3, "four": 4, "six": 6, "other": 2}
_WEEKDAYS = {
    **{name.lower(): i for i, name in enumerate(WEEKDAY_NAMES)},
    **{name.lower()[:3]: i for i, name in enumerate(WEEKDAY_NAMES)},
    "tues": 1,
    "thur": 3,
    "thurs": 3,
}

_TIME = r"(?P<h>\d{1,2})(?::(?P<m>\d{2}))?\s*(?P<ampm>[ap]\.?m\.?)?"
_FRIENDLY = re.compile(
    r"^(?:every\s+(?:(?P<interval>\d+|one|two|three|four|six|other)\s+months?|month)\s+on\s+)?"
    r"(?:the\s+)?"
    r"(?:(?P<ord>\d{1,2}(?:st|nd|rd|th)|first|second|third|fourth|fifth|last)"
    r"(?:\s+(?!at\b)(?P<wd>[a-z]+?)s?)?)"
    r"(?:\s+of\s+(?:the|every|each)\s+month)?"
    r",?\s+(?:at\s+)?" + _TIME + r"$"
)
_RAW_TIME = re.compile(r"^(?P<rule>\S+?)(?:\s+(?:at\s+)?" + _TIME + r")?$")


def parse_schedule(text: str) -> Schedule:
    """Parse a schedule; ValueError with a one-line message (showing the forms) if invalid.

    The result keeps `text` (stripped) for showing it back."""
    return replace(_parse(text), text=text.strip())


def _parse(text: str) -> Schedule:
    cleaned = " ".join(text.strip().split())
    if not cleaned:
        raise ValueError(f"the schedule is empty; {FORMS_HINT}")
    upper = cleaned.upper()
    if upper.startswith(("RRULE:", "FREQ=")):
        return _parse_rrule(cleaned)
    match = _FRIENDLY.match(cleaned.lower())
    if not match:
        raise ValueError(f"{text.strip()!r} is not a schedule gworkflow understands; {FORMS_HINT}")
    time = _parse_time(match["h"], match["m"], match["ampm"], text)
    interval = _parse_interval(match["interval"], text)
    ordinal = match["ord"]
    weekday_word = match["wd"]
    n = _ORDINAL_WORDS.get(ordinal) or int(ordinal[:-2])
    if weekday_word in (None, "day"):
        # "15th", "last day", "first day": a day of the month. "last" alone is ambiguous.
        if weekday_word is None and ordinal in _ORDINAL_WORDS:
            raise ValueError(f"{text.strip()!r}: which day? {FORMS_HINT}")
        return Schedule(MonthDay(_check_month_day(n, text)), time, interval)
    if weekday_word not in _WEEKDAYS:
        raise ValueError(
            f"{text.strip()!r}: {weekday_word!r} is not a day of the week; {FORMS_HINT}"
        )
    weekday = _WEEKDAYS[weekday_word]
    return Schedule(NthWeekday(_check_week(n, weekday, text), weekday), time, interval)


def _parse_time(hour: str, minute: str | None, ampm: str | None, text: str) -> dt.time:
    h = int(hour)
    m = int(minute) if minute is not None else 0
    if ampm is None and minute is None:
        raise ValueError(f"{text.strip()!r}: write the time as 14:00 or 2pm; {FORMS_HINT}")
    if ampm is not None:
        if not 1 <= h <= 12:
            raise ValueError(f"{text.strip()!r}: {hour}{ampm} is not a time; use 1-12 with am/pm")
        h = h % 12 + (12 if ampm.startswith("p") else 0)
    if not (0 <= h <= 23 and 0 <= m <= 59):
        raise ValueError(f"{text.strip()!r}: {hour}:{minute} is not a time of day (00:00-23:59)")
    return dt.time(h, m)


def _parse_interval(word: str | None, text: str) -> int:
    if word is None:
        return 1
    value = _NUMBER_WORDS.get(word) or int(word)
    if not 1 <= value <= MAX_INTERVAL_MONTHS:
        raise ValueError(
            f"{text.strip()!r}: the interval must be 1 to {MAX_INTERVAL_MONTHS} months, not {value}"
        )
    return value


def _check_month_day(day: int, text: str) -> int:
    if day == -1 or 1 <= day <= 28:
        return day
    if 29 <= day <= 31:
        raise ValueError(
            f"{text.strip()!r}: some months have no {_ordinal(day)} and Google skips the meeting "
            "in those months; use 'last day' or a day from 1st to 28th"
        )
    raise ValueError(f"{text.strip()!r}: {day} is not a day of the month; {FORMS_HINT}")


def _check_week(n: int, weekday: int, text: str) -> int:
    if n == -1 or 1 <= n <= 4:
        return n
    if n == 5:
        raise ValueError(
            f"{text.strip()!r}: most months have no 5th {WEEKDAY_NAMES[weekday]}; "
            f"use 'last {WEEKDAY_NAMES[weekday]}'"
        )
    raise ValueError(f"{text.strip()!r}: a month has at most 5 of each weekday; {FORMS_HINT}")


def _parse_rrule(cleaned: str) -> Schedule:
    match = _RAW_TIME.match(cleaned)
    if not match:
        raise ValueError(f"{cleaned!r}: write the RRULE without spaces; {FORMS_HINT}")
    rule = match["rule"].upper().removeprefix("RRULE:")
    parts: dict[str, str] = {}
    for part in rule.strip(";").split(";"):
        key, sep, value = part.partition("=")
        if not sep or not value or key in parts:
            raise ValueError(f"{cleaned!r}: {part!r} is not a NAME=VALUE part of an RRULE")
        parts[key] = value
    allowed = {
        "FREQ",
        "INTERVAL",
        "BYDAY",
        "BYSETPOS",
        "BYMONTHDAY",
        "BYHOUR",
        "BYMINUTE",
        "BYSECOND",
        "WKST",
    }
    unknown = sorted(set(parts) - allowed)
    if unknown:
        why = (
            "a series runs until it is deleted"
            if {"COUNT", "UNTIL"} & set(unknown)
            else "not supported"
        )
        raise ValueError(
            f"{cleaned!r}: {', '.join(unknown)} is not supported ({why}); {FORMS_HINT}"
        )
    if parts.get("FREQ") != "MONTHLY":
        raise ValueError(f"{cleaned!r}: only FREQ=MONTHLY is supported; {FORMS_HINT}")
    interval = _rrule_int(parts, "INTERVAL", 1, cleaned)
    if not 1 <= interval <= MAX_INTERVAL_MONTHS:
        raise ValueError(f"{cleaned!r}: INTERVAL must be 1 to {MAX_INTERVAL_MONTHS}")
    by = _rrule_by(parts, cleaned)
    time = _rrule_time(parts, match, cleaned)
    return Schedule(by, time, interval)


def _rrule_int(parts: dict[str, str], key: str, default: int, text: str) -> int:
    if key not in parts:
        return default
    try:
        return int(parts[key])
    except ValueError:
        raise ValueError(f"{text!r}: {key}={parts[key]} must be a whole number") from None


def _rrule_by(parts: dict[str, str], text: str) -> By:
    if ("BYDAY" in parts) == ("BYMONTHDAY" in parts):
        raise ValueError(f"{text!r}: give exactly one of BYDAY (e.g. 2TU) or BYMONTHDAY (e.g. 15)")
    if "BYMONTHDAY" in parts:
        if "BYSETPOS" in parts:
            raise ValueError(f"{text!r}: BYSETPOS with BYMONTHDAY is not supported")
        day = _rrule_int(parts, "BYMONTHDAY", 0, text)
        return MonthDay(_check_month_day(day, text))
    day_match = re.fullmatch(r"([+-]?\d)?(MO|TU|WE|TH|FR|SA|SU)", parts["BYDAY"])
    if not day_match:
        raise ValueError(f"{text!r}: BYDAY={parts['BYDAY']} must be one day like 2TU or -1FR")
    weekday = WEEKDAY_CODES.index(day_match[2])
    if day_match[1] is not None and "BYSETPOS" in parts:
        raise ValueError(f"{text!r}: use either BYDAY=2TU or BYDAY=TU;BYSETPOS=2, not both")
    if day_match[1] is not None:
        n = int(day_match[1])
    elif "BYSETPOS" in parts:
        n = _rrule_int(parts, "BYSETPOS", 0, text)
    else:
        raise ValueError(
            f"{text!r}: BYDAY={parts['BYDAY']} needs an ordinal, e.g. BYDAY=2{day_match[2]}"
        )
    return NthWeekday(_check_week(n, weekday, text), weekday)


def _rrule_time(parts: dict[str, str], match: re.Match[str], text: str) -> dt.time:
    trailing = _parse_time(match["h"], match["m"], match["ampm"], text) if match["h"] else None
    if "BYSECOND" in parts and parts["BYSECOND"] != "0":
        raise ValueError(f"{text!r}: BYSECOND must be 0")
    if "BYMINUTE" in parts and "BYHOUR" not in parts:
        raise ValueError(f"{text!r}: BYMINUTE needs BYHOUR")
    inner = None
    if "BYHOUR" in parts:
        hour = _rrule_int(parts, "BYHOUR", 0, text)
        minute = _rrule_int(parts, "BYMINUTE", 0, text)
        if not (0 <= hour <= 23 and 0 <= minute <= 59):
            raise ValueError(f"{text!r}: BYHOUR/BYMINUTE must be one time of day")
        inner = dt.time(hour, minute)
    if inner is not None and trailing is not None and inner != trailing:
        raise ValueError(
            f"{text!r}: the RRULE says {inner:%H:%M} but the trailing time says {trailing:%H:%M}"
        )
    time = inner if inner is not None else trailing
    if time is None:
        raise ValueError(
            f"{text!r}: a raw RRULE needs a time: add ;BYHOUR=14;BYMINUTE=0 or a trailing ' 14:00'"
        )
    return time


def _ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def _require_aware(value: dt.datetime, name: str) -> None:
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(f"{name} must be timezone-aware, not {value.isoformat()}")
