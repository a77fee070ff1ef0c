"""People typing in a running doc between meetings, as they would in the browser.

What lives here: reading a `:type` request (`TypeRequest`), finding where a person would
type on the raw `documents.get` JSON (`typing_requests`), and `People`, a small client of
the sandbox's admin route `POST /_sandbox/documents/{id}:type` (server.py applies the
edit). Used by `gworkflow demo` and the tests to play the pair: typing goals under their
Goals heading, noting a conference, putting a check mark in front of a goal done.

Where a person types is found from literal text only, the way a person finds it by eye:
- the section is the one HEADING_1 paragraph of the tab whose text contains `section`
  (e.g. "2026-12-08"), up to the next HEADING_1 or the end of the body;
- the place is the list under a heading path, e.g. ("Ruth", "Goals"): the headings
  (HEADING_2 to HEADING_6) open at a list item, outermost first, read as stripped text,
  must equal the path exactly. A heading closes every open heading of its level or deeper.
Nothing here comes from gworkflow's own parser (this package imports nothing from the rest
of gworkflow), so a bug there cannot move where the simulated people type and hide itself.

The edit is plain insertText, as a browser's typing reaches the document: appended items
go at the end of the last list item ("\\n" splits it, and the new paragraph copies its
bullet; an empty last item is typed into instead), a mark goes before the item's text.
"""

from __future__ import annotations

import datetime as dt
import json
import urllib.error
import urllib.request
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal
from urllib.parse import quote

from gworkflow.sandbox.errors import ApiError

JSON = dict[str, Any]
Action = Literal["append_items", "mark_done"]
ACTIONS: tuple[Action, ...] = ("append_items", "mark_done")
DONE_MARK = "✅ "


@dataclass(frozen=True)
class TypeRequest:
    """What a person types and where (the JSON body of the `:type` route)."""

    section: str
    heading_path: tuple[str, ...]
    action: Action
    items: tuple[str, ...] = ()  # append_items: one list item per entry
    match: str = ""  # mark_done: the item's text, as shown (stripped)
    mark: str = DONE_MARK  # mark_done: typed before the item's text
    tab: str | None = None  # a tab's title or id; None: the first tab

    @classmethod
    def from_json(cls, body: Any) -> TypeRequest:
        """The request from its JSON; ValueError says what is missing or wrong."""
        if not isinstance(body, dict):
            raise ValueError("POST a JSON object: {section, heading_path, action, ...}")
        section = body.get("section")
        if not isinstance(section, str) or not section:
            raise ValueError("section: the text the section's Heading 1 contains")
        path = body.get("heading_path")
        if not isinstance(path, list) or not path or not all(isinstance(p, str) for p in path):
            raise ValueError('heading_path: a list of heading texts, e.g. ["Ruth", "Goals"]')
        action = body.get("action")
        tab = body.get("tab")
        if tab is not None and not isinstance(tab, str):
            raise ValueError("tab: a tab's title or id")
        if action == "append_items":
            items = body.get("items")
            if (
                not isinstance(items, list)
                or not items
                or not all(isinstance(i, str) for i in items)
            ):
                raise ValueError("items: a non-empty list of the lines to type")
            if any("\n" in item for item in items):
                raise ValueError("items: one line each (a newline would start another item)")
            return cls(section, tuple(path), "append_items", items=tuple(items), tab=tab)
        if action == "mark_done":
            match = body.get("match")
            mark = body.get("mark", DONE_MARK)
            if not isinstance(match, str) or not match.strip():
                raise ValueError("match: the text of the item to mark")
            if not isinstance(mark, str) or not mark or "\n" in mark:
                raise ValueError("mark: the text typed before the item, on one line")
            return cls(section, tuple(path), "mark_done", match=match.strip(), mark=mark, tab=tab)
        raise ValueError(f"action: one of {', '.join(ACTIONS)}")

    def as_json(self) -> JSON:
        body: JSON = {
            "section": self.section,
            "heading_path": list(self.heading_path),
            "action": self.action,
        }
        if self.action == "append_items":
            body["items"] = list(self.items)
        else:
            body["match"] = self.match
            body["mark"] = self.mark
        if self.tab is not None:
            body["tab"] = self.tab
        return body


# --- reading the raw document ---------------------------------------------------------


@dataclass(frozen=True)
class _Paragraph:
    start: int
    end: int
    text: str  # the text runs, without the paragraph's final newline
    style: str  # namedStyleType
    in_list: bool


def _tab(doc: JSON, wanted: str | None) -> tuple[str | None, JSON]:
    """(tab id, the tab's documentTab) - or (None, doc) for a legacy-form document."""
    if "tabs" not in doc:
        if wanted is not None:
            raise ApiError(400, f"the document has no tabs, so no tab {wanted!r}")
        return None, doc
    tabs: list[JSON] = []
    pending = list(doc.get("tabs") or [])
    while pending:  # depth first, children right after their parent, as the browser lists
        tab = pending.pop(0)
        tabs.append(tab)
        pending[:0] = tab.get("childTabs") or []
    for tab in tabs:
        props = tab.get("tabProperties") or {}
        if wanted is None or wanted in (props.get("tabId"), props.get("title")):
            return props.get("tabId"), tab.get("documentTab") or {}
    raise ApiError(404, f"no tab titled or with id {wanted!r}")


