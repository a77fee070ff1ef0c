"""Blocks -> the requests of ONE Docs batchUpdate that inserts a whole agenda section.

Only inserted text is ever touched: every range below lies inside the inserted section, so
what people wrote in the doc keeps its characters and styles. Reading sections back lives in
`gworkflow.agenda.parse`; sending the batch (revision guard, retries) in
`gworkflow.google.docs`.

How the section goes in (indexes are UTF-16 code units, docs.v1.json):
- "end": insert "\n" + the section's paragraphs just before the body's final newline. The
  leading "\n" ends the user's last paragraph, so our first paragraph starts fresh; the
  body's final newline ends our last paragraph.
- "top": insert the paragraphs + "\n" at the start of the first paragraph (the first one
  below the "How this doc works" paragraph, `INTRO_MARKER`, when the doc has it), so the
  user's paragraph keeps its own style.
A paragraph made by an inserted "\n" copies the style (bullets included) of the paragraph it
was split from, and inserted text takes the text style before it; so every inserted paragraph
gets its bullets deleted, its paragraph style set, and the inserted text its text style reset,
before our own headings, lists and spans are applied.

`createParagraphBullets` removes the leading tabs that set nesting levels, which shifts
every later index. Bullets are therefore created last and from the end of the section
backwards (a run's removals only move text after it), and the marker's named range is
computed with the tabs already gone.

People chips (`Span.person`) are written as mailto links with the person's name: an
`insertPerson` element would need index bookkeeping of its own for little gain. A link to a
heading (`Span.heading_id`, e.g. "Previous meeting") is a Docs heading link in the same tab.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace

from gworkflow.agenda.blocks import (
    INTRO_MARKER,
    LINE_BREAK,
    LIST_KINDS,
    MARKER_PREFIX,
    Block,
    BlockKind,
    Span,
)
from gworkflow.agenda.docjson import TabContent
from gworkflow.types import JSON, Position

BULLET_PRESETS = {
    BlockKind.BULLET: "BULLET_DISC_CIRCLE_SQUARE",
    BlockKind.NUMBERED: "NUMBERED_DECIMAL_ALPHA_ROMAN",
    BlockKind.CHECKLIST: "BULLET_CHECKBOX",
}
# Everything a run of inserted text could have inherited from the text before it: every
# property of TextStyle in Google's Docs v1 discovery document (docs.v1.json,
# schemas.TextStyle.properties, shipped in googleapiclient/discovery_cache/documents/; see
# docs/google-api-notes.md, "TextStyle fields and field masks"). The sandbox keeps its own
# copy; tests/unit/test_google_facts.py checks this one against the discovery document.
TEXT_STYLE_FIELDS = (
    "bold,italic,underline,strikethrough,smallCaps,backgroundColor,foregroundColor,"
    "fontSize,weightedFontFamily,baselineOffset,link"
)
# Paragraph properties a split paragraph copies from the user's paragraph; listed without
# a value they go back to the named style's defaults.
PARAGRAPH_STYLE_FIELDS = (
    "namedStyleType,alignment,indentStart,indentEnd,indentFirstLine,spaceAbove,spaceBelow"
)

# Google strips these from inserted text: docs.v1.json, InsertTextRequest.text, "Some
# control characters (U+0000-U+0008, U+000C-U+001F) and characters from the Unicode Basic
# Multilingual Plane Private Use Area (U+E000-U+F8FF) will be stripped out of the inserted
# text" (docs/google-api-notes.md, "insertText strips control characters"). Removing them
# first keeps our index arithmetic equal to Google's. Checked against a literal expected
# string in tests/unit/test_google_facts.py, not against the sandbox's copy.
_STRIPPED = re.compile("[\u0000-\u0008\u000c-\u001f\ue000-\uf8ff]")
_NEWLINES = re.compile("\r\n|\r|\n")


def u16len(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def clean_text(text: str) -> str:
    """Text as Google will store it: newlines inside a paragraph become line breaks."""
    return _STRIPPED.sub("", _NEWLINES.sub(LINE_BREAK, text))


@dataclass(frozen=True)
class _Paragraph:
    block: Block
    spans: tuple[Span, ...]  # cleaned
    tabs: int  # leading tabs that set the nesting level; removed by createParagraphBullets
    start: int  # before tab removal

    @property
    def text(self) -> str:
        return "\t" * self.tabs + "".join(span.text for span in self.spans)

    @property
    def end(self) -> int:
        """End index (exclusive, after the newline) before tab removal."""
        return self.start + u16len(self.text) + 1


def _cleaned(block: Block) -> tuple[Span, ...]:
    spans = []
    for span in block.spans:
        text = clean_text(span.text)
        if text:
            spans.append(replace(span, text=text))
    if block.kind in LIST_KINDS and spans:
        # A leading tab in the text itself would turn into one more nesting level.
        spans[0] = replace(spans[0], text=spans[0].text.lstrip("\t"))
    return tuple(span for span in spans if span.text)


def _range(start: int, end: int, tab_id: str | None) -> JSON:
    out: JSON = {"startIndex": start, "endIndex": end}
    if tab_id:
        out["tabId"] = tab_id
    return out


def _layout(blocks: Sequence[Block], first_start: int) -> list[_Paragraph]:
    out: list[_Paragraph] = []
    start = first_start
    for block in blocks:
        tabs = block.level if block.kind in LIST_KINDS else 0
        paragraph = _Paragraph(block, _cleaned(block), tabs, start)
        out.append(paragraph)
        start = paragraph.end
    return out


def _link(span: Span, tab_id: str | None) -> JSON | None:
    """The Docs Link for a span: a web or mailto address, or a heading of this doc.

    A heading link is `heading: {id, tabId}` when writing into a tab; docs.v1.json
    (schemas.Link) calls `headingId` the legacy field, kept for a doc read without tabs.
    """
    if span.person:
        return {"url": f"mailto:{span.person}"}
    if span.heading_id:
        if tab_id:
            return {"heading": {"id": span.heading_id, "tabId": tab_id}}
        return {"headingId": span.heading_id}
    if span.link:
        return {"url": span.link}
    return None


def _span_style(span: Span, tab_id: str | None) -> tuple[JSON, list[str]]:
    style: JSON = {}
    fields: list[str] = []
    if span.bold:
        style["bold"] = True
        fields.append("bold")
    if span.italic:
        style["italic"] = True
        fields.append("italic")
    if span.strike:
        style["strikethrough"] = True
        fields.append("strikethrough")
    link = _link(span, tab_id)
    if link:
        style["link"] = link
        fields.append("link")
    return style, fields


def _list_runs(paragraphs: Sequence[_Paragraph]) -> list[list[_Paragraph]]:
    """Consecutive list items of one kind: each becomes one Docs list."""
    runs: list[list[_Paragraph]] = []
    previous: BlockKind | None = None
    for paragraph in paragraphs:
        kind = paragraph.block.kind
        if kind not in LIST_KINDS:
            previous = None
            continue
        if kind == previous:
            runs[-1].append(paragraph)
        else:
            runs.append([paragraph])
        previous = kind
    return runs


def section_requests(
    blocks: Sequence[Block],
    at_index: int,
    tab_id: str | None,
    marker: str,
    position: Position = "end",
) -> list[JSON]:
    """The requests inserting `blocks` at `at_index` and marking them with the named range
    `marker`, in order, for one batchUpdate.

    `at_index` is where the text goes: for "end" the body's final newline (end index - 1),
    for "top" the start of the body's first paragraph (see `placement`).
    """
    if not blocks:
        raise ValueError("a section needs at least one block")
    lead = "\n" if position == "end" else ""
    paragraphs = _layout(blocks, at_index + len(lead))
    body = "\n".join(p.text for p in paragraphs)
    text = lead + body if position == "end" else body + "\n"
    inserted_end = at_index + u16len(text)
    first, last = paragraphs[0].start, paragraphs[-1].end
    requests: list[JSON] = [
        {"insertText": {"text": text, "location": _location(at_index, tab_id)}},
        # An inherited bullet would survive a paragraph style change; delete it first (it
        # leaves an indent behind, which the paragraph style reset below clears).
        {"deleteParagraphBullets": {"range": _range(first, last, tab_id)}},
        {
            "updateParagraphStyle": {
                "range": _range(first, last, tab_id),
                "paragraphStyle": {"namedStyleType": "NORMAL_TEXT"},
                "fields": PARAGRAPH_STYLE_FIELDS,
            }
        },
        {
            "updateTextStyle": {
                "range": _range(at_index, inserted_end, tab_id),
                "textStyle": {},
                "fields": TEXT_STYLE_FIELDS,
            }
        },
    ]
    for paragraph in paragraphs:
        if paragraph.block.kind == BlockKind.HEADING:
            level = min(max(paragraph.block.level, 1), 6)
            requests.append(
                {
                    "updateParagraphStyle": {
                        "range": _range(paragraph.start, paragraph.end, tab_id),
                        "paragraphStyle": {"namedStyleType": f"HEADING_{level}"},
                        "fields": "namedStyleType",
                    }
                }
            )
    for paragraph in paragraphs:
        position_in = paragraph.start + paragraph.tabs
        for span in paragraph.spans:
            length = u16len(span.text)
            style, fields = _span_style(span, tab_id)
            if fields:
                requests.append(
                    {
                        "updateTextStyle": {
                            "range": _range(position_in, position_in + length, tab_id),
                            "textStyle": style,
                            "fields": ",".join(fields),
                        }
                    }
                )
            position_in += length
    # Last run first: its tab removals shift only text after it, never an earlier run.
    for run in reversed(_list_runs(paragraphs)):
        requests.append(
            {
                "createParagraphBullets": {
                    "range": _range(run[0].start, run[-1].end, tab_id),
                    "bulletPreset": BULLET_PRESETS[run[0].block.kind],
                }
            }
        )
    removed = sum(p.tabs for p in paragraphs)
    requests.append(
        {"createNamedRange": {"name": marker, "range": _range(first, last - removed, tab_id)}}
    )
    return requests


def _location(index: int, tab_id: str | None) -> JSON:
    out: JSON = {"index": index}
    if tab_id:
        out["tabId"] = tab_id
    return out


def _intro_end(tab: TabContent) -> int | None:
    """Where the "How this doc works" paragraph (INTRO_MARKER) ends, if the tab has it.

    Google may or may not grow a named range over text inserted exactly at its end
    (docs/google-api-notes.md, "Insertion at a named range's edge"): if it does, the intro's
    range has swallowed the sections written below it since. A section's own marker never
    moves, so the intro ends at the latest where the first section after it starts.
    """
    pieces = [
        (name, int(piece.get("startIndex", 0)), int(piece.get("endIndex", 0)))
        for name, entry in tab.named_ranges.items()
        if name.startswith(f"{MARKER_PREFIX}:") and isinstance(entry, dict)
        for named in entry.get("namedRanges", ())
        for piece in named.get("ranges", ())
        if isinstance(piece, dict)
    ]
    intro = [(start, end) for name, start, end in pieces if name == INTRO_MARKER]
    if not intro:
        return None
    start, end = min(intro)
    after = [s for name, s, _ in pieces if name != INTRO_MARKER and s > start]
    return min([end, *after])


def _first_paragraph(tab: TabContent, at_or_after: int = 0) -> int | None:
    """The start of the first paragraph at or after an index (a table may open the body,
    and text can only go inside a paragraph)."""
    for element in tab.content:
        start = int(element.get("startIndex", 0))
        if "paragraph" in element and start >= at_or_after:
            return start
    return None


def placement(tab: TabContent, position: Position) -> tuple[int, Position]:
    """Where the section's text goes in `tab`, and how: before the final newline ("end"),
    or at the start of the first paragraph ("top") — below the "How this doc works"
    paragraph when there is one, or at the end when nothing follows that paragraph."""
    if position == "top":
        found = _first_paragraph(tab, _intro_end(tab) or 0)
        if found is not None:
            return found, "top"
    return tab.end_index - 1, "end"


def build_section(
    blocks: Sequence[Block], tab: TabContent, position: Position, marker: str
) -> list[JSON]:
    """The requests for inserting `blocks` into `tab` at `position`, marked `marker`."""
    at, how = placement(tab, position)
    return section_requests(blocks, at, tab.tab_id, marker, how)
