"""A running doc as years of check-ins leave it, and what its achievements record must say.

For the achievements benchmark and a test at that scale: one section a month (the second
Tuesday, from January 2017), marked with gworkflow's named range and laid out as the
default template writes it and two people fill it in. Per person and month:

- *Achievements*: the italic "Planned on ..." line, "✅ <goal>" for each goal done at the
  previous meeting (what gworkflow carries), two achievements typed that month (the first
  with a link), and the empty item;
- *Goals*: every goal still alive, "(since <day>)" after the carried ones; a goal done this
  month marked ✅ (every third one struck through instead); two new goals; the empty item;
- *Upcoming Conferences*: two dated entries; then a notes paragraph under no topic.

Each month's two goals live a few months (0-4, varying): most are then done, every sixth is
dropped (deleted from the list). `expected_achievements` and `expected_goals` say what the
record must hold, computed from the same plan, not from gworkflow's reader.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from support.docbuilder import DocBuilder, run

SERIES = "ruth-heather"
NAMES = ("Ruth", "Heather")
JSON = dict[str, Any]
_TOPICS = (
    "open educational resources",
    "the assessment survey",
    "information literacy",
    "the new catalog",
    "special collections outreach",
    "data management plans",
    "first-year seminars",
)
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def meeting_days(count: int) -> list[dt.date]:
    """The second Tuesday of `count` consecutive months, from January 2017."""
    days = []
    for n in range(count):
        first = dt.date(2017 + n // 12, n % 12 + 1, 1)
        days.append(first + dt.timedelta(days=(1 - first.weekday()) % 7 + 7))
    return days


@dataclass(frozen=True)
class PlannedGoal:
    person: str
    text: str
    set_at: int  # month index
    lives: int  # months it is carried
    dropped: bool

    @property
    def end(self) -> int:
        """The month it is marked done, or the last month it is listed before the drop."""
        return self.set_at + self.lives


def _goals(count: int) -> list[PlannedGoal]:
    goals = []
    for month in range(count):
        for p, person in enumerate(NAMES):
            for j in range(2):
                topic = _TOPICS[(month + 3 * j + p) % len(_TOPICS)]
                text = f"Goal {month + 1}.{j + 1} of {person}: draft the plan for {topic}"
                lives = (month + j + 2 * p) % 5
                goals.append(PlannedGoal(person, text, month, lives, (month + j) % 6 == 5))
    return goals


def _label(day: dt.date) -> str:
    return f"{day.day} {_MONTHS[day.month - 1]}"


def _typed(person: str, month: int) -> list[tuple[str, str | None]]:
    """The two achievements `person` types at `month`: (text, link of its title or None)."""
    topic = _TOPICS[month % len(_TOPICS)]
    return [
        (
            f"Submitted the article on {topic} ({person}, #{month + 1})",
            f"https://example.org/a/{month + 1}",
        ),
        (f"Gave a workshop on {topic} for {10 + month % 20} students", None),
    ]


def _section(builder: DocBuilder, month: int, day: dt.date, goals: list[PlannedGoal]) -> None:
    days = meeting_days(month + 1)
    builder.add("HEADING_1", f"Peer mentoring check-in — {day:%A} {day.day} {day:%B %Y} ({day})")
    builder.add("NORMAL_TEXT", f"{day:%A} {day.day} {day:%B}, 14:00 Chicago · 15:00 New York")
    for person in NAMES:
        mine = [g for g in goals if g.person == person]
        builder.add("HEADING_2", person)
        builder.add("HEADING_3", "Achievements")
        if month > 0:
            planned = [g for g in mine if g.set_at <= month - 1 <= g.end]
            line = f"Planned on {days[month - 1].day} {days[month - 1]:%B}: {len(planned)} goals."
            builder.add("NORMAL_TEXT", [run(line, italic=True)])
        for goal in mine:
            if not goal.dropped and goal.end == month - 1:
                builder.add("NORMAL_TEXT", f"✅ {goal.text}", "bullet")
        for text, link in _typed(person, month):
            if link:
                title = text.split(" (")[0]
                elements = [run(title, link=link), run(text[len(title) :])]
                builder.add("NORMAL_TEXT", elements, "bullet")
            else:
                builder.add("NORMAL_TEXT", text, "bullet")
        builder.add("NORMAL_TEXT", "", "bullet")
        builder.add("HEADING_3", "Goals")
        for goal in mine:
            if not goal.set_at <= month <= goal.end:
                continue
            since = f" (since {_label(days[goal.set_at])})" if goal.set_at < month else ""
            if goal.end == month and not goal.dropped:
                if goal.set_at % 3 == 0:
                    builder.add("NORMAL_TEXT", [run(goal.text + since, strike=True)], "bullet")
                else:
                    builder.add("NORMAL_TEXT", f"✅ {goal.text}{since}", "bullet")
            else:
                builder.add("NORMAL_TEXT", goal.text + since, "bullet")
        builder.add("NORMAL_TEXT", "", "bullet")
        builder.add("HEADING_3", "Upcoming Conferences")
        builder.add("NORMAL_TEXT", f"ALA Annual, {day.year + 1}-06-26", "bullet")
        builder.add("NORMAL_TEXT", f"ACRL, April 9-12, {day.year + 1}", "bullet")
        builder.add("NORMAL_TEXT", "Notes: talked about tenure files and the new catalog.")


def build(count: int = 120) -> JSON:
    """The documents.get response (tabs form) of `count` monthly sections."""
    from gworkflow.agenda.blocks import marker_name

    goals = _goals(count)
    builder = DocBuilder()
    builder.add("TITLE", "Ruth & Heather — peer mentoring")
    for month, day in enumerate(meeting_days(count)):
        start = builder.index
        _section(builder, month, day, [g for g in goals if g.set_at <= month])
        builder.mark(marker_name(SERIES, day), start, builder.index)
    return builder.build(tabs=True)


def expected_achievements(count: int = 120) -> list[tuple[str, dt.date, str, str | None, str]]:
    """(person, meeting, text, link, source) in meeting order, then person order."""
    days = meeting_days(count)
    goals = _goals(count)
    out = []
    for month, day in enumerate(days):
        for person in NAMES:
            for text, link in _typed(person, month):
                out.append((person, day, text, link, "typed"))
            for goal in goals:
                if goal.person == person and not goal.dropped and goal.end == month:
                    out.append((person, day, goal.text, None, "goal"))
    return out


def expected_goals(count: int = 120) -> list[tuple[str, str, dt.date, int, str, dt.date | None]]:
    """(person, text, set, carried, outcome, closed), sorted by set day then person."""
    days = meeting_days(count)
    out = []
    for goal in _goals(count):
        if goal.dropped:
            dropped_at = goal.end + 1
            if dropped_at < count:
                row = (goal.lives, "dropped", days[dropped_at])
            else:
                row = (min(goal.lives, count - 1 - goal.set_at), "open", None)
        elif goal.end < count:
            row = (goal.lives, "done", days[goal.end])
        else:
            row = (count - 1 - goal.set_at, "open", None)
        out.append((goal.person, goal.text, days[goal.set_at], *row))
    order = {name: i for i, name in enumerate(NAMES)}
    out.sort(key=lambda g: (g[2], order[g[0]]))
    return out
