"""The README's example agenda section: the default template rendered for the example config
with example goals carried from the previous meeting, as the text `agenda preview` shows.

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
    Span,
)
from gworkflow.agenda.context import build_context
from gworkflow.agenda.render import render_section
from gworkflow.agenda.text import blocks_to_text
from gworkflow.config import EXAMPLE_CONFIG, parse_config
from gworkflow.meeting import meetings_from_rule

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


def example_section(topics: Sequence[str] = ()) -> str:
    """The January 2027 section of the example series, carrying from December's."""
    series = parse_config(EXAMPLE_CONFIG, Path("config.toml")).select(None)
    series = replace(series, doc_id="1AbCdEfGh", topics=tuple(topics))
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
