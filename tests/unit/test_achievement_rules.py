"""The achievements record: what counts, once, at which meeting; goal histories; the forms.

Docs are built with support/docbuilder.py in Google's JSON shape: sections as the current
template writes them (plain bullets, the italic "Planned on" line, "✅ goal" carried under
Achievements), as the earlier template wrote them (checkboxes; last month's goals as
unticked boxes under Achievements), and typed by hand.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from support import decade
from support.docbuilder import DocBuilder, person, run

from gworkflow.agenda.achievements import (
    Achievement,
    GoalRecord,
    Record,
    _Reader,
    _rich,
    _set_on,
    pick_person,
    read_record,
    report,
    year_period,
)
from gworkflow.agenda.achievements_render import (
    as_csv,
    as_json,
    as_markdown,
    as_text,
    doc_blocks,
    goal_summary,
    title,
)
from gworkflow.agenda.blocks import Block, BlockKind, Span, marker_name
from gworkflow.agenda.carry import _goal, _items
from gworkflow.agenda.docjson import select_tab
from gworkflow.agenda.parse import find_sections
from gworkflow.errors import ConfigError

SERIES = "ruth-heather"
NAMES = ["Ruth", "Heather"]
JAN13, FEB10, MAR10, APR14 = (dt.date(2026, m, d) for m, d in ((1, 13), (2, 10), (3, 10), (4, 14)))
POSTER = "https://example.org/acrl-poster"
Row = tuple[Any, ...]


def bullet(text: str | list[Any], level: int = 0) -> Row:
    return ("NORMAL_TEXT", text, "bullet", level)


def box(text: str) -> Row:
    return ("NORMAL_TEXT", text, "checklist")


def note(text: str) -> Row:
    """The italic line gworkflow writes at the top of Achievements."""
    return ("NORMAL_TEXT", [run(text, italic=True)])


def part(
    name: str,
    achievements: list[Row] = (),  # type: ignore[assignment]
    goals: list[Row] = (),  # type: ignore[assignment]
    invitations: list[Row] | None = None,
) -> list[Row]:
    rows: list[Row] = [("HEADING_2", name), ("HEADING_3", "Achievements"), *achievements]
    rows += [("HEADING_3", "Goals"), *goals, ("HEADING_3", "Upcoming Conferences"), bullet("")]
    if invitations is not None:
        rows += [("HEADING_3", "Invitations to weigh"), *invitations]
    return rows


def section(day: dt.date, *parts: list[Row], heading: str | None = None) -> list[Row]:
    rows: list[Row] = [("HEADING_1", heading or f"Peer mentoring check-in ({day.isoformat()})")]
    rows.append(("NORMAL_TEXT", "14:00 Chicago · 15:00 New York"))
    for rows_of_one in parts:
        rows += rows_of_one
    return rows


def doc_of(*sections: tuple[dt.date, list[Row]], marked: bool = True, top: bool = False) -> Any:
    """A running doc of `sections` in meeting order (newest first when `top`), each marked
    with gworkflow's named range unless `marked` is False (typed by hand)."""
    builder = DocBuilder()
    builder.add("TITLE", "Ruth & Heather — peer mentoring")
    for day, rows in reversed(sections) if top else sections:
        start, end = builder.rows(rows)
        if marked:
            builder.mark(marker_name(SERIES, day), start, end)
    return builder.build(tabs=True)


def achieved(record: Record | Any) -> list[tuple[str, dt.date, str, str | None, str]]:
    return [
        (a.person, a.meeting, a.text, " ".join(a.links) or None, a.source)
        for a in record.achievements
    ]


def lives(record: Record | Any) -> list[tuple[str, str, dt.date, int, str, dt.date | None]]:
    return [(g.person, g.text, g.set_on, g.carried, g.outcome, g.closed) for g in record.goals]


