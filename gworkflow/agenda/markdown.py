"""Markdown -> blocks: what a rendered agenda template becomes in the block model.

What lives here: parsing CommonMark (plus task lists and ~~strikethrough~~) with markdown-it-py
and walking its token stream into `Block`s and `Span`s: headings, paragraphs, bullets,
numbered items and checklists, bold/italic/strike, links and people chips
(`@[Name](mailto:...)`). It never fails: what Docs cannot show natively (tables, code,
images, HTML) becomes plain paragraph text. And the way back for text carried from the doc:
`md_escape` (plain text that stays literal) and `spans_to_markdown` (spans that come back
with their bold, italic, strike, links and chips). What does not: rendering the template
(template.py), turning blocks into Docs requests (requests.py).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import replace
from functools import cache
from itertools import groupby
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.token import Token
from mdit_py_plugins.tasklists import tasklists_plugin

from gworkflow.agenda.blocks import LINE_BREAK, MAX_NESTING, Block, BlockKind, Span

# The done hint written in front of a goal that was ticked/marked done; the parser reads it back.
DONE_PREFIX = "✅ "


@cache
def _markdown() -> MarkdownIt:
    # CommonMark without raw HTML passing through; ~~strike~~ is a GFM extension markdown-it
    # ships as a rule of its own.
    return MarkdownIt("commonmark").enable("strikethrough").use(tasklists_plugin)


_EMPTY_TASK = re.compile(r"^\[([ xX])\]$")


class _SpanBuilder:
    """Collects spans from an inline token stream, tracking emphasis and links."""

    def __init__(self) -> None:
        self.spans: list[Span] = []
        self.bold = 0
        self.italic = 0
        self.strike = 0
        self.links: list[str | None] = []
        self.person: str | None = None

    def add(self, text: str) -> None:
        if not text:
            return
        link = self.links[-1] if self.links else None
        span = Span(
            text,
            bold=self.bold > 0,
            italic=self.italic > 0,
            strike=self.strike > 0,
            link=None if self.person else link,
            person=self.person,
        )
        last = self.spans[-1] if self.spans else None
        if last is not None and _same_style(last, span):
            self.spans[-1] = Span(
                last.text + text, last.bold, last.italic, last.strike, last.link, last.person
            )
        else:
            self.spans.append(span)

    def feed(self, tokens: Sequence[Token]) -> None:
        for token in tokens:
            kind = token.type
            if kind in ("text", "code_inline"):
                self.add(token.content)
            elif kind in ("softbreak", "hardbreak"):
                self.add(LINE_BREAK)
            elif kind == "strong_open":
                self.bold += 1
            elif kind == "strong_close":
                self.bold -= 1
            elif kind == "em_open":
                self.italic += 1
            elif kind == "em_close":
                self.italic -= 1
            elif kind == "s_open":
                self.strike += 1
            elif kind == "s_close":
                self.strike -= 1
            elif kind == "link_open":
                self._open_link(str(token.attrGet("href") or ""))
            elif kind == "link_close":
                if self.links:
                    self.links.pop()
                self.person = None
            elif kind == "image":
                # Docs needs a public URL to insert an image; keep the alt text instead.
                self.feed(token.children or [])
            elif kind == "html_inline":
                if "task-list-item-checkbox" not in token.content:
                    self.add(token.content)
            else:
                self.add(token.content)

    def _open_link(self, href: str) -> None:
        # `@[Name](mailto:a@b)` is a people chip: drop the "@" that introduced it.
        last = self.spans[-1] if self.spans else None
        if href.startswith("mailto:") and last is not None and last.text.endswith("@"):
            trimmed = last.text[:-1]
            if trimmed:
                self.spans[-1] = Span(
                    trimmed, last.bold, last.italic, last.strike, last.link, last.person
                )
            else:
                self.spans.pop()
            self.person = href.removeprefix("mailto:")
        self.links.append(href or None)

    def result(self) -> tuple[Span, ...]:
        spans = list(self.spans)
        if spans:  # the task-list checkbox leaves a leading space; the browser shows none
            spans[0] = replace(spans[0], text=spans[0].text.lstrip(" "))
        return tuple(span for span in spans if span.text)


def _same_style(a: Span, b: Span) -> bool:
    return (a.bold, a.italic, a.strike, a.link, a.person) == (
        b.bold,
        b.italic,
        b.strike,
        b.link,
        b.person,
    )


def _spans(inline: Token) -> tuple[Span, ...]:
    builder = _SpanBuilder()
    builder.feed(inline.children or [])
    return builder.result()


def _plain(text: str) -> tuple[Span, ...]:
    text = text.strip("\n").replace("\n", LINE_BREAK)
    return (Span(text),) if text else ()


def _with_done_prefix(spans: tuple[Span, ...]) -> tuple[Span, ...]:
    text = "".join(span.text for span in spans)
    if text.startswith(DONE_PREFIX.strip()):
        return spans
    if spans:
        first = spans[0]
        return (
            Span(DONE_PREFIX + first.text, first.bold, first.italic, first.strike, first.link),
            *spans[1:],
        )
    return (Span(DONE_PREFIX),)


def _walk(tokens: Sequence[Token]) -> Iterator[Block]:
    """Blocks from markdown-it's flat block token stream."""
    lists: list[BlockKind] = []  # the kinds of the enclosing lists, innermost last
    item_open: list[bool] = []  # per open list item: has its first paragraph been emitted?
    item_task: list[bool | None] = []  # per open item: task, and checked?
    for index, token in enumerate(tokens):
        kind = token.type
        if kind == "bullet_list_open":
            lists.append(BlockKind.BULLET)
        elif kind == "ordered_list_open":
            lists.append(BlockKind.NUMBERED)
        elif kind in ("bullet_list_close", "ordered_list_close"):
            lists.pop()
        elif kind == "list_item_open":
            item_open.append(False)
            item_task.append(None)
            if "task-list-item" in str(token.attrGet("class") or ""):
                inline = _next_inline(tokens, index)
                checked = bool(
                    inline and inline.children and 'checked="checked"' in inline.children[0].content
                )
                item_task[-1] = checked
        elif kind == "list_item_close":
            if not item_open.pop():  # "- " with nothing after it: an empty item to type into
                task = item_task[-1]
                yield Block(
                    BlockKind.CHECKLIST if task is not None else lists[-1],
                    (),
                    min(len(lists) - 1, MAX_NESTING),
                )
            item_task.pop()
        elif kind == "heading_open":
            inline = tokens[index + 1]
            yield Block(BlockKind.HEADING, _spans(inline), int(token.tag[1:]))
        elif kind == "paragraph_open":
            inline = tokens[index + 1]
            if item_open and not item_open[-1]:
                item_open[-1] = True
                yield _list_item(inline, lists, item_task[-1])
            else:
                yield Block(BlockKind.PARAGRAPH, _spans(inline))
        elif kind in ("fence", "code_block", "html_block"):
            # Unsupported in Docs as such: keep the text as a plain paragraph.
            spans = _plain(token.content)
            if spans:
                if item_open and not item_open[-1]:
                    item_open[-1] = True
                    yield Block(lists[-1], spans, min(len(lists) - 1, MAX_NESTING))
                else:
                    yield Block(BlockKind.PARAGRAPH, spans)
        # hr, blockquote open/close and the inline tokens handled above add nothing.


