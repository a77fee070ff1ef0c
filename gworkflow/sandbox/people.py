"""People typing in the running doc, as they would in the browser - through the Docs API.

Used by `gworkflow demo` and the tests to play the pair between meetings: typing goals
under their Goals heading, noting a conference, marking a goal done with a check mark. Each
edit is one documents.get and one documents.batchUpdate with plain insertText requests, the
way a browser's edits reach the document: the new paragraph copies the list item's bullet.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from gworkflow.agenda.blocks import LIST_KINDS
from gworkflow.agenda.carry import Topic, heading_participant, heading_topic
from gworkflow.agenda.docjson import select_tab
from gworkflow.agenda.parse import DocParagraph, find_sections


def _doc(docs: Any, doc_id: str) -> dict[str, Any]:
    result: dict[str, Any] = (
        docs.documents().get(documentId=doc_id, includeTabsContent=True).execute()
    )
    return result


def _type(docs: Any, doc_id: str, index: int, text: str) -> None:
    request = {"insertText": {"location": {"index": index}, "text": text}}
    docs.documents().batchUpdate(documentId=doc_id, body={"requests": [request]}).execute()


def _topic_items(
    doc: dict[str, Any],
    series_id: str,
    meeting: dt.date,
    person: str,
    names: Sequence[str],
    topic: Topic,
) -> list[DocParagraph]:
    tab = select_tab(doc)
    section = next((s for s in find_sections(tab, series_id) if s.meeting == meeting), None)
    if section is None:
        raise LookupError(f"no section for {meeting} in the doc")
    who = names.index(person)
    current_person: int | None = None
    current_topic: Topic | None = None
    items: list[DocParagraph] = []
    for paragraph in section.paragraphs:
        if paragraph.heading_level is not None:
            found = heading_participant(paragraph.block.text, names)
            if found is not None:
                current_person, current_topic = found, None
            else:
                current_topic = heading_topic(paragraph.block.text)
        elif (
            current_person == who and current_topic is topic and paragraph.block.kind in LIST_KINDS
        ):
            items.append(paragraph)
    if not items:
        raise LookupError(f"no {topic.value} list for {person} on {meeting}")
    return items


@dataclass(frozen=True)
class People:
    """The participants of a series, editing its running doc in their browsers."""

    docs: Any  # the Docs API resource
    doc_id: str
    series_id: str
    names: tuple[str, ...]

    def type_items(self, meeting: dt.date, person: str, topic: Topic, lines: Sequence[str]) -> None:
        """Type `lines` as list items at the end of `person`'s list under `topic`."""
        doc = _doc(self.docs, self.doc_id)
        last = _topic_items(doc, self.series_id, meeting, person, self.names, topic)[-1]
        # Typing into the empty item fills it; otherwise Enter at its end starts a new item.
        if last.block.text.strip() == "":
            _type(self.docs, self.doc_id, last.start, "\n".join(lines))
        else:
            _type(self.docs, self.doc_id, last.end - 1, "\n" + "\n".join(lines))

    def mark_done(self, meeting: dt.date, person: str, goal: str) -> None:
        """Put a check mark in front of one of `person`'s goals (ticking the box is
        invisible to the API, so a person who wants it carried as done types a mark)."""
        doc = _doc(self.docs, self.doc_id)
        for item in _topic_items(doc, self.series_id, meeting, person, self.names, Topic.GOALS):
            if item.block.text.strip() == goal:
                _type(self.docs, self.doc_id, item.start, "✅ ")
                return
        raise LookupError(f"{person} has no goal {goal!r} on {meeting}")