def four_months(top: bool = False) -> Any:
    """Ruth's first four months with the current template; Heather typed nothing."""
    planned = "Planned on {}: 3 goals, 1 done. Mark the rest ✅ under Goals when done."
    return doc_of(
        (
            JAN13,
            section(
                JAN13,
                part(
                    "Ruth",
                    [bullet([run("Presented the "), run("ACRL poster", link=POSTER)]), bullet("")],
                    [
                        bullet("✅ Submit the IRDL application"),
                        bullet("Draft the assessment survey"),
                        bullet("Read Demystifying the Library"),
                        bullet(""),
                    ],
                ),
                part("Heather", [bullet("")], [bullet("")]),
            ),
        ),
        (
            FEB10,
            section(
                FEB10,
                part(
                    "Ruth",
                    [
                        note(planned.format("13 January")),
                        bullet("✅ Submit the IRDL application"),
                        bullet("Won the travel grant"),
                        bullet(""),
                    ],
                    [
                        bullet([run("Draft the assessment survey (since 13 Jan)", strike=True)]),
                        bullet("Read Demystifying the Library (since 13 Jan)"),
                        bullet("[x] Renew ALA membership"),
                        bullet(""),
                    ],
                ),
                part("Heather", [bullet("")], [bullet("")]),
            ),
        ),
        (
            MAR10,
            section(
                MAR10,
                part(
                    "Ruth",
                    [
                        note("Planned on 10 February: 3 goals, 2 done."),
                        bullet("✅ Draft the assessment survey"),
                        bullet("✅ Renew ALA membership"),
                        bullet(""),
                    ],
                    [bullet("Read Demystifying the Library (since 13 Jan)"), bullet("")],
                ),
                part("Heather", [bullet("")], [bullet("")]),
            ),
        ),
        (
            APR14,
            section(
                APR14,
                part(
                    "Ruth",
                    [
                        note("Planned on 10 March: 1 goal. Mark it ✅ under Goals when done."),
                        bullet("Chaired the search committee"),
                        bullet("done: Submit the IRDL application"),
                        bullet(""),
                    ],
                    [bullet("")],  # "Read Demystifying" deleted: dropped
                ),
                part("Heather", [bullet("")], [bullet("")]),
            ),
        ),
        top=top,
    )


FOUR_MONTHS_ACHIEVED = [
    ("Ruth", JAN13, "Presented the ACRL poster", POSTER, "typed"),
    ("Ruth", JAN13, "Submit the IRDL application", None, "goal"),
    ("Ruth", FEB10, "Won the travel grant", None, "typed"),
    ("Ruth", FEB10, "Draft the assessment survey", None, "goal"),
    ("Ruth", FEB10, "Renew ALA membership", None, "goal"),
    ("Ruth", APR14, "Chaired the search committee", None, "typed"),
]
FOUR_MONTHS_GOALS = [
    ("Ruth", "Submit the IRDL application", JAN13, 0, "done", JAN13),
    ("Ruth", "Draft the assessment survey", JAN13, 1, "done", FEB10),
    ("Ruth", "Read Demystifying the Library", JAN13, 2, "dropped", APR14),
    ("Ruth", "Renew ALA membership", FEB10, 0, "done", FEB10),
]


# --- what counts --------------------------------------------------------------------------


def test_current_template_each_done_goal_once_where_marked_and_no_prompt() -> None:
    record = read_record(four_months(), SERIES, NAMES)
    # "✅ Submit ..." in February and "done: Submit ..." in April, "✅ Draft ..." and
    # "✅ Renew ..." in March: mentions of goals counted where they were marked done.
    # The "Planned on" lines and the empty items count for nothing.
    assert achieved(record) == FOUR_MONTHS_ACHIEVED
    assert lives(record) == FOUR_MONTHS_GOALS
    assert record.meetings == (JAN13, FEB10, MAR10, APR14)


def test_links_and_formatting_are_kept() -> None:
    record = read_record(four_months(), SERIES, NAMES)
    poster = record.achievements[0]
    assert poster.spans == (Span("Presented the "), Span("ACRL poster", link=POSTER))
    assert poster.as_json() == {
        "person": "Ruth",
        "meeting": "2026-01-13",
        "text": "Presented the ACRL poster",
        "link": POSTER,
        "source": "typed",
    }
    # Struck through means done; the achievement is not shown struck.
    draft = record.achievements[3]
    assert draft.spans == (Span("Draft the assessment survey"),)


def test_newest_first_doc_reads_in_meeting_order() -> None:
    record = read_record(four_months(top=True), SERIES, NAMES)
    assert achieved(record) == FOUR_MONTHS_ACHIEVED
    assert lives(record) == FOUR_MONTHS_GOALS


