"""Witnesses on the raw `documents.get` JSON: what a test checks a doc against.

Small readers of their own, so that a test never asks the code under test (gworkflow's
parser and carry-forward) whether that code did the right thing, and never asks the
sandbox's own reader either. Each works on the JSON as Google returns it:

- `paragraphs(doc)`: a tab's top-level paragraphs with text, named style, indexes, list
  nesting and text runs;
- `marker_count(doc, series, day)` / `marked_days(doc, series)`: named ranges named
  `gworkflow:<series>:<date>`, the marker gworkflow puts on each section it writes;
- `heading_count(doc, text)`: Heading 1 paragraphs containing a text (e.g. "(2026-12-08)");
- `text_under(doc, section, path)`: the paragraphs under a literal heading path, e.g.
  ("Ruth", "Goals") inside the section whose Heading 1 contains "2026-12-08";
- `all_text(doc)`: every character of a tab's body, for "nothing was lost" checks.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

JSON = dict[str, Any]
MARKER_PREFIX = "gworkflow:"


@dataclass(frozen=True)
class Para:
    """One top-level paragraph of a tab's body."""

    text: str  # the text runs, without the final newline
    style: str  # namedStyleType
    start: int
    end: int
    list_level: int | None  # the bullet's nestingLevel, None when not in a list
    list_id: str | None
    runs: tuple[tuple[str, JSON], ...]  # (content, textStyle) of each text run


def tab(doc: JSON, title_or_id: str | None = None) -> JSON:
    """A tab's documentTab (the first tab by default), or the doc itself in legacy form."""
    if "tabs" not in doc:
        assert title_or_id is None, "a legacy-form document has no tabs"
        return doc
    pending = list(doc["tabs"])
    while pending:
        candidate = pending.pop(0)
        props = candidate.get("tabProperties", {})
        if title_or_id is None or title_or_id in (props.get("tabId"), props.get("title")):
            return candidate["documentTab"]  # type: ignore[no-any-return]
        pending[:0] = candidate.get("childTabs", [])
    raise AssertionError(f"no tab {title_or_id!r}")


def paragraphs(doc: JSON, tab_name: str | None = None) -> list[Para]:
    """The tab's body paragraphs in order (paragraphs inside tables are not included)."""
    found: list[Para] = []
    for element in tab(doc, tab_name).get("body", {}).get("content", []):
        if "paragraph" not in element:
            continue
        paragraph = element["paragraph"]
        runs = tuple(
            (part["textRun"].get("content", ""), part["textRun"].get("textStyle", {}))
            for part in paragraph.get("elements", [])
            if "textRun" in part
        )
        bullet = paragraph.get("bullet")
        found.append(
            Para(
                text="".join(content for content, _ in runs).removesuffix("\n"),
                style=paragraph.get("paragraphStyle", {}).get("namedStyleType", "NORMAL_TEXT"),
                start=element.get("startIndex", 0),
                end=element["endIndex"],
                list_level=bullet.get("nestingLevel", 0) if bullet is not None else None,
                list_id=bullet.get("listId") if bullet is not None else None,
                runs=runs,
            )
        )
    return found


def list_kind(doc: JSON, para: Para, tab_name: str | None = None) -> str | None:
    """ "checklist", "bullet" or "numbered" for a list item (None for other paragraphs).

    From the list's nesting level as the Docs API reference describes a glyph: a
    glyphSymbol is a bullet, an ordered glyphType is numbered, and a checklist level has
    neither (its glyphType is GLYPH_TYPE_UNSPECIFIED, or left out as a zero value)."""
    if para.list_id is None or para.list_level is None:
        return None
    lists = tab(doc, tab_name).get("lists", {})
    levels = lists[para.list_id]["listProperties"]["nestingLevels"]
    glyph = levels[para.list_level]
    if glyph.get("glyphSymbol"):
        return "bullet"
    if glyph.get("glyphType", "GLYPH_TYPE_UNSPECIFIED") == "GLYPH_TYPE_UNSPECIFIED":
        return "checklist"
    return "bullet" if glyph["glyphType"] == "NONE" else "numbered"


