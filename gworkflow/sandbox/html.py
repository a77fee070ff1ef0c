"""The sandbox's HTML view: an index of documents and events, and a document page that looks
and edits like a Google Doc.

The document page is a white page on a grey canvas in the Docs default styles (Arial 11pt,
Title and Heading 1-6 sizes), with the document tabs and the outline of the selected tab's
headings at the side. It shows headings, bullet / numbered / checklist items (an empty box:
the API exposes no checked state) nested as in the doc, bold / italic / underline /
strikethrough, links, line breaks, person / date / rich-link chips and tables.

List items are editable in the small ways a pair edits the running doc: type in an item,
press Enter for a new one, mark one done (a typed ✅), strike one through, delete one. The
inline script in html_assets.py turns each edit into a documents.batchUpdate sent to the
sandbox's own Docs endpoint, computed from the startIndex / endIndex each paragraph carries
as data attributes and guarded by the page's revision id (writeControl.requiredRevisionId).

Safety: every piece of document text is html-escaped; only http(s) and mailto links are
rendered clickable (a `javascript:` link shows as plain text).

Pure string building from `documents.get` JSON (either form); no HTTP here.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from html import escape
from typing import Any
from urllib.parse import quote

from gworkflow.sandbox.html_assets import DOC_ICON, FAVICON, PAGE_CSS, PAGE_SCRIPT

JSON = dict[str, Any]

_ORDERED_GLYPHS = {
    "DECIMAL": "decimal",
    "ZERO_DECIMAL": "decimal-leading-zero",
    "ALPHA": "lower-alpha",
    "UPPER_ALPHA": "upper-alpha",
    "ROMAN": "lower-roman",
    "UPPER_ROMAN": "upper-roman",
}
# Named style -> (tag, class, outline level); the outline indents by level like Docs.
_PARAGRAPH_TAGS: dict[str, tuple[str, str, int]] = {
    "TITLE": ("h1", "title", 0),
    "SUBTITLE": ("p", "subtitle", 0),
    **{f"HEADING_{n}": (f"h{n}", "", n) for n in range(1, 7)},
}
_ALIGN = {"CENTER": "center", "END": "right", "JUSTIFIED": "justify"}
_SAFE_LINK = re.compile(r"(?i)^(?:https?|mailto):[^\x00-\x20\x7f]*$")
# A leading check mark is how gworkflow reads "done" (the API has no checked state).
_DONE = re.compile(r"^\s*[✅✔☑✓]")
_VT = "\x0b"  # a line break inside a paragraph (Shift+Enter in Docs)


def esc(text: str) -> str:
    """Html-escape text for element content and double- or single-quoted attributes."""
    return escape(text, quote=True)


def page(title: str, body: str, *, body_attrs: str = "", script: str = "") -> str:
    """A complete HTML page around `body` (already markup)."""
    tail = f"<script>{script}</script>" if script else ""
    return (
        "<!doctype html><html lang='en'><head><meta charset='utf-8'>"
        "<meta name='viewport' content='width=device-width, initial-scale=1'>"
        f"<title>{esc(title)}</title><link rel='icon' href='{FAVICON}'>"
        f"<style>{PAGE_CSS}</style></head>"
        f"<body{body_attrs}>{body}{tail}</body></html>"
    )


def _top_bar(title: str, extra: str = "") -> str:
    return (
        "<header class='bar'><a class='home' href='/' title='All documents in the sandbox'>"
        f"{DOC_ICON}</a><div class='doc-title'>{esc(title)}</div>{extra}</header>"
    )


# -- index ------------------------------------------------------------------------------------


def render_index(documents: list[JSON], events: list[JSON]) -> str:
    """GET /: every document (linked to its view) and every event."""
    parts = ["<main class='index'><h2>Documents</h2>"]
    if documents:
        parts.append("<ul class='files'>")
        for doc in documents:
            doc_id = str(doc.get("documentId", ""))
            parts.append(
                f"<li><a href='/view/documents/{esc(quote(doc_id, safe=''))}'>"
                f"{esc(str(doc.get('title') or 'Untitled document'))}</a> "
                f"<span class='meta'>{esc(doc_id)}</span></li>"
            )
        parts.append("</ul>")
    else:
        parts.append("<p class='meta'>No documents.</p>")
    parts.append("<h2>Events</h2>")
    if events:
        parts.append("<ul class='files'>")
        for event in events:
            parts.append(f"<li>{_event_line(event)}</li>")
        parts.append("</ul>")
    else:
        parts.append("<p class='meta'>No events.</p>")
    parts.append("</main>")
    return page("gworkflow sandbox", _top_bar("gworkflow sandbox") + "".join(parts))


def render_error(status: int, message: str) -> str:
    """A page for a view that cannot be shown (no such document, no such page)."""
    card = (
        f"<main class='index'><h2>{status}: nothing to show here</h2><p>{esc(message)}</p>"
        "<p><a href='/'>All documents in the sandbox</a></p></main>"
    )
    return page("Not found", _top_bar("gworkflow sandbox") + card)


def _event_line(event: JSON) -> str:
    summary = esc(str(event.get("summary") or event.get("id") or "(event)"))
    start = event.get("start")
    when = start.get("dateTime") or start.get("date") if isinstance(start, dict) else start
    bits = [f"<b>{summary}</b>"]
    if when:
        bits.append(esc(str(when)))
    for key in ("recurrence", "location", "calendarId", "id"):
        if event.get(key):
            value = event[key]
            shown = ", ".join(map(str, value)) if isinstance(value, list) else str(value)
            bits.append(f"<span class='meta'>{esc(key)}: {esc(shown)}</span>")
    return " ".join(bits)


# -- document ---------------------------------------------------------------------------------


@dataclass
class _Tab:
    tab_id: str | None  # None: a legacy (tab-less) documents.get response
    title: str
    depth: int
    content: JSON  # {"body", "lists", ...}


def _tabs(doc: JSON) -> list[_Tab]:
    def walk(tabs: list[JSON], depth: int) -> Iterator[_Tab]:
        for tab in tabs:
            props = tab.get("tabProperties", {})
            tab_id = str(props.get("tabId", ""))
            title = str(props.get("title") or "Untitled tab")
            yield _Tab(tab_id, title, depth, tab.get("documentTab", {}))
            yield from walk(tab.get("childTabs", []), depth + 1)

    found = list(walk(doc.get("tabs") or [], 0))
    return found or [_Tab(None, "", 0, doc)]


def render_document(doc: JSON, tab_id: str | None = None) -> str:
    """A documents.get response (legacy or includeTabsContent=true) as an editable page.

    `tab_id` picks the tab shown (Google's `?tab=` URL parameter); the first tab otherwise.
    """
    title = str(doc.get("title") or "Untitled document")
    tabs = _tabs(doc)
    shown = next((t for t in tabs if tab_id is not None and t.tab_id == tab_id), tabs[0])
    writer = _BodyWriter(shown.content.get("lists", {}), shown.tab_id)
    body = shown.content.get("body", {})
    content = writer.content(body.get("content", []), editable=True)
    tab_attr = f" data-tab-id='{esc(shown.tab_id)}'" if shown.tab_id is not None else ""
    main = f"<main class='canvas'><article class='page'{tab_attr}>{content}</article></main>"
    side = _side_panel(tabs, shown, writer.outline)
    status = (
        "<div class='hint'>Click a list item to edit it · Enter adds an item · "
        "hover an item to mark it done, strike it through or delete it</div>"
        "<div id='status' class='status' role='status'></div>"
    )
    notice = (
        "<div id='notice' class='notice' role='alert' hidden><span id='notice-text'></span>"
        "<button type='button' id='notice-reload'>Reload</button></div>"
    )
    revision = f"<input type='hidden' id='revision' value='{esc(str(doc.get('revisionId', '')))}'>"
    markup = _top_bar(title, status) + f"<div class='app'>{side}{main}</div>{notice}{revision}"
    doc_id = esc(str(doc.get("documentId", "")))
    return page(title, markup, body_attrs=f" data-doc-id='{doc_id}'", script=PAGE_SCRIPT)


def _side_panel(tabs: list[_Tab], shown: _Tab, outline: list[tuple[int, str, str]]) -> str:
    items = []
    for heading_level, anchor, text in outline:
        items.append(
            f"<li class='lvl{heading_level}'><a href='#{esc(quote(anchor, safe=''))}'>"
            f"{esc(text)}</a></li>"
        )
    outline_html = f"<ul class='outline'>{''.join(items)}</ul>" if items else ""
    if shown.tab_id is None:  # a legacy document: no tabs, just its outline
        return f"<nav class='side' aria-label='Outline'><h2>Outline</h2>{outline_html}</nav>"
    rows = []
    for tab in tabs:
        selected = tab is shown
        href = f"?tab={quote(tab.tab_id or '', safe='')}"
        current = " aria-current='page'" if selected else ""
        rows.append(
            f"<li class='tab{' selected' if selected else ''}' style='--depth:{tab.depth}'>"
            f"<a href='{esc(href)}'{current}><span class='tab-icon' aria-hidden='true'></span>"
            f"{esc(tab.title)}</a>{outline_html if selected else ''}</li>"
        )
    return (
        "<nav class='side' aria-label='Document tabs'><h2>Document tabs</h2>"
        f"<ul class='tabs'>{''.join(rows)}</ul></nav>"
    )


def _list_kind(lists: JSON, list_id: str, level: int) -> tuple[str, str]:
    """("ul", glyph), ("ol", css list-style-type) or ("check", "") for one list level."""
    levels = lists.get(list_id, {}).get("listProperties", {}).get("nestingLevels", [])
    spec = levels[level] if level < len(levels) else {}
    if spec.get("glyphSymbol"):
        return "ul", str(spec["glyphSymbol"])
    if spec.get("glyphType") in _ORDERED_GLYPHS:
        return "ol", _ORDERED_GLYPHS[spec["glyphType"]]
    # A checklist level has neither a symbol nor an ordered glyph type (GLYPH_TYPE_UNSPECIFIED;
    # see docs/google-api-notes.md). A list missing from `lists` reads as plain bullets.
    return ("check", "") if levels else ("ul", "●")


class _ListWriter:
    """Opens and closes nested <ul>/<ol> as bullet paragraphs come and go."""

    def __init__(self, out: list[str]) -> None:
        self.out = out
        self.stack: list[list[Any]] = []  # [tag, li_open]

    def item(self, level: int, tag: str, list_style: str, li_attrs: str, inner: str) -> None:
        while len(self.stack) > level + 1:
            self._pop()
        if len(self.stack) == level + 1 and self.stack[-1][0] != tag:
            self._pop()
        if len(self.stack) == level + 1 and self.stack[-1][1]:
            self.out.append("</li>")
            self.stack[-1][1] = False
        while len(self.stack) < level + 1:
            style = f" style='list-style-type:{list_style}'" if tag == "ol" else ""
            self.out.append(f"<{tag}{style}>")
            self.stack.append([tag, False])
        self.out.append(f"<li{li_attrs}>{inner}")
        self.stack[-1][1] = True

    def _pop(self) -> None:
        tag, li_open = self.stack.pop()
        if li_open:
            self.out.append("</li>")
        self.out.append(f"</{tag}>")

    def close(self) -> None:
        while self.stack:
            self._pop()


@dataclass
class _BodyWriter:
    """Renders one tab's structural elements; collects the outline of its headings."""

    lists: JSON
    tab_id: str | None
    outline: list[tuple[int, str, str]] = field(default_factory=list)
    _ids: set[str] = field(default_factory=set)

    def content(self, content: list[JSON], *, editable: bool) -> str:
        out: list[str] = []
        lists_out = _ListWriter(out)
        for i, element in enumerate(content):
            paragraph = element.get("paragraph")
            if paragraph is not None:
                self._paragraph(content, i, paragraph, out, lists_out, editable)
                continue
            lists_out.close()
            if "table" in element:
                out.append(self._table(element["table"], editable))
            elif "tableOfContents" in element:
                toc = element["tableOfContents"].get("content", [])
                out.append(f"<nav class='toc'>{self.content(toc, editable=False)}</nav>")
        lists_out.close()
        return "".join(out)

    def _paragraph(
        self,
        content: list[JSON],
        i: int,
        paragraph: JSON,
        out: list[str],
        lists_out: _ListWriter,
        editable: bool,
    ) -> None:
        element = content[i]
        start, end = int(element.get("startIndex", 0)), int(element.get("endIndex", 0))
        elements = paragraph.get("elements", [])
        inner = "".join(self._element(e) for e in elements)
        if _plain_text(elements, breaks=_VT).endswith(_VT):
            inner += "<br>"  # a trailing line break shows only with a line after it
        style = paragraph.get("paragraphStyle", {})
        align = _ALIGN.get(str(style.get("alignment", "")))
        align_css = f" style='text-align:{align}'" if align else ""
        position = f" data-start='{start}' data-end='{end}'"
        bullet = paragraph.get("bullet")
        if bullet is None:
            lists_out.close()
            named = str(style.get("namedStyleType", "NORMAL_TEXT"))
            tag, css, level = _PARAGRAPH_TAGS.get(named, ("p", "", -1))
            attrs = position + align_css + (f" class='{css}'" if css else "")
            if tag.startswith("h"):
                anchor = self._anchor(str(style.get("headingId") or f"heading-{start}"))
                attrs += f" id='{esc(anchor)}'"
                shown = _plain_text(elements).strip()
                if shown:
                    self.outline.append((level, anchor, shown))
            out.append(f"<{tag}{attrs}>{inner or '<br>'}</{tag}>")
            return
        level = int(bullet.get("nestingLevel", 0))
        kind, glyph = _list_kind(self.lists, str(bullet.get("listId", "")), level)
        text = _editable_text(elements, start, end) if editable else None
        attrs = f" class='{kind}'{position}"
        if kind == "ul":
            attrs += f" data-glyph='{esc(glyph)}'"
        if text is None:
            line = f"<div class='line'{align_css}><span class='text'>{inner}</span></div>"
        else:
            attrs += self._edit_attrs(content, i, elements, text)
            line = (
                f"<div class='line'{align_css}><span class='text' contenteditable='true' "
                f"spellcheck='false'>{inner}</span>{_TOOLS}</div>"
            )
        lists_out.item(level, "ol" if kind == "ol" else "ul", glyph, attrs, line)

    def _edit_attrs(self, content: list[JSON], i: int, elements: list[JSON], text: str) -> str:
        """What the script needs to edit this item: flags and the range that deletes it."""
        attrs = " data-editable='1'"
        if not text:
            attrs += " data-empty='1'"
        if _DONE.match(text):
            attrs += " data-done='1'"
        runs = [e for e in elements if e.get("textRun", {}).get("content", "").strip("\n")]
        if runs and all(r["textRun"].get("textStyle", {}).get("strikethrough") for r in runs):
            attrs += " data-struck='1'"
        deleted = _delete_range(content, i)
        if deleted is not None:
            attrs += f" data-delete='{deleted[0]},{deleted[1]}'"
        return attrs

    def _anchor(self, wanted: str) -> str:
        anchor, n = wanted, 1
        while anchor in self._ids:
            n += 1
            anchor = f"{wanted}-{n}"
        self._ids.add(anchor)
        return anchor

    def _table(self, table: JSON, editable: bool) -> str:
        rows = []
        for row in table.get("tableRows", []):
            cells = "".join(
                f"<td>{self.content(cell.get('content', []), editable=editable)}</td>"
                for cell in row.get("tableCells", [])
            )
            rows.append(f"<tr>{cells}</tr>")
        return f"<table><tbody>{''.join(rows)}</tbody></table>"

    def _element(self, element: JSON) -> str:
        if "textRun" in element:
            run = element["textRun"]
            text = esc(str(run.get("content", "")).rstrip("\n")).replace(_VT, "<br>")
            return self._styled(text, run.get("textStyle", {}))
        if "person" in element:
            props = element["person"].get("personProperties", {})
            name = str(props.get("name") or props.get("email") or "someone")
            return (
                f"<span class='chip person' title='{esc(str(props.get('email', '')))}'>"
                f"<span class='avatar' aria-hidden='true'>{esc(name[:1].upper())}</span>"
                f"{esc(name)}</span>"
            )
        if "dateElement" in element:
            props = element["dateElement"].get("dateElementProperties", {})
            shown = str(props.get("displayText") or props.get("timestamp") or "date")
            return f"<span class='chip date'>{esc(shown)}</span>"
        if "richLink" in element:
            props = element["richLink"].get("richLinkProperties", {})
            uri = str(props.get("uri", ""))
            label = esc(str(props.get("title") or uri))
            href = _safe_href(uri)
            if href is None:
                return f"<span class='chip link'>{label}</span>"
            return f"<a class='chip link' href='{esc(href)}' {_NEW_TAB}>{label}</a>"
        if "horizontalRule" in element:
            return "<hr>"
        if "footnoteReference" in element:
            number = element["footnoteReference"].get("footnoteNumber", "*")
            return f"<sup>{esc(str(number))}</sup>"
        if "inlineObjectElement" in element:
            return "<span class='placeholder'>image</span>"
        if "equation" in element:
            return "<span class='placeholder'>equation</span>"
        return ""

    def _styled(self, text: str, style: JSON) -> str:
        if not text:
            return ""
        if style.get("bold"):
            text = f"<b>{text}</b>"
        if style.get("italic"):
            text = f"<i>{text}</i>"
        if style.get("strikethrough"):
            text = f"<s>{text}</s>"
        link = style.get("link")
        if style.get("underline") and not link:
            text = f"<u>{text}</u>"
        offset = style.get("baselineOffset")
        if offset in ("SUPERSCRIPT", "SUBSCRIPT"):
            tag = "sup" if offset == "SUPERSCRIPT" else "sub"
            text = f"<{tag}>{text}</{tag}>"
        if isinstance(link, dict):
            href = self._link_href(link)
            if href is None:
                text = f"<span class='dead-link' title='Link not opened here'>{text}</span>"
            elif href.startswith("#") or href.startswith("?"):
                text = f"<a href='{esc(href)}'>{text}</a>"
            else:
                text = f"<a href='{esc(href)}' {_NEW_TAB}>{text}</a>"
        return text

    def _link_href(self, link: JSON) -> str | None:
        if link.get("url"):
            return _safe_href(str(link["url"]))
        found = link.get("heading")
        heading: JSON = found if isinstance(found, dict) else {}
        heading_id = link.get("headingId") or heading.get("id")
        tab = link.get("tabId") or heading.get("tabId")
        fragment = f"#{quote(str(heading_id), safe='')}" if heading_id else ""
        if tab and tab != self.tab_id:
            return f"?tab={quote(str(tab), safe='')}{fragment}"
        return fragment or None


_NEW_TAB = "target='_blank' rel='noopener noreferrer'"
_TOOLS = (
    "<span class='tools' contenteditable='false'>"
    "<button type='button' data-action='done' aria-label='Mark done' "
    "title='Mark done (types ✅ at the start)'>✅</button>"
    "<button type='button' data-action='strike' aria-label='Strikethrough' "
    "title='Strike through'><s>S</s></button>"
    "<button type='button' data-action='delete' aria-label='Delete item' "
    "title='Delete this item'>✕</button></span>"
)


def _safe_href(url: str) -> str | None:
    """`url` if it is http(s) or mailto (no spaces or control characters); else None."""
    url = url.strip()
    return url if _SAFE_LINK.match(url) else None


def _plain_text(elements: list[JSON], breaks: str = " ") -> str:
    """The paragraph's text runs without the final newline; line breaks as `breaks`."""
    text = "".join(str(e.get("textRun", {}).get("content", "")) for e in elements)
    return text.rstrip("\n").replace(_VT, breaks)


def _utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def _editable_text(elements: list[JSON], start: int, end: int) -> str | None:
    """The paragraph's text if the page can edit it by index: text runs only, and their
    length (UTF-16, as the API counts) matches the paragraph's range."""
    if not elements or any("textRun" not in e for e in elements):
        return None
    text = "".join(str(e["textRun"].get("content", "")) for e in elements)
    if not text.endswith("\n") or "\n" in text[:-1]:
        return None
    text = text[:-1]
    return text if _utf16_len(text) == end - start - 1 else None


def _delete_range(content: list[JSON], i: int) -> tuple[int, int] | None:
    """The range whose deleteContentRange removes paragraph `i` and its bullet.

    Its own range when a paragraph follows. Otherwise (the last paragraph of a body or cell,
    whose newline Google refuses to delete, or one right before a table) the newline before
    it goes instead, which merges what is left into the previous paragraph with that
    paragraph's style. A paragraph with no paragraph on either side offers no delete.
    """
    start, end = int(content[i].get("startIndex", 0)), int(content[i].get("endIndex", 0))
    after = content[i + 1] if i + 1 < len(content) else None
    before = content[i - 1] if i > 0 else None
    if after is not None and "paragraph" in after:
        return start, end
    if before is not None and "paragraph" in before:
        return start - 1, end - 1
    return None
