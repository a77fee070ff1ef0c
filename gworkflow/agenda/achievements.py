"""The achievements record: what each person achieved, read back out of the running doc.

What lives here: reading every meeting section of a series (not only the latest, as the
carry-forward does) into achievements and goal histories, and choosing the period and the
person a report is about. What does not: the report's forms (achievements_render.py);
finding sections (parse.py) and the rules for reading one (carry.py: which heading is whose
and about what, what a goal or an invitation says), so that a section reads the same for
`goals`, for the next section and here; any I/O. Two of the carry's readers have faster
copies here (`_Reader.outline`, `_Reader.item`: a ten-year doc is read whole), and the
tests check each against the carry's own.

What counts, per person, section by section in meeting order:
- an item typed under their *Achievements* heading (source "typed"), without the check
  mark or "(since ...)" around it, links and bold kept;
- a goal marked done (check mark, "[x]", "done:", "(done)" or struck through; source
  "goal"), ONCE, at the first meeting whose section shows it done. The "✅ goal" gworkflow
  writes under the next section's Achievements, and the same done goal left in later
  lists, are mentions of it, not new achievements;
- an invitation answered "no:" under *Invitations to weigh* (source "typed"), once, as
  "Said no to ...", at the first meeting whose section shows the answer; the "Said no to
  ..." line gworkflow writes under the next section's Achievements is its mention.
What never counts: the italic "Planned on ..." line gworkflow writes, empty items, and in
sections of the earlier template (last month's goals as unticked boxes under
Achievements) a carried goal nobody marked: it names a goal still open.

A goal's life: set at the meeting in its "(since ...)", else at the first section listing
it; carried through every later section that lists it (under Goals, or under Achievements
in the earlier template); done at the meeting it is first marked done; dropped at the first
section whose Goals list lacks it (a section where the person has no Goals list says
nothing about their goals). A goal typed again after it was done is a new goal.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Literal

from gworkflow.agenda.blocks import Block, Span

# The carry's own readers and patterns (some private to the agenda package): a section must
# read here exactly as it reads for the next section.
from gworkflow.agenda.carry import (
    _ANYWHERE_HINT,
    _LEADING_HINT,
    _NOTE,
    _OPEN_BOX,
    _SINCE,
    _TRAILING_HINT,
    Topic,
    _goal,
    _invitation,
    _is_since_label,
    heading_participant,
    heading_topic,
    read_since,
)
from gworkflow.agenda.docjson import TabContent, select_tab
from gworkflow.agenda.parse import FoundSection, find_sections
from gworkflow.errors import ConfigError
from gworkflow.types import JSON

Source = Literal["typed", "goal"]
Outcome = Literal["done", "dropped", "open"]
# A goal carried through this many meetings or more, and not done, is listed apart.
STILL_OPEN_AFTER = 3
DECLINED = "Said no to "


@dataclass(frozen=True)
class Achievement:
    """One achievement of one person, recorded at one meeting."""

    person: str
    meeting: dt.date
    spans: tuple[Span, ...]
    source: Source

    @property
    def text(self) -> str:
        return "".join(span.text for span in self.spans)

    @property
    def links(self) -> tuple[str, ...]:
        return _links(self.spans)

    def as_json(self) -> JSON:
        return {
            "person": self.person,
            "meeting": self.meeting.isoformat(),
            "text": self.text,
            "link": " ".join(self.links) or None,
            "source": self.source,
        }


@dataclass(frozen=True)
class GoalRecord:
    """One goal's life: when it was set, how many meetings it was carried, how it ended."""

    person: str
    spans: tuple[Span, ...]
    set_on: dt.date
    carried: int
    outcome: Outcome
    # The meeting it was done or dropped at; None while open.
    closed: dt.date | None

    @property
    def text(self) -> str:
        return "".join(span.text for span in self.spans)

    @property
    def still_open(self) -> bool:
        return self.outcome == "open" and self.carried >= STILL_OPEN_AFTER

    def as_json(self) -> JSON:
        return {
            "person": self.person,
            "text": self.text,
            "link": " ".join(_links(self.spans)) or None,
            "set": self.set_on.isoformat(),
            "carried": self.carried,
            "outcome": self.outcome,
            "closed": self.closed.isoformat() if self.closed else None,
            "still_open": self.still_open,
        }


