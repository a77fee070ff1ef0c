"""The batchUpdate requests the sandbox understands, applied to a tabs-form working copy.

Lives here: one handler per request kind (insertText, updateParagraphStyle, updateTextStyle,
createParagraphBullets, deleteParagraphBullets, createNamedRange, deleteNamedRange,
deleteContentRange, replaceAllText, insertPerson, insertDate, insertRichLink,
addDocumentTab), how locations/ranges/tabs are resolved, and how named ranges follow
edits. Handlers raise InvalidRequest; docs.py adds the "Invalid requests[N].kind: " prefix,
works on a copy and commits only when every request succeeded. Index arithmetic itself is
in docs_segment.py.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from gworkflow.sandbox.docs_lists import PRESETS, indent, nesting_levels
from gworkflow.sandbox.docs_segment import (
    INLINE_KINDS,
    InvalidRequest,
    ParagraphRef,
    check_range,
    delete_range,
    end_of,
    insert_inline,
    insert_text,
    iter_paragraphs,
    locate_insertion,
    merge_equal_runs,
    paragraphs_in,
    py_to_u16,
    reindex_segment,
    segment_end,
    split_runs_at,
    start_of,
    u16len,
)
from gworkflow.sandbox.graphemes import snap_after_cluster

JSON = dict[str, Any]

# The sandbox's own copy of a fact the product also encodes (a shared mistake would pass
# every test, so each copy is tested against literal values: tests/support/google_facts.py).
# docs.v1.json (googleapiclient/discovery_cache/documents/), InsertTextRequest.text: "Some
# control characters (U+0000-U+0008, U+000C-U+001F) and characters from the Unicode Basic
# Multilingual Plane Private Use Area (U+E000-U+F8FF) will be stripped out of the inserted
# text." (docs/google-api-notes.md, "insertText strips control characters"). The reference
# says nothing of replaceAllText's replaceText; the sandbox assumes the same there.
_STRIPPED = re.compile("[\u0000-\u0008\u000c-\u001f\ue000-\uf8ff]")

# What "*" means in an updateTextStyle field mask: every property of TextStyle in
# docs.v1.json (schemas.TextStyle.properties; docs/google-api-notes.md, "TextStyle fields and
# field masks"). A literal copy, checked against the discovery document by
# tests/sandbox/test_sandbox_google_facts.py.
TEXT_STYLE_FIELDS = (
    "backgroundColor",
    "baselineOffset",
    "bold",
    "fontSize",
    "foregroundColor",
    "italic",
    "link",
    "smallCaps",
    "strikethrough",
    "underline",
    "weightedFontFamily",
)
# headingId is output only, so "*" does not reach it.
PARAGRAPH_STYLE_FIELDS = (
    "alignment",
    "avoidWidowAndOrphan",
    "borderBetween",
    "borderBottom",
    "borderLeft",
    "borderRight",
    "borderTop",
    "direction",
    "indentEnd",
    "indentFirstLine",
    "indentStart",
    "keepLinesTogether",
    "keepWithNext",
    "lineSpacing",
    "namedStyleType",
    "pageBreakBefore",
    "shading",
    "spaceAbove",
    "spaceBelow",
    "spacingMode",
    "tabStops",
)
NAMED_STYLE_TYPES = (
    "NORMAL_TEXT",
    "TITLE",
    "SUBTITLE",
    "HEADING_1",
    "HEADING_2",
    "HEADING_3",
    "HEADING_4",
    "HEADING_5",
    "HEADING_6",
)
# Paragraphs of these styles get a headingId ("h.xxxxxxxxxxxx") the document outline links to.
HEADING_STYLES = frozenset(NAMED_STYLE_TYPES) - {"NORMAL_TEXT"}
# Every ParagraphElement kind but equation has its own textStyle.
_STYLED_INLINE = tuple(kind for kind in INLINE_KINDS if kind != "equation")

_DATE_FORMATS = {
    "DATE_FORMAT_MONTH_DAY_ABBREVIATED": "{b} {d}",
    "DATE_FORMAT_MONTH_DAY_FULL": "{B} {d}",
    "DATE_FORMAT_MONTH_DAY_YEAR_ABBREVIATED": "{b} {d}, {Y}",
    "DATE_FORMAT_ISO8601": "{iso}",
}


@dataclass
class Edit:
    """One batch's working copy, how to mint ids, and how named ranges take text inserted
    exactly at their edges (the sandbox's behaviour switches named_range_insert_at_start /
    _at_end; see docs/google-api-notes.md, "Insertion at a named range's edge")."""

    doc: JSON
    new_id: Callable[[str], str]  # prefix -> "prefix" + 12 random lowercase letters/digits
    extend_at_start: bool = False
    extend_at_end: bool = False

    # --- addressing -------------------------------------------------------------------

    def all_tabs(self) -> list[JSON]:
        found: list[JSON] = []

        def walk(tabs: list[JSON]) -> None:
            for tab in tabs:
                found.append(tab)
                walk(tab.get("childTabs", []))

        walk(self.doc.get("tabs", []))
        return found

    def tab(self, tab_id: str | None) -> JSON:
        tabs = self.all_tabs()
        if not tab_id:
            return tabs[0]
        for tab in tabs:
            if tab.get("tabProperties", {}).get("tabId") == tab_id:
                return tab
        raise InvalidRequest(f"The tab with ID {tab_id!r} does not exist.")

    def segment(self, tab: JSON, segment_id: str | None) -> tuple[list[JSON], bool]:
        """(content, is_body) of a segment of a tab."""
        holder = tab.setdefault("documentTab", {})
        if not segment_id:
            return holder.setdefault("body", {}).setdefault("content", []), True
        for kind in ("headers", "footers", "footnotes"):
            found = holder.get(kind, {}).get(segment_id)
            if found is not None:
                return found.setdefault("content", []), False
        raise InvalidRequest(f"The segment ID {segment_id!r} does not exist.")

    def at_location(self, params: JSON) -> tuple[JSON, str, list[JSON], int]:
        """(tab, segmentId, content, index) of a location or endOfSegmentLocation."""
        location = params.get("location")
        end_of_segment = params.get("endOfSegmentLocation")
        if (location is None) == (end_of_segment is None):
            raise InvalidRequest("Exactly one of location or endOfSegmentLocation must be set.")
        where = location if location is not None else end_of_segment
        if not isinstance(where, dict):
            raise InvalidRequest("The location must be an object.")
        tab = self.tab(where.get("tabId"))
        segment_id = where.get("segmentId") or ""
        content, _ = self.segment(tab, segment_id)
        if location is not None:
            # proto3 JSON omits a zero index, so a missing index is index 0.
            return tab, segment_id, content, location.get("index", 0)
        # "endOfSegmentLocation inserts just before the segment's final newline".
        return tab, segment_id, content, segment_end(content) - 1

    def in_range(self, params: JSON) -> tuple[JSON, str, list[JSON], int, int]:
        rng = params.get("range")
        if not isinstance(rng, dict):
            raise InvalidRequest("A range must be specified.")
        tab = self.tab(rng.get("tabId"))
        segment_id = rng.get("segmentId") or ""
        content, body = self.segment(tab, segment_id)
        start, end = check_range(content, rng.get("startIndex"), rng.get("endIndex"), body=body)
        return tab, segment_id, content, start, end

    # --- named ranges follow the text -------------------------------------------------

    def move_named_ranges(self, tab: JSON, segment_id: str, mapping: Callable[[int], int]) -> None:
        holder = tab.get("documentTab", {})
        groups = holder.get("namedRanges")
        if not groups:
            return
        for name in list(groups):
            group = groups[name]
            kept_named = []
            for named in group.get("namedRanges", []):
                kept = []
                for rng in named.get("ranges", []):
                    if (rng.get("segmentId") or "") != segment_id:
                        kept.append(rng)
                        continue
                    start, end = mapping(start_of(rng)), mapping(end_of(rng))
                    if start < end:
                        rng["startIndex"], rng["endIndex"] = start, end
                        kept.append(rng)
                if kept:
                    named["ranges"] = kept
                    kept_named.append(named)
            if kept_named:
                group["namedRanges"] = kept_named
            else:
                del groups[name]
        if not groups:
            del holder["namedRanges"]

    def after_insert(self, tab: JSON, segment_id: str, index: int, length: int) -> None:
        """Text inserted inside a range extends it ("content inserted inside a named range
        generally expands that range", docs.v1.json NamedRange); before its start shifts
        it. Exactly at the start or the end index, the switches decide."""

        def move(rng_start: int, rng_end: int) -> tuple[int, int]:
            if index < rng_start or (index == rng_start and not self.extend_at_start):
                return rng_start + length, rng_end + length
            if index < rng_end or (index == rng_end and self.extend_at_end):
                return rng_start, rng_end + length
            return rng_start, rng_end

        self._move_pairs(tab, segment_id, move)

    def after_delete(self, tab: JSON, segment_id: str, start: int, end: int) -> None:
        length = end - start

        def mapping(x: int) -> int:
            if x <= start:
                return x
            return start if x <= end else x - length

        self.move_named_ranges(tab, segment_id, mapping)

    def _move_pairs(
        self, tab: JSON, segment_id: str, move: Callable[[int, int], tuple[int, int]]
    ) -> None:
        for group in tab.get("documentTab", {}).get("namedRanges", {}).values():
            for named in group.get("namedRanges", []):
                for rng in named.get("ranges", []):
                    if (rng.get("segmentId") or "") == segment_id:
                        rng["startIndex"], rng["endIndex"] = move(start_of(rng), end_of(rng))

    # --- shared edits -----------------------------------------------------------------

    def write_text(
        self,
        tab: JSON,
        segment_id: str,
        content: list[JSON],
        index: int,
        text: str,
        *,
        prefer_following: bool = False,
    ) -> int:
        text = _STRIPPED.sub("", text)
        if not text:
            return 0
        insert_text(
            content,
            index,
            text,
            prefer_following=prefer_following,
            make_heading_id=lambda: self.new_id("h."),
        )
        length = u16len(text)
        self.after_insert(tab, segment_id, index, length)
        return length


# --- text ---------------------------------------------------------------------------


def insert_text_request(edit: Edit, params: JSON) -> JSON:
    tab, segment_id, content, index = edit.at_location(params)
    text = params.get("text", "")
    if not isinstance(text, str):
        raise InvalidRequest("text must be a string.")
    index = out_of_cluster(content, index)  # an empty text at a bad index is still refused
    edit.write_text(tab, segment_id, content, index, text)
    return {}


def out_of_cluster(content: list[JSON], index: int) -> int:
    """The insertion index Google uses: inside a grapheme cluster (a surrogate pair, an
    accented letter, an emoji sequence, a flag), the index just after it.

    developers.google.com/docs/api/concepts/rules-behavior: "The API may implicitly adjust
    the location to prevent insertions within Unicode grapheme clusters. When this happens,
    the text is inserted immediately after the grapheme cluster." (docs/google-api-notes.md,
    "Surrogate pairs and grapheme clusters"). Raises InvalidRequest outside any paragraph.
    """
    ref = locate_insertion(content, index)
    return ref.start + snap_after_cluster(_paragraph_text(ref), index - ref.start)


def _paragraph_text(ref: ParagraphRef) -> str:
    """The paragraph's text; every other element as U+FFFC per index unit (its own cluster)."""
    return "".join(
        e["textRun"].get("content", "") if "textRun" in e else "\ufffc" * (end_of(e) - start_of(e))
        for e in ref.paragraph.get("elements", [])
    )


