"""The agenda model: a goal lives until it is done or dropped, done goals become achievements,
formatting survives the carry, conferences are judged against the meeting day, invitations
are weighed. Read from hand-built docs (tests/support/docbuilder.py), rendered with the
default template, and read back again."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from dataclasses import replace
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from support.docbuilder import DocBuilder, run

from gworkflow.agenda.blocks import (
    Block,
    BlockKind,
    CarriedConference,
    CarriedGoal,
    CarriedInvitation,
    ParticipantCarry,
    Span,
    marker_name,
)
from gworkflow.agenda.carry import carry_forward, read_since, since_label
from gworkflow.agenda.context import build_context, progress_line
from gworkflow.agenda.docjson import select_tab
from gworkflow.agenda.markdown import markdown_to_blocks, spans_to_markdown
from gworkflow.agenda.render import render_section
from gworkflow.agenda.template import HOW_IT_WORKS_TEMPLATE, render_builtin
from gworkflow.config import Conference, Participant, Series
from gworkflow.meeting import Meeting
from gworkflow.schedule import parse_schedule

SERIES = "ruth-heather"
NAMES = ["Ruth", "Heather"]
CHICAGO = zoneinfo.ZoneInfo("America/Chicago")
DEC8, JAN12, FEB9, MAR9 = (
    dt.date(2026, 12, 8),
    dt.date(2027, 1, 12),
    dt.date(2027, 2, 9),
    dt.date(2027, 3, 9),
)
LINK = "https://example.org/demystifying"


def series(topics: tuple[str, ...] = ()) -> Series:
    return Series(
        id=SERIES,
        title="Peer mentoring check-in",
        timezone=CHICAGO,
        schedule=parse_schedule("2nd Tuesday 14:00"),
        duration=dt.timedelta(hours=1),
        participants=(
            Participant("Ruth", "ruth@example.edu", zoneinfo.ZoneInfo("America/New_York")),
            Participant("Heather", "heather@example.org", CHICAGO),
        ),
        conference=Conference(),
        topics=topics,
    )


def meeting(day: dt.date) -> Meeting:
    start = dt.datetime.combine(day, dt.time(14), CHICAGO)
    return Meeting(start, start + dt.timedelta(hours=1))


def item(*elements: Any, kind: str = "bullet", level: int = 0) -> tuple[Any, ...]:
    parts = [run(e) if isinstance(e, str) else e for e in elements]
    return ("NORMAL_TEXT", parts, kind, level)


def section(day: dt.date, people: dict[str, dict[str, list[tuple[Any, ...]]]]) -> list[Any]:
    rows: list[Any] = [("HEADING_1", f"Peer mentoring check-in ({day.isoformat()})")]
    for name, parts in people.items():
        rows.append(("HEADING_2", name))
        for topic, heading in (
            ("achievements", "Achievements"),
            ("goals", "Goals"),
            ("conferences", "Upcoming Conferences"),
            ("invitations", "Invitations to weigh"),
        ):
            if topic in parts:
                rows.append(("HEADING_3", heading))
                rows.extend(parts[topic])
    return rows


def doc_of(*sections: tuple[dt.date, list[Any]]) -> dict[str, Any]:
    builder = DocBuilder()
    for day, rows in sections:
        start, end = builder.rows(rows)
        builder.mark(marker_name(SERIES, day), start, end)
    return builder.build(tabs=True)


def carry(doc: dict[str, Any], before: dt.date, keep_from: dt.date | None = None):  # type: ignore[no-untyped-def]
    return carry_forward(select_tab(doc), SERIES, NAMES, before, keep_from or before)


# --- reading: what a section carries --------------------------------------------------------


def test_a_carried_goal_keeps_the_day_it_was_set_and_counts_the_sections() -> None:
    doc = doc_of(
        (DEC8, section(DEC8, {"Ruth": {"goals": [item("Draft the survey")]}})),
        (JAN12, section(JAN12, {"Ruth": {"goals": [item("Draft the survey (since 8 Dec)")]}})),
        (
            FEB9,
            section(
                FEB9,
                {"Ruth": {"goals": [item("Draft the survey (since 8 Dec)"), item("New one")]}},
            ),
        ),
    )
    latest, (ruth, _) = carry(doc, MAR9)
    assert latest == FEB9
    assert ruth.goals == (
        CarriedGoal("Draft the survey", since=DEC8, carried=2),
        CarriedGoal("New one", since=FEB9, carried=0),
    )


@pytest.mark.parametrize(
    ("typed", "text", "done", "since"),
    [
        ("Draft the survey (since 8 Dec)", "Draft the survey", False, DEC8),
        ("Draft the survey (Since 8 December)", "Draft the survey", False, DEC8),
        ("Draft the survey (since 8 Dec 2025)", "Draft the survey", False, dt.date(2025, 12, 8)),
        ("Draft the survey (since 2026-11-10)", "Draft the survey", False, dt.date(2026, 11, 10)),
        ("✅ Draft the survey (since 8 Dec)", "Draft the survey", True, DEC8),
        ("Draft the survey (since 8 Dec) ✔", "Draft the survey", True, DEC8),
        ("[x] Draft the survey (since 8 Dec)", "Draft the survey", True, DEC8),
        ("done: Draft the survey (since 8 Dec)", "Draft the survey", True, DEC8),
        ("Draft the survey (since 8 Dec) - done", "Draft the survey", True, DEC8),
        # Not an annotation gworkflow can read: the text stays, the goal is from this section.
        ("Draft the survey (since forever)", "Draft the survey (since forever)", False, JAN12),
        # A date after the section's meeting cannot be when the goal was set.
        ("Draft the survey (since 2027-05-01)", "Draft the survey", False, JAN12),
    ],
)
def test_since_annotation_and_done_marks_in_either_order(
    typed: str, text: str, done: bool, since: dt.date
) -> None:
    doc = doc_of((JAN12, section(JAN12, {"Ruth": {"goals": [item(typed)]}})))
    _, (ruth, _) = carry(doc, FEB9)
    (goal,) = ruth.goals
    assert (goal.text, goal.done, goal.since) == (text, done, since)


def test_links_and_bold_survive_and_done_marks_leave_the_formatting_alone() -> None:
    doc = doc_of(
        (
            JAN12,
            section(
                JAN12,
                {
                    "Ruth": {
                        "goals": [
                            item("✅ Submit the ", run("IRDL", bold=True), " application"),
                            item(
                                "Read ",
                                run("Demystifying the Library", link=LINK),
                                " (since 8 Dec)",
                            ),
                            # Struck through except the annotation: done, shown without strike.
                            item(
                                run("Finish the ", strike=True),
                                run("poster", strike=True, italic=True),
                                " (since 8 Dec)",
                            ),
                        ]
                    }
                },
            ),
        )
    )
    _, (ruth, _) = carry(doc, FEB9)
    submit, read, poster = ruth.goals
    assert submit.done and submit.rich == (
        Span("Submit the "),
        Span("IRDL", bold=True),
        Span(" application"),
    )
    assert not read.done and read.since == DEC8
    assert read.rich == (Span("Read "), Span("Demystifying the Library", link=LINK))
    assert poster.done and poster.rich == (Span("Finish the "), Span("poster", italic=True))


def test_achievements_listed_are_read_without_the_progress_line() -> None:
    doc = doc_of(
        (
            JAN12,
            section(
                JAN12,
                {
                    "Ruth": {
                        "achievements": [
                            ("NORMAL_TEXT", [run("Planned on 8 December: 2 goals.", italic=True)]),
                            item("✅ Submit the IRDL application"),
                            item("Got the grant!"),
                            item(""),
                        ]
                    }
                },
            ),
        )
    )
    _, (ruth, _) = carry(doc, FEB9)
    assert ruth.achievements == ("Submit the IRDL application", "Got the grant!")
    assert ruth.goals == ()


def test_invitations_stay_until_yes_or_no_and_the_cost_note_is_not_part_of_them() -> None:
    doc = doc_of(
        (
            JAN12,
            section(
                JAN12,
                {
                    "Ruth": {
                        "invitations": [
                            item(
                                "ALA panel, monthly 1h for 6 months — a yes costs "
                                "≈ 6 meetings \u00d7 (1 h + 1 h prep) = 12 h"
                            ),
                            item("No: Library board, weekly 30m for a semester"),
                            item("yes: Review one article"),
                            item(""),
                        ]
                    }
                },
            ),
        )
    )
    _, (ruth, _) = carry(doc, FEB9)
    assert ruth.invitations == (
        CarriedInvitation("ALA panel, monthly 1h for 6 months"),
        CarriedInvitation("Library board, weekly 30m for a semester", "no"),
        CarriedInvitation("Review one article", "yes"),
    )


def test_conferences_are_judged_against_the_meeting_day_not_the_write_day() -> None:
    conferences = [
        item("Code4Lib 2027, 2027-03-05"),  # after the write day (2 March), before the meeting
        item("Spring workshop, 2027-03-09"),  # on the meeting day
        item("ACRL 2027, ", run("Minneapolis", bold=True), ", 2027-04-07"),
    ]
    doc = doc_of((FEB9, section(FEB9, {"Ruth": {"conferences": conferences}})))
    _, (ruth, _) = carry(doc, MAR9, keep_from=MAR9)
    assert [c.text for c in ruth.conferences] == [
        "Spring workshop, 2027-03-09",
        "ACRL 2027, Minneapolis, 2027-04-07",
    ]
    assert ruth.conferences[1].rich == (
        Span("ACRL 2027, "),
        Span("Minneapolis", bold=True),
        Span(", 2027-04-07"),
    )


def test_a_section_written_by_the_previous_default_template_carries_correctly() -> None:
    # The shape in the old demo: goals as checkboxes under Goals, last month's goals as
    # unlabelled checkboxes under Achievements.
    def check(text: str) -> tuple[Any, ...]:
        return item(text, kind="checklist")

    old = section(
        JAN12,
        {
            "Ruth": {
                "achievements": [
                    check("✅ Submit the IRDL application"),
                    check("Draft the survey"),
                ],
                "goals": [
                    check("✅ Pilot the survey with two departments"),
                    check("Read 'Demystifying'"),
                ],
                "conferences": [item("ACRL 2027, Minneapolis, 2027-04-07")],
            },
            "Heather": {
                "achievements": [check("Finish the OER grant report")],
                "goals": [check("Recruit two co-presenters"), check("")],
                "conferences": [item("ALA Annual 2027, 2027-06-24")],
            },
        },
    )
    doc = doc_of((JAN12, old))
    latest, carries = carry(doc, FEB9)
    blocks = render_section(series(), build_context(series(), meeting(FEB9), carries, latest, NOW))
    ruth, heather = _parts(blocks)
    assert ruth == {
        "Achievements": [
            "Planned on 12 January: 2 goals, 1 done. Mark the rest ✅ under Goals when done.",
            "✅ Pilot the survey with two departments",
            "",
        ],
        "Goals": ["Read 'Demystifying' (since 12 Jan)", ""],
        "Upcoming Conferences": ["ACRL 2027, Minneapolis, 2027-04-07"],
    }
    assert heather["Goals"] == ["Recruit two co-presenters (since 12 Jan)", ""]
    # The old Achievements prompts are that section's record, not goals to offer again.
    assert "Draft the survey" not in str(ruth) and "Finish the OER" not in str(heather)


def test_a_hand_written_section_carries_correctly() -> None:
    builder = DocBuilder()
    builder.rows(
        [
            ("HEADING_1", "Check-in January 12, 2027"),
            ("HEADING_2", "Ruth Smith"),
            ("HEADING_2", "My goals"),
            ("NORMAL_TEXT", "Typed without a bullet"),
            ("NORMAL_TEXT", [run("Finished this one", strike=True)]),
            ("HEADING_2", "Heather"),
            ("HEADING_3", "🎯 Goals for next month"),
            item("Done - book the room", kind="numbered"),
            item("Plan the ", run("spring", italic=True), " series", kind="numbered"),
        ]
    )
    latest, (ruth, heather) = carry_forward(
        select_tab(builder.build()), SERIES, ["Ruth Smith", "Heather"], FEB9, FEB9
    )
    assert latest == JAN12
    assert [(g.text, g.done, g.since) for g in ruth.goals] == [
        ("Typed without a bullet", False, JAN12),
        ("Finished this one", True, JAN12),
    ]
    assert [(g.text, g.done) for g in heather.goals] == [
        ("book the room", True),
        ("Plan the spring series", False),
    ]
    assert heather.goals[1].rich[1] == Span("spring", italic=True)


# --- writing: the section the next meeting gets ---------------------------------------------

NOW = dt.datetime(2027, 1, 5, 7, tzinfo=CHICAGO)


def _parts(blocks: tuple[Block, ...]) -> list[dict[str, list[str]]]:
    """Per person (H2): their topic headings (H3) -> the texts under each."""
    people: list[dict[str, list[str]]] = []
    topic = ""
    for block in blocks:
        if block.kind is BlockKind.HEADING and block.level == 2:
            people.append({})
        elif block.kind is BlockKind.HEADING and block.level == 3:
            topic = block.text
            people[-1][topic] = []
        elif people and topic:
            people[-1][topic].append(block.text)
    return people


def render(carries: list[ParticipantCarry], topics: tuple[str, ...] = ()) -> tuple[Block, ...]:
    s = series(topics)
    return render_section(s, build_context(s, meeting(JAN12), carries, DEC8, NOW))


RUTH = ParticipantCarry(
    "Ruth",
    goals=(
        CarriedGoal(
            "Submit the IRDL application",
            done=True,
            spans=(Span("Submit the "), Span("IRDL", bold=True), Span(" application")),
            since=DEC8,
        ),
        CarriedGoal("Draft the survey", since=dt.date(2026, 11, 10), carried=1),
        CarriedGoal(
            "Read Demystifying the Library",
            spans=(Span("Read "), Span("Demystifying the Library", link=LINK)),
            since=DEC8,
        ),
    ),
    conferences=(
        CarriedConference(
            "ACRL 2027, Minneapolis, 2027-04-07",
            dt.date(2027, 4, 7),
            (Span("ACRL 2027, "), Span("Minneapolis", italic=True), Span(", 2027-04-07")),
        ),
    ),
    invitations=(
        CarriedInvitation("ALA panel, monthly 1h for 6 months"),
        CarriedInvitation("Library board, weekly 30m for a semester", "no"),
        CarriedInvitation("Review one article", "yes"),
        CarriedInvitation("Chair the *awards* #committee"),
    ),
)


def test_done_goals_are_achievements_open_goals_come_back_with_their_date() -> None:
    blocks = render([RUTH])
    ruth, heather = _parts(blocks)
    assert ruth == {
        "Achievements": [
            "Planned on 8 December: 3 goals, 1 done. Mark the rest ✅ under Goals when done.",
            "✅ Submit the IRDL application",
            "",
        ],
        "Goals": [
            "Draft the survey (since 10 Nov)",
            "Read Demystifying the Library (since 8 Dec)",
            "",
        ],
        "Upcoming Conferences": ["ACRL 2027, Minneapolis, 2027-04-07"],
    }
    assert heather == {"Achievements": [""], "Goals": [""], "Upcoming Conferences": [""]}
    by_text = {b.text: b for b in blocks}
    assert by_text["✅ Submit the IRDL application"].spans == (
        Span("✅ Submit the "),
        Span("IRDL", bold=True),
        Span(" application"),
    )
    assert by_text["Read Demystifying the Library (since 8 Dec)"].spans == (
        Span("Read "),
        Span("Demystifying the Library", link=LINK),
        Span(" (since 8 Dec)"),
    )
    assert by_text["ACRL 2027, Minneapolis, 2027-04-07"].spans[1] == Span(
        "Minneapolis", italic=True
    )
    # Goals and Achievements are plain bullets: nothing to tick that the tool cannot see.
    assert {b.kind for b in blocks if b.kind is not BlockKind.HEADING} <= {
        BlockKind.BULLET,
        BlockKind.PARAGRAPH,
    }


def test_invitations_topic_off_by_default_and_weighed_when_on() -> None:
    off = _parts(render([RUTH]))[0]
    assert "Invitations to weigh" not in off
    assert not any("Said no" in text for text in off["Achievements"])
    ruth = _parts(render([RUTH], ("invitations",)))[0]
    assert ruth["Invitations to weigh"] == [
        "Type yes: or no: in front of one once you decide.",
        "ALA panel, monthly 1h for 6 months — a yes costs ≈ 6 meetings \u00d7 (1 h + 1 h prep) = 12 h",
        "Chair the *awards* #committee",  # no cadence: no cost; typed text stays literal
        "",
    ]
    assert ruth["Achievements"][2:] == [
        "Said no to Library board, weekly 30m for a semester: 15 h kept for writing",
        "",
    ]
    # Nothing typed yet: no hint, just the item to type into.
    heather = _parts(render([RUTH], ("invitations",)))[1]
    assert heather["Invitations to weigh"] == [""]


def test_what_the_template_writes_reads_back_the_same() -> None:
    # Write January from December's carry, read January back: the open goals come back
    # with their dates and formatting; the done goal is not offered again.
    blocks = render([RUTH], ("invitations",))
    builder = DocBuilder()
    rows = []
    for block in blocks:
        style = f"HEADING_{block.level}" if block.kind is BlockKind.HEADING else "NORMAL_TEXT"
        runs = [
            run(s.text, bold=s.bold, italic=s.italic, strike=s.strike, link=s.link)
            for s in block.spans
        ]
        kind = None if block.kind in (BlockKind.HEADING, BlockKind.PARAGRAPH) else "bullet"
        rows.append((style, runs, kind, block.level if kind else 0))
    start, end = builder.rows(rows)
    builder.mark(marker_name(SERIES, JAN12), start, end)
    latest, (ruth, _) = carry_forward(select_tab(builder.build()), SERIES, NAMES, FEB9, FEB9)
    assert latest == JAN12
    # Both were carried into January: once each, whatever their age.
    assert ruth.goals == (
        replace(RUTH.goals[1], carried=1),
        replace(RUTH.goals[2], carried=1),
    )
    assert ruth.conferences == RUTH.conferences
    assert ruth.invitations == (RUTH.invitations[0], RUTH.invitations[3])
    assert ruth.achievements == (
        "Submit the IRDL application",
        "Said no to Library board, weekly 30m for a semester: 15 h kept for writing",
    )


@pytest.mark.parametrize(
    ("done", "planned", "line"),
    [
        (0, 1, "Planned on 8 December: 1 goal. Mark it ✅ under Goals when done."),
        (0, 3, "Planned on 8 December: 3 goals. Mark each ✅ under Goals when done."),
        (1, 3, "Planned on 8 December: 3 goals, 1 done. Mark the rest ✅ under Goals when done."),
        (1, 1, "Planned on 8 December: 1 goal, done."),
        (2, 2, "Planned on 8 December: 2 goals, all done."),
    ],
)
def test_progress_line(done: int, planned: int, line: str) -> None:
    goals = [CarriedGoal(f"g{i}", done=i < done) for i in range(planned)]
    assert progress_line(goals, DEC8) == line
    assert progress_line([], DEC8) == "" and progress_line(goals, None) == ""


# --- since labels ---------------------------------------------------------------------------


def test_since_label_adds_the_year_only_when_it_would_be_ambiguous() -> None:
    assert since_label(DEC8, JAN12) == "8 Dec"
    assert since_label(DEC8, dt.date(2027, 12, 7)) == "8 Dec"
    assert since_label(DEC8, dt.date(2027, 12, 14)) == "8 Dec 2026"
    assert since_label(dt.date(2024, 2, 29), dt.date(2025, 3, 1)) == "29 Feb"


@settings(max_examples=200, deadline=None)
@given(st.dates(dt.date(2000, 1, 1), dt.date(2040, 12, 31)), st.integers(0, 3000))
def test_since_label_reads_back_as_the_same_day(since: dt.date, days_later: int) -> None:
    meeting_day = since + dt.timedelta(days=days_later)
    assert read_since(since_label(since, meeting_day), meeting_day) == since


# --- formatting back to Markdown ------------------------------------------------------------


@pytest.mark.parametrize(
    "spans",
    [
        (Span("Submit the "), Span("IRDL", bold=True), Span(" application")),
        (Span("Read "), Span("*Demystifying* [the] Library", link=LINK), Span(" soon #1")),
        (Span("all bold and italic", bold=True, italic=True),),
        (Span("Ask "), Span("Heather", person="heather@example.org"), Span(" first")),
        (Span("gone", strike=True), Span(" but "), Span("bold link", bold=True, link=LINK)),
        (Span("1. not a list, "), Span("a_b_c", italic=True)),
    ],
)
def test_spans_come_back_as_typed(spans: tuple[Span, ...]) -> None:
    (block,) = markdown_to_blocks(f"- {spans_to_markdown(spans)}\n")
    assert block.spans == spans


def test_links_come_back_percent_encoded_where_a_url_may_not_hold_a_character() -> None:
    spans = (Span("odd "), Span("link", link="https://x.org/a>b\\c d"))
    (block,) = markdown_to_blocks(f"- {spans_to_markdown(spans)}\n")
    assert block.spans == (Span("odd "), Span("link", link="https://x.org/a%3Eb%5Cc%20d"))
    # A link Docs should never get is dropped; its text stays.
    (block,) = markdown_to_blocks(
        f"- {spans_to_markdown([Span('x', link='javascript:alert(1)')])}\n"
    )
    assert block.spans == (Span("x"),)


_SPAN = st.builds(
    Span,
    st.text(alphabet="ab *_[]()<>#~`\\!&|-1.", min_size=1, max_size=6),
    bold=st.booleans(),
    italic=st.booleans(),
    strike=st.booleans(),
    link=st.none() | st.sampled_from([LINK, "https://x.org/(a)"]),
)


@settings(max_examples=300, deadline=None)
@given(st.lists(_SPAN, min_size=1, max_size=5))
def test_carried_text_always_survives_and_links_too(spans: list[Span]) -> None:
    # A carried item is one line without white space at its ends (carry.py cleans it).
    while spans and not spans[0].text.lstrip():
        spans.pop(0)
    while spans and not spans[-1].text.rstrip():
        spans.pop()
    if spans:
        spans[0] = replace(spans[0], text=spans[0].text.lstrip())
        spans[-1] = replace(spans[-1], text=spans[-1].text.rstrip())
    text = "".join(s.text for s in spans)
    if not text:
        return
    (block,) = markdown_to_blocks(f"- {spans_to_markdown(spans)}\n")
    assert block.text == text
    linked = {s.link for s in spans if s.link}
    assert {s.link for s in block.spans if s.link} == linked


# --- how this doc works ---------------------------------------------------------------------


def test_how_this_doc_works_is_short_and_says_how_to_mark_a_goal_done() -> None:
    blocks = markdown_to_blocks(render_builtin(HOW_IT_WORKS_TEMPLATE, {}))
    text = " ".join(b.text for b in blocks)
    assert blocks[0] == Block(BlockKind.HEADING, (Span("How this doc works"),), 2)
    assert len(blocks) <= 4
    assert "✅" in text and "strike it through" in text and "ticked box cannot be seen" in text
    assert "Invitations" not in text
    with_topic = render_builtin(HOW_IT_WORKS_TEMPLATE, {"series": {"topics": ["invitations"]}})
    assert "yes: or no:" in with_topic