def test_earlier_template_unticked_carried_goals_are_prompts() -> None:
    nov10, dec8, jan12 = dt.date(2025, 11, 10), dt.date(2025, 12, 8), dt.date(2026, 1, 12)
    doc = doc_of(
        (
            nov10,
            section(
                nov10,
                part(
                    "Ruth",
                    [box("")],
                    [
                        box("Pilot the survey"),
                        box("Write the LOEX proposal"),
                        box("✅ Book the room"),
                        box(""),
                    ],
                ),
            ),
        ),
        (
            dec8,
            # The earlier template: every goal of November under Achievements as an
            # unticked box, the done one with its check mark; Goals empty to type into.
            section(
                dec8,
                part(
                    "Ruth",
                    [
                        box("Pilot the survey"),  # untouched: still open, not achieved
                        box("✅ Write the LOEX proposal"),  # marked done here
                        box("✅ Book the room"),  # carried: done in November
                        box("Gave a talk at the state library association"),
                    ],
                    [box("Apply for sabbatical"), box("")],
                ),
            ),
        ),
        (
            jan12,
            section(
                jan12,
                part(
                    "Ruth",
                    [note("Planned on 8 December: 1 goal. Mark it ✅ under Goals when done.")],
                    [bullet("Apply for sabbatical (since 8 Dec)"), bullet("")],
                ),
            ),
        ),
    )
    record = read_record(doc, SERIES, NAMES)
    assert achieved(record) == [
        ("Ruth", nov10, "Book the room", None, "goal"),
        ("Ruth", dec8, "Write the LOEX proposal", None, "goal"),
        ("Ruth", dec8, "Gave a talk at the state library association", None, "typed"),
    ]
    assert lives(record) == [
        ("Ruth", "Pilot the survey", nov10, 1, "dropped", jan12),
        ("Ruth", "Write the LOEX proposal", nov10, 1, "done", dec8),
        ("Ruth", "Book the room", nov10, 0, "done", nov10),
        ("Ruth", "Apply for sabbatical", dec8, 1, "open", None),
    ]


def test_hand_typed_sections_and_edited_headings_count() -> None:
    """Sections typed before the tool existed (a dated heading, no marker), in their own
    words, and a marked section whose headings people renamed."""
    sep9, oct14 = dt.date(2025, 9, 9), dt.date(2025, 10, 14)
    builder = DocBuilder()
    builder.rows(
        [
            ("HEADING_1", "Check-in, September 9, 2025"),
            ("HEADING_2", "Ruth's update"),
            ("HEADING_3", "Wins"),
            bullet("Finished the LibGuide redesign"),
            ("HEADING_3", "🎯 Goals for next month"),
            bullet("Draft the IRB protocol"),
            bullet("Apply for sabbatical"),
            ("HEADING_3", "Notes"),
            bullet("Not an achievement: typed under another heading"),
            ("HEADING_1", "Check-in, October 14, 2025"),
            ("HEADING_2", "Ruth"),
            ("HEADING_3", "Progress on last month's goals"),
            bullet("✅ Draft the IRB protocol"),
            bullet("Apply for sabbatical"),  # reviewed, not done: still open
            ("HEADING_3", "Goals"),
            bullet("Apply for sabbatical"),
        ]
    )
    # The tool's first section: its meeting heading renamed (no date left), Ruth's
    # Achievements heading renamed too. The marker still says which meeting it is.
    start, end = builder.rows(
        section(
            dt.date(2025, 11, 11),
            [
                ("HEADING_2", "Ruth"),
                ("HEADING_3", "🎉 Accomplishments"),
                bullet("Keynote at the state library association"),
                bullet(""),
                ("HEADING_3", "Goals"),
                bullet("✔ Apply for sabbatical (since 9 Sep)"),
                bullet(""),
            ],
            heading="Peer mentoring — the one with the keynote",
        )
    )
    nov11 = dt.date(2025, 11, 11)
    builder.mark(marker_name(SERIES, nov11), start, end)
    record = read_record(builder.build(tabs=True), SERIES, NAMES)
    assert achieved(record) == [
        ("Ruth", sep9, "Finished the LibGuide redesign", None, "typed"),
        ("Ruth", oct14, "Draft the IRB protocol", None, "goal"),
        ("Ruth", nov11, "Keynote at the state library association", None, "typed"),
        ("Ruth", nov11, "Apply for sabbatical", None, "goal"),
    ]
    assert lives(record) == [
        ("Ruth", "Draft the IRB protocol", sep9, 1, "done", oct14),
        ("Ruth", "Apply for sabbatical", sep9, 2, "done", nov11),
    ]


