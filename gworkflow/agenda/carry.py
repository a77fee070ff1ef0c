"""What carries forward from the latest meeting section to the next one.

What lives here: the rules that read one section's blocks and pick, per participant, the
goals (to come back as prompts) and the conferences that are still upcoming; and the JSON
shape of that result for `gworkflow goals --json`. What does not: reading the doc JSON
into sections (parse.py), rendering the next section (the template), any I/O.

How a section is read. Headings form an outline: a heading replaces every open heading at
its level or deeper. A paragraph belongs to the participant named by the innermost open
heading that names one ("Ruth", "Ruth Smith", "Notes from Ruth", "Ruth's goals": the name
as whole words, case-insensitive; a given name alone is enough unless two participants
share it), and to the topic of the innermost open heading that has a topic ("Goals",
"🎯 Goals for next month"; "Achievements", "Progress on last month's goals";
"Upcoming conferences & events"). In a flat layout where "Goals" is at the same level as
"Ruth", it stays Ruth's until the next participant's heading. Text under any other heading ("### Notes") has no
topic, so text typed under the wrong heading is never taken as a goal. The section's own
first heading (the meeting heading) names no participant.

Done hints: the Docs API does not expose a ticked checkbox (docs/google-api-notes.md,
"Checklists have no checked state"), so `done` is only read from the text: a leading or
trailing check mark (✅ ✔ ☑ ✓), "[x]", a leading "done:", "(done)", or strikethrough over
the whole text. The marker is removed from the
goal's text; a leading "[ ]" typed by hand is removed too.
"""

from __future__ import annotations

import datetime as dt
import enum
import re
from collections.abc import Sequence
from dataclasses import dataclass

from gworkflow.agenda.blocks import (
    LINE_BREAK,
    LIST_KINDS,
    Block,
    CarriedConference,
    CarriedGoal,
    ParticipantCarry,
)
from gworkflow.agenda.docjson import TabContent
from gworkflow.agenda.parse import FoundSection, dates_in, find_sections, latest_section
from gworkflow.types import JSON


class Topic(enum.Enum):
    GOALS = "goals"
    ACHIEVEMENTS = "achievements"
    CONFERENCES = "conferences"


# Checked in this order: "Progress on last month's goals" is about achievements, not the
# goals to carry (carrying it would bring every old goal back forever), and
# "Conference goals" is about goals.
_TOPICS = (
    (
        Topic.ACHIEVEMENTS,
        re.compile(
            r"achiev|accomplish|progress|\bwins?\b|\bdone\b|last month|previous|\breview",
            re.IGNORECASE,
        ),
    ),
    (Topic.GOALS, re.compile(r"\bgoals?\b|\bobjectives?\b", re.IGNORECASE)),
    (
        Topic.CONFERENCES,
        re.compile(r"conferenc|\bevents?\b|\bcfps?\b|calls? for proposals", re.IGNORECASE),
    ),
)


def heading_topic(text: str) -> Topic | None:
    """The agenda topic a heading's text names, loosely ("🎯 Goals for next month")."""
    for topic, pattern in _TOPICS:
        if pattern.search(text):
            return topic
    return None


_WORD = re.compile(r"\w+")


def _words(text: str) -> list[str]:
    return _WORD.findall(text.casefold())


def _contains(words: Sequence[str], part: Sequence[str]) -> bool:
    n = len(part)
    return n > 0 and any(list(words[i : i + n]) == list(part) for i in range(len(words) - n + 1))


def heading_participant(text: str, names: Sequence[str]) -> int | None:
    """Which participant (index into `names`) a heading names, if exactly one does.

    The full name as whole words wins; else the given name (first word) alone, when only
    one participant has that given name and it appears in the heading.
    """
    words = _words(text)
    if not words:
        return None
    name_words = [_words(name) for name in names]
    full = [i for i, parts in enumerate(name_words) if _contains(words, parts)]
    if len(full) == 1:
        return full[0]
    if len(full) > 1:
        # "Ruth" and "Ruth Smith" both configured: the longest name that matches is meant.
        longest = max(len(name_words[i]) for i in full)
        best = [i for i in full if len(name_words[i]) == longest]
        return best[0] if len(best) == 1 else None
    given = [i for i, parts in enumerate(name_words) if parts and parts[0] in words]
    if len(given) == 1:
        shared = sum(1 for parts in name_words if parts and parts[0] == name_words[given[0]][0])
        return given[0] if shared == 1 else None
    return None


# --- done hints -------------------------------------------------------------------------

_CHECK = r"(?:[✅✔☑✓]\ufe0f?)"
_LEADING_HINT = re.compile(
    rf"^\s*(?:{_CHECK}|\[[xX✓✔]\]|done\s*[:\-\u2013\u2014]|\(done\)|\[done\])\s*", re.IGNORECASE
)
_TRAILING_HINT = re.compile(
    rf"\s*(?:{_CHECK}|\[[xX✓✔]\]|\(done\)|\[done\]|[-\u2013\u2014]\s*done[.!]*)\s*$", re.IGNORECASE
)
_ANYWHERE_HINT = re.compile(r"\s*\(done\)", re.IGNORECASE)
_OPEN_BOX = re.compile(r"^\s*\[\s\]\s*")


def _clean(text: str) -> str:
    # A soft line break (Shift+Enter) arrives as U+000B; a goal is one line of text.
    return " ".join(text.replace(LINE_BREAK, " ").split())