@dataclass(frozen=True)
class Record:
    """Everything the doc records: achievements in meeting order, goals by when set."""

    achievements: tuple[Achievement, ...]
    goals: tuple[GoalRecord, ...]
    # The meeting of every section read, in order.
    meetings: tuple[dt.date, ...]


def _links(spans: Iterable[Span]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(span.link for span in spans if span.link))


def _key(text: str) -> str:
    """What makes two mentions the same goal: the words, whatever the case and spacing."""
    return " ".join(text.casefold().split()).rstrip(".")


# --- reading the sections ----------------------------------------------------------------


# An item as read: its text without markers, whether it is marked done, the "since" label
# gworkflow wrote after it (None: none), and its spans (None: the text alone, no style).
_Read = tuple[str, bool, str | None, tuple[Span, ...] | None]


def _set_on(label: str | None, day: dt.date) -> dt.date:
    """The day a goal read in the section of meeting `day` was set, from its "since" label."""
    return (read_since(label, day) or day) if label is not None else day


def _rich(text: str, spans: tuple[Span, ...] | None) -> tuple[Span, ...]:
    return (Span(text),) if spans is None else spans


class _Reader:
    """Reads items as the carry reads a goal (`carry._goal`): the text without done marker
    and "(since ...)", whether it is done, the spans, the day it was set.

    The same result, faster: a ten-year doc has thousands of items, and the carry's reader
    edits styled text character by character. Here the steps run on the plain text, once
    per distinct text (items repeat from section to section: a goal carried for months);
    the spans are kept as they are when nothing was cut (most items), or cut as a whole
    when the item has one style (a link or bold makes two). Only an item of several styles
    with a marker to cut goes through the carry's reader. tests/unit/test_achievement_rules.py
    checks the results against the carry's reader.
    """

    def __init__(self) -> None:
        self._plain: dict[str, tuple[str, bool, str | None]] = {}
        self._keys: dict[str, str] = {}
        self._headings: dict[str, tuple[int | None, Topic | None]] = {}

    def outline(
        self, section: FoundSection, names: Sequence[str]
    ) -> Iterator[tuple[int | None, Topic | None, Block]]:
        """`carry._items`: each paragraph that is not a heading, with the participant and
        the topic of the headings above it. The same walk, but what the open headings say
        is worked out once per heading, not once per paragraph, and each heading's text is
        read once (the same few headings come back in every section)."""
        stack: list[tuple[int, int | None, Topic | None]] = []
        participant: int | None = None
        topic: Topic | None = None
        for position, para in enumerate(section.paragraphs):
            if para.heading_level is None:
                yield participant, topic, para.block
                continue
            if position == 0:
                continue  # the meeting heading: its words are not a participant's name
            text = para.block.text
            named = self._headings.get(text)
            if named is None:
                named = self._headings[text] = (
                    heading_participant(text, names),
                    heading_topic(text),
                )
            who, about = named
            while stack and stack[-1][0] >= para.heading_level:
                level, popped, _ = stack.pop()
                if who is None and about is not None and level == para.heading_level:
                    who = popped  # the flat layout, as carry._items reads it
            stack.append((para.heading_level, who, about))
            participant = next((p for _, p, _ in reversed(stack) if p is not None), None)
            topic = next((t for _, _, t in reversed(stack) if t is not None), None)

    def key(self, text: str) -> str:
        """`_key(text)`, once per distinct text."""
        key = self._keys.get(text)
        if key is None:
            key = self._keys[text] = _key(text)
        return key

    def item(self, block: Block, day: dt.date) -> _Read | None:
        """The item in the section of meeting `day`; None for an empty one."""
        text = block.text
        read = self._plain.get(text)
        if read is None:
            read = self._plain[text] = _read_plain(text)
        plain, done, label = read
        if not plain:
            return None  # the empty item left to type into, or a bare check mark
        spans = block.spans if len(block.spans) == 1 else _merged(block.spans)
        if len(spans) > 1:
            if read == (text, False, None) and not any(span.strike for span in spans):
                return text, False, None, spans
            goal = _goal(block, day)
            if goal is None:
                return None
            # The day it was set, as a label `_set_on` reads back to that day.
            since = goal.since.isoformat() if goal.since and goal.since != day else None
            return goal.text, goal.done, since, goal.rich
        style = spans[0]
        if style.strike:
            done = True  # struck through means done; the achievement is not shown struck
        if not (style.bold or style.italic or style.link or style.person):
            return plain, done, label, None
        one = Span(plain, style.bold, style.italic, False, style.link, style.person)
        return plain, done, label, (one,)