def _paragraphs(content: JSON) -> list[_Paragraph]:
    """The body's top-level paragraphs (tables are not typed into here)."""
    found: list[_Paragraph] = []
    for element in (content.get("body") or {}).get("content") or []:
        paragraph = element.get("paragraph")
        if paragraph is None:
            continue
        text = "".join(
            part.get("textRun", {}).get("content", "") for part in paragraph.get("elements", [])
        )
        style = (paragraph.get("paragraphStyle") or {}).get("namedStyleType", "NORMAL_TEXT")
        found.append(
            _Paragraph(
                int(element.get("startIndex", 0)),
                int(element["endIndex"]),
                text.removesuffix("\n"),
                str(style),
                "bullet" in paragraph,
            )
        )
    return found


def _heading_level(style: str) -> int | None:
    if style.startswith("HEADING_") and style[len("HEADING_") :].isdigit():
        return int(style[len("HEADING_") :])
    return None


def _section(paragraphs: list[_Paragraph], section: str) -> list[_Paragraph]:
    """The paragraphs after the one Heading 1 containing `section`, up to the next one."""
    starts = [i for i, p in enumerate(paragraphs) if p.style == "HEADING_1" and section in p.text]
    if not starts:
        raise ApiError(404, f"no Heading 1 containing {section!r}")
    if len(starts) > 1:
        raise ApiError(409, f"{len(starts)} Heading 1 paragraphs contain {section!r}")
    following = paragraphs[starts[0] + 1 :]
    end = next((i for i, p in enumerate(following) if p.style == "HEADING_1"), len(following))
    return following[:end]


def _items_under(paragraphs: list[_Paragraph], path: tuple[str, ...]) -> list[_Paragraph]:
    """The list items whose open headings (below Heading 1) read exactly `path`."""
    open_headings: list[tuple[int, str]] = []
    items: list[_Paragraph] = []
    for paragraph in paragraphs:
        level = _heading_level(paragraph.style)
        if level is not None:
            open_headings = [(n, t) for n, t in open_headings if n < level]
            open_headings.append((level, paragraph.text.strip()))
        elif paragraph.in_list and tuple(t for _, t in open_headings) == path:
            items.append(paragraph)
    return items


def typing_requests(doc: JSON, request: TypeRequest) -> list[JSON]:
    """The batchUpdate requests a person's typing makes; ApiError if there is no such place."""
    tab_id, content = _tab(doc, request.tab)
    section = _section(_paragraphs(content), request.section)
    items = _items_under(section, request.heading_path)
    where = " > ".join(request.heading_path)
    if not items:
        raise ApiError(404, f"no list under {where} in the section {request.section!r}")
    if request.action == "append_items":
        last = items[-1]
        # Typing into the empty item fills it; otherwise Enter at its end starts a new item.
        if last.text.strip() == "":
            index, text = last.start, "\n".join(request.items)
        else:
            index, text = last.end - 1, "\n" + "\n".join(request.items)
    else:
        item = next((i for i in items if i.text.strip() == request.match), None)
        if item is None:
            raise ApiError(404, f"no item {request.match!r} under {where}")
        index, text = item.start, request.mark
    location: JSON = {"index": index}
    if tab_id is not None:
        location["tabId"] = tab_id
    return [{"insertText": {"location": location, "text": text}}]


# --- the client -----------------------------------------------------------------------


class TypingError(Exception):
    """The sandbox refused a person's typing (no such doc, section, heading or item)."""


@dataclass(frozen=True)
class People:
    """The participants of a running doc, typing in it through the sandbox at `base_url`."""

    base_url: str
    doc_id: str

    def type_items(
        self, section: str | dt.date, heading_path: Sequence[str], items: Sequence[str]
    ) -> JSON:
        """Type `items` as list items at the end of the list under `heading_path`."""
        request = TypeRequest(_key(section), tuple(heading_path), "append_items", tuple(items))
        return self._post(request)

    def mark_done(
        self, section: str | dt.date, heading_path: Sequence[str], item: str, mark: str = DONE_MARK
    ) -> JSON:
        """Type `mark` in front of the list item `item` (ticking the box is invisible to the
        API, so a person who wants it carried as done types a mark)."""
        request = TypeRequest(
            _key(section), tuple(heading_path), "mark_done", match=item, mark=mark
        )
        return self._post(request)

    def _post(self, request: TypeRequest) -> JSON:
        url = f"{self.base_url}/_sandbox/documents/{quote(self.doc_id, safe='')}:type"
        data = json.dumps(request.as_json()).encode("utf-8")
        http = urllib.request.Request(
            url, data=data, method="POST", headers={"Content-Type": "application/json"}
        )
        try:
            with urllib.request.urlopen(http, timeout=30) as answer:
                result: JSON = json.loads(answer.read() or b"{}")
                return result
        except urllib.error.HTTPError as error:
            try:
                message = json.loads(error.read()).get("error", "")
            except ValueError:
                message = ""
            raise TypingError(f"{error.code}: {message or error.reason}") from None


def _key(section: str | dt.date) -> str:
    return section.isoformat() if isinstance(section, dt.date) else section
