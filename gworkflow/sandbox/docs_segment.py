"""Index arithmetic on one Docs segment (a body, header, footer or footnote `content` list).

Lives here: UTF-16 helpers, recomputing `startIndex`/`endIndex` after an edit, finding the
paragraph that holds an index, and the primitive edits every request is built from
(insert text or an inline element, delete a range, split/merge paragraphs and runs), plus
`check_index_consistency`. Does not live here: request parsing, named ranges, lists, tabs
and the store (see docs_requests.py and docs.py).

Facts this follows (docs.v1.json and the captures in tests/support/fixtures/google-docs/):
indexes are UTF-16 code units, end exclusive; a zero `startIndex` is omitted; a table takes
1 unit for its start, 1 per row and 1 per cell before the cell's content, and 1 for
its end.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

JSON = dict[str, Any]

# ParagraphElement kinds that are not text runs keep the length they were seeded with
# (almost always 1); new ones made by insertPerson/insertDate/insertRichLink take 1.
INLINE_KINDS = (
    "autoText",
    "columnBreak",
    "dateElement",
    "equation",
    "footnoteReference",
    "horizontalRule",
    "inlineObjectElement",
    "pageBreak",
    "person",
    "richLink",
)


class InvalidRequest(Exception):
    """One request is invalid; the batch turns it into `Invalid requests[N].<kind>: reason`."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


# --- UTF-16 ---------------------------------------------------------------------------


def u16len(text: str) -> int:
    """Length in UTF-16 code units: astral characters (emoji) count 2."""
    return sum(2 if ord(ch) > 0xFFFF else 1 for ch in text)


def u16_to_py(text: str, offset: int) -> int:
    """The str index at UTF-16 `offset`; raises InvalidRequest inside a surrogate pair."""
    units = 0
    for i, ch in enumerate(text):
        if units == offset:
            return i
        units += 2 if ord(ch) > 0xFFFF else 1
        if units > offset:
            # docs.v1.json DeleteContentRangeRequest.range: "Deleting one code unit of a
            # surrogate pair" is invalid; the same holds for every index we split text at.
            raise InvalidRequest("The index falls between the two halves of a surrogate pair.")
    if units == offset:
        return len(text)
    raise InvalidRequest(f"Index {offset} is past the end of the text run.")


def py_to_u16(text: str, index: int) -> int:
    return u16len(text[:index])


# --- spans ----------------------------------------------------------------------------


def start_of(item: JSON) -> int:
    return int(item.get("startIndex", 0))


def end_of(item: JSON) -> int:
    return int(item.get("endIndex", 0))


def set_span(item: JSON, start: int, end: int) -> None:
    """Set indexes the way Google prints them: a zero startIndex is left out."""
    if start:
        item["startIndex"] = start
    else:
        item.pop("startIndex", None)
    item["endIndex"] = end


def element_length(element: JSON) -> int:
    run = element.get("textRun")
    if run is not None:
        return u16len(run.get("content", ""))
    return max(end_of(element) - start_of(element), 1)


def _shift_tree(node: Any, delta: int) -> None:
    """Move every index inside `node` by `delta` (for structures we never edit inside)."""
    if isinstance(node, dict):
        for key in ("startIndex", "endIndex"):
            if key in node:
                node[key] = int(node[key]) + delta
        for value in node.values():
            if isinstance(value, dict | list):
                _shift_tree(value, delta)
    elif isinstance(node, list):
        for value in node:
            _shift_tree(value, delta)


def reindex(content: list[JSON], pos: int) -> int:
    """Recompute every index in `content` starting at `pos`; returns the end index."""
    for item in content:
        start = pos
        if "paragraph" in item:
            for element in item["paragraph"].get("elements", []):
                length = element_length(element)
                set_span(element, pos, pos + length)
                pos += length
        elif "table" in item:
            pos += 1  # the table's own start
            for row in item["table"].get("tableRows", []):
                row_start = pos
                pos += 1
                for cell in row.get("tableCells", []):
                    cell_start = pos
                    pos = reindex(cell.get("content", []), pos + 1)
                    set_span(cell, cell_start, pos)
                set_span(row, row_start, pos)
            pos += 1  # the table's own end (legacy-tables.json: last row ends at 111, table at 112)
        else:
            # sectionBreak (1 unit), tableOfContents and anything newer: never edited
            # inside, so keep its length and move it whole.
            length = end_of(item) - start_of(item)
            _shift_tree(item, start - start_of(item))
            pos = start + length
        set_span(item, start, pos)
    return pos


