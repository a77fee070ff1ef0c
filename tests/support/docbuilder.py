"""Hand-built `documents.get` responses in Google's JSON shape, for tests.

The docs it builds are consistent the way Google's are (see the fixtures' README): the
body starts with a section break ending at 1, elements tile the index space in UTF-16
code units, every paragraph ends with "\\n", zero values are omitted (a top-level list
item has no `nestingLevel`), and each list kind has its own list whose nesting levels
carry Google's glyph info (checklist: glyphType GLYPH_TYPE_UNSPECIFIED, no glyphSymbol).

    doc = build_doc([
        ("HEADING_1", "Check-in 2026-12-08"),
        ("HEADING_3", "Goals"),
        ("NORMAL_TEXT", "Finish the survey", "checklist", 1),
        ("NORMAL_TEXT", [run("bold", bold=True), person("ruth@example.org", "Ruth")]),
    ])

A row is (named style, text or element list[, list kind[, nesting level]]). Use
DocBuilder directly for tables, named ranges, headings without headingId, or the tabs form.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Sequence
from typing import Any

JSON = dict[str, Any]
Row = tuple[Any, ...]

LIST_IDS = {"bullet": "kix.bullets", "numbered": "kix.numbers", "checklist": "kix.checks"}
_BULLET_GLYPHS = ("●", "○", "■")
_NUMBER_GLYPHS = ("DECIMAL", "ALPHA", "ROMAN")


def utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


# --- paragraph elements (without indexes; the builder adds them) --------------------------


def run(
    text: str,
    *,
    bold: bool = False,
    italic: bool = False,
    strike: bool = False,
    link: str | None = None,
    suggested_insert: bool = False,
    suggested_delete: bool = False,
) -> JSON:
    style: JSON = {}
    if bold:
        style["bold"] = True
    if italic:
        style["italic"] = True
    if strike:
        style["strikethrough"] = True
    if link:
        style["link"] = {"url": link}
    body: JSON = {"content": text, "textStyle": style}
    if suggested_insert:
        body["suggestedInsertionIds"] = ["suggest.ins1"]
    if suggested_delete:
        body["suggestedDeletionIds"] = ["suggest.del1"]
    return {"textRun": body}


def person(email: str, name: str | None = None) -> JSON:
    props: JSON = {"email": email}
    if name:
        props["name"] = name
    return {"person": {"personId": f"p.{email}", "personProperties": props, "textStyle": {}}}


def date_chip(display: str | None, timestamp: str = "2027-01-24T00:00:00Z") -> JSON:
    props: JSON = {"timestamp": timestamp, "timeZoneId": "America/Chicago", "locale": "en"}
    if display is not None:
        props["displayText"] = display
    return {"dateElement": {"dateId": "d.1", "dateElementProperties": props, "textStyle": {}}}


def rich_link(uri: str, title: str) -> JSON:
    return {
        "richLink": {
            "richLinkId": "rl.1",
            "richLinkProperties": {"uri": uri, "title": title},
            "textStyle": {},
        }
    }


def image() -> JSON:
    return {"inlineObjectElement": {"inlineObjectId": "kix.img1", "textStyle": {}}}


def _element_length(element: JSON) -> int:
    if "textRun" in element:
        return utf16_len(element["textRun"]["content"])
    return 1  # every other element kind takes one index


# --- the builder ----------------------------------------------------------------------


def _list_properties(kind: str) -> JSON:
    levels: list[JSON] = []
    for level in range(9):
        nesting: JSON = {
            "bulletAlignment": "START",
            "indentFirstLine": {"magnitude": 18 + 36 * level, "unit": "PT"},
            "indentStart": {"magnitude": 36 + 36 * level, "unit": "PT"},
            "textStyle": {"underline": False},
            "startNumber": 1,
        }
        if kind == "bullet":
            nesting["glyphSymbol"] = _BULLET_GLYPHS[level % 3]
            nesting["glyphFormat"] = f"%{level}"
        elif kind == "numbered":
            nesting["glyphType"] = _NUMBER_GLYPHS[level % 3]
            nesting["glyphFormat"] = f"%{level}."
        else:
            nesting["glyphType"] = "GLYPH_TYPE_UNSPECIFIED"
            nesting["glyphFormat"] = f"%{level}"
        levels.append(nesting)
    return {"listProperties": {"nestingLevels": levels}}


class DocBuilder:
    """Appends paragraphs, tables and named ranges with consistent indexes."""

    def __init__(self, title: str = "Peer mentoring") -> None:
        self.title = title
        self.index = 1
        self.content: list[JSON] = [
            {"endIndex": 1, "sectionBreak": {"sectionStyle": {"sectionType": "CONTINUOUS"}}}
        ]
        self.named_ranges: JSON = {}
        self._ids = itertools.count(1)

    def _paragraph(
        self,
        start: int,
        style: str,
        text: str | Sequence[JSON],
        kind: str | None,
        level: int,
        heading_id: bool,
    ) -> JSON:
        elements = [run(text)] if isinstance(text, str) else [dict(e) for e in text]
        last = elements[-1] if elements else None
        if last is not None and "textRun" in last:
            last["textRun"] = {**last["textRun"], "content": last["textRun"]["content"] + "\n"}
        else:
            elements.append(run("\n"))
        index = start
        placed = []
        for element in elements:
            length = _element_length(element)
            placed.append({"startIndex": index, "endIndex": index + length, **element})
            index += length
        paragraph_style: JSON = {"namedStyleType": style, "direction": "LEFT_TO_RIGHT"}
        if heading_id and (style.startswith("HEADING_") or style in ("TITLE", "SUBTITLE")):
            paragraph_style["headingId"] = f"h.{next(self._ids)}"
        paragraph: JSON = {"elements": placed, "paragraphStyle": paragraph_style}
        if kind is not None:
            bullet: JSON = {"listId": LIST_IDS[kind], "textStyle": {}}
            if level:
                bullet["nestingLevel"] = level
            paragraph["bullet"] = bullet
        return {"startIndex": start, "endIndex": index, "paragraph": paragraph}

    def add(
        self,
        style: str,
        text: str | Sequence[JSON],
        kind: str | None = None,
        level: int = 0,
        *,
        heading_id: bool = True,
    ) -> tuple[int, int]:
        """Append one paragraph; returns its (start, end)."""
        element = self._paragraph(self.index, style, text, kind, level, heading_id)
        self.content.append(element)
        start, self.index = self.index, element["endIndex"]
        return start, self.index

    def rows(self, rows: Iterable[Row]) -> tuple[int, int]:
        """Append rows (style, text[, kind[, level]]); returns the (start, end) they cover."""
        start = self.index
        for row in rows:
            self.add(*row)
        return start, self.index

    def table(
        self, cells: Sequence[Sequence[str | Sequence[JSON]]], style: str = "NORMAL_TEXT"
    ) -> None:
        """Append a table (each cell one paragraph) and the paragraph Google puts after one."""
        start = self.index
        index = start + 1
        table_rows: list[JSON] = []
        for row in cells:
            row_start = index
            index += 1
            table_cells: list[JSON] = []
            for cell in row:
                cell_start = index
                paragraph = self._paragraph(index + 1, style, cell, None, 0, True)
                index = paragraph["endIndex"]
                table_cells.append(
                    {"startIndex": cell_start, "endIndex": index, "content": [paragraph]}
                )
            table_rows.append(
                {"startIndex": row_start, "endIndex": index, "tableCells": table_cells}
            )
        self.content.append(
            {
                "startIndex": start,
                "endIndex": index,
                "table": {
                    "rows": len(cells),
                    "columns": max((len(r) for r in cells), default=0),
                    "tableRows": table_rows,
                },
            }
        )
        self.index = index
        self.add("NORMAL_TEXT", "")

    def mark(self, name: str, start: int, end: int) -> None:
        """Add a named range `name` over [start, end) (another one if the name exists)."""
        entry = self.named_ranges.setdefault(name, {"name": name, "namedRanges": []})
        entry["namedRanges"].append(
            {
                "namedRangeId": f"kix.nr{next(self._ids)}",
                "name": name,
                "ranges": [{"startIndex": start, "endIndex": end}],
            }
        )

    def build(self, *, tabs: bool = False) -> JSON:
        """The documents.get response: legacy form, or includeTabsContent=true form."""
        content = list(self.content)
        if len(content) == 1:
            # A body always has at least one paragraph.
            content.append(self._paragraph(1, "NORMAL_TEXT", "", None, 0, True))
        lists = {LIST_IDS[kind]: _list_properties(kind) for kind in LIST_IDS}
        fields: JSON = {"body": {"content": content}, "lists": lists}
        if self.named_ranges:
            fields["namedRanges"] = self.named_ranges
        if not tabs:
            return {"title": self.title, "documentId": "doc1", "revisionId": "r1", **fields}
        return {
            "title": self.title,
            "documentId": "doc1",
            "revisionId": "r1",
            "tabs": [{"tabProperties": {"tabId": "t.0", "title": "Tab 1"}, "documentTab": fields}],
        }


def build_doc(rows: Iterable[Row], *, tabs: bool = False) -> JSON:
    """A doc from rows (style, text or elements[, list kind[, nesting level]])."""
    builder = DocBuilder()
    builder.rows(rows)
    return builder.build(tabs=tabs)


def check_consistent(doc: JSON) -> None:
    """Assert the body tiles its index space the way Google's bodies do."""
    body = doc["body"] if "body" in doc else doc["tabs"][0]["documentTab"]["body"]
    expected = 0
    for element in body["content"]:
        assert element.get("startIndex", 0) == expected, element
        if "paragraph" in element:
            position = element["startIndex"]
            for part in element["paragraph"]["elements"]:
                assert part["startIndex"] == position
                position = part["endIndex"]
            assert position == element["endIndex"]
            last = element["paragraph"]["elements"][-1]
            assert last["textRun"]["content"].endswith("\n")
        expected = element["endIndex"]
