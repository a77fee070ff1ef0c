"""Reading the running agenda doc: `documents.get` JSON -> paragraphs, blocks and sections.

What lives here: turning one tab's body into `DocParagraph`s (each with its `Block`),
finding the meeting sections (marked by our named ranges, or hand-typed under a dated
heading), and reading dates out of text. What does not: which goals and conferences carry
forward (carry.py), choosing the tab (docjson.py), writing to the doc.

Choices, so readers of the results know what they get:
- Tables (and tables of contents) are skipped: their paragraphs are not in `paragraphs()`.
  A table cell's "heading" must never start a section or a participant's part, and a
  table's header row ("Goal | Status") must not become a goal. A table still sits inside
  a section's index range, so nothing that writes by index is misled.
- Suggestions are read as if accepted: suggested insertions are kept (a collaborator in
  suggesting mode typed their goal there), suggested deletions are dropped. Suggested
  paragraph-style and bullet changes are ignored: the paragraph keeps its current style.
- People chips become Span(person=email, text=name or email); date chips become their
  display text; rich links (Drive files, Calendar events) become linked text with their
  title. Images, equations, page/column breaks, horizontal rules, auto text (page numbers)
  and footnote references carry no text and are left out.
- Heading levels: HEADING_n -> heading_level n and Block(HEADING, level=n). TITLE and
  SUBTITLE are headings for the block model (levels 1 and 2) but have heading_level 0: they
  sit above the outline and never start a meeting section.
"""

from __future__ import annotations

import bisect
import calendar
import datetime as dt
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from gworkflow.agenda.blocks import Block, BlockKind, Span, parse_marker
from gworkflow.agenda.docjson import TabContent
from gworkflow.types import JSON


@dataclass(frozen=True)
class DocParagraph:
    """One body paragraph: its index range (UTF-16 code units, end exclusive) and its block."""

    start: int
    end: int
    block: Block
    # 1-6 for HEADING_n, 0 for TITLE/SUBTITLE, None for a paragraph that is not a heading.
    heading_level: int | None
    named_style: str
    # The paragraph's headingId, for links to it; None when it is not a heading or Google
    # gave it none (docs/google-api-notes.md, "Headings may lack headingId").
    heading_id: str | None = None


@dataclass(frozen=True)
class FoundSection:
    """One meeting's section of the running doc."""

    meeting: dt.date | None
    start: int
    end: int
    # True when our named range marks it; False for a section found by its dated heading.
    marked: bool
    blocks: tuple[Block, ...]
    paragraphs: tuple[DocParagraph, ...]


# --- paragraphs -------------------------------------------------------------------------

_HEADING_STYLES = {f"HEADING_{n}": n for n in range(1, 7)}
_ORDERED_GLYPHS = frozenset(
    {"DECIMAL", "ZERO_DECIMAL", "UPPER_ALPHA", "ALPHA", "UPPER_ROMAN", "ROMAN"}
)
# A text run replaces any non-text element inside it with U+E907 (Docs API reference,
# TextRun.content); it is not something a person typed.
_OBJECT_PLACEHOLDER = "\ue907"


def paragraphs(tab: TabContent) -> list[DocParagraph]:
    """The tab's body paragraphs in document order (paragraphs inside tables skipped)."""
    lists = tab.lists
    result: list[DocParagraph] = []
    for element in tab.body.get("content", ()):
        paragraph = element.get("paragraph")
        if paragraph is None:
            continue
        start = _int(element.get("startIndex"))
        end = _int(element.get("endIndex"), start)
        paragraph_style = paragraph.get("paragraphStyle", {})
        style = paragraph_style.get("namedStyleType", "NORMAL_TEXT")
        heading_level, block = _block(paragraph, style, lists)
        heading_id = paragraph_style.get("headingId") if heading_level is not None else None
        result.append(
            DocParagraph(
                start,
                end,
                block,
                heading_level,
                str(style),
                str(heading_id) if heading_id else None,
            )
        )
    return result


def _int(value: object, default: int = 0) -> int:
    # Indexes are JSON integers; a missing one is a zero that Google omitted.
    return value if isinstance(value, int) else default


