"""Facts about Google that both the product and the sandbox encode, as literal expectations.

Where the product and the sandbox each carry a copy of the same belief (which characters
insertText strips, which fields a TextStyle has, how a monthly RRULE expands across DST), a
test that compares one with the other would pass with the same mistake on both sides. So
each side is checked on its own against the values written out here, each with its source
(see docs/google-api-notes.md): tests/unit/test_google_facts.py checks the product,
tests/sandbox/test_sandbox_google_facts.py the sandbox.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import googleapiclient

# --- insertText strips control characters ---------------------------------------------
# docs.v1.json, InsertTextRequest.text: "Some control characters (U+0000-U+0008,
# U+000C-U+001F) and characters from the Unicode Basic Multilingual Plane Private Use Area
# (U+E000-U+F8FF) will be stripped out of the inserted text." So U+0009 (tab) and U+000B
# (a line break) stay, and so do U+0020, U+F900 and a character outside the BMP.
STRIP_INPUT = "a\x00b\x08c\td\x0be\x0cf\x1fg h\ue000i\ue907j\uf8ffk\uf900l\U0001f642"
STRIP_OUTPUT = "abc\td\x0befg hijk\uf900l\U0001f642"

# --- TextStyle fields ------------------------------------------------------------------
# docs.v1.json, schemas.TextStyle.properties: every field a text run's style can have.
TEXT_STYLE_FIELDS = (
    "backgroundColor",
    "baselineOffset",
    "bold",
    "fontSize",
    "foregroundColor",
    "italic",
    "link",
    "smallCaps",
    "strikethrough",
    "underline",
    "weightedFontFamily",
)


def discovery(name: str) -> Any:
    """A discovery document shipped with google-api-python-client (e.g. "docs.v1")."""
    folder = Path(googleapiclient.__file__).parent / "discovery_cache" / "documents"
    return json.loads((folder / f"{name}.json").read_text(encoding="utf-8"))


# --- monthly recurrence across DST -----------------------------------------------------
# RFC 5545 3.3.10: the rule is applied to the local start in the event's zone
# (calendar.v3.json, EventDateTime.timeZone: "For recurring events this field is required
# and specifies the time zone in which the recurrence is expanded"), so the wall time stays
# and the UTC instant moves with DST. RFC 5545 3.3.5: a local time in the spring gap is read
# with the offset before the gap; a repeated autumn time is its first occurrence.
# Dates of the changes in 2026: US Mar 8 and Nov 1, UK Mar 29 and Oct 25, Sydney Apr 5 and
# Oct 4. The instants below were worked out by hand from those dates.


@dataclass(frozen=True)
class Recurrence:
    why: str
    zone: str
    schedule: str  # gworkflow's schedule text
    rrule: str  # the recurrence line Google gets for it
    first: str  # the first start, local time with its offset (RFC 3339)
    instants: tuple[str, ...]  # the starts in UTC, the first one included


RECURRENCES = (
    Recurrence(
        "US spring forward",
        "America/Chicago",
        "2nd Tuesday 14:00",
        "RRULE:FREQ=MONTHLY;BYDAY=2TU",
        "2026-02-10T14:00:00-06:00",
        ("2026-02-10T20:00:00Z", "2026-03-10T19:00:00Z", "2026-04-14T19:00:00Z"),
    ),
    Recurrence(
        "US fall back",
        "America/Chicago",
        "2nd Tuesday 14:00",
        "RRULE:FREQ=MONTHLY;BYDAY=2TU",
        "2026-10-13T14:00:00-05:00",
        ("2026-10-13T19:00:00Z", "2026-11-10T20:00:00Z", "2026-12-08T20:00:00Z"),
    ),
    Recurrence(
        "UK changes after the last Friday of March, before the last of October",
        "Europe/London",
        "last Friday 10:30",
        "RRULE:FREQ=MONTHLY;BYDAY=-1FR",
        "2026-02-27T10:30:00+00:00",
        (
            "2026-02-27T10:30:00Z",
            "2026-03-27T10:30:00Z",
            "2026-04-24T09:30:00Z",
            "2026-05-29T09:30:00Z",
        ),
    ),
    Recurrence(
        "UK autumn",
        "Europe/London",
        "last Friday 10:30",
        "RRULE:FREQ=MONTHLY;BYDAY=-1FR",
        "2026-09-25T10:30:00+01:00",
        ("2026-09-25T09:30:00Z", "2026-10-30T10:30:00Z", "2026-11-27T10:30:00Z"),
    ),
    Recurrence(
        "southern hemisphere: Sydney leaves DST in April, enters it in October",
        "Australia/Sydney",
        "1st Tuesday 09:00",
        "RRULE:FREQ=MONTHLY;BYDAY=1TU",
        "2026-03-03T09:00:00+11:00",
        ("2026-03-02T22:00:00Z", "2026-04-06T23:00:00Z", "2026-05-04T23:00:00Z"),
    ),
    Recurrence(
        "Sydney spring",
        "Australia/Sydney",
        "1st Tuesday 09:00",
        "RRULE:FREQ=MONTHLY;BYDAY=1TU",
        "2026-09-01T09:00:00+10:00",
        ("2026-08-31T23:00:00Z", "2026-10-05T22:00:00Z", "2026-11-02T22:00:00Z"),
    ),
    Recurrence(
        "02:30 on the spring-forward day does not exist: read with the offset before the gap",
        "America/New_York",
        "2nd Sunday 02:30",
        "RRULE:FREQ=MONTHLY;BYDAY=2SU",
        "2026-02-08T02:30:00-05:00",
        ("2026-02-08T07:30:00Z", "2026-03-08T07:30:00Z", "2026-04-12T06:30:00Z"),
    ),
    Recurrence(
        "01:30 on the fall-back day happens twice: the first one",
        "America/New_York",
        "1st Sunday 01:30",
        "RRULE:FREQ=MONTHLY;BYDAY=1SU",
        "2026-10-04T01:30:00-04:00",
        ("2026-10-04T05:30:00Z", "2026-11-01T05:30:00Z", "2026-12-06T06:30:00Z"),
    ),
)
