"""What carries forward from the latest meeting section to the next one.

What lives here: the rules that read one section's blocks and pick, per participant, the
goals (open ones come back under Goals, done ones under Achievements), the conferences that
are still upcoming, what is listed under Achievements, and the invitations still to weigh;
and the JSON shape of that result for `gworkflow goals --json`. What does not: reading the doc
JSON into sections (parse.py), rendering the next section (the template), any I/O.

How a section is read. Headings form an outline: a heading replaces every open heading at
its level or deeper. A paragraph belongs to the participant named by the innermost open
heading that names one ("Ruth", "Ruth Smith", "Notes from Ruth", "Ruth's goals": the name
as whole words, case-insensitive; a given name alone is enough unless two participants
share it), and to the topic of the innermost open heading that has a topic ("Goals",
"🎯 Goals for next month"; "Achievements", "Progress on last month's goals";
"Upcoming conferences & events"; "Invitations to weigh"). In a flat layout where "Goals" is
at the same level as "Ruth", it stays Ruth's until the next participant's heading. Text
under any other heading ("### Notes") has no topic, so text typed under the wrong heading
is never taken as a goal. The section's own first heading (the meeting heading) names no
participant.

A goal lives until it is done or dropped. Done is read from the text, because the Docs API
does not expose a ticked checkbox (docs/google-api-notes.md, "Checklists have no checked
state"): a leading or trailing check mark (✅ ✔ ☑ ✓), "[x]", a leading "done:", "(done)",
or strikethrough over the whole goal. The marker is removed from the goal's text; a
leading "[ ]" typed by hand is removed too. Dropped is deleted: a goal not in the list is
not carried. A goal keeps its formatting (spans), and the date it was first set: the
"(since 8 Dec)" gworkflow writes after a carried goal, else the meeting of the section it
was typed in.

An invitation is open until its text starts with "yes:" or "no:"; the " — a yes costs ≈ …"
gworkflow writes after it is not part of it.
"""

from __future__ import annotations

import datetime as dt
import enum
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace

from gworkflow.agenda.blocks import (
    LIST_KINDS,
    Block,
    CarriedConference,
    CarriedGoal,
    CarriedInvitation,
    Decision,
    ParticipantCarry,
    Span,
    plain_spans,
)
from gworkflow.agenda.docjson import TabContent
from gworkflow.agenda.parse import (
    FoundSection,
    dates_in,
    find_sections,
    latest_section,
)
from gworkflow.agenda.styled import StyledText
from gworkflow.agenda.weigh import read_cost
from gworkflow.types import JSON


class Topic(enum.Enum):
    GOALS = "goals"
    ACHIEVEMENTS = "achievements"
    CONFERENCES = "conferences"
    INVITATIONS = "invitations"