# --- walking --------------------------------------------------------------------------


@dataclass
class ParagraphRef:
    """A paragraph item and the content list that holds it (body or a table cell)."""

    container: list[JSON]
    position: int

    @property
    def item(self) -> JSON:
        return self.container[self.position]

    @property
    def paragraph(self) -> JSON:
        paragraph: JSON = self.item["paragraph"]
        return paragraph

    @property
    def start(self) -> int:
        return start_of(self.item)

    @property
    def end(self) -> int:
        return end_of(self.item)


def iter_paragraphs(content: list[JSON]) -> Iterator[ParagraphRef]:
    """Every paragraph in document order, table cells included."""
    for position, item in enumerate(content):
        if "paragraph" in item:
            yield ParagraphRef(content, position)
        elif "table" in item:
            for row in item["table"].get("tableRows", []):
                for cell in row.get("tableCells", []):
                    yield from iter_paragraphs(cell.get("content", []))


def find_paragraph(content: list[JSON], index: int) -> ParagraphRef | None:
    for ref in iter_paragraphs(content):
        if ref.start <= index < ref.end:
            return ref
    return None


def paragraphs_in(content: list[JSON], start: int, end: int) -> list[ParagraphRef]:
    """Paragraphs overlapping [start, end)."""
    return [ref for ref in iter_paragraphs(content) if ref.start < end and ref.end > start]


def segment_end(content: list[JSON]) -> int:
    return end_of(content[-1]) if content else 0


def check_range(content: list[JSON], start: Any, end: Any, *, body: bool) -> tuple[int, int]:
    """Validate a Range against a segment; returns (start, end) as ints."""
    if not isinstance(start, int) or not isinstance(end, int):
        raise InvalidRequest("The range must have both a start and an end index.")
    if end < start:
        # Wording reproduced against Google in a public test table (test-google-bad-request-
        # copy.ts): "Invalid range: end index cannot be less than start index".
        raise InvalidRequest("Invalid range: end index cannot be less than start index")
    if end == start:
        raise InvalidRequest("The range should not be empty.")
    limit = segment_end(content)
    if end > limit:
        # Google's wording, e.g. "Index 500 must be less than the end index of the
        # referenced segment, 352." (seen in several public error logs).
        raise InvalidRequest(
            f"Index {end - 1} must be less than the end index of the referenced segment, {limit}."
        )
    if body and start < 1:
        raise InvalidRequest("Cannot operate on the first section break in the document.")
    if start < 0:
        raise InvalidRequest(f"Index {start} must be non-negative.")
    return start, end


# --- insertion ------------------------------------------------------------------------

INSIDE_PARAGRAPH = (
    # Google's wording, reproduced in public error logs (e.g. for index 0 and for a table's
    # start index).
    "The insertion index must be inside the bounds of an existing paragraph. "
    "You can still create new paragraphs by inserting newlines."
)


def locate_insertion(content: list[JSON], index: Any) -> ParagraphRef:
    if not isinstance(index, int):
        raise InvalidRequest("The location must have an index.")
    limit = segment_end(content)
    if index >= limit:
        raise InvalidRequest(
            f"Index {index} must be less than the end index of the referenced segment, {limit}."
        )
    ref = find_paragraph(content, index)
    if ref is None:
        raise InvalidRequest(INSIDE_PARAGRAPH)
    return ref


def _element_at(elements: list[JSON], index: int) -> int:
    for k, element in enumerate(elements):
        if start_of(element) <= index < end_of(element):
            return k
    raise InvalidRequest(INSIDE_PARAGRAPH)


def insert_text(
    content: list[JSON],
    index: int,
    text: str,
    *,
    prefer_following: bool,
    make_heading_id: Callable[[], str],
) -> None:
    """Insert `text` at `index`, splitting paragraphs at each newline, then reindex.

    docs.v1.json InsertTextRequest.text: "In most cases, the text style for the inserted
    text will match the text immediately before the insertion index" - so text goes into
    the run before the index, unless the index starts the paragraph (or `prefer_following`,
    used by replaceAllText so a replacement takes the style of the text it replaces).
    """
    ref = locate_insertion(content, index)
    elements = ref.paragraph.setdefault("elements", [])
    k = _element_at(elements, index)
    element = elements[k]
    offset = index - start_of(element)
    if "textRun" in element and (offset > 0 or prefer_following or k == 0):
        run = element["textRun"]
    elif k > 0 and "textRun" in elements[k - 1]:
        run = elements[k - 1]["textRun"]
        offset = u16len(run.get("content", ""))
    elif "textRun" in element:
        run = element["textRun"]
    else:
        run = {"content": "", "textStyle": {}}
        elements.insert(k, {"startIndex": index, "endIndex": index, "textRun": run})
        offset = 0
    old = run.get("content", "")
    cut = u16_to_py(old, offset)
    run["content"] = old[:cut] + text + old[cut:]
    split_paragraph_at_newlines(ref, make_heading_id)
    reindex_segment(content)