def _next_inline(tokens: Sequence[Token], index: int) -> Token | None:
    for token in tokens[index + 1 :]:
        if token.type == "inline":
            return token
        if token.type == "list_item_close":
            return None
    return None


def _list_item(inline: Token, lists: list[BlockKind], task: bool | None) -> Block:
    level = min(len(lists) - 1, MAX_NESTING)
    spans = _spans(inline)
    if task is None:
        # markdown-it's task-list plugin needs text after "[ ]"; an empty "- [ ] " to type
        # into is the most common checklist item of all.
        empty = _EMPTY_TASK.match(inline.content.strip())
        if empty:
            return Block(
                BlockKind.CHECKLIST, _with_done_prefix(()) if empty[1] != " " else (), level
            )
        return Block(lists[-1], spans, level)
    # Docs has no checked state through the API (docs/google-api-notes.md, "Checklists have
    # no checked state"): a checked item keeps a visible done hint.
    return Block(BlockKind.CHECKLIST, _with_done_prefix(spans) if task else spans, level)


# --- carried text back to Markdown ---------------------------------------------------------

_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>#~|!&])")
_MD_LINE_START = re.compile(r"^(\s*)([-+=]|\d+[.)])")
_URL_SPECIAL = re.compile(r"([\\<>])")
_DELIMITERS = (("strike", "~~"), ("bold", "**"), ("italic", "*"))


