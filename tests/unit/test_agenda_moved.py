"""Moved meetings, the link to the previous meeting, and the "How this doc works" note.

A moved meeting's section is headed by the day it takes place, says where it was moved
from on the next line, and keeps its scheduled date in its marker. The next section's
"Previous meeting" names the day that meeting took place and links to its heading (a Docs
heading link, from the headingId read with the doc). Sections written by the previous
default template ("Thursday 11 February 2027 (2027-02-09)") and by the new one, marked or
not, are all still found. Docs are hand-built (tests/support/docbuilder.py).
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from typing import Any

import pytest
from support.docbuilder import DocBuilder, run

from gworkflow.agenda.blocks import (
    INTRO_MARKER,
    Block,
    BlockKind,
    ParticipantCarry,
    PreviousMeeting,
    Span,
    marker_name,
)
from gworkflow.agenda.carry import carry_forward, carry_from_previous
from gworkflow.agenda.context import build_context
from gworkflow.agenda.docjson import select_tab
from gworkflow.agenda.markdown import markdown_to_blocks, spans_to_markdown
from gworkflow.agenda.parse import find_sections, has_section_for, held_on
from gworkflow.agenda.render import intro_blocks, render_section
from gworkflow.agenda.requests import build_section, section_requests
from gworkflow.config import Conference, Participant, Series
from gworkflow.meeting import Meeting
from gworkflow.schedule import parse_schedule

SERIES = "ruth-heather"
NAMES = ["Ruth", "Heather"]
CHICAGO = zoneinfo.ZoneInfo("America/Chicago")
JAN12, FEB9, FEB11, MAR9 = (
    dt.date(2027, 1, 12),
    dt.date(2027, 2, 9),
    dt.date(2027, 2, 11),
    dt.date(2027, 3, 9),
)
NOW = dt.datetime(2027, 2, 2, 13, 17, tzinfo=dt.UTC)


def series() -> Series:
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
    )


def meeting(day: dt.date, moved_to: dt.datetime | None = None) -> Meeting:
    scheduled = dt.datetime.combine(day, dt.time(14), CHICAGO)
    start = moved_to or scheduled
    status = "moved" if moved_to else "confirmed"
    return Meeting(start, start + dt.timedelta(hours=1), status, original_start=scheduled)


MOVED_FEB = meeting(FEB9, dt.datetime.combine(FEB11, dt.time(14), CHICAGO))


def texts(blocks: tuple[Block, ...]) -> list[str]:
    return [block.text for block in blocks]


def section_rows(heading: str, goal: str) -> list[Any]:
    return [
        ("HEADING_1", heading),
        ("HEADING_2", "Ruth"),
        ("HEADING_3", "Goals"),
        ("NORMAL_TEXT", [run(goal)], "bullet", 0),
    ]


def doc_with(
    *sections: tuple[str, str, dt.date | None], heading_ids: bool = True
) -> dict[str, Any]:
    """Sections (heading, goal, marker date or None for a hand-typed one)."""
    builder = DocBuilder()
    builder.add("NORMAL_TEXT", "Notes")
    for heading, goal, marked in sections:
        start = builder.index
        for row in section_rows(heading, goal):
            builder.add(*row, heading_id=heading_ids)
        if marked is not None:
            builder.mark(marker_name(SERIES, marked), start, builder.index)
    return builder.build(tabs=True)


def heading_id_of(doc: dict[str, Any], text: str) -> str:
    """The headingId of the Heading 1 containing `text`, from the raw JSON."""
    body = doc["tabs"][0]["documentTab"]["body"]["content"]
    (found,) = [
        e["paragraph"]["paragraphStyle"]["headingId"]
        for e in body
        if "paragraph" in e
        and e["paragraph"]["paragraphStyle"]["namedStyleType"] == "HEADING_1"
        and text in "".join(r["textRun"]["content"] for r in e["paragraph"]["elements"])
    ]
    return str(found)


# --- the moved meeting's own section -----------------------------------------------------


def test_a_moved_meeting_is_headed_by_its_day_with_where_it_was_moved_from_below() -> None:
    blocks = render_section(series(), build_context(series(), MOVED_FEB, [], None, NOW))
    assert blocks[0] == Block(
        BlockKind.HEADING,
        (Span("Peer mentoring check-in — Thursday 11 February 2027 (2027-02-11)"),),
        1,
    )
    # The scheduled day is said once, in words, on the next line; never in the heading.
    assert texts(blocks)[1:3] == [
        "(moved from Tuesday 9 February)",
        "Thursday 11 February, 14:00 Chicago · 15:00 New York",
    ]
    assert "2027-02-09" not in " ".join(texts(blocks))


def test_a_meeting_moved_within_its_day_says_the_time_it_was_moved_from() -> None:
    later = meeting(FEB9, dt.datetime.combine(FEB9, dt.time(16), CHICAGO))
    blocks = render_section(series(), build_context(series(), later, [], None, NOW))
    assert texts(blocks)[:3] == [
        "Peer mentoring check-in — Tuesday 9 February 2027 (2027-02-09)",
        "(moved from 14:00 Chicago)",
        "Tuesday 9 February, 16:00 Chicago · 17:00 New York",
    ]


def test_a_meeting_on_its_scheduled_day_has_no_moved_line() -> None:
    blocks = render_section(series(), build_context(series(), meeting(FEB9), [], None, NOW))
    assert texts(blocks)[:2] == [
        "Peer mentoring check-in — Tuesday 9 February 2027 (2027-02-09)",
        "Tuesday 9 February, 14:00 Chicago · 15:00 New York",
    ]
    assert not any("moved" in text for text in texts(blocks))


# --- "Previous meeting" ------------------------------------------------------------------


def previous_line(previous: PreviousMeeting | dt.date | None) -> Block:
    blocks = render_section(series(), build_context(series(), meeting(MAR9), [], previous, NOW))
    (line,) = [b for b in blocks if b.text.startswith("Previous meeting")]
    return line


def test_previous_meeting_names_the_day_it_took_place_and_links_to_its_heading() -> None:
    line = previous_line(PreviousMeeting(FEB9, FEB11, "h.feb"))
    assert line.spans == (
        Span("Previous meeting: "),
        Span("Thursday 11 February 2027", heading_id="h.feb"),
    )


def test_previous_meeting_without_a_heading_id_has_no_link() -> None:
    line = previous_line(PreviousMeeting(FEB9, FEB11, None))
    assert line.spans == (Span("Previous meeting: Thursday 11 February 2027"),)
    assert previous_line(FEB9).spans == (Span("Previous meeting: Tuesday 9 February 2027"),)


def test_the_progress_line_names_the_day_the_goals_were_planned() -> None:
    from gworkflow.agenda.blocks import CarriedGoal

    carries = [ParticipantCarry("Ruth", goals=(CarriedGoal("Draft the survey", since=FEB11),))]
    context = build_context(series(), meeting(MAR9), carries, PreviousMeeting(FEB9, FEB11), NOW)
    assert context["participants"][0]["progress"].startswith("Planned on 11 February: 1 goal")
    assert context["previous_meeting"] == FEB11
    assert context["previous_section"] == {
        "key": FEB9,
        "date": FEB11,
        "heading_id": None,
        "link": "",
    }


def heading_link(tab_id: str | None) -> dict[str, Any]:
    line = previous_line(PreviousMeeting(FEB9, FEB11, "h.feb"))
    requests = section_requests([line], 1, tab_id, "m", "end")
    (style,) = [
        r["updateTextStyle"]
        for r in requests
        if "updateTextStyle" in r and r["updateTextStyle"]["fields"] == "link"
    ]
    start = 2 + len("Previous meeting: ")
    assert style["range"]["startIndex"] == start
    assert style["range"]["endIndex"] == start + len("Thursday 11 February 2027")
    link: dict[str, Any] = style["textStyle"]["link"]
    return link


def test_the_heading_link_is_a_docs_heading_link_in_the_same_tab() -> None:
    # docs.v1.json, schemas.Link: `heading {id, tabId}`; `headingId` is the legacy field.
    assert heading_link("t.0") == {"heading": {"id": "h.feb", "tabId": "t.0"}}
    assert heading_link(None) == {"headingId": "h.feb"}


def test_a_heading_link_reads_and_writes_as_markdown() -> None:
    (block,) = markdown_to_blocks(
        "See [the February notes](<#heading=h.x9>) and [a](https://a.org)\n"
    )
    assert block.spans == (
        Span("See "),
        Span("the February notes", heading_id="h.x9"),
        Span(" and "),
        Span("a", link="https://a.org"),
    )
    (again,) = markdown_to_blocks(spans_to_markdown(block.spans) + "\n")
    assert again.spans == block.spans


# --- reading sections back: old and new templates, marked or not --------------------------

OLD_MOVED = "Peer mentoring check-in — Thursday 11 February 2027 (2027-02-09)"
NEW_MOVED = "Peer mentoring check-in — Thursday 11 February 2027 (2027-02-11)"
JANUARY = "Peer mentoring check-in — Tuesday 12 January 2027 (2027-01-12)"


@pytest.mark.parametrize("heading", [OLD_MOVED, NEW_MOVED], ids=["old template", "new template"])
@pytest.mark.parametrize("marked", [True, False], ids=["marked", "hand-typed"])
def test_every_template_s_moved_section_is_found_and_carried(heading: str, marked: bool) -> None:
    doc = doc_with(
        (JANUARY, "Old goal", JAN12 if marked else None),
        (heading, "Draft the survey", FEB9 if marked else None),
    )
    tab = select_tab(doc)
    sections = find_sections(tab, SERIES)
    assert len(sections) == 2
    february = sections[1]
    # Marked: by its marker's scheduled date; hand-typed: by the ISO date of its heading.
    key = FEB9 if marked or heading == OLD_MOVED else FEB11
    assert february.meeting == key
    assert held_on(february) == FEB11
    # The section for that meeting is there: never written a second time.
    assert has_section_for(tab, SERIES, FEB9, FEB11)
    assert not has_section_for(tab, SERIES, MAR9, MAR9)
    previous, (ruth, _) = carry_from_previous(tab, SERIES, NAMES, MAR9, MAR9)
    assert previous == PreviousMeeting(key, FEB11, heading_id_of(doc, "11 February"))
    # A goal typed at that meeting was set the day it took place.
    assert [(g.text, g.since) for g in ruth.goals] == [("Draft the survey", FEB11)]
    # The older wrapper still gives the section's date.
    assert carry_forward(tab, SERIES, NAMES, MAR9, MAR9)[0] == key


def test_a_heading_without_a_heading_id_gives_no_link() -> None:
    doc = doc_with((NEW_MOVED, "Draft the survey", FEB9), heading_ids=False)
    previous, _ = carry_from_previous(select_tab(doc), SERIES, NAMES, MAR9, MAR9)
    assert previous == PreviousMeeting(FEB9, FEB11, None)


def test_a_date_far_from_the_section_s_is_not_the_day_it_took_place() -> None:
    doc = doc_with(("Check-in — grant due 30 June 2027 (2027-02-09)", "Draft", FEB9))
    (section,) = find_sections(select_tab(doc), SERIES)
    assert held_on(section) == FEB9


def test_a_confirmed_meeting_s_section_took_place_on_its_date() -> None:
    doc = doc_with((JANUARY, "Draft", JAN12))
    previous, _ = carry_from_previous(select_tab(doc), SERIES, NAMES, FEB9, FEB9)
    assert previous is not None and (previous.key, previous.day) == (JAN12, JAN12)


# --- "How this doc works" ----------------------------------------------------------------


def test_the_note_goes_at_the_top_of_a_new_doc_and_top_sections_go_below_it() -> None:
    blank = DocBuilder().build(tabs=True)
    requests = build_section(intro_blocks(series()), select_tab(blank), "top", INTRO_MARKER)
    assert requests[0]["insertText"]["location"] == {"index": 1, "tabId": "t.0"}
    assert requests[-1]["createNamedRange"]["name"] == INTRO_MARKER
    # A doc with the note: a section at the top goes right below it.
    builder = DocBuilder()
    start, end = builder.rows([("HEADING_2", "How this doc works"), ("NORMAL_TEXT", "Type.")])
    builder.mark(INTRO_MARKER, start, end)
    below, _ = builder.add("NORMAL_TEXT", "")
    tab = select_tab(builder.build(tabs=True))
    top = build_section([Block(BlockKind.HEADING, (Span("S"),), 1)], tab, "top", "m")
    assert top[0]["insertText"] == {"text": "S\n", "location": {"index": below, "tabId": "t.0"}}
    # Nothing below the note: the section goes in after it, as at the end.
    builder = DocBuilder()
    start, end = builder.rows([("HEADING_2", "How this doc works"), ("NORMAL_TEXT", "Type.")])
    builder.mark(INTRO_MARKER, start, end)
    tab = select_tab(builder.build(tabs=True))
    top = build_section([Block(BlockKind.HEADING, (Span("S"),), 1)], tab, "top", "m")
    assert top[0]["insertText"] == {"text": "\nS", "location": {"index": end - 1, "tabId": "t.0"}}


def test_the_note_is_not_a_section() -> None:
    builder = DocBuilder()
    start, end = builder.rows([("HEADING_2", "How this doc works"), ("NORMAL_TEXT", "2027-01-12")])
    builder.mark(INTRO_MARKER, start, end)
    assert find_sections(select_tab(builder.build(tabs=True)), SERIES) == []