def test_a_declined_invitation_counts_once_where_it_was_answered() -> None:
    doc = doc_of(
        (
            JAN13,
            section(
                JAN13,
                part(
                    "Heather",
                    [bullet("")],
                    [bullet("")],
                    [
                        bullet(
                            "no: Library board, weekly 30m for a semester — a yes costs "
                            "≈ 15 meetings \u00d7 (30m + 30m prep) = 15 h"
                        ),
                        bullet("yes: ALA review panel"),
                        bullet("Editorial board, monthly 1h"),
                    ],
                ),
            ),
        ),
        (
            FEB10,
            section(
                FEB10,
                part(
                    "Heather",
                    [
                        bullet(
                            "Said no to Library board, weekly 30m for a semester: 15 h kept "
                            "for writing"
                        ),
                        bullet(""),
                    ],
                    [bullet("")],
                    [bullet("no: Library board, weekly 30m for a semester"), bullet("")],
                ),
            ),
        ),
    )
    assert achieved(read_record(doc, SERIES, NAMES)) == [
        ("Heather", JAN13, "Said no to Library board, weekly 30m for a semester", None, "typed")
    ]


def test_a_goal_set_again_after_it_was_done_is_a_new_goal() -> None:
    doc = doc_of(
        (JAN13, section(JAN13, part("Ruth", [bullet("")], [bullet("✅ Write a blog post")]))),
        (
            FEB10,
            section(
                FEB10,
                part(
                    "Ruth",
                    [bullet("✅ Write a blog post"), bullet("")],
                    [bullet("Write a blog post")],
                ),
            ),
        ),
        (
            MAR10,
            section(
                MAR10, part("Ruth", [bullet("")], [bullet("✅ Write a blog post (since 10 Feb)")])
            ),
        ),
    )
    record = read_record(doc, SERIES, NAMES)
    assert achieved(record) == [
        ("Ruth", JAN13, "Write a blog post", None, "goal"),
        ("Ruth", MAR10, "Write a blog post", None, "goal"),
    ]
    assert lives(record) == [
        ("Ruth", "Write a blog post", JAN13, 0, "done", JAN13),
        ("Ruth", "Write a blog post", FEB10, 1, "done", MAR10),
    ]


def test_a_section_without_the_persons_goals_drops_nothing() -> None:
    doc = doc_of(
        (JAN13, section(JAN13, part("Ruth", [], [bullet("Pilot the survey")]))),
        # Ruth was away: her part has no Goals list at all.
        (FEB10, section(FEB10, [("HEADING_2", "Heather"), ("HEADING_3", "Goals"), bullet("")])),
        (MAR10, section(MAR10, part("Ruth", [], [bullet("✅ Pilot the survey (since 13 Jan)")]))),
    )
    assert lives(read_record(doc, SERIES, NAMES)) == [
        ("Ruth", "Pilot the survey", JAN13, 1, "done", MAR10)
    ]


def test_people_chips_and_nesting() -> None:
    doc = doc_of(
        (
            JAN13,
            section(
                JAN13,
                part(
                    "Ruth",
                    [
                        bullet([run("Co-taught with "), person("heather@example.org", "Heather")]),
                        bullet("two sessions, 40 students", 1),
                    ],
                ),
            ),
        )
    )
    record = read_record(doc, SERIES, NAMES)
    assert achieved(record) == [
        ("Ruth", JAN13, "Co-taught with Heather", None, "typed"),
        ("Ruth", JAN13, "two sessions, 40 students", None, "typed"),
    ]
    assert record.achievements[0].spans[1] == Span("Heather", person="heather@example.org")


# --- periods and people ------------------------------------------------------------------


def test_a_period_counts_what_was_recorded_in_it() -> None:
    record = read_record(four_months(), SERIES, NAMES)
    spring = report(record, ["Ruth"], dt.date(2026, 2, 1), dt.date(2026, 12, 31))
    # February's "✅ Submit ..." is January's goal: not counted in a period from February.
    assert achieved(spring) == FOUR_MONTHS_ACHIEVED[2:]
    assert [g.text for g in spring.goals] == [
        "Draft the assessment survey",
        "Read Demystifying the Library",
        "Renew ALA membership",
    ]
    assert (spring.first, spring.last) == (dt.date(2026, 2, 1), dt.date(2026, 12, 31))
    assert report(record, ["Heather"]).achievements == ()