def delete_content_range(edit: Edit, params: JSON) -> JSON:
    tab, segment_id, content, start, end = edit.in_range(params)
    body = not segment_id
    delete_range(content, start, end, body=body)
    edit.after_delete(tab, segment_id, start, end)
    return {}


def replace_all_text(edit: Edit, params: JSON) -> JSON:
    criteria = params.get("containsText") or {}
    needle = criteria.get("text", "")
    if not needle:
        raise InvalidRequest("containsText.text must not be empty.")
    replacement = _STRIPPED.sub("", params.get("replaceText", "") or "")
    pattern = needle if criteria.get("searchByRegex") else re.escape(needle)
    flags = 0 if criteria.get("matchCase") else re.IGNORECASE
    try:
        regex = re.compile(pattern, flags)
    except re.error as exc:
        raise InvalidRequest(f"Invalid regular expression: {exc}") from exc
    tab_ids = (params.get("tabsCriteria") or {}).get("tabIds")
    tabs = [edit.tab(t) for t in tab_ids] if tab_ids else edit.all_tabs()
    changed = 0
    for tab in tabs:
        holder = tab.get("documentTab", {})
        segment_ids = [""]
        for kind in ("headers", "footers", "footnotes"):
            segment_ids.extend(holder.get(kind, {}))
        for segment_id in segment_ids:
            content, _ = edit.segment(tab, segment_id)
            for start, end in reversed(_matches(content, regex)):
                changed += 1
                _replace(edit, tab, segment_id, content, start, end, replacement)
    return {"replaceAllText": {"occurrencesChanged": changed} if changed else {}}