def _block(paragraph: JSON, style: str, lists: JSON) -> tuple[int | None, Block]:
    spans = tuple(_spans(paragraph.get("elements", ())))
    if style in _HEADING_STYLES:
        level = _HEADING_STYLES[style]
        return level, Block(BlockKind.HEADING, spans, level)
    if style in ("TITLE", "SUBTITLE"):
        return 0, Block(BlockKind.HEADING, spans, 1 if style == "TITLE" else 2)
    bullet = paragraph.get("bullet")
    if isinstance(bullet, dict):
        level = _int(bullet.get("nestingLevel"))
        return None, Block(_list_kind(bullet, level, lists), spans, level)
    return None, Block(BlockKind.PARAGRAPH, spans)


def _list_kind(bullet: JSON, level: int, lists: JSON) -> BlockKind:
    """Bullet, numbered or checklist, from the list's glyph at this nesting level.

    A checklist level has glyphType GLYPH_TYPE_UNSPECIFIED (or none, zero values being
    omitted) and no glyphSymbol; checked and unchecked items look the same
    (googleapis/google-api-nodejs-client#2870; docs/google-api-notes.md, "Zero, false and empty values are omitted" and
    "Checklists have no checked state").
    """
    levels = lists.get(bullet.get("listId", ""), {}).get("listProperties", {}).get("nestingLevels")
    if not isinstance(levels, list) or not 0 <= level < len(levels):
        return BlockKind.BULLET
    glyph = levels[level] if isinstance(levels[level], dict) else {}
    if glyph.get("glyphSymbol"):
        return BlockKind.BULLET
    glyph_type = glyph.get("glyphType", "GLYPH_TYPE_UNSPECIFIED")
    if glyph_type in _ORDERED_GLYPHS:
        return BlockKind.NUMBERED
    if glyph_type == "GLYPH_TYPE_UNSPECIFIED":
        return BlockKind.CHECKLIST
    return BlockKind.BULLET  # glyphType NONE: an unordered list with no visible glyph


def _spans(elements: Iterable[JSON]) -> Iterable[Span]:
    for element in elements:
        span = _span(element)
        if span is not None and span.text:
            yield span


def _span(element: JSON) -> Span | None:
    if "textRun" in element:
        run = element["textRun"]
        if run.get("suggestedDeletionIds"):
            return None
        text = str(run.get("content", "")).replace(_OBJECT_PLACEHOLDER, "")
        # Every paragraph ends with "\n"; it belongs to the paragraph, not its text.
        return _styled(text.removesuffix("\n"), run.get("textStyle", {}))
    if "person" in element:
        chip = element["person"]
        if chip.get("suggestedDeletionIds"):
            return None
        props = chip.get("personProperties", {})
        email = str(props.get("email", ""))
        styled = _styled(str(props.get("name") or email), chip.get("textStyle", {}))
        return Span(styled.text, styled.bold, styled.italic, styled.strike, None, email or None)
    if "richLink" in element:
        chip = element["richLink"]
        if chip.get("suggestedDeletionIds"):
            return None
        props = chip.get("richLinkProperties", {})
        uri = props.get("uri") or None
        styled = _styled(str(props.get("title") or uri or ""), chip.get("textStyle", {}))
        return Span(styled.text, styled.bold, styled.italic, styled.strike, uri)
    if "dateElement" in element:
        chip = element["dateElement"]
        if chip.get("suggestedDeletionIds"):
            return None
        return _styled(_date_chip_text(chip), chip.get("textStyle", {}))
    return None  # images, breaks, rules, equations, auto text, footnote references


def _styled(text: str, style: JSON) -> Span:
    link = style.get("link", {})
    # Links to a heading or bookmark in this doc have no url; they are not web links.
    url = link.get("url") if isinstance(link, dict) else None
    return Span(
        text,
        bold=bool(style.get("bold")),
        italic=bool(style.get("italic")),
        strike=bool(style.get("strikethrough")),
        link=str(url) if url else None,
    )


def _date_chip_text(chip: JSON) -> str:
    props = chip.get("dateElementProperties", {})
    shown = props.get("displayText")
    if shown:
        return str(shown)
    # displayText is output only and may be missing; the timestamp's day is still a date
    # our date reader understands (RFC 3339, "2026-12-08T15:00:00Z").
    timestamp = str(props.get("timestamp", ""))
    return timestamp[:10] if _ISO_DATE.fullmatch(timestamp[:10]) else ""


# --- dates in text ----------------------------------------------------------------------