def test_read_up_to_a_day_a_goal_done_later_is_still_open() -> None:
    record = read_record(four_months(), SERIES, NAMES, until=dt.date(2026, 1, 31))
    assert lives(record)[1] == ("Ruth", "Draft the assessment survey", JAN13, 0, "open", None)
    assert record.meetings == (JAN13,)


def test_goals_carried_three_meetings_and_still_open_are_apart() -> None:
    days = [JAN13, FEB10, MAR10, APR14]
    doc = doc_of(
        *(
            (
                day,
                section(
                    day,
                    part(
                        "Ruth",
                        [],
                        [bullet("Write the book proposal" + (" (since 13 Jan)" if n else ""))]
                        + ([bullet("Plan the retreat (since 10 Mar)")] if n == 3 else []),
                    ),
                ),
            )
            for n, day in enumerate(days)
        )
    )
    found = report(read_record(doc, SERIES, NAMES), ["Ruth"])
    assert [(g.text, g.carried, g.still_open) for g in found.goals] == [
        ("Write the book proposal", 3, True),
        ("Plan the retreat", 1, False),
    ]
    assert [g.text for g in found.still_open] == ["Write the book proposal"]
    assert [g.text for g in found.history] == ["Plan the retreat"]


def test_pick_person() -> None:
    assert pick_person(["Ruth", "Heather"], "ruth", SERIES) == "Ruth"
    assert pick_person(["Ruth Smith", "Heather"], "ruth", SERIES) == "Ruth Smith"
    with pytest.raises(ConfigError) as wrong:
        pick_person(["Ruth", "Heather"], "Ruht", SERIES)
    assert wrong.value.message == (
        "no participant named 'Ruht' in series ruth-heather (did you mean 'Ruth'?)"
    )
    with pytest.raises(ConfigError) as unknown:
        pick_person(["Ruth", "Heather"], "Zoe", SERIES)
    assert unknown.value.message == (
        "no participant named 'Zoe' in series ruth-heather (participants: Ruth, Heather)"
    )


def test_empty_messages() -> None:
    record = read_record(four_months(), SERIES, NAMES)
    empty = report(record, ["Heather"], *year_period(2026))
    assert empty.empty_message(SERIES) == (
        "no achievements recorded for Heather between 2026-01-01 and 2026-12-31"
    )
    later = report(record, NAMES, since=dt.date(2027, 1, 1))
    assert later.empty_message(SERIES) == "no achievements recorded since 2027-01-01"
    nothing = report(read_record(DocBuilder().build(), SERIES, NAMES), NAMES)
    assert nothing.empty_message(SERIES) == (
        "no achievements recorded: the running doc has no meeting section of series "
        "ruth-heather yet"
    )


# --- the forms ---------------------------------------------------------------------------


def ruths_spring() -> Any:
    return report(read_record(four_months(), SERIES, NAMES), ["Ruth"], *year_period(2026))


def test_text_by_month() -> None:
    assert as_text(ruths_spring(), "Check-in", with_goals=True) == "\n".join(
        [
            "Ruth — achievements 2026",
            "6 achievements at 3 meetings (3 typed, 3 goals done)",
            "",
            "January 2026",
            f"  13 Jan  Presented the ACRL poster <{POSTER}>",
            "  13 Jan  ✅ Submit the IRDL application",
            "",
            "February 2026",
            "  10 Feb  Won the travel grant",
            "  10 Feb  ✅ Draft the assessment survey",
            "  10 Feb  ✅ Renew ALA membership",
            "",
            "April 2026",
            "  14 Apr  Chaired the search committee",
            "",
            "Goal history",
            "  Submit the IRDL application — set 13 Jan 2026, carried 0 meetings, done 13 Jan 2026",
            "  Draft the assessment survey — set 13 Jan 2026, carried 1 meeting, done 10 Feb 2026",
            "  Read Demystifying the Library — set 13 Jan 2026, carried 2 meetings, dropped 14 Apr 2026",
            "  Renew ALA membership — set 10 Feb 2026, carried 0 meetings, done 10 Feb 2026",
        ]
    )