def _matches(content: list[JSON], regex: re.Pattern[str]) -> list[tuple[int, int]]:
    """UTF-16 spans of matches inside single paragraphs (never across a newline)."""
    found: list[tuple[int, int]] = []
    for ref in iter_paragraphs(content):
        # Non-text elements become U+FFFC so a match cannot run through them.
        text = "".join(
            e["textRun"].get("content", "")
            if "textRun" in e
            else "\ufffc" * (end_of(e) - start_of(e))
            for e in ref.paragraph.get("elements", [])
        )
        text = text[:-1] if text.endswith("\n") else text
        for match in regex.finditer(text):
            if match.end() > match.start() and "\n" not in match.group(0):
                found.append(
                    (
                        ref.start + py_to_u16(text, match.start()),
                        ref.start + py_to_u16(text, match.end()),
                    )
                )
    return found


def _replace(
    edit: Edit, tab: JSON, segment_id: str, content: list[JSON], start: int, end: int, new: str
) -> None:
    length = u16len(new)
    if new:
        # Inserted first, into the matched run, so the replacement keeps the match's style.
        insert_text(
            content, start, new, prefer_following=True, make_heading_id=lambda: edit.new_id("h.")
        )
    delete_range(content, start + length, end + length, body=not segment_id)

    def mapping(x: int) -> int:
        if x <= start:
            return x
        if x >= end:
            return x + length - (end - start)
        return start + min(x - start, length)

    edit.move_named_ranges(tab, segment_id, mapping)


