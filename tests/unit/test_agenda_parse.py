"""Reading the running doc: paragraphs -> blocks, and finding meeting sections."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
from support.captures import FIXTURE_FILES, FIXTURES
from support.docbuilder import (
    DocBuilder,
    build_doc,
    check_consistent,
    date_chip,
    image,
    person,
    rich_link,
    run,
)

from gworkflow.agenda.blocks import BlockKind, Span, marker_name
from gworkflow.agenda.docjson import iter_tabs, select_tab
from gworkflow.agenda.parse import (
    dates_in,
    find_sections,
    has_section_for,
    heading_date,
    latest_section,
    paragraphs,
)

SERIES = "ruth-heather"


def load(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((FIXTURES / name).read_text())
    return data


# --- real fixtures -----------------------------------------------------------------------


@pytest.mark.parametrize("path", FIXTURE_FILES, ids=lambda p: p.name)
def test_every_fixture_tab_parses_to_ordered_top_level_paragraphs(path: Path) -> None:
    doc = json.loads(path.read_text())
    tab_ids = [None] if "tabs" not in doc else [t["tabProperties"]["tabId"] for t in iter_tabs(doc)]
    for tab_id in tab_ids:
        tab = select_tab(doc, tab_id)
        paras = paragraphs(tab)
        top_level = [e for e in tab.body["content"] if "paragraph" in e]
        assert len(paras) == len(top_level)
        assert all(p.end > p.start for p in paras)
        assert [p.start for p in paras] == sorted(p.start for p in paras)
        # and the section finder copes with real documents that have no sections of ours
        find_sections(tab, SERIES)


def test_fixture_headings_are_recognised_with_their_levels() -> None:
    paras = paragraphs(select_tab(load("tabs-headings-bullets.json")))
    headings = [(p.heading_level, p.block.text) for p in paras if p.heading_level is not None]
    assert headings == [
        (1, "Introduction"),
        (2, "Formatting Section"),
        (2, "Links Section"),
        (1, "Second Major Section"),
        (3, "A Sub-Sub Section"),
    ]
    assert all(
        p.block.kind is BlockKind.HEADING and p.block.level == p.heading_level
        for p in paras
        if p.heading_level
    )


def test_fixture_headings_without_heading_id_are_still_headings() -> None:
    paras = paragraphs(select_tab(load("tabs-missing-heading-ids.json")))
    headings = [p.block.text for p in paras if p.heading_level == 2]
    assert headings == ["Headings", "Lists", "Links", "Images", "Tables", "Columns"]


def test_fixture_legacy_lists_nesting_levels_and_kinds() -> None:
    paras = paragraphs(select_tab(load("legacy-lists.json")))
    items = [(p.block.text, p.block.level, p.block.kind) for p in paras if p.block.text]
    bullet, numbered = BlockKind.BULLET, BlockKind.NUMBERED
    # The list's level 0 and 2 have glyph symbols, level 1 is lettered (glyphType ALPHA).
    assert items == [
        ("List item 1", 0, bullet),
        ("Sublist item 1", 1, numbered),
        ("Sublist item 2", 1, numbered),
        ("Sublist item 3", 1, numbered),
        ("List item 2", 0, bullet),
        ("List item 3", 0, bullet),
        ("Sub list item 1", 1, numbered),
        ("Sub sub list item 1", 2, bullet),
        ("Sub sub list item 2 with image", 2, bullet),
        ("Sub list item 2", 1, numbered),
        ("Sub list item 3", 1, numbered),
        ("List item 4", 0, bullet),
        ("List item 5", 0, bullet),
    ]
    first = next(p for p in paras if p.block.text == "List item 1")
    assert first.block.spans == (Span("List "), Span("item", bold=True), Span(" 1"))


def test_fixture_table_cells_are_not_paragraphs() -> None:
    paras = paragraphs(select_tab(load("legacy-tables.json")))
    assert [p.block.text for p in paras] == ["", ""]
    paras = paragraphs(select_tab(load("tabs-headings-bullets.json")))
    assert "Text near the end." in [p.block.text for p in paras]


# --- blocks from hand-built docs ----------------------------------------------------------


def test_list_kinds_from_glyphs_and_levels_from_nesting() -> None:
    doc = build_doc(
        [
            ("NORMAL_TEXT", "todo", "checklist"),
            ("NORMAL_TEXT", "sub todo", "checklist", 2),
            ("NORMAL_TEXT", "first", "numbered"),
            ("NORMAL_TEXT", "point", "bullet", 1),
            ("NORMAL_TEXT", "plain"),
        ]
    )
    check_consistent(doc)
    blocks = [p.block for p in paragraphs(select_tab(doc))]
    assert [(b.kind, b.level) for b in blocks] == [
        (BlockKind.CHECKLIST, 0),
        (BlockKind.CHECKLIST, 2),
        (BlockKind.NUMBERED, 0),
        (BlockKind.BULLET, 1),
        (BlockKind.PARAGRAPH, 0),
    ]


def test_bullet_of_an_unknown_list_reads_as_a_bullet() -> None:
    doc = build_doc([("NORMAL_TEXT", "orphan", "bullet")])
    doc["lists"] = {}
    (para,) = paragraphs(select_tab(doc))
    assert para.block.kind is BlockKind.BULLET


def test_spans_keep_formatting_links_and_chips() -> None:
    doc = build_doc(
        [
            (
                "NORMAL_TEXT",
                [
                    run("Ask ", bold=True),
                    person("heather@example.edu", "Heather"),
                    run(" about "),
                    rich_link("https://docs.google.com/document/d/x", "IRDL draft"),
                    run(" by "),
                    date_chip("Jan 24, 2027"),
                    image(),
                    run(" old", strike=True, italic=True),
                    run(" site", link="https://ala.org"),
                ],
            ),
            ("NORMAL_TEXT", [person("anon@example.edu")]),
        ]
    )
    check_consistent(doc)
    first, second = (p.block for p in paragraphs(select_tab(doc)))
    assert first.spans == (
        Span("Ask ", bold=True),
        Span("Heather", person="heather@example.edu"),
        Span(" about "),
        Span("IRDL draft", link="https://docs.google.com/document/d/x"),
        Span(" by "),
        Span("Jan 24, 2027"),
        Span(" old", italic=True, strike=True),
        Span(" site", link="https://ala.org"),
    )
    # A chip showing an e-mail (no name) reads as the e-mail.
    assert second.spans == (Span("anon@example.edu", person="anon@example.edu"),)


def test_date_chip_without_display_text_reads_as_its_iso_day() -> None:
    doc = build_doc([("NORMAL_TEXT", [run("ALA "), date_chip(None, "2027-01-24T15:00:00Z")])])
    (para,) = paragraphs(select_tab(doc))
    assert para.block.text == "ALA 2027-01-24"


def test_suggested_deletions_dropped_insertions_kept() -> None:
    doc = build_doc(
        [
            (
                "NORMAL_TEXT",
                [
                    run("Submit "),
                    run("the poster", suggested_delete=True),
                    run("the paper", suggested_insert=True),
                ],
            )
        ]
    )
    (para,) = paragraphs(select_tab(doc))
    assert para.block.text == "Submit the paper"


def test_title_is_a_heading_block_but_outside_the_outline() -> None:
    doc = build_doc([("TITLE", "Mentoring notes"), ("SUBTITLE", "since 2025"), ("HEADING_4", "x")])
    title, subtitle, h4 = paragraphs(select_tab(doc))
    assert (title.heading_level, title.block.kind, title.block.level) == (0, BlockKind.HEADING, 1)
    assert (subtitle.heading_level, subtitle.named_style) == (0, "SUBTITLE")
    assert h4.heading_level == 4


def test_tabs_form_reads_the_same_as_legacy_form() -> None:
    rows = [("HEADING_1", "Check-in 2026-12-08"), ("NORMAL_TEXT", "x", "checklist", 1)]
    legacy = paragraphs(select_tab(build_doc(rows)))
    tabbed = paragraphs(select_tab(build_doc(rows, tabs=True)))
    assert legacy == tabbed


def test_utf16_indexes_with_emoji() -> None:
    doc = build_doc([("NORMAL_TEXT", "🎯 goal"), ("NORMAL_TEXT", "next")])
    first, second = paragraphs(select_tab(doc))
    assert (first.start, first.end) == (1, 9)  # 🎯 is two UTF-16 code units, then " goal\n"
    assert second.start == first.end


# --- dates --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Check-in 2026-12-08",
        "Peer mentoring check-in — Tuesday 8 December 2026 (2026-12-08)",
        "December 8, 2026",
        "Meeting: Dec 8th 2026",
        "8 December 2026 check-in",
        "Tuesday, 8th of December, 2026",
    ],
)
def test_heading_dates(text: str) -> None:
    assert heading_date(text) == dt.date(2026, 12, 8)


@pytest.mark.parametrize("text", ["Check-in", "December 2026", "2026-13-45", "12/08/2026"])
def test_heading_without_a_full_date(text: str) -> None:
    assert heading_date(text) is None


def test_dates_in_ranges_and_months() -> None:
    assert dates_in("ACRL, Jan 24-27, 2027") == [dt.date(2027, 1, 24), dt.date(2027, 1, 27)]
    assert dates_in("24\u201327 January 2027") == [dt.date(2027, 1, 24), dt.date(2027, 1, 27)]
    assert dates_in("Midwinter January 2027") == []
    assert dates_in("Midwinter January 2027", month_only=True) == [dt.date(2027, 1, 31)]
    assert dates_in("due 2026-11-01, then 2027-01-24") == [
        dt.date(2026, 11, 1),
        dt.date(2027, 1, 24),
    ]


# --- sections -----------------------------------------------------------------------------


def meeting_rows(
    heading: str, *, style: str = "HEADING_1", goal: str = "goal"
) -> list[tuple[Any, ...]]:
    return [
        (style, heading),
        ("NORMAL_TEXT", "14:00 Chicago / 20:00 London"),
        ("HEADING_2", "Ruth"),
        ("HEADING_3", "Goals"),
        ("NORMAL_TEXT", goal, "checklist"),
    ]


def test_marked_section_is_found_after_its_headings_were_renamed() -> None:
    builder = DocBuilder()
    builder.add("NORMAL_TEXT", "Our running notes")
    # Someone renamed the meeting heading (no date any more) and made it normal text.
    start, end = builder.rows(
        [("NORMAL_TEXT", "Last meeting before the holidays"), *meeting_rows("x")[1:]]
    )
    builder.mark(marker_name(SERIES, dt.date(2026, 12, 8)), start, end)
    builder.add("NORMAL_TEXT", "typed after the section")
    tab = select_tab(builder.build())

    (section,) = find_sections(tab, SERIES)
    assert section.marked
    assert section.meeting == dt.date(2026, 12, 8)
    assert (section.start, section.end) == (start, end)
    assert section.blocks[0].text == "Last meeting before the holidays"
    assert section.blocks[-1].text == "goal"
    assert has_section_for(tab, SERIES, dt.date(2026, 12, 8))
    assert not has_section_for(tab, SERIES, dt.date(2027, 1, 12))
    assert not has_section_for(tab, "another-pair", dt.date(2026, 12, 8))


def test_unmarked_hand_typed_sections_found_by_dated_heading() -> None:
    builder = DocBuilder()
    builder.add("TITLE", "Ruth & Heather mentoring (since 2025-01-14)")
    builder.add("NORMAL_TEXT", "Ground rules: be kind.")
    builder.rows(meeting_rows("November 10, 2026", goal="nov goal"))
    builder.table([["Goal", "Status"], ["IRDL", "draft"]])
    builder.rows(meeting_rows("8 December 2026", goal="dec goal"))
    tab = select_tab(builder.build())

    nov, dec = find_sections(tab, SERIES)
    assert (nov.meeting, dec.meeting) == (dt.date(2026, 11, 10), dt.date(2026, 12, 8))
    assert not nov.marked and not dec.marked
    assert nov.blocks[0].text == "November 10, 2026"  # the title is not in any section
    # The table's cells are skipped; the empty paragraph Google keeps after a table is not.
    assert [b.text for b in nov.blocks][-2:] == ["nov goal", ""]
    assert nov.end == dec.start  # the table between them stays in November's range
    assert "Ground rules: be kind." not in [b.text for b in nov.blocks + dec.blocks]
    assert has_section_for(tab, SERIES, dt.date(2026, 12, 8))


def test_doc_level_dated_heading_does_not_swallow_meeting_headings() -> None:
    builder = DocBuilder()
    builder.add("HEADING_1", "Mentoring notes, started 2025-01-14")
    builder.rows(meeting_rows("Check-in 2026-11-10", style="HEADING_2"))
    builder.rows(meeting_rows("Check-in 2026-12-08", style="HEADING_2"))
    sections = find_sections(select_tab(builder.build()), SERIES)
    assert [s.meeting for s in sections] == [dt.date(2026, 11, 10), dt.date(2026, 12, 8)]


def test_marked_sections_bound_unmarked_ones_and_other_series_are_not_returned() -> None:
    builder = DocBuilder()
    builder.rows(meeting_rows("Check-in 2026-10-13"))
    start, end = builder.rows(meeting_rows("Check-in 2026-11-10"))
    builder.mark(marker_name("another-pair", dt.date(2026, 11, 10)), start, end)
    start, end = builder.rows(meeting_rows("Check-in 2026-12-08"))
    builder.mark(marker_name(SERIES, dt.date(2026, 12, 8)), start, end)
    builder.mark("not-ours", 1, end)
    sections = find_sections(select_tab(builder.build()), SERIES)
    assert [(s.meeting, s.marked) for s in sections] == [
        (dt.date(2026, 10, 13), False),
        (dt.date(2026, 12, 8), True),
    ]
    october = sections[0]
    assert len(october.paragraphs) == 5  # stops where the other pair's section begins


def test_latest_section_is_by_date_when_newest_sections_are_at_the_top() -> None:
    builder = DocBuilder()
    for day in (dt.date(2026, 12, 8), dt.date(2026, 11, 10), dt.date(2026, 10, 13)):
        start, end = builder.rows(meeting_rows(f"Check-in {day.isoformat()}"))
        builder.mark(marker_name(SERIES, day), start, end)
    sections = find_sections(select_tab(builder.build()), SERIES)
    assert [s.meeting for s in sections] == [
        dt.date(2026, 12, 8),
        dt.date(2026, 11, 10),
        dt.date(2026, 10, 13),
    ]
    latest = latest_section(sections)
    assert latest is not None and latest.meeting == dt.date(2026, 12, 8)
    before = latest_section(sections, before=dt.date(2026, 12, 8))
    assert before is not None and before.meeting == dt.date(2026, 11, 10)
    assert latest_section(sections, before=dt.date(2026, 10, 13)) is None


def test_text_before_the_first_section_and_an_empty_doc_have_no_sections() -> None:
    assert find_sections(select_tab(DocBuilder().build()), SERIES) == []
    doc = build_doc([("HEADING_1", "Agenda"), ("NORMAL_TEXT", "no dates here")])
    assert find_sections(select_tab(doc), SERIES) == []
    assert latest_section([]) is None


def test_a_marked_range_grown_over_the_next_section_stops_where_that_one_starts() -> None:
    builder = DocBuilder()
    dec_start, _ = builder.rows(meeting_rows("Check-in 2026-12-08", goal="dec goal"))
    jan_start, jan_end = builder.rows(meeting_rows("Check-in 2027-01-12", goal="jan goal"))
    builder.mark(marker_name(SERIES, dt.date(2026, 12, 8)), dec_start, jan_end)
    builder.mark(marker_name(SERIES, dt.date(2027, 1, 12)), jan_start, jan_end)
    dec, jan = find_sections(select_tab(builder.build()), SERIES)
    assert (dec.start, dec.end) == (dec_start, jan_start)
    assert "jan goal" not in [b.text for b in dec.blocks]
    assert [b.text for b in jan.blocks][-1] == "jan goal"