def test_text_for_several_people_names_each() -> None:
    record = Record(
        (
            Achievement("Ruth", JAN13, (Span("Presented"),), "typed"),
            Achievement("Heather", JAN13, (Span("Won the grant"),), "goal"),
        ),
        (),
        (JAN13,),
    )
    text = as_text(report(record, NAMES), "Check-in")
    assert text.splitlines()[-2:] == [
        "  13 Jan  Ruth     Presented",
        "  13 Jan  Heather  ✅ Won the grant",
    ]
    assert text.splitlines()[0] == "Check-in — achievements 2026-01-13 to 2026-01-13"


def test_markdown_headings_by_month_and_links() -> None:
    assert as_markdown(ruths_spring(), "Check-in", with_goals=True) == "\n".join(
        [
            "# Ruth — achievements 2026",
            "",
            "## January 2026",
            "",
            f"- Presented the [ACRL poster](<{POSTER}>)",
            "- ✅ Submit the IRDL application",
            "",
            "## February 2026",
            "",
            "- Won the travel grant",
            "- ✅ Draft the assessment survey",
            "- ✅ Renew ALA membership",
            "",
            "## April 2026",
            "",
            "- Chaired the search committee",
            "",
            "## Goal history",
            "",
            "| Goal | Set | Carried | Outcome |",
            "| --- | --- | --- | --- |",
            "| Submit the IRDL application | 13 Jan 2026 | 0 meetings | done 13 Jan 2026 |",
            "| Draft the assessment survey | 13 Jan 2026 | 1 meeting | done 10 Feb 2026 |",
            "| Read Demystifying the Library | 13 Jan 2026 | 2 meetings | dropped 14 Apr 2026 |",
            "| Renew ALA membership | 10 Feb 2026 | 0 meetings | done 10 Feb 2026 |",
        ]
    )


def test_markdown_escapes_what_people_typed() -> None:
    record = Record(
        (Achievement("Ruth", JAN13, (Span("*Library* | [board] #1"),), "typed"),), (), (JAN13,)
    )
    lines = as_markdown(report(record, ["Ruth"]), "Check-in").splitlines()
    assert lines[-1] == r"- \*Library\* \| \[board\] \#1"


def test_csv_and_json() -> None:
    found = ruths_spring()
    assert as_csv(found).splitlines() == [
        "person,meeting,text,link,source",
        f"Ruth,2026-01-13,Presented the ACRL poster,{POSTER},typed",
        "Ruth,2026-01-13,Submit the IRDL application,,goal",
        "Ruth,2026-02-10,Won the travel grant,,typed",
        "Ruth,2026-02-10,Draft the assessment survey,,goal",
        "Ruth,2026-02-10,Renew ALA membership,,goal",
        "Ruth,2026-04-14,Chaired the search committee,,typed",
    ]
    listed = as_json(found)
    assert isinstance(listed, list) and len(listed) == 6
    assert listed[1] == {
        "person": "Ruth",
        "meeting": "2026-01-13",
        "text": "Submit the IRDL application",
        "link": None,
        "source": "goal",
    }
    with_goals = as_json(found, with_goals=True)
    assert isinstance(with_goals, dict) and with_goals["achievements"] == listed
    assert with_goals["goals"][2] == {
        "person": "Ruth",
        "text": "Read Demystifying the Library",
        "link": None,
        "set": "2026-01-13",
        "carried": 2,
        "outcome": "dropped",
        "closed": "2026-04-14",
        "still_open": False,
    }
    json.dumps(with_goals)


def test_goal_summary_for_an_open_goal() -> None:
    goal = GoalRecord("Ruth", (Span("Write the book"),), JAN13, 4, "open", None)
    assert goal_summary(goal) == "set 13 Jan 2026, carried 4 meetings, still open"