_MONTHS = {
    name.lower(): number
    for number in range(1, 13)
    for name in (calendar.month_name[number], calendar.month_abbr[number])
}
_MONTHS["sept"] = 9
_MONTH = r"(?P<month>" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\.?"
_DAY = r"(?P<day>\d{1,2})(?:st|nd|rd|th)?"
_DAY2 = r"(?:\s*(?:-|\u2013|\u2014|to)\s*(?P<day2>\d{1,2})(?:st|nd|rd|th)?)?"
_YEAR = r"(?P<year>\d{4})"
_ISO_DATE = re.compile(r"(?<!\d)(?P<year>\d{4})[-/.](?P<month>\d{1,2})[-/.](?P<day>\d{1,2})(?!\d)")
_TEXT_DATES = (
    # "December 8, 2026", "Dec 8th 2026", "Jan 24-27, 2027"
    re.compile(rf"\b{_MONTH}\s+{_DAY}{_DAY2},?\s+{_YEAR}\b", re.IGNORECASE),
    # "8 December 2026", "24-27 January 2027" (also with an en or em dash)
    re.compile(rf"\b{_DAY}{_DAY2}\s+(?:of\s+)?{_MONTH},?\s+{_YEAR}\b", re.IGNORECASE),
)
_MONTH_YEAR = re.compile(rf"\b{_MONTH},?\s+{_YEAR}\b", re.IGNORECASE)


