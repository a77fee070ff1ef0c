"""The README's examples: the default template rendered for the example config with example
goals carried from the previous meeting, as the text `agenda preview` shows; the head of a
moved meeting's section; and the "How this doc works" paragraph `doc create` writes.

Run by cog when the README is regenerated, and checked in CI (`cog --check README.md`), so
the README always shows exactly what the default template writes.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

from gworkflow.agenda.blocks import (
    CarriedConference,
    CarriedGoal,
    CarriedInvitation,
    ParticipantCarry,
    PreviousMeeting,
    Span,
)
from gworkflow.agenda.context import build_context
from gworkflow.agenda.render import intro_blocks, render_section
from gworkflow.agenda.text import blocks_to_text
from gworkflow.config import EXAMPLE_CONFIG, Series, parse_config
from gworkflow.meeting import Meeting, meetings_from_rule

PREVIOUS = dt.date(2026, 12, 8)
CARRIES = (
    ParticipantCarry(
        "Ruth",
        goals=(
            CarriedGoal(
                "Submit the IRDL application",
                done=True,
                spans=(Span("Submit the "), Span("IRDL", bold=True), Span(" application")),
                since=PREVIOUS,
            ),
            CarriedGoal("Draft the assessment survey", since=dt.date(2026, 11, 10), carried=1),
            CarriedGoal(
                "Read Demystifying the Library",
                spans=(
                    Span("Read "),
                    Span("Demystifying the Library", link="https://example.org/demystifying"),
                ),
                since=PREVIOUS,
            ),
        ),
        conferences=(CarriedConference("ACRL 2027, Minneapolis, 2027-04-07", dt.date(2027, 4, 7)),),
        invitations=(
            CarriedInvitation("ALA review panel, monthly 1h for 6 months"),
            CarriedInvitation("Library board, weekly 30m for a semester", "no"),
        ),
    ),
    ParticipantCarry(
        "Heather",
        goals=(CarriedGoal("Finish the OER grant report", done=True, since=PREVIOUS),),
    ),
)


def _series(topics: Sequence[str] = ()) -> Series:
    series = parse_config(EXAMPLE_CONFIG, Path("config.toml")).select(None)
    return replace(series, doc_id="1AbCdEfGh", topics=tuple(topics))


def example_intro() -> str:
    """The "How this doc works" paragraph at the top of the example series' new doc."""
    return blocks_to_text(intro_blocks(_series()))


def example_moved_head() -> str:
    """The first lines of the February 2027 section when that meeting (Tuesday 9 February,
    14:00) was moved to Thursday 11 February: up to the previous-meeting line."""
    series = _series()
    after = dt.datetime(2027, 2, 1, tzinfo=series.timezone)
    (scheduled,) = meetings_from_rule(series, after, 1)
    moved = scheduled.start + dt.timedelta(days=2)
    meeting = Meeting(moved, moved + series.duration, "moved", scheduled.start)
    previous = PreviousMeeting(dt.date(2027, 1, 12), dt.date(2027, 1, 12), "h.example")
    now = dt.datetime.combine(moved.date() - dt.timedelta(days=7), dt.time(7), series.timezone)
    context = build_context(series, meeting, (), previous, now)
    lines = blocks_to_text(render_section(series, context)).splitlines()
    end = next(i for i, line in enumerate(lines) if line.startswith("Previous meeting"))
    return "\n".join(lines[: end + 1])


def example_section(topics: Sequence[str] = ()) -> str:
    """The January 2027 section of the example series, carrying from December's."""
    series = _series(topics)
    after = dt.datetime(2027, 1, 1, tzinfo=series.timezone)
    (meeting,) = meetings_from_rule(series, after, 1)
    now = dt.datetime.combine(meeting.key - dt.timedelta(days=7), dt.time(7), series.timezone)
    context = build_context(series, meeting, CARRIES, PREVIOUS, now)
    return blocks_to_text(render_section(series, context))


def example_part(name: str, topics: Sequence[str] = ()) -> str:
    """One person's part of `example_section`: from their heading to the next person's."""
    lines = example_section(topics).splitlines()
    start = lines.index(name)
    end = next(
        (i - 1 for i in range(start + 2, len(lines)) if lines[i].startswith("---")), len(lines)
    )
    return "\n".join(lines[start:end]).strip("\n")
