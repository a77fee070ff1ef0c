"""Picking the part of a `documents.get` response that gworkflow reads and writes.

A response is either the legacy form (top-level `body`, `lists`, `namedRanges`) or, with
`includeTabsContent=true`, `tabs[]` whose `documentTab` holds those fields (and the
top-level ones are absent). gworkflow always asks for tabs and works on one tab.

What does not live here: reading paragraphs and sections out of a tab (parse.py).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from gworkflow.errors import ConfigError
from gworkflow.types import JSON


@dataclass(frozen=True)
class TabContent:
    """One tab's content. `tab_id` is None for a legacy-form response."""

    tab_id: str | None
    title: str | None
    body: JSON
    lists: JSON
    named_ranges: JSON

    @property
    def content(self) -> list[JSON]:
        return list(self.body.get("content", []))

    @property
    def end_index(self) -> int:
        content = self.body.get("content", [])
        return int(content[-1]["endIndex"]) if content else 1


def iter_tabs(doc: JSON) -> Iterator[JSON]:
    """Every tab, child tabs included, in the order the browser lists them."""

    def walk(tabs: list[JSON]) -> Iterator[JSON]:
        for tab in tabs:
            yield tab
            yield from walk(tab.get("childTabs", []))

    yield from walk(doc.get("tabs", []))


def select_tab(doc: JSON, tab: str | None = None) -> TabContent:
    """The tab named `tab` (its title or id), or the first tab when `tab` is None."""
    if "tabs" not in doc:
        if tab is not None:
            raise ConfigError(f"tab: the document has no tabs, so tab = {tab!r} cannot be used")
        return TabContent(
            None,
            doc.get("title"),
            doc.get("body", {"content": []}),
            doc.get("lists", {}),
            doc.get("namedRanges", {}),
        )
    tabs = list(iter_tabs(doc))
    if not tabs:
        raise ConfigError("the document has no tabs")
    chosen: JSON | None = None
    if tab is None:
        chosen = tabs[0]
    else:
        for candidate in tabs:
            props = candidate.get("tabProperties", {})
            if tab in (props.get("tabId"), props.get("title")):
                chosen = candidate
                break
    if chosen is None:
        titles = ", ".join(repr(t.get("tabProperties", {}).get("title")) for t in tabs)
        raise ConfigError(f"tab: no tab titled or with id {tab!r} (tabs: {titles})")
    props = chosen.get("tabProperties", {})
    doc_tab = chosen.get("documentTab", {})
    return TabContent(
        props.get("tabId"),
        props.get("title"),
        doc_tab.get("body", {"content": []}),
        doc_tab.get("lists", {}),
        doc_tab.get("namedRanges", {}),
    )