# --- styles -------------------------------------------------------------------------


def _fields(params: JSON, allowed: tuple[str, ...]) -> list[str]:
    raw = params.get("fields")
    if not raw:
        # Google's wording for an empty field mask in batchUpdate requests.
        raise InvalidRequest(
            "At least one field must be listed in 'fields'. (Use '*' to indicate all fields.)"
        )
    names: list[str] = []
    for part in str(raw).split(","):
        name = part.strip().split(".")[0]
        if name == "*":
            return list(allowed)
        if name not in allowed:
            raise InvalidRequest(f"Invalid field mask: unknown field {name!r}.")
        names.append(name)
    return names


def _apply(target: JSON, source: JSON, fields: list[str]) -> None:
    """Copy masked fields; a field left out of `source` (or zero) is cleared, as Google does."""
    for name in fields:
        value = source.get(name)
        if value in (None, False, "", 0, {}, []) or str(value).endswith("_UNSPECIFIED"):
            target.pop(name, None)
        else:
            target[name] = copy.deepcopy(value)


def update_text_style(edit: Edit, params: JSON) -> JSON:
    _, _, content, start, end = edit.in_range(params)
    fields = _fields(params, TEXT_STYLE_FIELDS)
    style = params.get("textStyle") or {}
    for ref in paragraphs_in(content, start, end):
        elements = ref.paragraph.get("elements", [])
        split_runs_at(elements, start, end)
        for element in elements:
            if start_of(element) < start or end_of(element) > end:
                continue
            if "textRun" in element:
                _apply(element["textRun"].setdefault("textStyle", {}), style, fields)
                continue
            for kind in _STYLED_INLINE:
                if kind in element:
                    _apply(element[kind].setdefault("textStyle", {}), style, fields)
        merge_equal_runs(ref.paragraph)
    reindex_segment(content)
    return {}


def update_paragraph_style(edit: Edit, params: JSON) -> JSON:
    _, _, content, start, end = edit.in_range(params)
    fields = _fields(params, PARAGRAPH_STYLE_FIELDS)
    style = params.get("paragraphStyle") or {}
    named = style.get("namedStyleType")
    if "namedStyleType" in fields and named is not None and named not in NAMED_STYLE_TYPES:
        raise InvalidRequest(f"Invalid namedStyleType: {named}")
    for ref in paragraphs_in(content, start, end):
        target = ref.paragraph.setdefault("paragraphStyle", {})
        _apply(target, style, fields)
        if "namedStyleType" in fields:
            if target.get("namedStyleType") in HEADING_STYLES:
                if "headingId" not in target:
                    target["headingId"] = edit.new_id("h.")
            else:
                target.pop("headingId", None)
    return {}