# Checked in this order: "Invitations to weigh" first (its words are specific);
# "Progress on last month's goals" is about achievements, not the goals to carry (carrying
# it would bring every old goal back forever), and "Conference goals" is about goals.
_TOPICS = (
    (Topic.INVITATIONS, re.compile(r"\binvitations?\b", re.IGNORECASE)),
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


def _styled_done(text: StyledText) -> tuple[StyledText, bool]:
    """The text without its done marker (or a leading "[ ]"), and whether it had one."""
    text = text.clean()
    for pattern, count in ((_LEADING_HINT, 1), (_TRAILING_HINT, 1), (_ANYWHERE_HINT, 0)):
        stripped, done = text.sub(pattern, count)
        if done:
            return stripped.strip(), True
    return text.sub(_OPEN_BOX, 1)[0].strip(), False


def read_done(text: str) -> tuple[str, bool]:
    """(text without the done marker, whether a done marker was there)."""
    stripped, done = _styled_done(StyledText.of([Span(text)]))
    return stripped.text, done


# --- what gworkflow writes around an item ------------------------------------------------

# After a carried goal: "(since 8 Dec)", with the year when it is not within the past year.
_SINCE = re.compile(r"\s*\(\s*since\s+(?P<label>[^()]{1,40}?)\s*\)\s*$", re.IGNORECASE)
_DAY_MONTH = re.compile(r"^(?P<day>\d{1,2})\s+(?P<month>[a-z]+)\.?(?:\s+(?P<year>\d{4}))?$", re.I)
_MONTH_ABBR = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
# After an open invitation: " — a yes costs ≈ 6 meetings x (1 h + 1 h prep) = 12 h".
COST_NOTE = "a yes costs"
_COST = re.compile(rf"\s*[-\u2013\u2014]+\s*{COST_NOTE}\b.*$", re.IGNORECASE)
_DECISION = re.compile(r"^\s*(?P<decision>yes|no)\s*:\s*", re.IGNORECASE)
# The lines gworkflow writes at the top of a person's Achievements ("Planned on 8 December:
# 2 goals, 1 done. ...") and Invitations ("Type yes: or no: in front of one ..."): notes,
# not an achievement or an invitation.
_NOTE = re.compile(r"^\s*(?:planned on\b|type yes: or no:)", re.IGNORECASE)


def _latest_on_or_before(day: int, month: int, limit: dt.date) -> dt.date | None:
    for year in range(limit.year, limit.year - 9, -1):
        try:
            found = dt.date(year, month, day)
        except ValueError:
            continue  # 29 Feb in a common year
        if found <= limit:
            return found
    return None


def since_label(since: dt.date, meeting: dt.date) -> str:
    """ "8 Dec": the day a goal was set, with the year only when without it `read_since`
    (relative to `meeting`) would find another date."""
    label = f"{since.day} {_MONTH_ABBR[since.month - 1]}"
    if _latest_on_or_before(since.day, since.month, meeting) == since:
        return label
    return f"{label} {since.year}"


def _since_month(name: str) -> int | None:
    return next(
        (i for i, abbr in enumerate(_MONTH_ABBR, 1) if name.lower().startswith(abbr.lower())),
        None,
    )


def _is_since_label(label: str) -> bool:
    """Whether `label` is a date the way a "since" annotation writes one."""
    match = _DAY_MONTH.match(label.strip())
    if match:
        return _since_month(match["month"]) is not None
    return len(dates_in(label)) == 1


def read_since(label: str, section: dt.date) -> dt.date | None:
    """The date in a "since" annotation of the section for meeting `section`.

    "8 Dec", "8 December", "8 Dec 2026" or an ISO date; without a year, the latest such
    day on or before the section's meeting. Never after that meeting.
    """
    match = _DAY_MONTH.match(label.strip())
    found: dt.date | None = None
    if match:
        month = _since_month(match["month"])
        if month is None:
            return None
        day = int(match["day"])
        if match["year"]:
            try:
                found = dt.date(int(match["year"]), month, day)
            except ValueError:
                return None
        else:
            found = _latest_on_or_before(day, month, section)
    else:
        dates = dates_in(label)
        found = dates[0] if len(dates) == 1 else None
    return min(found, section) if found else None


def _strip_since(text: StyledText) -> tuple[StyledText, str | None]:
    """The text without a trailing "(since <date>)", and the date's label. Other
    parentheses ("(since chapter 3)") are part of the goal."""
    match = _SINCE.search(text.text)
    if match is None or not _is_since_label(match["label"]):
        return text, None
    return text.sub(_SINCE, 1)[0], match["label"]


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


def _depth(block: Block) -> int:
    return block.level if block.kind in LIST_KINDS else 0


def _goal(block: Block, section: dt.date | None) -> CarriedGoal | None:
    """One goal, from a paragraph under Goals of the section for meeting `section`."""
    styled = StyledText.of(block.spans).clean()
    # "(since 8 Dec)" may sit before a trailing done marker or after it.
    styled, label = _strip_since(styled)
    styled, done = _styled_done(styled)
    if label is None:
        styled, label = _strip_since(styled)
    if not styled.text:
        return None  # the empty item left to type into, or a bare check mark
    if styled.all_struck():
        # Struck through means done; the achievement shows "✅", not a struck line.
        done, styled = True, styled.without_strike()
    since = read_since(label, section) if label is not None and section is not None else None
    spans = styled.spans()
    return CarriedGoal(
        styled.text,
        _depth(block),
        done,
        plain_spans(spans, styled.text),
        since or section,
    )


def _achievement(block: Block) -> str | None:
    text, _ = read_done(block.text)
    if not text or _NOTE.match(text):
        return None
    return text


def _invitation(block: Block) -> CarriedInvitation | None:
    styled = StyledText.of(block.spans).clean()
    if _NOTE.match(styled.text):
        return None
    styled = styled.sub(_COST, 1)[0].strip()
    decision: Decision | None = None
    match = _DECISION.match(styled.text)
    if match:
        decision = "yes" if match["decision"].lower() == "yes" else "no"
        styled = styled.sub(_DECISION, 1)[0].strip()
    if not styled.text:
        return None
    spans = styled.spans()
    return CarriedInvitation(styled.text, decision, plain_spans(spans, styled.text))


def _conferences(blocks: Sequence[Block], keep_from: dt.date | None) -> list[CarriedConference]:
    """The entries at the shallowest level; deeper items are their details.

    A date may sit in a detail ("- ALA Midwinter" / "  - Denver, 2027-01-24"), so an
    entry's date is read from its own text, else from its details. An entry with dates is
    kept while its last date is not before `keep_from` ("Jan 24-27, 2027" stays until the
    27th; "January 2027" until the 31st); the date reported is the first one.
    """
    entries: list[tuple[StyledText, list[str]]] = []
    cleaned = [(block, StyledText.of(block.spans).clean()) for block in blocks]
    top = min((_depth(b) for b, text in cleaned if text.text), default=0)
    for block, text in cleaned:
        if not text.text:
            continue
        if _depth(block) <= top or not entries:
            entries.append((text, []))
        else:
            entries[-1][1].append(text.text)
    kept: list[CarriedConference] = []
    for styled, details in entries:
        dates = dates_in(styled.text, month_only=True)
        for detail in details:
            if dates:
                break
            dates = dates_in(detail, month_only=True)
        if dates and keep_from is not None and max(dates) < keep_from:
            continue
        spans = plain_spans(styled.spans(), styled.text)
        kept.append(CarriedConference(styled.text, dates[0] if dates else None, spans))
    return kept


def participant_notes(
    section: FoundSection, names: Sequence[str], keep_from: dt.date | None = None
) -> list[ParticipantCarry]:
    """Per participant, in `names` order, what their part of `section` holds.

    Goals are the list items (any kind) and non-empty paragraphs under the participant's
    goals heading, done or not, each with the date it was first set. Conferences whose
    dates are all before `keep_from` (the next meeting's day) are dropped (with `keep_from`
    None, none are). A participant without a heading gets an empty carry.
    """
    items = _items(section, names)
    carries: list[ParticipantCarry] = []
    for index, name in enumerate(names):
        mine = [item for item in items if item.participant == index]

        def under(topic: Topic, mine: list[_Item] = mine) -> list[Block]:
            return [item.block for item in mine if item.topic is topic]

        goals = [g for b in under(Topic.GOALS) if (g := _goal(b, section.meeting)) is not None]
        achievements = [a for b in under(Topic.ACHIEVEMENTS) if (a := _achievement(b))]
        invitations = [i for b in under(Topic.INVITATIONS) if (i := _invitation(b)) is not None]
        carries.append(
            ParticipantCarry(
                name,
                tuple(goals),
                tuple(_conferences(under(Topic.CONFERENCES), keep_from)),
                tuple(achievements),
                tuple(invitations),
            )
        )
    return carries


def carry_forward(
    tab: TabContent, series_id: str, names: Sequence[str], meeting: dt.date, keep_from: dt.date
) -> tuple[dt.date | None, list[ParticipantCarry]]:
    """The latest section strictly before `meeting` and what it carries forward.

    Conferences are kept while their date is on or after `keep_from`: the day of the
    meeting the next section is for. Each goal's `carried` counts the sections after the
    one where it was set, up to the latest. For a doc with no earlier section: (None, an
    empty carry per participant).
    """
    sections = find_sections(tab, series_id)
    section = latest_section(sections, before=meeting)
    if section is None or section.meeting is None:
        return None, [ParticipantCarry(name) for name in names]
    latest = section.meeting
    days = sorted({s.meeting for s in sections if s.meeting is not None and s.meeting <= latest})
    carries = []
    for carry in participant_notes(section, names, keep_from):
        goals = tuple(
            replace(goal, carried=sum(1 for day in days if goal.since and goal.since < day))
            for goal in carry.goals
        )
        carries.append(replace(carry, goals=goals))
    return latest, carries


def _cost_json(text: str) -> JSON | None:
    cost = read_cost(text)
    return cost.as_json() if cost else None


def to_json(
    meeting: dt.date | None, carries: Sequence[ParticipantCarry], topics: Sequence[str] = ()
) -> JSON:
    """carry_forward's result as the JSON object `gworkflow goals --json` prints.

    Per participant: `goals` (done or not, with `since` and `carried`), `achievements` (the
    goals marked done, then the items listed under Achievements), `conferences`, and with
    the "invitations" topic on, `invitations` (with the decision and what a yes costs).
    """
    participants = []
    for carry in carries:
        person: JSON = {
            "name": carry.name,
            "goals": [
                {
                    "text": goal.text,
                    "level": goal.level,
                    "done": goal.done,
                    "since": goal.since.isoformat() if goal.since else None,
                    "carried": goal.carried,
                }
                for goal in carry.goals
            ],
            "achievements": [
                {"text": goal.text, "from": "goals"} for goal in carry.goals if goal.done
            ]
            + [{"text": text, "from": "achievements"} for text in carry.achievements],
            "conferences": [
                {"text": c.text, "date": c.date.isoformat() if c.date else None}
                for c in carry.conferences
            ],
        }
        if "invitations" in topics:
            person["invitations"] = [
                {"text": i.text, "decision": i.decision, "cost": _cost_json(i.text)}
                for i in carry.invitations
            ]
        participants.append(person)
    return {"meeting": meeting.isoformat() if meeting else None, "participants": participants}