# Every done marker, "(since ...)" and "[ ]" the carry's reader removes holds one of these.
_MAYBE_MARKED = re.compile(r"[✅✔☑✓\[(]|done", re.IGNORECASE)


def _read_plain(text: str) -> tuple[str, bool, str | None]:
    """`carry._goal`'s steps on a string: (text, marked done, the "since" label or None)."""
    text = " ".join(text.split())
    if _MAYBE_MARKED.search(text) is None:
        return text, False, None  # no pattern below could match
    text, label = _plain_since(text)
    done = False
    for pattern, count in ((_LEADING_HINT, 1), (_TRAILING_HINT, 1), (_ANYWHERE_HINT, 0)):
        if pattern.search(text):
            text, done = pattern.sub("", text, count=count).strip(), True
            break
    else:
        text = _OPEN_BOX.sub("", text, count=1).strip()
    if label is None:
        text, label = _plain_since(text)
    return text, done, label


def _plain_since(text: str) -> tuple[str, str | None]:
    match = _SINCE.search(text)
    if match is None or not _is_since_label(match["label"]):
        return text, None
    return _SINCE.sub("", text, count=1), match["label"]


def _merged(spans: Iterable[Span]) -> tuple[Span, ...]:
    """Spans with neighbours of the same style joined (as styled text gives them back)."""
    out: list[Span] = []
    for span in spans:
        if not span.text:
            continue
        if out and _style(out[-1]) == _style(span):
            out[-1] = Span(out[-1].text + span.text, *_style(span))
        else:
            out.append(span)
    return tuple(out)


def _style(span: Span) -> tuple[bool, bool, bool, str | None, str | None]:
    return (span.bold, span.italic, span.strike, span.link, span.person)


@dataclass(eq=False)
class _Goal:
    """A goal being read: mutable while the sections are walked."""

    text: str
    typed: tuple[Span, ...] | None  # as `_Read` has them: its latest spans
    set_on: dt.date
    seen: set[dt.date] = field(default_factory=set)
    outcome: Outcome = "open"
    closed: dt.date | None = None

    def record(self, person: str) -> GoalRecord:
        carried = sum(1 for day in self.seen if day > self.set_on)
        spans = _rich(self.text, self.typed)
        return GoalRecord(person, spans, self.set_on, carried, self.outcome, self.closed)


_DECLINED_KEY = _key(DECLINED)


