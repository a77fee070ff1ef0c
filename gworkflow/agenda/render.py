"""Agenda template -> Markdown -> blocks: what one meeting's section of the running doc says.

`build_context` gathers what a template may use (documented below), `render_markdown` runs the
Jinja2 template in a sandbox (user templates are semi-trusted), `markdown_to_blocks` parses the
CommonMark (with task lists and strikethrough) into the block model. `render_section` does all
of it. Turning blocks into Google Docs requests lives in `gworkflow.agenda.requests`; reading
a section back out of a doc lives in `gworkflow.agenda.parse`.

Template context (every datetime is timezone-aware):

    series:      {id, title, timezone (IANA name), doc_url,
                  conference: {kind, join_url, meeting_id, passcode}}
    meeting:     {start, end (series zone), date (start date, series zone),
                  key (the scheduled date that names the section; differs from `date` only
                  for a moved meeting), original_start (or None), status
                  ("confirmed" | "moved" | "cancelled"), local: {participant name: start in
                  their zone}, zones: [{timezone, city, local_start, label}] one per distinct
                  zone, the series zone first; label is "14:00 Chicago", with the date added
                  when it differs from the series-zone date}
    participants: [{name, email, timezone, local_start,
                    goals: [{text, level, done}], conferences: [{text, date or None}]}]
    previous_meeting: date of the previous section, or None
    doc_url:     link to the running doc ("" before it exists)
    now:         when the section is rendered

Filters: `datetime_format(value, "%H:%M")` (strftime), `long_date` ("Tuesday 8 December 2026";
`long_date(year=False)` drops the year), `time` ("14:00"), `city` ("America/New_York" -> "New
York"), `md` (escapes Markdown so text from the doc stays plain text).
"""

from __future__ import annotations

import datetime as dt
import re
import types
import zoneinfo
from collections.abc import Iterator, Sequence
from dataclasses import replace
from importlib import resources
from pathlib import Path
from typing import Any

import jinja2
from jinja2.sandbox import SandboxedEnvironment
from markdown_it import MarkdownIt
from markdown_it.token import Token
from mdit_py_plugins.tasklists import tasklists_plugin

from gworkflow.agenda.blocks import Block, BlockKind, ParticipantCarry, Span
from gworkflow.config import Series
from gworkflow.errors import TemplateError
from gworkflow.meeting import Meeting

DEFAULT_TEMPLATE = "agenda.md.j2"
# A line break inside a paragraph: Docs keeps U+000B in a paragraph (shift+enter in the browser).
LINE_BREAK = "\u000b"
# The done hint written in front of a goal that was ticked/marked done; the parser reads it back.
DONE_PREFIX = "✅ "
MAX_NESTING = 8  # Docs lists have nesting levels 0-8


# --- context ---------------------------------------------------------------------------------


def city(zone: zoneinfo.ZoneInfo | str) -> str:
    """ "America/New_York" -> "New York": how people name a time zone in a sentence."""
    name = zone.key if isinstance(zone, zoneinfo.ZoneInfo) else str(zone)
    return name.rsplit("/", 1)[-1].replace("_", " ")


def long_date(value: dt.date | dt.datetime, year: bool = True) -> str:
    """ "Tuesday 8 December 2026" (no locale, no platform-specific strftime flags)."""
    text = f"{value:%A} {value.day} {value:%B}"
    return f"{text} {value.year}" if year else text


def _time(value: dt.datetime) -> str:
    return f"{value:%H:%M}"


def _normalized_levels(levels: Sequence[int]) -> list[int]:
    """Levels that never jump by more than one: a deeper jump in Markdown becomes a lazy
    paragraph continuation (the goal would merge into the one above it)."""
    out: list[int] = []
    for level in levels:
        ceiling = out[-1] + 1 if out else 0
        out.append(max(0, min(level, ceiling, MAX_NESTING)))
    return out


def _zones(series: Series, meeting: Meeting) -> list[dict[str, Any]]:
    ordered: list[zoneinfo.ZoneInfo] = []
    participant_zones = [p.timezone for p in series.participants]
    if series.timezone in participant_zones:
        ordered.append(series.timezone)
    for zone in participant_zones:
        if zone not in ordered:
            ordered.append(zone)
    home_date = meeting.start.astimezone(series.timezone).date()
    zones = []
    for zone in ordered:
        local = meeting.start.astimezone(zone)
        label = f"{_time(local)} {city(zone)}"
        if local.date() != home_date:
            label += f" ({long_date(local, year=False)})"
        zones.append(
            {"timezone": zone.key, "city": city(zone), "local_start": local, "label": label}
        )
    return zones