def _date(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def dates_in(text: str, month_only: bool = False) -> list[dt.date]:
    """Every date readable in `text`, in order of appearance.

    ISO ("2026-12-08", also with / or .), "December 8, 2026", "Dec 8th 2026",
    "8 December 2026". A day range ("Jan 24-27, 2027") gives both ends. With `month_only`,
    a bare "January 2027" reads as the month's last day (a conference some time that month
    is upcoming until the month is over).
    """
    found: list[tuple[int, dt.date]] = []
    taken: list[tuple[int, int]] = []
    for match in _ISO_DATE.finditer(text):
        day = _date(int(match["year"]), int(match["month"]), int(match["day"]))
        if day is not None:
            found.append((match.start(), day))
            taken.append(match.span())
    for pattern in _TEXT_DATES:
        for match in pattern.finditer(text):
            if _overlaps(match.span(), taken):
                continue
            year, month = int(match["year"]), _MONTHS[match["month"].lower()]
            for offset, group in enumerate(("day", "day2")):
                if match[group]:
                    day = _date(year, month, int(match[group]))
                    if day is not None:
                        found.append((match.start() + offset, day))
            taken.append(match.span())
    if month_only:
        for match in _MONTH_YEAR.finditer(text):
            if _overlaps(match.span(), taken):
                continue
            year, month = int(match["year"]), _MONTHS[match["month"].lower()]
            if 1 <= year <= 9999:
                last = calendar.monthrange(year, month)[1]
                found.append((match.start(), dt.date(year, month, last)))
    found.sort(key=lambda pair: pair[0])
    return [day for _, day in found]


def _overlaps(span: tuple[int, int], taken: Sequence[tuple[int, int]]) -> bool:
    return any(span[0] < end and start < span[1] for start, end in taken)


def heading_date(text: str) -> dt.date | None:
    """The meeting date in a heading: the first ISO date, else the first written-out date.

    ISO wins because the default heading carries both ("Tuesday 8 December 2026
    (2026-12-08)") and the ISO form is the one gworkflow wrote.
    """
    iso = next(
        (
            day
            for m in _ISO_DATE.finditer(text)
            if (day := _date(int(m["year"]), int(m["month"]), int(m["day"]))) is not None
        ),
        None,
    )
    if iso is not None:
        return iso
    found = dates_in(text)
    return found[0] if found else None


# --- sections ---------------------------------------------------------------------------


@dataclass(frozen=True)
class _Marker:
    series_id: str
    meeting: dt.date
    start: int
    end: int


def _markers(tab: TabContent) -> list[_Marker]:
    """Every gworkflow marker range in the tab, of every series, in document order."""
    markers: list[_Marker] = []
    for name, entry in tab.named_ranges.items():
        parsed = parse_marker(str(name))
        if parsed is None or not isinstance(entry, dict):
            continue
        for named_range in entry.get("namedRanges", ()):
            ranges = [r for r in named_range.get("ranges", ()) if isinstance(r, dict)]
            if not ranges:
                continue
            start = min(_int(r.get("startIndex")) for r in ranges)
            end = max(_int(r.get("endIndex")) for r in ranges)
            if end > start:
                markers.append(_Marker(parsed[0], parsed[1], start, end))
    markers.sort(key=lambda marker: (marker.start, marker.end))
    return _clip(_unnest(markers))


def _unnest(markers: list[_Marker]) -> list[_Marker]:
    """Ranges that start at one index: each longer one begins where the one before it ends.

    With position = "top" every section is inserted at the start of the body, which is where
    the previous one's range starts; if Google lets text inserted at a range's start join
    it (not documented: docs/google-api-notes.md, "Insertion at a named range's edge"), the
    older range grows over the newer section, and the two start together.
    """
    unnested: list[_Marker] = []
    group_start: int | None = None
    for marker in markers:
        previous = unnested[-1] if unnested else None
        if previous is not None and marker.start == group_start and previous.end < marker.end:
            marker = _Marker(marker.series_id, marker.meeting, previous.end, marker.end)
        else:
            group_start = marker.start
        unnested.append(marker)
    return unnested


def _clip(markers: list[_Marker]) -> list[_Marker]:
    """End each range where the next one starts, if they overlap.

    Text typed at the end of a named range may grow it over the section written after it;
    a section is never allowed to read into the next one.
    """
    clipped: list[_Marker] = []
    next_start: int | None = None
    for marker in reversed(markers):
        end = marker.end
        if next_start is not None and marker.start < next_start < end:
            end = next_start
        clipped.append(_Marker(marker.series_id, marker.meeting, marker.start, end))
        if next_start is None or marker.start < next_start:
            next_start = marker.start
    clipped.reverse()
    return clipped


def find_sections(tab: TabContent, series_id: str) -> list[FoundSection]:
    """The meeting sections of `series_id` in the tab, in document order.

    Marked sections come from our named ranges (so renamed or restyled headings do not
    matter). Unmarked, hand-typed sections start at a dated heading of the meeting-heading
    level (see `_meeting_level`) and run to the next such heading, a marked section of any
    series, a heading above that level, or the end of the body. Text before the first
    section belongs to no section. Other series' marked sections are not returned but
    still bound unmarked ones. Overlapping marker ranges are cut where the later begins.
    """
    paras = paragraphs(tab)
    markers = _markers(tab)
    ends = [p.end for p in paras]
    sections = [
        _section(m.meeting, m.start, m.end, True, _within(paras, ends, m.start, m.end))
        for m in markers
        if m.series_id == series_id
    ]
    sections.extend(_unmarked_sections(paras, _marked_flags(paras, markers), _body_end(tab)))
    sections.sort(key=lambda section: (section.start, section.end))
    return sections


def _body_end(tab: TabContent) -> int:
    content = tab.body.get("content") or [{}]
    return _int(content[-1].get("endIndex"), 1)


def _section(
    meeting: dt.date | None, start: int, end: int, marked: bool, paras: Sequence[DocParagraph]
) -> FoundSection:
    return FoundSection(meeting, start, end, marked, tuple(p.block for p in paras), tuple(paras))


def _within(
    paras: Sequence[DocParagraph], ends: Sequence[int], start: int, end: int
) -> list[DocParagraph]:
    """The paragraphs overlapping [start, end): a range that the user's edits left ending
    mid-paragraph still takes that paragraph whole. `ends` are the paragraphs' end indexes
    (increasing, as paragraphs tile the body), for a binary search instead of a scan."""
    first = bisect.bisect_right(ends, start)
    taken: list[DocParagraph] = []
    for para in paras[first:]:
        if para.start >= end:
            break
        taken.append(para)
    return taken


def _marked_flags(paras: Sequence[DocParagraph], markers: Sequence[_Marker]) -> list[bool]:
    """For each paragraph, whether a marker range (of any series) overlaps it."""
    flags: list[bool] = []
    ranges = sorted((m.start, m.end) for m in markers)
    index = 0
    reach = -1  # the furthest end among ranges starting before the current paragraph's end
    for para in paras:
        while index < len(ranges) and ranges[index][0] < para.end:
            reach = max(reach, ranges[index][1])
            index += 1
        flags.append(reach > para.start)
    return flags


def _meeting_level(candidates: Sequence[tuple[DocParagraph, dt.date]]) -> int | None:
    """The heading level of hand-typed meeting headings.

    The smallest level (highest in the outline) that has at least two dated headings, else
    the smallest level with one: a doc-level H1 such as "Notes since 2025-01-14" above H2
    meeting headings must not swallow every meeting.
    """
    counts = Counter(p.heading_level for p, _ in candidates if p.heading_level)
    if not counts:
        return None
    repeated = [level for level, count in counts.items() if count >= 2]
    return min(repeated) if repeated else min(counts)


def _unmarked_sections(
    paras: Sequence[DocParagraph], marked: Sequence[bool], body_end: int
) -> list[FoundSection]:
    candidates: list[tuple[DocParagraph, dt.date]] = []
    for para, is_marked in zip(paras, marked, strict=True):
        if para.heading_level and not is_marked:
            day = heading_date(para.block.text)
            if day is not None:
                candidates.append((para, day))
    level = _meeting_level(candidates)
    if level is None:
        return []
    starts = {id(p): day for p, day in candidates if p.heading_level == level}
    sections: list[FoundSection] = []
    open_day: dt.date | None = None
    open_paras: list[DocParagraph] = []
    for para, is_marked in zip(paras, marked, strict=True):
        ends_open = (
            is_marked
            or id(para) in starts
            or (para.heading_level is not None and para.heading_level < level)
        )
        if ends_open and open_day is not None:
            # Up to where the next thing starts, so a table after the last paragraph stays in.
            sections.append(_section(open_day, open_paras[0].start, para.start, False, open_paras))
            open_day, open_paras = None, []
        if is_marked:
            continue
        if id(para) in starts:
            open_day, open_paras = starts[id(para)], [para]
        elif open_day is not None:
            open_paras.append(para)
    if open_day is not None:
        end = max(body_end, open_paras[-1].end)
        sections.append(_section(open_day, open_paras[0].start, end, False, open_paras))
    return sections


def latest_section(
    sections: Iterable[FoundSection], before: dt.date | None = None
) -> FoundSection | None:
    """The section with the latest meeting date (strictly before `before` when given).

    By date, not position: with position = "top" the newest section is first. On a tie a
    marked section wins over a hand-typed one, then the later one in the doc.
    """
    dated = [
        s for s in sections if s.meeting is not None and (before is None or s.meeting < before)
    ]
    if not dated:
        return None
    return max(dated, key=lambda s: (s.meeting, s.marked, s.start))


def has_section_for(
    tab: TabContent, series_id: str, meeting: dt.date, held_on: dt.date | None = None
) -> bool:
    """True when the tab already has this meeting's section: our marker, or a dated heading.

    `meeting` is the scheduled date that names the section; `held_on`, for a moved
    meeting, the day it takes place: a heading dated either way counts. The marker counts
    even when its range has shrunk to nothing (someone deleted the section's text):
    writing the section a second time would undo what they did.
    """
    if any(parse_marker(str(name)) == (series_id, meeting) for name in tab.named_ranges):
        return True
    days = {meeting, held_on or meeting}
    return any(not s.marked and s.meeting in days for s in find_sections(tab, series_id))


# A moved meeting's heading names the day it took place; a date further than this from
# the section's scheduled date is something else (a deadline someone typed there).
_MOVED_AT_MOST = dt.timedelta(days=31)


def section_heading(section: FoundSection) -> DocParagraph | None:
    """The section's own heading: its first paragraph with text, when that is a heading."""
    first = next((p for p in section.paragraphs if p.block.text.strip()), None)
    return first if first is not None and first.heading_level is not None else None


def held_on(section: FoundSection) -> dt.date | None:
    """The day the section's meeting took place.

    The first date written in the section's heading ("… — Thursday 11 February 2027
    (2027-02-11)"; the previous template wrote "Thursday 11 February 2027 (2027-02-09)"
    for a meeting moved from the 9th, and the written-out date comes first there too),
    when it is within a month of the section's meeting date; else that date.
    """
    if section.meeting is None:
        return None
    heading = section_heading(section)
    for day in dates_in(heading.block.text) if heading is not None else ():
        if abs(day - section.meeting) <= _MOVED_AT_MOST:
            return day
    return section.meeting
