"""The sandbox's HTML view: an index of documents and events, and a readable document page.

So a person can look at what gworkflow wrote without Google: headings, bullet / numbered /
checklist items (☐; the API exposes no checked state) as nested lists, bold / italic /
strikethrough, links, person chips ("@Name"), date chips, rich links and tables. Every piece
of document text is html-escaped.

Pure string building from `documents.get` JSON (either form); no HTTP here.
"""

from __future__ import annotations

from html import escape
from typing import Any
from urllib.parse import quote

JSON = dict[str, Any]

_CSS = (
    "body{font-family:system-ui,sans-serif;max-width:52rem;margin:2rem auto;padding:0 1rem;"
    "line-height:1.45;color:#222}a{color:#1a57b5}table{border-collapse:collapse;margin:.5rem 0}"
    "td{border:1px solid #bbb;padding:.25rem .5rem;vertical-align:top}"
    ".tab{border-top:2px solid #ddd;margin-top:1.5rem}.chip{background:#eef1f6;border-radius:.7rem;"
    "padding:0 .4rem}li.check{list-style:none}li.check::before{content:'\\2610 ';}"
    ".meta{color:#666;font-size:.9rem}"
)
_ORDERED_GLYPHS = {"DECIMAL", "ZERO_DECIMAL", "ALPHA", "UPPER_ALPHA", "ROMAN", "UPPER_ROMAN"}
_HEADINGS = {f"HEADING_{n}": f"h{n}" for n in range(1, 7)} | {"TITLE": "h1", "SUBTITLE": "h2"}


def page(title: str, body: str) -> str:
    return (
        "<!doctype html><html><head><meta charset='utf-8'>"
        f"<title>{escape(title)}</title><style>{_CSS}</style></head><body>{body}</body></html>"
    )


def render_index(documents: list[JSON], events: list[JSON]) -> str:
    """GET /: every document (linked to its view) and every event."""
    parts = ["<h1>gworkflow sandbox</h1>", "<h2>Documents</h2>"]
    if documents:
        parts.append("<ul>")
        for doc in documents:
            doc_id = str(doc.get("documentId", ""))
            parts.append(
                f"<li><a href='/view/documents/{escape(quote(doc_id, safe=''))}'>"
                f"{escape(str(doc.get('title') or '(untitled)'))}</a> "
                f"<span class='meta'>{escape(doc_id)}</span></li>"
            )
        parts.append("</ul>")
    else:
        parts.append("<p class='meta'>No documents.</p>")
    parts.append("<h2>Events</h2>")
    if events:
        parts.append("<ul>")
        for event in events:
            parts.append(f"<li>{_event_line(event)}</li>")
        parts.append("</ul>")
    else:
        parts.append("<p class='meta'>No events.</p>")
    return page("gworkflow sandbox", "".join(parts))


def _event_line(event: JSON) -> str:
    summary = escape(str(event.get("summary") or event.get("id") or "(event)"))
    start = event.get("start")
    when = start.get("dateTime") or start.get("date") if isinstance(start, dict) else start
    bits = [f"<b>{summary}</b>"]
    if when:
        bits.append(escape(str(when)))
    for key in ("recurrence", "location", "calendarId", "id"):
        if event.get(key):
            value = event[key]
            shown = ", ".join(map(str, value)) if isinstance(value, list) else str(value)
            bits.append(f"<span class='meta'>{escape(key)}: {escape(shown)}</span>")
    return " ".join(bits)


def render_document(doc: JSON) -> str:
    """A documents.get response (legacy or includeTabsContent=true) as a readable page."""
    title = str(doc.get("title") or "(untitled)")
    parts = [
        f"<p class='meta'><a href='/'>&larr; sandbox</a> · revision {escape(str(doc.get('revisionId', '')))}</p>"
    ]
    parts.append(f"<h1>{escape(title)}</h1>")
    tabs = list(_iter_tabs(doc.get("tabs", [])))
    if tabs:
        for tab, depth in tabs:
            props = tab.get("tabProperties", {})
            content = tab.get("documentTab", {})
            parts.append(
                f"<section class='tab'><p class='meta'>{'&nbsp;' * 4 * depth}Tab: "
                f"{escape(str(props.get('title', '')))} ({escape(str(props.get('tabId', '')))})</p>"
            )
            parts.append(_render_body(content.get("body", {}), content.get("lists", {})))
            parts.append("</section>")
    else:
        parts.append(_render_body(doc.get("body", {}), doc.get("lists", {})))
    return page(title, "".join(parts))


def _iter_tabs(tabs: list[JSON], depth: int = 0) -> Any:
    for tab in tabs:
        yield tab, depth
        yield from _iter_tabs(tab.get("childTabs", []), depth + 1)


def _render_body(body: JSON, lists: JSON) -> str:
    return _render_content(body.get("content", []), lists)