class _Person:
    """One participant's record, built section by section (in meeting order)."""

    def __init__(self, name: str, reader: _Reader) -> None:
        self.name = name
        self._reader = reader
        self.achievements: list[Achievement] = []
        self.lives: list[_Goal] = []
        self._current: dict[str, _Goal] = {}  # the latest life of each goal, by key
        self._open: dict[str, _Goal] = {}  # the open ones among them
        self._declined: set[str] = set()

    def read(self, day: dt.date, blocks: Sequence[tuple[Topic | None, Block]]) -> None:
        seen: set[str] = set()
        has_goals = False
        for topic, block in blocks:
            if topic is Topic.GOALS:
                has_goals = True
                self._goal(day, block, seen)
            elif topic is Topic.ACHIEVEMENTS:
                self._achievement(day, block, seen)
            elif topic is Topic.INVITATIONS:
                self._invitation(day, block)
        if has_goals:
            for key in [key for key in self._open if key not in seen]:
                if day > self._open[key].set_on:
                    life = self._open.pop(key)
                    life.outcome, life.closed = "dropped", day

    def _achieved(self, day: dt.date, spans: tuple[Span, ...], source: Source) -> None:
        self.achievements.append(Achievement(self.name, day, spans, source))

    def _done(self, day: dt.date, key: str, life: _Goal) -> None:
        life.outcome, life.closed = "done", day
        self._open.pop(key, None)
        life.seen.add(day)
        self._achieved(day, _rich(life.text, life.typed), "goal")

    def _goal(self, day: dt.date, block: Block, seen: set[str]) -> None:
        read = self._reader.item(block, day)
        if read is None:
            return  # the empty item left to type into
        text, done, label, typed = read
        key = self._reader.key(text)
        life = self._current.get(key)
        if life is not None and life.outcome == "done" and (done or life.closed == day):
            return  # a done goal left in the list: mentioned, not done again
        # (The day it was set only matters to a goal not open now: read it only then.)
        if life is not None and life.outcome == "dropped" and _set_on(label, day) == life.set_on:
            life.outcome, life.closed = "open", None  # back after all: the same goal
            self._open[key] = life
        elif life is None or life.outcome != "open":
            life = _Goal(text, typed, _set_on(label, day))
            self._current[key] = self._open[key] = life
            self.lives.append(life)
        life.text, life.typed = text, typed
        seen.add(key)
        if done:
            self._done(day, key, life)
        else:
            life.seen.add(day)

    def _achievement(self, day: dt.date, block: Block, seen: set[str]) -> None:
        read = self._reader.item(block, day)
        if read is None:
            return
        text, done, _, typed = read
        if _NOTE.match(text):
            return  # the "Planned on ..." line gworkflow writes
        key = self._reader.key(text)
        life = self._current.get(key)
        if life is not None and life.outcome == "done":
            return  # the "✅ goal" gworkflow carries: counted where it was marked done
        if life is not None and life.outcome == "open":
            seen.add(key)
            if done:
                self._done(day, key, life)  # the earlier template: a carried goal marked here
            else:
                life.seen.add(day)  # the earlier template's unticked box: a prompt
            return
        if key.startswith(_DECLINED_KEY) and any(
            key.startswith(f"{_DECLINED_KEY} {declined}") for declined in self._declined
        ):
            return  # the "Said no to ..." gworkflow carries
        self._achieved(day, _rich(text, typed), "typed")

    def _invitation(self, day: dt.date, block: Block) -> None:
        invitation = _invitation(block)
        if invitation is None or invitation.decision != "no":
            return
        key = _key(invitation.text)
        if key in self._declined:
            return
        self._declined.add(key)
        self._achieved(day, (Span(DECLINED), *invitation.rich), "typed")


def read_record(
    doc: JSON,
    series_id: str,
    names: Sequence[str],
    tab: str | None = None,
    until: dt.date | None = None,
) -> Record:
    """What a `documents.get` response records for the series (in the tab named `tab`, or
    the first), reading the sections of meetings up to `until`."""
    return collect(select_tab(doc, tab), series_id, names, until)


def collect(
    tab: TabContent, series_id: str, names: Sequence[str], until: dt.date | None = None
) -> Record:
    """Every achievement and goal of the series' sections in `tab` (up to `until`: a goal
    done later is still open then)."""
    sections = [
        s
        for s in find_sections(tab, series_id)
        if s.meeting is not None and (until is None or s.meeting <= until)
    ]
    # Meeting order, not doc order ("top" puts the newest first); a marked section before
    # a hand-typed one of the same day.
    sections.sort(key=lambda s: (s.meeting, not s.marked, s.start))
    reader = _Reader()
    people = [_Person(name, reader) for name in names]
    meetings: list[dt.date] = []
    for section in sections:
        assert section.meeting is not None
        day = section.meeting
        if not meetings or meetings[-1] != day:
            meetings.append(day)
        parts: list[list[tuple[Topic | None, Block]]] = [[] for _ in names]
        for participant, topic, block in reader.outline(section, names):
            if participant is not None and topic is not None:
                parts[participant].append((topic, block))
        for person, blocks in zip(people, parts, strict=True):
            if blocks:
                person.read(day, blocks)
    achievements = sorted(
        (a for p in people for a in p.achievements),
        key=lambda a: (a.meeting, names.index(a.person)),
    )
    goals = sorted(
        (life.record(p.name) for p in people for life in p.lives),
        key=lambda g: (g.set_on, names.index(g.person)),
    )
    return Record(tuple(achievements), tuple(goals), tuple(meetings))