def bold_text(para: Para) -> str:
    """The paragraph's text that is bold."""
    return "".join(content for content, style in para.runs if style.get("bold")).rstrip("\n")


def all_text(doc: JSON, tab_name: str | None = None) -> str:
    """Every text run of the tab's body, in order (tables included)."""

    def walk(content: list[JSON]) -> str:
        text = ""
        for element in content:
            for part in element.get("paragraph", {}).get("elements", []):
                text += part.get("textRun", {}).get("content", "")
            for row in element.get("table", {}).get("tableRows", []):
                for cell in row.get("tableCells", []):
                    text += walk(cell.get("content", []))
        return text

    return walk(tab(doc, tab_name).get("body", {}).get("content", []))


def is_subsequence(before: str, after: str) -> bool:
    """Every character of `before` is still in `after`, in order (nothing was lost)."""
    remaining = iter(after)
    return all(char in remaining for char in before)


def markers(doc: JSON, tab_name: str | None = None) -> list[tuple[str, int, int]]:
    """(name, start, end) of every gworkflow named range in the tab, in document order."""
    found = []
    for name, entry in tab(doc, tab_name).get("namedRanges", {}).items():
        if not name.startswith(MARKER_PREFIX):
            continue
        for named_range in entry.get("namedRanges", []):
            for piece in named_range.get("ranges", []):
                found.append((name, piece.get("startIndex", 0), piece["endIndex"]))
    return sorted(found, key=lambda marker: marker[1:])


def marker_count(doc: JSON, series: str, day: dt.date, tab_name: str | None = None) -> int:
    """How many named ranges are called `gworkflow:<series>:<day>`."""
    name = f"{MARKER_PREFIX}{series}:{day.isoformat()}"
    return sum(1 for marker in markers(doc, tab_name) if marker[0] == name)


def marked_days(doc: JSON, series: str, tab_name: str | None = None) -> list[dt.date]:
    """The meeting date of each of `series`' named ranges, in document order."""
    prefix = f"{MARKER_PREFIX}{series}:"
    return [
        dt.date.fromisoformat(name.removeprefix(prefix))
        for name, _, _ in markers(doc, tab_name)
        if name.startswith(prefix)
    ]


def marked_paragraphs(doc: JSON, name: str, tab_name: str | None = None) -> list[Para]:
    """The paragraphs inside the one named range called `name`."""
    (marker,) = [m for m in markers(doc, tab_name) if m[0] == name]
    _, start, end = marker
    return [p for p in paragraphs(doc, tab_name) if start <= p.start < end]


def heading_count(doc: JSON, text: str, tab_name: str | None = None) -> int:
    """How many Heading 1 paragraphs contain `text`."""
    return sum(1 for p in paragraphs(doc, tab_name) if p.style == "HEADING_1" and text in p.text)


def _level(style: str) -> int | None:
    prefix = "HEADING_"
    return int(style[len(prefix) :]) if style.startswith(prefix) else None


def text_under(
    doc: JSON, section: str, path: Sequence[str], tab_name: str | None = None
) -> list[str]:
    """The text of each non-heading paragraph under the headings `path` (outermost first,
    exact text) in the one section whose Heading 1 contains `section`."""
    paras = paragraphs(doc, tab_name)
    (first,) = [i for i, p in enumerate(paras) if p.style == "HEADING_1" and section in p.text]
    open_headings: list[tuple[int, str]] = []
    found: list[str] = []
    for para in paras[first + 1 :]:
        level = _level(para.style)
        if level == 1:
            break
        if level is not None:
            open_headings = [(n, t) for n, t in open_headings if n < level]
            open_headings.append((level, para.text.strip()))
        elif [t for _, t in open_headings] == list(path):
            found.append(para.text)
    return found