def _list_kind(lists: JSON, list_id: str, level: int) -> str:
    """ "ul", "ol" or "check" for one nesting level of a list."""
    levels = lists.get(list_id, {}).get("listProperties", {}).get("nestingLevels", [])
    spec = levels[level] if level < len(levels) else {}
    if spec.get("glyphSymbol"):
        return "ul"
    if spec.get("glyphType") in _ORDERED_GLYPHS:
        return "ol"
    # A checklist level: GLYPH_TYPE_UNSPECIFIED and no symbol (see DESIGN.md).
    return "check" if levels else "ul"


class _ListWriter:
    """Opens and closes nested <ul>/<ol> as bullet paragraphs come and go."""

    def __init__(self, out: list[str]) -> None:
        self.out = out
        self.stack: list[list[Any]] = []  # [tag, li_open]

    def item(self, level: int, kind: str, inner: str) -> None:
        tag = "ol" if kind == "ol" else "ul"
        while len(self.stack) > level + 1:
            self._pop()
        if len(self.stack) == level + 1 and self.stack[-1][0] != tag:
            self._pop()
        if len(self.stack) == level + 1 and self.stack[-1][1]:
            self.out.append("</li>")
            self.stack[-1][1] = False
        while len(self.stack) < level + 1:
            self.out.append(f"<{tag}>")
            self.stack.append([tag, False])
        css = " class='check'" if kind == "check" else ""
        self.out.append(f"<li{css}>{inner}")
        self.stack[-1][1] = True

    def _pop(self) -> None:
        tag, li_open = self.stack.pop()
        if li_open:
            self.out.append("</li>")
        self.out.append(f"</{tag}>")

    def close(self) -> None:
        while self.stack:
            self._pop()


def _render_content(content: list[JSON], lists: JSON) -> str:
    out: list[str] = []
    lists_out = _ListWriter(out)
    for element in content:
        paragraph = element.get("paragraph")
        if paragraph is not None:
            inner = "".join(_render_element(e) for e in paragraph.get("elements", []))
            bullet = paragraph.get("bullet")
            if bullet is not None:
                level = int(bullet.get("nestingLevel", 0))
                lists_out.item(level, _list_kind(lists, bullet.get("listId", ""), level), inner)
                continue
            lists_out.close()
            style = paragraph.get("paragraphStyle", {}).get("namedStyleType", "NORMAL_TEXT")
            tag = _HEADINGS.get(style, "p")
            out.append(f"<{tag}>{inner or '&nbsp;'}</{tag}>")
            continue
        lists_out.close()
        if "table" in element:
            out.append(_render_table(element["table"], lists))
        elif "tableOfContents" in element:
            out.append("<nav class='meta'>")
            out.append(_render_content(element["tableOfContents"].get("content", []), lists))
            out.append("</nav>")
    lists_out.close()
    return "".join(out)


def _render_table(table: JSON, lists: JSON) -> str:
    rows = []
    for row in table.get("tableRows", []):
        cells = "".join(
            f"<td>{_render_content(cell.get('content', []), lists)}</td>"
            for cell in row.get("tableCells", [])
        )
        rows.append(f"<tr>{cells}</tr>")
    return f"<table>{''.join(rows)}</table>"


def _render_element(element: JSON) -> str:
    if "textRun" in element:
        run = element["textRun"]
        return _styled(escape(run.get("content", "").rstrip("\n")), run.get("textStyle", {}))
    if "person" in element:
        props = element["person"].get("personProperties", {})
        name = props.get("name") or props.get("email") or "someone"
        return f"<span class='chip' title='{escape(str(props.get('email', '')))}'>@{escape(str(name))}</span>"
    if "dateElement" in element:
        props = element["dateElement"].get("dateElementProperties", {})
        shown = props.get("displayText") or props.get("timestamp") or "date"
        return f"<span class='chip'>📅 {escape(str(shown))}</span>"
    if "richLink" in element:
        props = element["richLink"].get("richLinkProperties", {})
        uri = str(props.get("uri", ""))
        return f"<a class='chip' href='{escape(uri)}'>{escape(str(props.get('title') or uri))}</a>"
    if "horizontalRule" in element:
        return "<hr>"
    if "footnoteReference" in element:
        return f"<sup>{escape(str(element['footnoteReference'].get('footnoteNumber', '*')))}</sup>"
    if "inlineObjectElement" in element:
        return "<span class='meta'>[image]</span>"
    if "equation" in element:
        return "<span class='meta'>[equation]</span>"
    return ""


def _styled(text: str, style: JSON) -> str:
    if not text:
        return ""
    if style.get("bold"):
        text = f"<b>{text}</b>"
    if style.get("italic"):
        text = f"<i>{text}</i>"
    if style.get("strikethrough"):
        text = f"<s>{text}</s>"
    if style.get("underline") and not style.get("link"):
        text = f"<u>{text}</u>"
    link = style.get("link")
    if isinstance(link, dict):
        href = link.get("url") or (f"#{link['headingId']}" if link.get("headingId") else "")
        if href:
            text = f"<a href='{escape(str(href))}'>{text}</a>"
    return text
