"""An achievements report in each of its forms: terminal text, Markdown, CSV, JSON, and the
blocks of a Google Doc of its own.

What lives here: presentation only. Which achievements and goals a report holds is decided
in achievements.py; writing the blocks to Google is the adapters' job. A done goal shows as
"✅ <goal>", as in the running doc; text keeps its links everywhere (text: "title <url>",
Markdown: a link, CSV and JSON: the `link` field, the doc: a link).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterator, Sequence
from itertools import groupby

from gworkflow.agenda.achievements import STILL_OPEN_AFTER, Achievement, GoalRecord, Report
from gworkflow.agenda.blocks import Block, BlockKind, Span
from gworkflow.agenda.text import span_text
from gworkflow.types import JSON

DONE = "✅ "
CSV_COLUMNS = ("person", "meeting", "text", "link", "source")
STILL_OPEN_NOTE = (
    f"Carried {STILL_OPEN_AFTER} meetings or more and not done: a fair question for the "
    "next meeting."
)


def month_label(day: dt.date) -> str:
    """ "January 2026"."""
    return f"{day:%B} {day.year}"


def day_label(day: dt.date, year: bool = True) -> str:
    """ "13 Jan 2026" (or "13 Jan")."""
    text = f"{day.day} {day:%b}"
    return f"{text} {day.year}" if year else text


def period_label(first: dt.date | None, last: dt.date | None) -> str:
    """ "2026" for a whole calendar year, else "2026-01-13 to 2026-06-09"."""
    if first is None or last is None:
        return "(no meetings yet)"
    if (first.month, first.day, last.month, last.day) == (1, 1, 12, 31) and first.year == last.year:
        return str(first.year)
    return f"{first.isoformat()} to {last.isoformat()}"


def title(report: Report, series_title: str) -> str:
    """ "Ruth — achievements 2026"; the series' title for a report about everyone."""
    who = report.people[0] if len(report.people) == 1 else series_title
    return f"{who} — achievements {period_label(report.first, report.last)}"


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def summary(report: Report) -> str:
    """ "14 achievements at 11 meetings (9 typed, 5 goals done)"."""
    goals = sum(1 for a in report.achievements if a.source == "goal")
    typed = len(report.achievements) - goals
    return (
        f"{_plural(len(report.achievements), 'achievement')} at "
        f"{_plural(len({a.meeting for a in report.achievements}), 'meeting')} "
        f"({typed} typed, {_plural(goals, 'goal')} done)"
    )


def goal_summary(goal: GoalRecord) -> str:
    """ "set 13 Jan 2026, carried 3 meetings, done 14 Apr 2026"."""
    parts = [f"set {day_label(goal.set_on)}", f"carried {_plural(goal.carried, 'meeting')}"]
    if goal.closed is not None:
        parts.append(f"{goal.outcome} {day_label(goal.closed)}")
    else:
        parts.append("still open" if goal.still_open else "open")
    return ", ".join(parts)


def _by_month(achievements: Sequence[Achievement]) -> Iterator[tuple[str, list[Achievement]]]:
    for _, items in groupby(achievements, key=lambda a: (a.meeting.year, a.meeting.month)):
        listed = list(items)
        yield month_label(listed[0].meeting), listed


def _mark(achievement: Achievement) -> str:
    return DONE if achievement.source == "goal" else ""


# --- text ----------------------------------------------------------------------------------


def _plain(spans: Sequence[Span]) -> str:
    return "".join(span_text(span) for span in spans)


def as_text(report: Report, series_title: str, with_goals: bool = False) -> str:
    """For a terminal: the months, each achievement with its meeting day (and its person,
    when the report is about several); with `with_goals`, the goal history after."""
    several = len(report.people) > 1
    width = max((len(name) for name in report.people), default=0)

    def who(name: str) -> str:
        return f"{name:<{width}}  " if several else ""

    lines = [title(report, series_title), summary(report)]
    for month, items in _by_month(report.achievements):
        lines += ["", month]
        lines += [
            f"  {day_label(a.meeting, year=False):<6}  {who(a.person)}{_mark(a)}{_plain(a.spans)}"
            for a in items
        ]
    if with_goals:
        lines += ["", "Goal history"]
        lines += [f"  {who(g.person)}{_plain(g.spans)} — {goal_summary(g)}" for g in report.history]
        if not report.history:
            lines.append("  no goal was set, done or dropped in this period")
        if report.still_open:
            lines += ["", "Still open", f"  {STILL_OPEN_NOTE}"]
            lines += [
                f"  {who(g.person)}{_plain(g.spans)} — {goal_summary(g)}" for g in report.still_open
            ]
    return "\n".join(lines)


