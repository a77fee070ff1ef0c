"""Template -> Markdown -> blocks: the agenda a user sees in the doc, and template errors."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from dataclasses import replace
from pathlib import Path

import pytest

from gworkflow.agenda.blocks import (
    Block,
    BlockKind,
    CarriedConference,
    CarriedGoal,
    ParticipantCarry,
    Span,
)
from gworkflow.agenda.context import build_context
from gworkflow.agenda.markdown import markdown_to_blocks
from gworkflow.agenda.render import render_section
from gworkflow.agenda.template import md_escape, render_markdown
from gworkflow.config import Conference, Participant, Series
from gworkflow.errors import TemplateError
from gworkflow.meeting import Meeting
from gworkflow.schedule import parse_schedule

CHICAGO = zoneinfo.ZoneInfo("America/Chicago")
NEW_YORK = zoneinfo.ZoneInfo("America/New_York")
H, P, B, N, C = (
    BlockKind.HEADING,
    BlockKind.PARAGRAPH,
    BlockKind.BULLET,
    BlockKind.NUMBERED,
    BlockKind.CHECKLIST,
)


def make_series(**changes: object) -> Series:
    series = Series(
        id="ruth-heather",
        title="Peer mentoring check-in",
        timezone=CHICAGO,
        schedule=parse_schedule("2nd Tuesday 14:00"),
        duration=dt.timedelta(hours=1),
        participants=(
            Participant("Ruth", "ruth@example.edu", NEW_YORK),
            Participant("Heather", "heather@example.org", CHICAGO),
        ),
        conference=Conference("zoom", "https://zoom.us/j/85512345678?pwd=abc", "855 1234 5678"),
    )
    return replace(series, **changes)  # type: ignore[arg-type]


MEETING = Meeting(
    dt.datetime(2026, 12, 8, 14, tzinfo=CHICAGO), dt.datetime(2026, 12, 8, 15, tzinfo=CHICAGO)
)
NOW = dt.datetime(2026, 12, 1, 9, tzinfo=dt.UTC)
NOV10 = dt.date(2026, 11, 10)
CARRIES = [
    ParticipantCarry(
        "Ruth",
        goals=(
            CarriedGoal("Submit the IRDL application", since=dt.date(2026, 10, 13), carried=1),
            CarriedGoal("Ask two references", level=1, done=True, since=NOV10),
            CarriedGoal("Read *Atomic Habits* #2", since=NOV10),
        ),
        conferences=(CarriedConference("ACRL 2027, Minneapolis", dt.date(2027, 4, 7)),),
    )
]


def shape(blocks: tuple[Block, ...]) -> list[tuple[BlockKind, int, str]]:
    return [(b.kind, b.level, b.text) for b in blocks]


def render_default(
    series: Series | None = None, carries: list[ParticipantCarry] = CARRIES
) -> tuple[Block, ...]:
    series = series or make_series()
    context = build_context(series, MEETING, carries, dt.date(2026, 11, 10), NOW)
    return render_section(series, context)


def test_default_template_two_participants_with_carried_goals() -> None:
    blocks = render_default()
    assert shape(blocks) == [
        (H, 1, "Peer mentoring check-in — Tuesday 8 December 2026 (2026-12-08)"),
        (P, 0, "Tuesday 8 December, 14:00 Chicago · 15:00 New York"),
        (P, 0, "Join the Zoom meeting · Meeting ID 855 1234 5678"),
        (P, 0, "Previous meeting: Tuesday 10 November 2026"),
        (H, 2, "Ruth"),
        (H, 3, "Achievements"),
        # One line saying what was planned and how to record progress.
        (
            P,
            0,
            "Planned on 10 November: 3 goals, 1 done. Mark the rest ✅ under Goals when done.",
        ),
        # A done goal is an achievement, shown done (a sub-goal done alone moves to the top).
        (B, 0, "✅ Ask two references"),
        (B, 0, ""),
        (H, 3, "Goals"),
        # Open goals come back with the day they were set, then an empty item to type into.
        (B, 0, "Submit the IRDL application (since 13 Oct)"),
        (B, 0, "Read *Atomic Habits* #2 (since 10 Nov)"),  # doc text stays literal
        (B, 0, ""),
        (H, 3, "Upcoming Conferences"),
        (B, 0, "ACRL 2027, Minneapolis"),
        (H, 2, "Heather"),
        (H, 3, "Achievements"),
        (B, 0, ""),
        (H, 3, "Goals"),
        (B, 0, ""),
        (H, 3, "Upcoming Conferences"),
        (B, 0, ""),
    ]
    zoom = blocks[2].spans[0]
    assert zoom.link == "https://zoom.us/j/85512345678?pwd=abc"
    assert blocks[6].spans == (Span(blocks[6].text, italic=True),)
    # Plain bullets: no checkbox anyone could tick without the tool seeing it.
    assert C not in {b.kind for b in blocks}


def test_default_template_without_conference_or_previous_meeting() -> None:
    series = make_series(conference=Conference())
    context = build_context(series, MEETING, [], None, NOW)
    texts = [b.text for b in render_section(series, context)]
    assert not any("Join" in t or "Previous" in t for t in texts)
    assert texts[2] == "Ruth"


def test_time_line_names_the_next_day_where_the_meeting_falls_after_midnight() -> None:
    tokyo = Participant("Aiko", "aiko@example.jp", zoneinfo.ZoneInfo("Asia/Tokyo"))
    series = make_series(participants=(*make_series().participants, tokyo))
    meeting = replace(MEETING, start=dt.datetime(2026, 12, 8, 10, tzinfo=CHICAGO))
    context = build_context(series, meeting, [], None, NOW)
    blocks = render_section(series, context)
    assert blocks[1].text == (
        "Tuesday 8 December, 10:00 Chicago · 11:00 New York · 01:00 Tokyo (Wednesday 9 December)"
    )


def test_goal_levels_that_jump_are_evened_out_so_no_goal_is_lost() -> None:
    carries = [ParticipantCarry("Ruth", goals=(CarriedGoal("a"), CarriedGoal("b", level=3)))]
    blocks = render_default(carries=carries)
    goals = [(b.level, b.text) for b in blocks if b.kind == B and b.text]
    assert goals == [(0, "a"), (1, "b")]


def test_template_syntax_error_names_file_and_line(tmp_path: Path) -> None:
    template = tmp_path / "mine.md.j2"
    template.write_text("# {{ series.title }}\n\n{% for p in participants %}\n## {{ p.name }}\n")
    series = make_series(template=template)
    with pytest.raises(TemplateError) as info:
        render_markdown(series, build_context(series, MEETING, [], None, NOW))
    message = info.value.message
    assert str(template) in message and "line 4" in message
    assert "\n" not in message and "Traceback" not in message


def test_undefined_variable_names_file_and_line(tmp_path: Path) -> None:
    template = tmp_path / "mine.md.j2"
    template.write_text("# {{ series.title }}\n\nHello\n\n{{ meeting.room }}\n")
    series = make_series(template=template)
    with pytest.raises(TemplateError) as info:
        render_markdown(series, build_context(series, MEETING, [], None, NOW))
    message = info.value.message
    assert str(template) in message and "line 5" in message and "room" in message
    assert "\n" not in message


def test_missing_template_file_is_a_template_error(tmp_path: Path) -> None:
    series = make_series(template=tmp_path / "nope.md.j2")
    with pytest.raises(TemplateError, match=r"nope\.md\.j2.*not found"):
        render_markdown(series, build_context(series, MEETING, [], None, NOW))


def test_sandbox_refuses_unsafe_attribute_access(tmp_path: Path) -> None:
    template = tmp_path / "evil.md.j2"
    template.write_text("{{ series.__class__.__mro__ }}\n{{ ''.__class__.__subclasses__() }}\n")
    series = make_series(template=template)
    with pytest.raises(TemplateError, match=r"evil\.md\.j2"):
        render_markdown(series, build_context(series, MEETING, [], None, NOW))


def test_user_template_with_filters(tmp_path: Path) -> None:
    template = tmp_path / "short.md.j2"
    template.write_text(
        "# {{ meeting.start | datetime_format('%Y-%m-%d %H:%M') }}\n\n"
        "{% for p in participants %}- {{ p.name }}: {{ p.local_start | time }} "
        "{{ p.timezone | city }}\n{% endfor %}"
    )
    series = make_series(template=template)
    blocks = render_section(series, build_context(series, MEETING, [], None, NOW))
    assert shape(blocks) == [
        (H, 1, "2026-12-08 14:00"),
        (B, 0, "Ruth: 15:00 New York"),
        (B, 0, "Heather: 14:00 Chicago"),
    ]


# --- Markdown -> blocks ---------------------------------------------------------------------


def test_inline_formatting_becomes_spans() -> None:
    (block,) = markdown_to_blocks("Plain **bold** *it* ~~gone~~ [link](https://x.org) end")
    assert block.spans == (
        Span("Plain "),
        Span("bold", bold=True),
        Span(" "),
        Span("it", italic=True),
        Span(" "),
        Span("gone", strike=True),
        Span(" "),
        Span("link", link="https://x.org"),
        Span(" end"),
    )


def test_nested_and_mixed_lists() -> None:
    text = "- a\n  - b\n    1. c\n- [ ] d\n  - [x] e\n\n1. one\n2. two\n"
    assert shape(markdown_to_blocks(text)) == [
        (B, 0, "a"),
        (B, 1, "b"),
        (N, 2, "c"),
        (C, 0, "d"),
        (C, 1, "✅ e"),  # Docs cannot store a ticked box through the API: keep a visible hint
        (N, 0, "one"),
        (N, 0, "two"),
    ]


def test_empty_items_stay_as_items_to_type_into() -> None:
    assert shape(markdown_to_blocks("- [ ] \n- [x]\n\n* \n")) == [
        (C, 0, ""),
        (C, 0, "✅ "),
        (B, 0, ""),
    ]


def test_line_breaks_stay_inside_one_paragraph() -> None:
    (block,) = markdown_to_blocks("first\nsecond  \nthird\n")
    assert block.text == "first\u000bsecond\u000bthird"


def test_person_chip_syntax() -> None:
    (block,) = markdown_to_blocks("Notes by @[Ruth](mailto:ruth@example.edu) today\n")
    assert block.spans == (
        Span("Notes by "),
        Span("Ruth", person="ruth@example.edu"),
        Span(" today"),
    )


def test_unsupported_markdown_becomes_plain_text() -> None:
    text = (
        "| a | b |\n|---|---|\n| 1 | 2 |\n\n```\ncode line\nmore\n```\n\n"
        "![a cat](https://x.org/cat.png)\n\n<div>raw</div>\n\n> quoted\n\n---\n"
    )
    blocks = markdown_to_blocks(text)
    assert {b.kind for b in blocks} == {P}
    assert [b.text for b in blocks] == [
        "| a | b |\u000b|---|---|\u000b| 1 | 2 |",
        "code line\u000bmore",
        "a cat",
        "<div>raw</div>",
        "quoted",
    ]


@pytest.mark.parametrize(
    "text", ["*a*", "# not a heading", "- x", "1. y", "[z](u)", "a_b_c", "<b>", "a & b", "~~s~~"]
)
def test_md_escape_keeps_doc_text_literal(text: str) -> None:
    (block,) = markdown_to_blocks(f"- [ ] {md_escape(text)}\n")
    assert (block.kind, block.text) == (C, text)