def md_escape(value: Any) -> str:
    """Backslash-escape Markdown syntax so text copied from the doc renders literally."""
    text = _MD_SPECIAL.sub(r"\\\1", str(value))
    return _MD_LINE_START.sub(lambda m: m[1] + m[2][:-1] + "\\" + m[2][-1], text)


def _normalized(spans: Sequence[Span]) -> tuple[Span, ...]:
    """Spans as Markdown can say them: emphasis never starts or ends in white space (it
    would not be emphasis), a line break is a space, adjacent equal styles are one span."""
    pieces: list[Span] = []
    for span in spans:
        text = span.text.replace(LINE_BREAK, " ")
        core = text.strip()
        if not (span.bold or span.italic or span.strike) or not core:
            pieces.append(replace(span, text=text, bold=False, italic=False, strike=False))
            continue
        plain = replace(span, bold=False, italic=False, strike=False)
        lead, trail = text[: len(text) - len(text.lstrip())], text[len(text.rstrip()) :]
        pieces += [replace(plain, text=lead), replace(span, text=core), replace(plain, text=trail)]
    merged: list[Span] = []
    for span in pieces:
        if not span.text:
            continue
        if merged and _same_style(merged[-1], span):
            merged[-1] = replace(merged[-1], text=merged[-1].text + span.text)
        else:
            merged.append(span)
    return tuple(merged)


def _emphasis(spans: Sequence[Span], delimiters: Sequence[tuple[str, str]]) -> str:
    if not delimiters:
        return "".join(md_escape(span.text) for span in spans)
    (flag, mark), rest = delimiters[0], delimiters[1:]
    out = []
    for on, group in groupby(spans, key=lambda span: bool(getattr(span, flag))):
        inner = _emphasis(list(group), rest)
        out.append(f"{mark}{inner}{mark}" if on else inner)
    return "".join(out)


def _url(value: str) -> str:
    return _URL_SPECIAL.sub(r"\\\1", value)


def _render(spans: Sequence[Span], delimiters: Sequence[tuple[str, str]]) -> str:
    out = []
    for (link, person), group in groupby(spans, key=lambda span: (span.link, span.person)):
        inner = _emphasis(list(group), delimiters)
        if person:
            out.append(f"@[{inner}](<mailto:{_url(person)}>)")
        elif link:
            out.append(f"[{inner}](<{_url(link)}>)")
        else:
            out.append(inner)
    return "".join(out)


def inline_spans(text: str) -> tuple[Span, ...]:
    """The spans one line of inline Markdown reads as."""
    builder = _SpanBuilder()
    for token in _markdown().parseInline(text):
        builder.feed(token.children or [])
    return builder.result()


def spans_to_markdown(spans: Sequence[Span]) -> str:
    """Inline Markdown that reads back as `spans`: bold, italic, strike, links and chips kept,
    every other character literal.

    Markdown cannot say everything spans can (emphasis that starts with punctuation right
    after a letter, two emphasized runs side by side), so the result is read back and
    checked: when the styles do not survive, the links alone are kept, and failing that
    the plain text (a link markdown-it refuses, such as javascript:, is dropped). The text
    itself always survives.
    """
    # markdown-it percent-encodes what a URL may not hold ("a b" -> "a%20b"), as Docs
    # would: the link read back is the encoded one, which browsers treat the same.
    encode = _markdown().normalizeLink
    wanted = _normalized(
        [replace(span, link=encode(span.link)) if span.link else span for span in spans]
    )
    text = "".join(span.text for span in wanted)
    for delimiters in (_DELIMITERS, ()):
        expected = _normalized(
            [replace(s, bold=False, italic=False, strike=False) for s in wanted]
            if not delimiters
            else wanted
        )
        rendered = _render(expected, delimiters)
        if _normalized(inline_spans(rendered)) == expected:
            return rendered
    return md_escape(text)


def markdown_to_blocks(text: str) -> tuple[Block, ...]:
    """CommonMark (+ task lists, ~~strike~~) -> blocks. Never fails: what Docs cannot show
    natively (tables, code, images, HTML) becomes plain paragraph text."""
    return tuple(_walk(_markdown().parse(text)))