def insert_inline(content: list[JSON], index: int, element: JSON) -> None:
    """Insert a 1-unit inline element (person, date, rich link) at `index`, then reindex."""
    ref = locate_insertion(content, index)
    elements = ref.paragraph.setdefault("elements", [])
    k = _element_at(elements, index)
    split_run(elements, k, index)
    k = _element_at_or_after(elements, index)
    elements.insert(k, element)
    reindex_segment(content)


def _element_at_or_after(elements: list[JSON], index: int) -> int:
    for k, element in enumerate(elements):
        if start_of(element) >= index:
            return k
    return len(elements)


def split_run(elements: list[JSON], k: int, index: int) -> None:
    """Split the text run elements[k] in two at `index` (no-op at its edges)."""
    element = elements[k]
    run = element.get("textRun")
    start = start_of(element)
    if run is None or index <= start or index >= end_of(element):
        return
    text = run.get("content", "")
    cut = u16_to_py(text, index - start)
    tail = copy.deepcopy(element)
    run["content"] = text[:cut]
    tail["textRun"]["content"] = text[cut:]
    set_span(element, start, index)
    set_span(tail, index, end_of(tail))
    elements.insert(k + 1, tail)


def split_runs_at(elements: list[JSON], *indexes: int) -> None:
    for index in indexes:
        for k, element in enumerate(elements):
            if start_of(element) < index < end_of(element):
                split_run(elements, k, index)
                break


def reindex_segment(content: list[JSON]) -> None:
    reindex(content, start_of(content[0]) if content else 0)


def split_paragraph_at_newlines(ref: ParagraphRef, make_heading_id: Callable[[], str]) -> None:
    """Break a paragraph whose runs hold inner newlines into several paragraphs.

    docs.v1.json InsertTextRequest.text: "The paragraph style of the new paragraph will be
    copied from the paragraph at the current insertion index, including lists and
    bullets." The first piece keeps the original dict (and headingId); later pieces get
    copies, a heading getting a fresh headingId so ids stay unique.
    """
    original = ref.item
    paragraph = original["paragraph"]
    pieces: list[list[JSON]] = [[]]
    for element in paragraph.get("elements", []):
        run = element.get("textRun")
        if run is None:
            pieces[-1].append(element)
            continue
        text = run.get("content", "")
        parts = text.split("\n")
        for n, part in enumerate(parts):
            last = n == len(parts) - 1
            chunk = part if last else part + "\n"
            if chunk:
                piece = copy.deepcopy(element) if n else element
                piece["textRun"]["content"] = chunk
                pieces[-1].append(piece)
            if not last:
                pieces.append([])
    if pieces and not pieces[-1]:
        pieces.pop()
    if len(pieces) <= 1:
        return
    paragraph["elements"] = pieces[0]
    new_items: list[JSON] = []
    for elements in pieces[1:]:
        new_paragraph: JSON = {"elements": elements}
        style = copy.deepcopy(paragraph.get("paragraphStyle", {}))
        if "headingId" in style:
            style["headingId"] = make_heading_id()
        new_paragraph["paragraphStyle"] = style
        if "bullet" in paragraph:
            new_paragraph["bullet"] = copy.deepcopy(paragraph["bullet"])
        new_items.append({"startIndex": 0, "endIndex": 0, "paragraph": new_paragraph})
    ref.container[ref.position + 1 : ref.position + 1] = new_items


# --- deletion -------------------------------------------------------------------------

FINAL_NEWLINE = (
    # Google's wording, quoted in many public error reports.
    "The range cannot include the newline character at the end of the segment."
)


def delete_range(content: list[JSON], start: int, end: int, *, body: bool) -> None:
    """Delete [start, end) from a segment, merging paragraphs whose newline went; reindex.

    The invalid cases are those docs.v1.json lists under DeleteContentRangeRequest.range.
    """
    check_range(content, start, end, body=body)
    if end == segment_end(content):
        raise InvalidRequest(FINAL_NEWLINE)
    _delete_in(content, start, end)
    reindex_segment(content)