# --- lists --------------------------------------------------------------------------


def create_paragraph_bullets(edit: Edit, params: JSON) -> JSON:
    tab, segment_id, content, start, end = edit.in_range(params)
    preset = params.get("bulletPreset")
    if preset not in PRESETS:
        raise InvalidRequest(f"Invalid bulletPreset: {preset}")
    targets = paragraphs_in(content, start, end)
    lists = tab["documentTab"].setdefault("lists", {})
    list_id = _preceding_list(targets[0], lists, preset) if targets else None
    if list_id is None:
        list_id = edit.new_id("kix.")
        lists[list_id] = {"listProperties": {"nestingLevels": nesting_levels(preset)}}
    # Back to front, so removing one paragraph's leading tabs leaves earlier indexes valid.
    # docs.v1.json CreateParagraphBulletsRequest: "The nesting level of each paragraph will
    # be determined by counting leading tabs in front of each paragraph ... these leading
    # tabs are removed by this request. This may change the indices of parts of the text."
    for ref in reversed(targets):
        tabs = _strip_leading_tabs(ref.paragraph)
        level = min(tabs, 8)
        bullet: JSON = {"listId": list_id}
        if level:
            bullet["nestingLevel"] = level
        bullet["textStyle"] = {}
        ref.paragraph["bullet"] = bullet
        first, start_indent = indent(level)
        paragraph_style = ref.paragraph.setdefault("paragraphStyle", {})
        paragraph_style["indentFirstLine"] = first
        paragraph_style["indentStart"] = start_indent
        if tabs:
            edit.after_delete(tab, segment_id, ref.start, ref.start + tabs)
    reindex_segment(content)
    return {}


def _preceding_list(first: ParagraphRef, lists: JSON, preset: str) -> str | None:
    """The list the new items join: the one of the paragraph just before them, if that list
    was made with the same preset (its nesting levels are the preset's).

    docs.v1.json CreateParagraphBulletsRequest: "If the paragraph immediately before
    paragraphs being updated is in a list with a matching preset, the paragraphs being
    updated are added to that preceding list." (docs/google-api-notes.md, "Adjacent bullets
    with the same preset join one list").
    """
    if first.position == 0:
        return None
    before = first.container[first.position - 1].get("paragraph")
    list_id = ((before or {}).get("bullet") or {}).get("listId")
    if not list_id or list_id not in lists:
        return None
    levels = lists[list_id].get("listProperties", {}).get("nestingLevels")
    return str(list_id) if levels == nesting_levels(preset) else None


def _strip_leading_tabs(paragraph: JSON) -> int:
    removed = 0
    elements = paragraph.get("elements", [])
    while elements and "textRun" in elements[0]:
        run = elements[0]["textRun"]
        text = run.get("content", "")
        body = text[:-1] if text.endswith("\n") else text
        stripped = body.lstrip("\t")
        removed += len(body) - len(stripped)
        run["content"] = text[len(body) - len(stripped) :]
        if run["content"]:
            break
        elements.pop(0)
    return removed


def delete_paragraph_bullets(edit: Edit, params: JSON) -> JSON:
    _, _, content, start, end = edit.in_range(params)
    for ref in paragraphs_in(content, start, end):
        if ref.paragraph.pop("bullet", None) is None:
            continue
        # docs.v1.json: "The nesting level of each paragraph will be visually preserved by
        # adding indent to the start of the corresponding paragraph."
        paragraph_style = ref.paragraph.setdefault("paragraphStyle", {})
        if "indentStart" in paragraph_style:
            paragraph_style["indentFirstLine"] = copy.deepcopy(paragraph_style["indentStart"])
    return {}


# --- named ranges -------------------------------------------------------------------