# --- what a report is about ---------------------------------------------------------------


def year_period(year: int) -> tuple[dt.date, dt.date]:
    return dt.date(year, 1, 1), dt.date(year, 12, 31)


def pick_person(names: Sequence[str], wanted: str, series_id: str) -> str:
    """The participant `wanted` names: their name, or their given name when no one else
    has it, in any case. Else a ConfigError naming the closest one."""
    folded = wanted.strip().casefold()
    for name in names:
        if name.casefold() == folded:
            return name
    given = [name for name in names if name.split() and name.split()[0].casefold() == folded]
    if len(given) == 1:
        return given[0]
    close = difflib.get_close_matches(wanted, names, n=1, cutoff=0.6) or difflib.get_close_matches(
        folded, [name.casefold() for name in names], n=1, cutoff=0.6
    )
    if close:
        match = next(name for name in names if name.casefold() == close[0].casefold())
        hint = f"did you mean {match!r}?"
    else:
        hint = "participants: " + ", ".join(names) if names else "it has no participants"
    raise ConfigError(f"no participant named {wanted!r} in series {series_id} ({hint})")


@dataclass(frozen=True)
class Report:
    """The achievements (and goal history) of some people over some period."""

    people: tuple[str, ...]
    # The period asked for; None where it was left open.
    since: dt.date | None
    until: dt.date | None
    achievements: tuple[Achievement, ...]
    # Goals alive at some point of the period; the ones carried three meetings or more and
    # still open are `still_open`.
    goals: tuple[GoalRecord, ...]
    # The meetings of the period whose sections were read.
    meetings: tuple[dt.date, ...]

    @property
    def first(self) -> dt.date | None:
        """Where the period starts: as asked, else the first meeting."""
        return self.since or (self.meetings[0] if self.meetings else None)

    @property
    def last(self) -> dt.date | None:
        return self.until or (self.meetings[-1] if self.meetings else None)

    @property
    def history(self) -> tuple[GoalRecord, ...]:
        """The goals that are not `still_open`."""
        return tuple(goal for goal in self.goals if not goal.still_open)

    @property
    def still_open(self) -> tuple[GoalRecord, ...]:
        return tuple(goal for goal in self.goals if goal.still_open)

    def empty_message(self, series_id: str) -> str:
        """What to say when the period holds no achievement."""
        who = f" for {self.people[0]}" if len(self.people) == 1 else ""
        first, last = self.first, self.last
        if first is not None and last is not None:
            return f"no achievements recorded{who} between {first} and {last}"
        if first is not None or last is not None:
            return f"no achievements recorded{who} {'since' if first else 'up to'} {first or last}"
        return (
            f"no achievements recorded{who}: the running doc has no meeting section of "
            f"series {series_id} yet"
        )


def report(
    record: Record,
    people: Sequence[str],
    since: dt.date | None = None,
    until: dt.date | None = None,
) -> Report:
    """The part of `record` about `people` between `since` and `until` (both included).

    A goal belongs to the period when it was alive during it: set before its end, and not
    done or dropped before its start.
    """

    def within(day: dt.date) -> bool:
        return (since is None or day >= since) and (until is None or day <= until)

    achievements = tuple(a for a in record.achievements if a.person in people and within(a.meeting))
    goals = tuple(
        g
        for g in record.goals
        if g.person in people
        and (until is None or g.set_on <= until)
        and (since is None or g.closed is None or g.closed >= since)
    )
    meetings = tuple(day for day in record.meetings if within(day))
    return Report(tuple(people), since, until, achievements, goals, meetings)