def _delete_in(content: list[JSON], start: int, end: int) -> None:
    touched = [i for i, item in enumerate(content) if start_of(item) < end and end_of(item) > start]
    # Tables that had a paragraph before them must keep one (Google refuses deleting "the
    # newline character before a Table ... without deleting the element").
    guarded = {
        id(item)
        for i, item in enumerate(content)
        if "table" in item and i and "paragraph" in content[i - 1]
    }
    for i in touched:
        item = content[i]
        if "paragraph" in item:
            _trim_paragraph(item["paragraph"], start, end)
        elif "table" in item:
            if start <= start_of(item) and end >= end_of(item):
                item["_deleted"] = True
                continue
            cell = _cell_holding(item, start, end)
            if cell is None:
                raise InvalidRequest(
                    "Invalid deletion range: it would delete the start or end of a table, or "
                    "individual rows or cells, without deleting the entire table."
                )
            if end >= end_of(cell):
                raise InvalidRequest(
                    "The range cannot include the newline character at the end of a table cell."
                )
            _delete_in(cell["content"], start, end)
        else:
            kind = next((k for k in item if k not in ("startIndex", "endIndex")), "element")
            raise InvalidRequest(f"Invalid deletion range: cannot delete a {kind}.")
    _merge_after_delete(content, guarded)


def _cell_holding(table_item: JSON, start: int, end: int) -> JSON | None:
    for row in table_item["table"].get("tableRows", []):
        for cell in row.get("tableCells", []):
            content = cell.get("content", [])
            if content and start >= start_of(content[0]) and end <= end_of(cell):
                return cell  # type: ignore[no-any-return]
    return None


def _trim_paragraph(paragraph: JSON, start: int, end: int) -> None:
    kept: list[JSON] = []
    for element in paragraph.get("elements", []):
        e_start, e_end = start_of(element), end_of(element)
        if e_end <= start or e_start >= end:
            kept.append(element)
            continue
        run = element.get("textRun")
        if run is None:
            if start <= e_start and e_end <= end:
                continue
            raise InvalidRequest("Invalid deletion range: it would split an inline element.")
        text = run.get("content", "")
        cut_from = u16_to_py(text, max(start, e_start) - e_start)
        cut_to = u16_to_py(text, min(end, e_end) - e_start)
        remaining = text[:cut_from] + text[cut_to:]
        if remaining:
            run["content"] = remaining
            kept.append(element)
    paragraph["elements"] = kept
    paragraph["_trimmed"] = True


def _ends_with_newline(paragraph: JSON) -> bool:
    elements = paragraph.get("elements", [])
    if not elements or "textRun" not in elements[-1]:
        return False
    return str(elements[-1]["textRun"].get("content", "")).endswith("\n")


def _merge_after_delete(content: list[JSON], guarded: set[int]) -> None:
    content[:] = [item for item in content if not item.pop("_deleted", False)]
    content[:] = [
        item
        for item in content
        if not ("paragraph" in item and not item["paragraph"].get("elements"))
    ]
    i = 0
    while i < len(content):
        item = content[i]
        paragraph = item.get("paragraph")
        if paragraph is None:
            i += 1
            continue
        if paragraph.get("_trimmed") and not _ends_with_newline(paragraph):
            if i + 1 >= len(content) or "paragraph" not in content[i + 1]:
                raise InvalidRequest(
                    "Invalid deletion range: it would delete the newline before a table or "
                    "section break, or the last newline of a cell."
                )
            # The merged paragraph keeps the first paragraph's style, as typing Delete at
            # the end of a paragraph does in the editor.
            paragraph["elements"].extend(content[i + 1]["paragraph"].get("elements", []))
            del content[i + 1]
            continue  # look at the merged paragraph again: it may still lack its newline
        if paragraph.pop("_trimmed", False):
            merge_equal_runs(paragraph)
        i += 1
    for i, item in enumerate(content):
        if id(item) in guarded and (i == 0 or "paragraph" not in content[i - 1]):
            raise InvalidRequest(
                "Invalid deletion range: it would delete the newline before a table."
            )