# --- Markdown ------------------------------------------------------------------------------


def as_markdown(report: Report, series_title: str, with_goals: bool = False) -> str:
    """Ready to paste into a report: a heading per month, an item per achievement, links
    as Markdown links; with `with_goals`, the goal history as a table."""
    from gworkflow.agenda.markdown import md_escape, spans_to_markdown

    several = len(report.people) > 1

    def who(name: str) -> str:
        return f"{md_escape(name)}: " if several else ""

    lines = [f"# {md_escape(title(report, series_title))}"]
    for month, items in _by_month(report.achievements):
        lines += ["", f"## {month}", ""]
        lines += [f"- {who(a.person)}{_mark(a)}{spans_to_markdown(a.spans)}" for a in items]
    if with_goals:
        lines += ["", "## Goal history", ""]
        head = ["Person"] if several else []
        lines.append("| " + " | ".join([*head, "Goal", "Set", "Carried", "Outcome"]) + " |")
        lines.append("|" + " --- |" * (len(head) + 4))
        for goal in report.history:
            outcome = f"{goal.outcome} {day_label(goal.closed)}" if goal.closed else goal.outcome
            cells = [md_escape(goal.person)] if several else []
            cells += [
                spans_to_markdown(goal.spans),
                day_label(goal.set_on),
                _plural(goal.carried, "meeting"),
                outcome,
            ]
            lines.append("| " + " | ".join(cells) + " |")
        if report.still_open:
            lines += ["", "## Still open", "", STILL_OPEN_NOTE, ""]
            lines += [
                f"- {who(g.person)}{spans_to_markdown(g.spans)} — {goal_summary(g)}"
                for g in report.still_open
            ]
    return "\n".join(lines)


# --- CSV and JSON --------------------------------------------------------------------------


def as_csv(report: Report) -> str:
    """`person,meeting,text,link,source`: one row per achievement (several links in one
    achievement are one field, separated by spaces)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for achievement in report.achievements:
        row = achievement.as_json()
        writer.writerow(["" if row[key] is None else row[key] for key in CSV_COLUMNS])
    return out.getvalue()


def as_json(report: Report, with_goals: bool = False) -> JSON | list[JSON]:
    """A list of achievements; with `with_goals`, {"achievements": [...], "goals": [...]}."""
    achievements = [a.as_json() for a in report.achievements]
    if not with_goals:
        return achievements
    return {"achievements": achievements, "goals": [g.as_json() for g in report.goals]}


# --- a Google Doc ----------------------------------------------------------------------------


def doc_blocks(report: Report, heading: str, doc_url: str | None) -> list[Block]:
    """The content of a doc of its own: the title, where it comes from, a heading per month
    with the achievements as bullets, then the goal history as bullets (the sandbox, which
    every test runs against, cannot insert a table) and the goals still open."""
    source: list[Span] = [Span("Recorded at the check-ins, in the ")]
    source.append(
        Span("running agenda doc", link=doc_url) if doc_url else Span("running agenda doc")
    )
    source.append(Span(f": {summary(report)}."))
    blocks = [
        Block(BlockKind.HEADING, (Span(heading),), 1),
        Block(BlockKind.PARAGRAPH, tuple(source)),
    ]
    for month, items in _by_month(report.achievements):
        blocks.append(Block(BlockKind.HEADING, (Span(month),), 2))
        for item in items:
            mark = (Span(DONE),) if item.source == "goal" else ()
            blocks.append(Block(BlockKind.BULLET, (*mark, *item.spans)))
    blocks.append(Block(BlockKind.HEADING, (Span("Goal history"),), 2))
    if not report.history:
        blocks.append(Block(BlockKind.PARAGRAPH, (Span("No goal was set, done or dropped."),)))
    for goal in report.history:
        blocks.append(Block(BlockKind.BULLET, (*goal.spans, Span(f" — {goal_summary(goal)}"))))
    if report.still_open:
        blocks.append(Block(BlockKind.HEADING, (Span("Still open"),), 2))
        blocks.append(Block(BlockKind.PARAGRAPH, (Span(STILL_OPEN_NOTE),)))
        for goal in report.still_open:
            blocks.append(Block(BlockKind.BULLET, (*goal.spans, Span(f" — {goal_summary(goal)}"))))
    return blocks
