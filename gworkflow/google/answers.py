"""The shapes of the Google answers gworkflow reads, checked before anything reads them.

A 200 can carry anything a proxy or a broken server puts there: `null`, `[]`, `{}`, or
`{"body": "x"}`. gworkflow acts on what the API returned (a section written, an event
created), so each answer it reads is checked against the parts it uses; a checker returns
None when the answer is usable, else what is wrong with it ("body.content[3].paragraph is
a string, not an object"). Pure Python: no Google library is imported here, so the offline
`goals --doc-json` can use the same check.

Only the fields gworkflow reads are checked, and only their JSON types: Google adds fields
freely, and a missing optional field is read with its default.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

Checker = Callable[[Any], "str | None"]


class _Bad(Exception):
    def __init__(self, where: str, what: str) -> None:
        super().__init__(f"{where} {what}" if where else what)


_NAMES = {dict: "an object", list: "a list", str: "a string", int: "a number", bool: "true/false"}


def _kind(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true/false"
    for kind, name in _NAMES.items():
        if isinstance(value, kind):
            return name
    return "a number" if isinstance(value, float) else type(value).__name__


def _need(value: object, kind: type, where: str) -> Any:
    ok = isinstance(value, kind) and not (kind is int and isinstance(value, bool))
    if not ok:
        raise _Bad(where, f"is {_kind(value)}, not {_NAMES.get(kind, kind.__name__)}")
    return value


def _optional(obj: dict[str, Any], key: str, kind: type, where: str) -> Any:
    if key not in obj:
        return None
    return _need(obj[key], kind, _join(where, key))


def _join(where: str, key: str) -> str:
    return f"{where}.{key}" if where else key


def _checked(check: Callable[[Any], None]) -> Checker:
    def run(answer: Any) -> str | None:
        try:
            check(answer)
        except _Bad as bad:
            return str(bad)
        return None

    return run


# --- Docs --------------------------------------------------------------------------------

_INLINE = ("textRun", "person", "richLink", "dateElement", "inlineObjectElement")


def _paragraph(paragraph: Any, where: str) -> None:
    _need(paragraph, dict, where)
    elements = _optional(paragraph, "elements", list, where) or []
    for n, element in enumerate(elements):
        at = f"{where}.elements[{n}]"
        _need(element, dict, at)
        for key in _INLINE:
            inline = _optional(element, key, dict, at)
            if inline is None:
                continue
            _optional(inline, "textStyle", dict, f"{at}.{key}")
            if key == "textRun":
                _optional(inline, "content", str, f"{at}.{key}")
    _optional(paragraph, "paragraphStyle", dict, where)
    bullet = _optional(paragraph, "bullet", dict, where)
    if bullet is not None:
        _optional(bullet, "listId", str, f"{where}.bullet")
        _optional(bullet, "nestingLevel", int, f"{where}.bullet")


def _content(content: Any, where: str) -> None:
    _need(content, list, where)
    for n, element in enumerate(content):
        at = f"{where}[{n}]"
        _need(element, dict, at)
        _optional(element, "startIndex", int, at)
        _optional(element, "endIndex", int, at)
        if "paragraph" in element:
            _paragraph(element["paragraph"], f"{at}.paragraph")
        table = _optional(element, "table", dict, at) or {}
        for r, row in enumerate(_optional(table, "tableRows", list, f"{at}.table") or []):
            row_at = f"{at}.table.tableRows[{r}]"
            _need(row, dict, row_at)
            for c, cell in enumerate(_optional(row, "tableCells", list, row_at) or []):
                cell_at = f"{row_at}.tableCells[{c}]"
                _need(cell, dict, cell_at)
                if "content" in cell:
                    _content(cell["content"], f"{cell_at}.content")


def _segment(holder: dict[str, Any], where: str) -> None:
    """A legacy document or a documentTab: body, lists, namedRanges."""
    body = _optional(holder, "body", dict, where)
    if body is not None and "content" in body:
        _content(body["content"], _join(_join(where, "body"), "content"))
    lists = _optional(holder, "lists", dict, where) or {}
    for list_id, entry in lists.items():
        at = f"{_join(where, 'lists')}[{list_id!r}]"
        _need(entry, dict, at)
        props = _optional(entry, "listProperties", dict, at)
        if props is not None:
            levels = _optional(props, "nestingLevels", list, f"{at}.listProperties") or []
            for n, level in enumerate(levels):
                _need(level, dict, f"{at}.listProperties.nestingLevels[{n}]")
    named = _optional(holder, "namedRanges", dict, where) or {}
    for name, entry in named.items():
        at = f"{_join(where, 'namedRanges')}[{name!r}]"
        _need(entry, dict, at)
        for n, named_range in enumerate(_optional(entry, "namedRanges", list, at) or []):
            range_at = f"{at}.namedRanges[{n}]"
            _need(named_range, dict, range_at)
            for r, part in enumerate(_optional(named_range, "ranges", list, range_at) or []):
                _need(part, dict, f"{range_at}.ranges[{r}]")
                _optional(part, "startIndex", int, f"{range_at}.ranges[{r}]")
                _optional(part, "endIndex", int, f"{range_at}.ranges[{r}]")


def _tabs(tabs: Any, where: str) -> None:
    _need(tabs, list, where)
    for n, tab in enumerate(tabs):
        at = f"{where}[{n}]"
        _need(tab, dict, at)
        props = _optional(tab, "tabProperties", dict, at)
        if props is not None:
            _optional(props, "tabId", str, f"{at}.tabProperties")
            _optional(props, "title", str, f"{at}.tabProperties")
        document_tab = _optional(tab, "documentTab", dict, at)
        if document_tab is not None:
            _segment(document_tab, f"{at}.documentTab")
        if "childTabs" in tab:
            _tabs(tab["childTabs"], f"{at}.childTabs")


def _document(answer: Any) -> None:
    _need(answer, dict, "the document")
    if "body" not in answer and "tabs" not in answer:
        raise _Bad("the document", "has neither body nor tabs")
    _optional(answer, "documentId", str, "")
    _optional(answer, "title", str, "")
    _optional(answer, "revisionId", str, "")
    _segment(answer, "")
    if "tabs" in answer:
        _tabs(answer["tabs"], "tabs")


def _new_document(answer: Any) -> None:
    _need(answer, dict, "the answer")
    if not isinstance(answer.get("documentId"), str) or not answer["documentId"]:
        raise _Bad("the answer", "has no documentId")


def _batch_update_reply(answer: Any) -> None:
    _need(answer, dict, "the answer")
    if "replies" not in answer and "documentId" not in answer:
        raise _Bad("the answer", "has neither documentId nor replies")
    _optional(answer, "replies", list, "")
    write_control = _optional(answer, "writeControl", dict, "")
    if write_control is not None:
        _optional(write_control, "requiredRevisionId", str, "writeControl")


document = _checked(_document)
new_document = _checked(_new_document)
batch_update_reply = _checked(_batch_update_reply)


# --- Calendar ----------------------------------------------------------------------------


def _event_time(value: Any, where: str) -> None:
    _need(value, dict, where)
    _optional(value, "dateTime", str, where)
    _optional(value, "date", str, where)
    _optional(value, "timeZone", str, where)


def _event_fields(event: Any, where: str) -> None:
    _need(event, dict, where)
    if not isinstance(event.get("id"), str) or not event["id"]:
        raise _Bad(where, "has no id")
    _optional(event, "status", str, where)
    for key in ("start", "end", "originalStartTime"):
        if key in event:
            _event_time(event[key], _join(where, key))
    if event.get("status") != "cancelled" and "start" not in event:
        raise _Bad(where, "has no start")
    for n, attendee in enumerate(_optional(event, "attendees", list, where) or []):
        _need(attendee, dict, f"{_join(where, 'attendees')}[{n}]")
    _optional(event, "recurrence", list, where)
    _optional(event, "recurringEventId", str, where)


def _event(answer: Any) -> None:
    _event_fields(answer, "the event")


def _events(answer: Any) -> None:
    _need(answer, dict, "the answer")
    # A list answer carries "items" (empty when nothing matches) and its "kind".
    if "items" not in answer and answer.get("kind") != "calendar#events":
        raise _Bad("the answer", "has no items (the events)")
    for n, item in enumerate(_need(answer.get("items", []), list, "items")):
        _event_fields(item, f"items[{n}]")
    _optional(answer, "nextPageToken", str, "")


event = _checked(_event)
events = _checked(_events)


# --- Drive -------------------------------------------------------------------------------


def _file(answer: Any) -> None:
    _need(answer, dict, "the answer")
    _optional(answer, "trashed", bool, "")
    capabilities = _optional(answer, "capabilities", dict, "")
    if capabilities is not None:
        _optional(capabilities, "canEdit", bool, "capabilities")


def _about(answer: Any) -> None:
    _need(answer, dict, "the answer")
    user = _optional(answer, "user", dict, "")
    if user is not None:
        _optional(user, "emailAddress", str, "user")


def _permissions(answer: Any) -> None:
    _need(answer, dict, "the answer")
    if "permissions" not in answer:
        raise _Bad("the answer", "has no permissions")
    for n, permission in enumerate(_need(answer["permissions"], list, "permissions")):
        at = f"permissions[{n}]"
        _need(permission, dict, at)
        _optional(permission, "emailAddress", str, at)
        _optional(permission, "role", str, at)
        _optional(permission, "type", str, at)
    _optional(answer, "nextPageToken", str, "")


def _json_object(answer: Any) -> None:
    _need(answer, dict, "the answer")


drive_file = _checked(_file)
about = _checked(_about)
permissions = _checked(_permissions)
json_object = _checked(_json_object)


def anything(answer: Any) -> str | None:
    """For answers gworkflow does not read (events.delete answers 204, no body)."""
    return None