def test_doc_blocks() -> None:
    found = ruths_spring()
    heading = title(found, "Check-in")
    blocks = doc_blocks(found, heading, "https://docs.google.com/document/d/RUN/edit")
    shape = [(b.kind, b.level, b.text) for b in blocks]
    assert shape[:4] == [
        (BlockKind.HEADING, 1, "Ruth — achievements 2026"),
        (
            BlockKind.PARAGRAPH,
            0,
            "Recorded at the check-ins, in the running agenda doc: 6 achievements at 3 "
            "meetings (3 typed, 3 goals done).",
        ),
        (BlockKind.HEADING, 2, "January 2026"),
        (BlockKind.BULLET, 0, "Presented the ACRL poster"),
    ]
    assert blocks[1].spans[1].link == "https://docs.google.com/document/d/RUN/edit"
    assert blocks[3].spans[1] == Span("ACRL poster", link=POSTER)
    assert (BlockKind.BULLET, 0, "✅ Renew ALA membership") in shape
    assert shape[-5:] == [
        (BlockKind.HEADING, 2, "Goal history"),
        (
            BlockKind.BULLET,
            0,
            "Submit the IRDL application — set 13 Jan 2026, carried 0 meetings, done 13 Jan 2026",
        ),
        (
            BlockKind.BULLET,
            0,
            "Draft the assessment survey — set 13 Jan 2026, carried 1 meeting, done 10 Feb 2026",
        ),
        (
            BlockKind.BULLET,
            0,
            "Read Demystifying the Library — set 13 Jan 2026, carried 2 meetings, dropped 14 Apr "
            "2026",
        ),
        (
            BlockKind.BULLET,
            0,
            "Renew ALA membership — set 10 Feb 2026, carried 0 meetings, done 10 Feb 2026",
        ),
    ]


# --- at scale, and the fast reader --------------------------------------------------------


def test_ten_years_of_sections() -> None:
    record = read_record(decade.build(120), SERIES, NAMES)
    assert achieved(record) == decade.expected_achievements(120)
    assert lives(record) == decade.expected_goals(120)


_PIECES = st.sampled_from(
    [
        "Draft the survey",
        "✅ ",
        "✔️",
        " ✓",
        "[x] ",
        "[ ] ",
        "done: ",
        " (done)",
        " - done.",
        " (since 8 Dec)",
        " (since 2025-12-09)",
        " (since chapter 3)",
        " (since 31 Feb)",
        "(",
        ")",
        "  ",
        "\u000b",
        "Done",
        "a",
        "",
    ]
)
_SPANS = st.lists(
    st.builds(
        Span,
        st.lists(_PIECES, max_size=4).map("".join),
        st.booleans(),
        st.booleans(),
        st.booleans(),
        st.sampled_from([None, POSTER]),
    ),
    max_size=3,
)


@settings(max_examples=400, deadline=None)
@given(
    spans=_SPANS,
    kind=st.sampled_from(list(BlockKind)),
    level=st.integers(0, 2),
    day=st.dates(dt.date(2024, 1, 1), dt.date(2028, 12, 31)),
)
def test_the_fast_reader_reads_as_the_carry_does(
    spans: list[Span], kind: BlockKind, level: int, day: dt.date
) -> None:
    block = Block(kind, tuple(spans), level)
    goal = _goal(block, day)
    expected = None if goal is None else (goal.text, goal.done, goal.since, goal.rich)
    reader = _Reader()
    for _ in range(2):  # the second time from what it kept of the first
        read = reader.item(block, day)
        if read is not None:
            text, done, label, typed = read
            read = (text, done, _set_on(label, day), _rich(text, typed))
        assert read == expected


_HEADING_TEXTS = st.sampled_from(
    [
        "Ruth",
        "Heather",
        "Ruth's goals",
        "Notes from Heather",
        "Achievements",
        "🎯 Goals for next month",
        "Wins",
        "Notes",
        "Upcoming Conferences",
        "Invitations to weigh",
        "Check-in 2026-01-13",
        "",
    ]
)
_OUTLINE_ROWS = st.lists(
    st.one_of(
        st.tuples(
            st.sampled_from(["HEADING_1", "HEADING_2", "HEADING_3", "HEADING_4", "TITLE"]),
            _HEADING_TEXTS,
        ),
        st.tuples(
            st.just("NORMAL_TEXT"),
            st.sampled_from(["Pilot the survey", "✅ Done it", ""]),
            st.sampled_from(["bullet", "checklist"]),
        ),
        st.tuples(st.just("NORMAL_TEXT"), st.sampled_from(["A note", ""])),
    ),
    max_size=24,
)


@settings(max_examples=300, deadline=None)
@given(rows=_OUTLINE_ROWS)
def test_the_outline_walk_reads_as_the_carry_does(rows: list[Row]) -> None:
    builder = DocBuilder()
    start, end = builder.rows(rows)
    if end == start:
        return
    builder.mark(marker_name(SERIES, JAN13), start, end)
    (found,) = find_sections(select_tab(builder.build()), SERIES)
    reader = _Reader()
    for _ in range(2):  # the second time with the headings it has read
        walked = list(reader.outline(found, NAMES))
        assert walked == [(i.participant, i.topic, i.block) for i in _items(found, NAMES)]