def merge_equal_runs(paragraph: JSON) -> None:
    """Join neighbouring text runs that differ only in content (one style, one run)."""
    merged: list[JSON] = []
    for element in paragraph.get("elements", []):
        if merged and "textRun" in element and "textRun" in merged[-1]:
            prev = merged[-1]["textRun"]
            run = element["textRun"]
            same = {k: v for k, v in prev.items() if k != "content"} == {
                k: v for k, v in run.items() if k != "content"
            }
            other = {k: v for k, v in merged[-1].items() if k not in ("startIndex", "endIndex")}
            this = {k: v for k, v in element.items() if k not in ("startIndex", "endIndex")}
            if same and other.keys() == this.keys() and not str(prev["content"]).endswith("\n"):
                prev["content"] = prev.get("content", "") + run.get("content", "")
                merged[-1]["endIndex"] = end_of(element)
                continue
        merged.append(element)
    paragraph["elements"] = merged


# --- consistency ----------------------------------------------------------------------


def check_index_consistency(doc: JSON) -> None:
    """Assert the index invariants of every segment of a documents.get response.

    Elements tile the index space with no gap or overlap, each run spans its UTF-16 length,
    every paragraph ends with a newline, tables take 1 unit each for table, row and cell
    starts and 1 for the table's end, and the body starts at 0 (a section break ending at 1). Raises AssertionError.
    """
    tabs = _all_tabs(doc.get("tabs", []))
    holders = [tab.get("documentTab", {}) for tab in tabs] if "tabs" in doc else [doc]
    for holder in holders:
        body = holder.get("body")
        if body is not None:
            content = body.get("content", [])
            assert content, "the body has no content"
            assert "sectionBreak" in content[0] and end_of(content[0]) == 1, (
                "the body must begin with a section break ending at 1"
            )
            assert "startIndex" not in content[0], "a zero startIndex must be omitted"
            assert any("paragraph" in item for item in content), "the body has no paragraph"
            _check_content(content, 0, "body")
        for kind in ("headers", "footers", "footnotes"):
            for key, segment in holder.get(kind, {}).items():
                _check_content(segment.get("content", []), 0, f"{kind}[{key}]")
        for name, group in holder.get("namedRanges", {}).items():
            for named in group.get("namedRanges", []):
                assert named.get("name") == name, f"named range {name!r} filed under another name"
                for rng in named.get("ranges", []):
                    assert start_of(rng) < end_of(rng), f"named range {name!r} is empty"


def _all_tabs(tabs: list[JSON]) -> list[JSON]:
    found: list[JSON] = []
    for tab in tabs:
        found.append(tab)
        found.extend(_all_tabs(tab.get("childTabs", [])))
    return found


def _check_span(item: JSON, start: int, where: str) -> None:
    assert item.get("startIndex", 0) != 0 or "startIndex" not in item, (
        f"{where}: zero startIndex must be omitted"
    )
    assert start_of(item) == start, f"{where}: starts at {start_of(item)}, expected {start}"


def _check_content(content: list[JSON], pos: int, where: str) -> int:
    for n, item in enumerate(content):
        here = f"{where}[{n}]"
        _check_span(item, pos, here)
        if "paragraph" in item:
            elements = item["paragraph"].get("elements", [])
            assert elements, f"{here}: paragraph without elements"
            for element in elements:
                _check_span(element, pos, here)
                run = element.get("textRun")
                if run is not None:
                    text = run.get("content", "")
                    assert text, f"{here}: empty text run"
                    assert "\n" not in text[:-1], f"{here}: newline inside a paragraph"
                    assert end_of(element) - pos == u16len(text), (
                        f"{here}: run at {pos} spans {end_of(element) - pos}, "
                        f"text has {u16len(text)} UTF-16 units"
                    )
                assert end_of(element) > pos, f"{here}: empty element at {pos}"
                pos = end_of(element)
            last = elements[-1].get("textRun", {}).get("content", "")
            assert last.endswith("\n"), f"{here}: paragraph does not end with a newline"
        elif "table" in item:
            pos += 1
            for r, row in enumerate(item["table"].get("tableRows", [])):
                _check_span(row, pos, f"{here}.row[{r}]")
                pos += 1
                for c, cell in enumerate(row.get("tableCells", [])):
                    _check_span(cell, pos, f"{here}.row[{r}].cell[{c}]")
                    pos = _check_content(cell.get("content", []), pos + 1, f"{here}[{r},{c}]")
                    assert end_of(cell) == pos, f"{here}[{r},{c}]: cell ends at {end_of(cell)}"
                assert end_of(row) == pos, f"{here}.row[{r}] ends at {end_of(row)}, not {pos}"
            pos += 1
        else:
            pos = end_of(item)
        assert end_of(item) == pos, f"{here}: ends at {end_of(item)}, expected {pos}"
        assert pos > start_of(item), f"{here}: empty structural element"
    return pos