def create_named_range(edit: Edit, params: JSON) -> JSON:
    name = params.get("name")
    if not isinstance(name, str) or not 1 <= u16len(name) <= 256:
        # docs.v1.json CreateNamedRangeRequest.name: "Must be at least 1 character and no
        # more than 256 characters, measured in UTF-16 code units."
        raise InvalidRequest(
            "The name must be at least 1 character and no more than 256 characters, "
            "measured in UTF-16 code units."
        )
    tab, segment_id, _, start, end = edit.in_range(params)
    named_range_id = edit.new_id("kix.")
    rng: JSON = {"startIndex": start, "endIndex": end}
    if segment_id:
        rng["segmentId"] = segment_id
    tab_id = tab.get("tabProperties", {}).get("tabId")
    if tab_id:
        rng["tabId"] = tab_id
    groups = tab["documentTab"].setdefault("namedRanges", {})
    group = groups.setdefault(name, {"name": name, "namedRanges": []})
    group["namedRanges"].append({"namedRangeId": named_range_id, "name": name, "ranges": [rng]})
    return {"createNamedRange": {"namedRangeId": named_range_id}}


def delete_named_range(edit: Edit, params: JSON) -> JSON:
    named_range_id = params.get("namedRangeId")
    name = params.get("name")
    if bool(named_range_id) == bool(name):
        raise InvalidRequest("Exactly one of namedRangeId or name must be set.")
    tab_ids = (params.get("tabsCriteria") or {}).get("tabIds")
    tabs = [edit.tab(t) for t in tab_ids] if tab_ids else edit.all_tabs()
    found = False
    for tab in tabs:
        holder = tab.get("documentTab", {})
        groups = holder.get("namedRanges", {})
        for group_name in list(groups):
            group = groups[group_name]
            before = group.get("namedRanges", [])
            after = [
                n
                for n in before
                if not (n.get("namedRangeId") == named_range_id or n.get("name") == name)
            ]
            found = found or len(after) != len(before)
            if after:
                group["namedRanges"] = after
            else:
                del groups[group_name]
        if "namedRanges" in holder and not groups:
            del holder["namedRanges"]
    if named_range_id and not found:
        raise InvalidRequest(f"The named range with ID {named_range_id!r} does not exist.")
    return {}


# --- inline elements ----------------------------------------------------------------


def _insert_element(edit: Edit, params: JSON, kind: str, inner: JSON) -> JSON:
    tab, segment_id, content, index = edit.at_location(params)
    index = out_of_cluster(content, index)
    element = {"startIndex": index, "endIndex": index + 1, kind: inner}
    insert_inline(content, index, element)
    edit.after_insert(tab, segment_id, index, 1)
    return {}


def insert_person(edit: Edit, params: JSON) -> JSON:
    props = params.get("personProperties") or {}
    if not props.get("email"):
        raise InvalidRequest("personProperties.email must be set.")
    person_props: JSON = {"email": props["email"]}
    if props.get("name"):
        person_props["name"] = props["name"]
    inner = {"personId": edit.new_id("kix."), "personProperties": person_props, "textStyle": {}}
    return _insert_element(edit, params, "person", inner)


def insert_rich_link(edit: Edit, params: JSON) -> JSON:
    props = params.get("richLinkProperties") or {}
    if not props.get("uri"):
        raise InvalidRequest("richLinkProperties.uri must be set.")
    link_props: JSON = {"title": props.get("title") or props["uri"], "uri": props["uri"]}
    if props.get("mimeType"):
        link_props["mimeType"] = props["mimeType"]
    inner = {"richLinkId": edit.new_id("kix."), "richLinkProperties": link_props, "textStyle": {}}
    return _insert_element(edit, params, "richLink", inner)


def insert_date(edit: Edit, params: JSON) -> JSON:
    props = copy.deepcopy(params.get("dateElementProperties") or {})
    props.pop("displayText", None)  # output only
    props["displayText"] = _display_date(props)
    inner = {"dateId": edit.new_id("kix."), "dateElementProperties": props, "textStyle": {}}
    return _insert_element(edit, params, "dateElement", inner)