def read_done(text: str) -> tuple[str, bool]:
    """(text without the done marker, whether a done marker was there)."""
    text = _clean(text)
    stripped = _LEADING_HINT.sub("", text, count=1)
    done = stripped != text
    if not done:
        stripped = _TRAILING_HINT.sub("", text, count=1)
        done = stripped != text
    if not done:
        stripped = _ANYWHERE_HINT.sub("", text)
        done = stripped != text
    if not done:
        stripped = _OPEN_BOX.sub("", text, count=1)
    return stripped.strip(), done


def _struck_through(block: Block) -> bool:
    visible = [span for span in block.spans if span.text.strip()]
    return bool(visible) and all(span.strike for span in visible)


# --- reading a section ------------------------------------------------------------------


@dataclass(frozen=True)
class _Item:
    """A paragraph with the participant and topic it sits under."""

    participant: int | None
    topic: Topic | None
    block: Block


def _items(section: FoundSection, names: Sequence[str]) -> list[_Item]:
    items: list[_Item] = []
    # Open headings, outermost first: (level, participant, topic).
    stack: list[tuple[int, int | None, Topic | None]] = []
    for position, para in enumerate(section.paragraphs):
        if para.heading_level is not None:
            if position == 0:
                continue  # the meeting heading: its words are not a participant's name
            text = para.block.text
            participant, topic = heading_participant(text, names), heading_topic(text)
            while stack and stack[-1][0] >= para.heading_level:
                level, popped, _ = stack.pop()
                # A flat layout ("Ruth", "Goals", "Heather", "Goals" all one level): a topic
                # heading beside a participant's heading stays that participant's.
                if participant is None and topic is not None and level == para.heading_level:
                    participant = popped
            stack.append((para.heading_level, participant, topic))
            continue
        participant = next((p for _, p, _ in reversed(stack) if p is not None), None)
        topic = next((t for _, _, t in reversed(stack) if t is not None), None)
        items.append(_Item(participant, topic, para.block))
    return items


def _goal(block: Block) -> CarriedGoal | None:
    text, done = read_done(block.text)
    if not text:
        return None  # the empty checklist item left to type into, or a bare check mark
    level = block.level if block.kind in LIST_KINDS else 0
    return CarriedGoal(text, level, done or _struck_through(block))


def _conferences(blocks: Sequence[Block], today: dt.date | None) -> list[CarriedConference]:
    """The entries at the shallowest level; deeper items are their details.

    A date may sit in a detail ("- ALA Midwinter" / "  - Denver, 2027-01-24"), so an
    entry's date is read from its own text, else from its details. An entry with dates is
    kept while its last date is not before `today` ("Jan 24-27, 2027" stays until the 27th;
    "January 2027" until the 31st); the date reported is the first one.
    """
    entries: list[tuple[str, list[str]]] = []
    top = min((_depth(b) for b in blocks if _clean(b.text)), default=0)
    for block in blocks:
        text = _clean(block.text)
        if not text:
            continue
        if _depth(block) <= top or not entries:
            entries.append((text, []))
        else:
            entries[-1][1].append(text)
    kept: list[CarriedConference] = []
    for text, details in entries:
        dates = dates_in(text, month_only=True)
        for detail in details:
            if dates:
                break
            dates = dates_in(detail, month_only=True)
        if dates and today is not None and max(dates) < today:
            continue
        kept.append(CarriedConference(text, dates[0] if dates else None))
    return kept


def _depth(block: Block) -> int:
    return block.level if block.kind in LIST_KINDS else 0


def participant_notes(
    section: FoundSection, names: Sequence[str], today: dt.date | None = None
) -> list[ParticipantCarry]:
    """Per participant, in `names` order: goals to carry and conferences still upcoming.

    Goals are the list items (any kind) and non-empty paragraphs under the participant's
    goals heading. Conferences whose dates are all before `today` are dropped (with
    `today` None, none are). A participant without a heading gets an empty carry.
    """
    items = _items(section, names)
    carries: list[ParticipantCarry] = []
    for index, name in enumerate(names):
        mine = [item for item in items if item.participant == index]
        goals = [
            goal
            for item in mine
            if item.topic is Topic.GOALS and (goal := _goal(item.block)) is not None
        ]
        conference_blocks = [item.block for item in mine if item.topic is Topic.CONFERENCES]
        carries.append(
            ParticipantCarry(name, tuple(goals), tuple(_conferences(conference_blocks, today)))
        )
    return carries


def carry_forward(
    tab: TabContent, series_id: str, names: Sequence[str], meeting: dt.date, today: dt.date
) -> tuple[dt.date | None, list[ParticipantCarry]]:
    """The latest section strictly before `meeting` and what it carries forward.

    For a doc with no earlier section: (None, an empty carry per participant).
    """
    section = latest_section(find_sections(tab, series_id), before=meeting)
    if section is None:
        return None, [ParticipantCarry(name) for name in names]
    return section.meeting, participant_notes(section, names, today)


def to_json(meeting: dt.date | None, carries: Sequence[ParticipantCarry]) -> JSON:
    """carry_forward's result as the JSON object `gworkflow goals --json` prints."""
    return {
        "meeting": meeting.isoformat() if meeting else None,
        "participants": [
            {
                "name": carry.name,
                "goals": [
                    {"text": goal.text, "level": goal.level, "done": goal.done}
                    for goal in carry.goals
                ],
                "conferences": [
                    {"text": c.text, "date": c.date.isoformat() if c.date else None}
                    for c in carry.conferences
                ],
            }
            for carry in carries
        ],
    }
