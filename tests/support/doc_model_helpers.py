"""People typing in the running doc, and reading it back, from the raw `documents.get` JSON.

For end-to-end tests of the agenda model: nothing here uses gworkflow's own parser, so a
bug in it cannot hide a bug in what it reads. Paragraphs are found by their text, sections
by the marker's named range; each edit is one plain documents.batchUpdate through the real
google-api-python-client, the way a browser's edits reach the document.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

JSON = dict[str, Any]


def utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


@dataclass(frozen=True)
class Run:
    """A text run: its text and the styles a person can see."""

    text: str
    bold: bool = False
    italic: bool = False
    strike: bool = False
    link: str | None = None


@dataclass(frozen=True)
class Para:
    start: int
    end: int
    style: str  # namedStyleType
    bulleted: bool
    runs: tuple[Run, ...]

    @property
    def text(self) -> str:
        return "".join(run.text for run in self.runs)

    @property
    def heading(self) -> bool:
        return self.style.startswith("HEADING_")


def _body(doc: JSON) -> list[JSON]:
    tab = doc["tabs"][0]["documentTab"] if "tabs" in doc else doc
    content: list[JSON] = tab["body"]["content"]
    return content


def _named_ranges(doc: JSON) -> JSON:
    tab = doc["tabs"][0]["documentTab"] if "tabs" in doc else doc
    ranges: JSON = tab.get("namedRanges", {})
    return ranges


def paragraphs(doc: JSON) -> list[Para]:
    out = []
    for element in _body(doc):
        paragraph = element.get("paragraph")
        if paragraph is None:
            continue
        runs = []
        for part in paragraph.get("elements", []):
            text_run = part.get("textRun")
            if text_run is None:
                continue
            style = text_run.get("textStyle", {})
            text = text_run["content"].removesuffix("\n")
            if text:
                runs.append(
                    Run(
                        text,
                        bool(style.get("bold")),
                        bool(style.get("italic")),
                        bool(style.get("strikethrough")),
                        style.get("link", {}).get("url"),
                    )
                )
        merged: list[Run] = []
        for run in runs:  # Docs may split a run where nothing visible changes
            if merged and (
                merged[-1].bold,
                merged[-1].italic,
                merged[-1].strike,
                merged[-1].link,
            ) == (
                run.bold,
                run.italic,
                run.strike,
                run.link,
            ):
                last = merged.pop()
                run = Run(last.text + run.text, run.bold, run.italic, run.strike, run.link)
            merged.append(run)
        out.append(
            Para(
                element["startIndex"],
                element["endIndex"],
                paragraph.get("paragraphStyle", {}).get("namedStyleType", "NORMAL_TEXT"),
                "bullet" in paragraph,
                tuple(merged),
            )
        )
    return out


def _span(entry: JSON) -> tuple[int, int]:
    (named,) = entry["namedRanges"]
    start = min(r["startIndex"] for r in named["ranges"])
    end = max(r["endIndex"] for r in named["ranges"])
    return start, end


def section(doc: JSON, marker: str) -> list[Para]:
    """The paragraphs inside the named range `marker` (the section gworkflow wrote), up to
    where the next section's range starts: a range ending at the end of the body grows over
    what is inserted there later."""
    ranges = _named_ranges(doc)
    start, end = _span(ranges[marker])
    for name, entry in ranges.items():
        other, _ = _span(entry)
        if name != marker and start < other < end:
            end = other
    return [p for p in paragraphs(doc) if start <= p.start < end]


def part(paras: Sequence[Para], person: str, heading: str) -> list[Para]:
    """The paragraphs under `person`'s heading (level 2) and then `heading` (level 3)."""
    who: str | None = None
    topic: str | None = None
    found = []
    for para in paras:
        if para.style == "HEADING_2":
            who, topic = para.text, None
        elif para.style == "HEADING_3":
            topic = para.text
        elif not para.heading and who == person and topic == heading:
            found.append(para)
    return found


def find(paras: Sequence[Para], starts: str) -> Para:
    (found,) = [p for p in paras if p.text.startswith(starts)]
    return found


class Typist:
    """One person at the browser: each edit is one batchUpdate."""

    def __init__(self, docs: Any, doc_id: str) -> None:
        self.docs = docs
        self.doc_id = doc_id

    def _send(self, *requests: JSON) -> None:
        body = {"requests": list(requests)}
        self.docs.documents().batchUpdate(documentId=self.doc_id, body=body).execute()

    def insert(self, index: int, text: str) -> None:
        self._send({"insertText": {"location": {"index": index}, "text": text}})

    def items(self, last: Para, lines: Sequence[str]) -> None:
        """Type `lines` as list items: into `last` when it is empty, else after it."""
        if last.text.strip():
            self.insert(last.end - 1, "\n" + "\n".join(lines))
        else:
            self.insert(last.start, "\n".join(lines))

    def style(self, para: Para, words: str, style: JSON, fields: str) -> None:
        """Apply `style` to the first occurrence of `words` in `para`."""
        offset = para.text.index(words)
        start = para.start + utf16_len(para.text[:offset])
        end = start + utf16_len(words)
        self._send(
            {
                "updateTextStyle": {
                    "range": {"startIndex": start, "endIndex": end},
                    "textStyle": style,
                    "fields": fields,
                }
            }
        )

    def strike(self, para: Para) -> None:
        self.style(para, para.text, {"strikethrough": True}, "strikethrough")

    def delete(self, para: Para) -> None:
        """Delete a whole paragraph, its newline included."""
        self._send(
            {"deleteContentRange": {"range": {"startIndex": para.start, "endIndex": para.end}}}
        )