def build_context(
    series: Series,
    meeting: Meeting,
    carries: Sequence[ParticipantCarry],
    previous: dt.date | None,
    now: dt.datetime,
) -> dict[str, Any]:
    """Everything a template may use (see the module docstring); plain dicts and lists."""
    by_name = {carry.name.casefold(): carry for carry in carries}
    start = meeting.start.astimezone(series.timezone)
    participants = []
    for person in series.participants:
        carry = by_name.get(person.name.casefold(), ParticipantCarry(person.name))
        levels = _normalized_levels([goal.level for goal in carry.goals])
        participants.append(
            {
                "name": person.name,
                "email": person.email,
                "timezone": person.timezone.key,
                "local_start": meeting.start.astimezone(person.timezone),
                "goals": [
                    {"text": _one_line(goal.text), "level": level, "done": goal.done}
                    for goal, level in zip(carry.goals, levels, strict=True)
                ],
                "conferences": [
                    {"text": _one_line(conf.text), "date": conf.date} for conf in carry.conferences
                ],
            }
        )
    original = meeting.original_start
    return {
        "series": {
            "id": series.id,
            "title": series.title,
            "timezone": series.timezone.key,
            "doc_url": series.doc_url,
            "conference": {
                "kind": series.conference.kind,
                "join_url": series.conference.join_url,
                "meeting_id": series.conference.meeting_id,
                "passcode": series.conference.passcode,
            },
        },
        "meeting": {
            "start": start,
            "end": meeting.end.astimezone(series.timezone),
            "date": start.date(),
            "key": meeting.key,
            "original_start": original.astimezone(series.timezone) if original else None,
            "status": meeting.status,
            "local": meeting.local_times(series.participants),
            "zones": _zones(series, meeting),
        },
        "participants": participants,
        "previous_meeting": previous,
        "doc_url": series.doc_url,
        "now": now,
    }


def _one_line(text: str) -> str:
    return " ".join(text.split())


# --- template -> Markdown --------------------------------------------------------------------

_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>#~|!&])")
_MD_LINE_START = re.compile(r"^(\s*)([-+=]|\d+[.)])")


def md_escape(value: Any) -> str:
    """Backslash-escape Markdown syntax so text copied from the doc renders literally."""
    text = _MD_SPECIAL.sub(r"\\\1", str(value))
    return _MD_LINE_START.sub(lambda m: m[1] + m[2][:-1] + "\\" + m[2][-1], text)


def _datetime_format(value: dt.date | dt.datetime, fmt: str = "%Y-%m-%d %H:%M") -> str:
    return value.strftime(fmt)


def _environment(template: Path | None) -> SandboxedEnvironment:
    loader: jinja2.BaseLoader
    if template is None:
        package = resources.files("gworkflow.templates")

        def load_default(name: str) -> tuple[str, str, Any]:
            source = package.joinpath(name).read_text(encoding="utf-8")
            return source, name, lambda: True

        loader = jinja2.FunctionLoader(load_default)
    else:
        # Relative {% include %}s in a user template resolve next to it.
        loader = jinja2.FileSystemLoader(str(template.parent))
    env = SandboxedEnvironment(
        loader=loader,
        undefined=jinja2.StrictUndefined,
        autoescape=False,
        keep_trailing_newline=True,
    )
    env.filters.update(
        {
            "datetime_format": _datetime_format,
            "long_date": long_date,
            "time": _time,
            "city": city,
            "md": md_escape,
        }
    )
    return env


def _template_line(tb: types.TracebackType | None) -> tuple[str | None, int | None]:
    """The template file and line of the innermost template frame of a traceback.

    Jinja rewrites the traceback of a render error so that template frames carry the
    template's file name and line (jinja2.debug.rewrite_traceback_stack).
    """
    found: tuple[str | None, int | None] = (None, None)
    while tb is not None:
        filename = tb.tb_frame.f_code.co_filename
        if not filename.endswith(".py") and not filename.startswith("<"):
            found = (filename, tb.tb_lineno)
        tb = tb.tb_next
    return found


def render_markdown(series: Series, context: dict[str, Any]) -> str:
    """Render the series' template (or the default) with `context`; TemplateError if it fails."""
    template_path = series.template
    name = template_path.name if template_path else DEFAULT_TEMPLATE
    shown = str(template_path) if template_path else f"(built-in) {DEFAULT_TEMPLATE}"
    env = _environment(template_path)
    try:
        template = env.get_template(name)
    except jinja2.TemplateNotFound:
        raise TemplateError(
            f"template {shown}: file not found; fix `template` in the config or remove it"
        ) from None
    except jinja2.TemplateSyntaxError as exc:
        where = exc.filename or shown
        raise TemplateError(f"template {where}, line {exc.lineno}: {exc.message}") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise TemplateError(f"template {shown}: cannot read it: {exc}") from None
    try:
        return template.render(context)
    except jinja2.TemplateSyntaxError as exc:  # e.g. in an {% include %}d file
        raise TemplateError(
            f"template {exc.filename or shown}, line {exc.lineno}: {exc.message}"
        ) from None
    except Exception as exc:
        # Anything a template can raise (undefined names, sandbox refusals, type errors in a
        # filter): the user needs the file and line, never a traceback.
        filename, line = _template_line(exc.__traceback__)
        where = f"template {filename or shown}" + (f", line {line}" if line else "")
        problem = getattr(exc, "message", None) or str(exc) or type(exc).__name__
        problem = " ".join(str(problem).split())
        raise TemplateError(f"{where}: {problem}") from None


# --- Markdown -> blocks ----------------------------------------------------------------------


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
    # Docs has no checked state through the API: a checked item keeps a visible done hint.
    return Block(BlockKind.CHECKLIST, _with_done_prefix(spans) if task else spans, level)


def markdown_to_blocks(text: str) -> tuple[Block, ...]:
    """CommonMark (+ task lists, ~~strike~~) -> blocks. Never fails: what Docs cannot show
    natively (tables, code, images, HTML) becomes plain paragraph text."""
    return tuple(_walk(_markdown().parse(text)))


def render_section(series: Series, context: dict[str, Any]) -> tuple[Block, ...]:
    """The blocks of one meeting's section: the template rendered and parsed."""
    return markdown_to_blocks(render_markdown(series, context))
