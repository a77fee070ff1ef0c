"""What saying yes to a recurring commitment costs, in hours: pure arithmetic on its text.

The "no committee" of a peer-mentoring pair reviews each other's service invitations before
saying yes. An invitation's text often says how often, how long and for how long ("monthly 1h
for 6 months", "weekly 30m for a semester", "2h prep per meeting"); `read_cost` reads that
and `Cost` does the sum: meetings times (hours per meeting + prep hours).

What a text may say (case does not matter):
- how often: weekly, biweekly / fortnightly / every other week, monthly, every 2 months,
  quarterly, twice a month, twice a week, every N weeks / months;
- how long each time: 1h, 1.5 h, 90m, 45 min, 1h30m, 1 hour, an hour, half an hour;
- for how long: for 6 months, for 10 weeks, for a year, for a semester / 2 semesters (also
  "over", "through" and "this" instead of "for"); or a count: "6 meetings", "3 sessions";
- prep: "2h prep per meeting", "30m of prep each" (else the prep equals the meeting's
  own length: an hour of reading for an hour of committee).

A semester is 15 weeks, counted as 4 months when the cadence is in months (a US semester
has about 15 weeks of classes spread over four calendar months). A year is 52 weeks, or 12
months. Meetings = the span divided by the interval, rounded to the nearest whole number
(halves up), at least one.

Nothing here knows the doc or the command line.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Literal

Unit = Literal["week", "month"]

TIMES = "\u00d7"  # the multiplication sign
SEMESTER_WEEKS = 15
SEMESTER_MONTHS = 4
WEEKS_PER_MONTH = 52 / 12

_NUMBER_WORDS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
    "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
}  # fmt: skip
_NUMBER = r"(?:\d+(?:\.\d+)?|" + "|".join(_NUMBER_WORDS) + r")"

# A length of time: "1h", "1.5 hours", "90m", "45 min", "1h30m", "1 hr 15 min", "an hour".
_HOURS = r"(?:h|hrs?|hours?)"
_MINUTES = r"(?:m|mins?|minutes?)"
_LENGTH = re.compile(
    rf"(?<![\w.])(?:(?P<h>\d+(?:\.\d+)?)\s*{_HOURS}(?:\s*(?P<hm>\d+)\s*{_MINUTES})?"
    rf"|(?P<m>\d+)\s*{_MINUTES}|(?P<half>half\s+an\s+hour|half-hour)|(?P<one>an\s+hour|one\s+hour))"
    r"(?![\w])",
    re.IGNORECASE,
)
_PREP = re.compile(
    rf"(?P<length>{_LENGTH.pattern})\s+(?:of\s+)?(?:prep|preparation)\b"
    r"(?:\s+(?:per|each|every|a|for\s+each)(?:\s+(?:meeting|session|call|time))?)?",
    re.IGNORECASE,
)
_EVERY = re.compile(rf"\bevery\s+(?P<n>{_NUMBER}|other)\s+(?P<unit>weeks?|months?)\b", re.I)
_CADENCES: tuple[tuple[re.Pattern[str], float, Unit], ...] = (
    (re.compile(r"\btwice\s+(?:a|per)\s+week\b", re.I), 0.5, "week"),
    (re.compile(r"\b(?:bi-?weekly|fortnightly)\b", re.I), 2, "week"),
    (re.compile(r"\b(?:weekly|once\s+a\s+week|every\s+week|per\s+week|a\s+week)\b", re.I), 1, "week"),
    (re.compile(r"\b(?:twice\s+(?:a|per)\s+month|semi-?monthly)\b", re.I), 0.5, "month"),
    (re.compile(r"\bbi-?monthly\b", re.I), 2, "month"),
    (re.compile(r"\bquarterly\b", re.I), 3, "month"),
    (re.compile(r"\b(?:monthly|once\s+a\s+month|every\s+month|per\s+month|a\s+month)\b", re.I), 1, "month"),
)  # fmt: skip
_SPAN = re.compile(
    rf"\b(?:for|over|through|during|this)\s+(?:the\s+)?(?:next\s+|coming\s+)?(?P<n>{_NUMBER})?\s*"
    r"(?P<unit>weeks?|months?|semesters?|years?)\b",
    re.IGNORECASE,
)
_COUNT = re.compile(rf"\b(?P<n>{_NUMBER})\s+(?:meetings|sessions|calls)\b", re.IGNORECASE)


@dataclass(frozen=True)
class Cost:
    """What a yes costs: `meetings` times (`hours_per_meeting` + `prep_hours`)."""

    meetings: int
    hours_per_meeting: float
    prep_hours: float

    @property
    def hours(self) -> float:
        return self.meetings * (self.hours_per_meeting + self.prep_hours)

    @property
    def label(self) -> str:
        """ "≈ 6 meetings x (1 h + 1 h prep) = 12 h", with a multiplication sign."""
        meetings = f"{self.meetings} meeting{'' if self.meetings == 1 else 's'}"
        each = hours_text(self.hours_per_meeting)
        if self.prep_hours:
            each = f"({each} + {hours_text(self.prep_hours)} prep)"
        return f"≈ {meetings} {TIMES} {each} = {hours_text(self.hours)}"

    def as_json(self) -> dict[str, float | int]:
        return {
            "meetings": self.meetings,
            "hours_per_meeting": self.hours_per_meeting,
            "prep_hours": self.prep_hours,
            "hours": self.hours,
        }


def hours_text(hours: float) -> str:
    """ "1 h", "1.5 h", "30 min": hours the way a person writes them."""
    hours = round(hours, 2)
    minutes = hours * 60
    if 0 < hours < 1 and minutes == int(minutes):
        return f"{int(minutes)} min"
    return f"{hours:g} h"


def _number(text: str) -> float:
    word = text.lower()
    return float(_NUMBER_WORDS[word]) if word in _NUMBER_WORDS else float(text)


def _length(match: re.Match[str]) -> float:
    if match["h"]:
        return float(match["h"]) + int(match["hm"] or 0) / 60
    if match["m"]:
        return int(match["m"]) / 60
    return 0.5 if match["half"] else 1.0


def parse_length(text: str) -> float | None:
    """Hours in a length of time alone ("1h", "30m", "1h30m", "0"); None if it is not one."""
    text = text.strip()
    if re.fullmatch(r"0+(?:\.0+)?", text):
        return 0.0
    match = _LENGTH.fullmatch(text)
    return _length(match) if match else None


def _interval(text: str) -> tuple[float, Unit] | None:
    every = _EVERY.search(text)
    if every:
        n = 2.0 if every["n"].lower() == "other" else _number(every["n"])
        return n, "month" if every["unit"].lower().startswith("month") else "week"
    for pattern, n, unit in _CADENCES:
        if pattern.search(text):
            return n, unit
    return None


def _span(text: str, unit: Unit) -> float | None:
    """The span in `unit`s (weeks or months), from "for 6 months", "for a semester"."""
    match = _SPAN.search(text)
    if not match:
        return None
    n = _number(match["n"]) if match["n"] else 1.0
    kind = match["unit"].lower().rstrip("s")
    if kind == "semester":
        return n * (SEMESTER_WEEKS if unit == "week" else SEMESTER_MONTHS)
    if kind == "year":
        return n * (52 if unit == "week" else 12)
    if kind == unit:
        return n
    return n * WEEKS_PER_MONTH if unit == "week" else n / WEEKS_PER_MONTH


def read_cost(text: str, prep: float | None = None) -> Cost | None:
    """The cost of a yes, when `text` says how often, how long and for how long.

    `prep` (hours per meeting) overrides what the text says; without either, the prep
    equals the meeting's own length.
    """
    stated_prep: float | None = None
    prep_match = _PREP.search(text)
    if prep_match:
        stated_prep = _length(prep_match)
        text = text[: prep_match.start()] + " " + text[prep_match.end() :]
    length_match = _LENGTH.search(text)
    if length_match is None:
        return None
    each = _length(length_match)
    if each <= 0:
        return None
    count = _COUNT.search(text)
    if count:
        meetings = _number(count["n"])
    else:
        interval = _interval(text)
        if interval is None:
            return None
        every, unit = interval
        span = _span(text, unit)
        if span is None:
            return None
        meetings = span / every
    whole = max(1, math.floor(meetings + 0.5))
    chosen_prep = prep if prep is not None else stated_prep if stated_prep is not None else each
    return Cost(whole, round(each, 4), round(chosen_prep, 4))