def _display_date(props: JSON) -> str:
    """An English rendering of the date chip (Google localises; the sandbox speaks `en`)."""
    raw = props.get("timestamp")
    if not raw:
        raise InvalidRequest("dateElementProperties.timestamp must be set.")
    try:
        moment = datetime.fromisoformat(str(raw).replace("Z", "+00:00"))
    except ValueError as exc:
        raise InvalidRequest(f"Invalid timestamp: {raw}") from exc
    zone_name = props.get("timeZoneId") or "UTC"
    try:
        zone = ZoneInfo("UTC" if zone_name.lower() == "etc/utc" else zone_name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise InvalidRequest(f"Invalid timeZoneId: {zone_name}") from exc
    if moment.tzinfo is None:
        raise InvalidRequest(f"Invalid timestamp (no offset): {raw}")
    local = moment.astimezone(zone)
    pattern = _DATE_FORMATS.get(
        props.get("dateFormat", ""), _DATE_FORMATS["DATE_FORMAT_MONTH_DAY_YEAR_ABBREVIATED"]
    )
    text = pattern.format(
        b=local.strftime("%b"),
        B=local.strftime("%B"),
        d=local.day,
        Y=local.year,
        iso=local.date().isoformat(),
    )
    time_format = props.get("timeFormat")
    if time_format in ("TIME_FORMAT_HOUR_MINUTE", "TIME_FORMAT_HOUR_MINUTE_TIMEZONE"):
        hour = local.hour % 12 or 12
        text += f" {hour}:{local.minute:02d} {'AM' if local.hour < 12 else 'PM'}"
        if time_format == "TIME_FORMAT_HOUR_MINUTE_TIMEZONE":
            text += f" {local.tzname()}"
    return text


# --- tabs ---------------------------------------------------------------------------


def add_document_tab(edit: Edit, params: JSON) -> JSON:
    wanted = params.get("tabProperties") or {}
    parent_id = wanted.get("parentTabId")
    parent = edit.tab(parent_id) if parent_id else None
    siblings: list[JSON] = (
        parent.setdefault("childTabs", []) if parent else edit.doc.setdefault("tabs", [])
    )
    position = wanted.get("index", len(siblings))
    if not isinstance(position, int) or not 0 <= position <= len(siblings):
        raise InvalidRequest(f"Invalid tab index: {position}")
    props: JSON = {"tabId": edit.new_id("t."), "title": wanted.get("title") or ""}
    if not props["title"]:
        props["title"] = f"Tab {len(edit.all_tabs()) + 1}"
    if parent is not None:
        props["parentTabId"] = parent_id
        level = parent.get("tabProperties", {}).get("nestingLevel", 0) + 1
        props["nestingLevel"] = level
    if wanted.get("iconEmoji"):
        props["iconEmoji"] = wanted["iconEmoji"]
    first = edit.all_tabs()[0].get("documentTab", {})
    document_tab: JSON = {"body": {"content": empty_body()}}
    for key in ("documentStyle", "namedStyles"):
        if key in first:
            document_tab[key] = copy.deepcopy(first[key])
    style = document_tab.get("documentStyle", {})
    for key in list(style):
        if key.endswith(("HeaderId", "FooterId")):
            del style[key]
    siblings.insert(position, {"tabProperties": props, "documentTab": document_tab})
    for n, sibling in enumerate(siblings):
        sibling_props = sibling.setdefault("tabProperties", {})
        if n:
            sibling_props["index"] = n
        else:
            sibling_props.pop("index", None)
    return {"addDocumentTab": {"tabProperties": copy.deepcopy(props)}}


def empty_body() -> list[JSON]:
    """A new segment: the section break and one empty paragraph, as Google creates them."""
    return [
        {
            "endIndex": 1,
            "sectionBreak": {
                "sectionStyle": {
                    "columnSeparatorStyle": "NONE",
                    "contentDirection": "LEFT_TO_RIGHT",
                    "sectionType": "CONTINUOUS",
                }
            },
        },
        {
            "startIndex": 1,
            "endIndex": 2,
            "paragraph": {
                "elements": [
                    {"startIndex": 1, "endIndex": 2, "textRun": {"content": "\n", "textStyle": {}}}
                ],
                "paragraphStyle": {"namedStyleType": "NORMAL_TEXT", "direction": "LEFT_TO_RIGHT"},
            },
        },
    ]


HANDLERS: dict[str, Callable[[Edit, JSON], JSON]] = {
    "insertText": insert_text_request,
    "deleteContentRange": delete_content_range,
    "replaceAllText": replace_all_text,
    "updateTextStyle": update_text_style,
    "updateParagraphStyle": update_paragraph_style,
    "createParagraphBullets": create_paragraph_bullets,
    "deleteParagraphBullets": delete_paragraph_bullets,
    "createNamedRange": create_named_range,
    "deleteNamedRange": delete_named_range,
    "insertPerson": insert_person,
    "insertDate": insert_date,
    "insertRichLink": insert_rich_link,
    "addDocumentTab": add_document_tab,
}
