"""The Docs probes: every batchUpdate request gworkflow sends, and the Docs behaviours it
relies on (or that are open), tried on the scratch doc.

The sections are built by the product's own request builder (`gworkflow.agenda.requests`)
and read back by its own parser (`gworkflow.agenda.parse`); the probes look at the raw
`documents.get` JSON too, so a failure says which request type Google treated otherwise.
Pure helpers (reading paragraphs and ranges, classifying a named range's move) are at the
top and unit-tested; the probes, in the order they run, are listed in `DOCS_PROBES`.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from collections.abc import Sequence
from dataclasses import replace

from gworkflow.agenda.blocks import Block, BlockKind, Span, marker_name
from gworkflow.agenda.docjson import TabContent, select_tab
from gworkflow.agenda.parse import find_sections
from gworkflow.agenda.parse import paragraphs as parsed_paragraphs
from gworkflow.agenda.requests import build_section
from gworkflow.google.docs import RunningDoc
from gworkflow.google.gateway import ApiError
from gworkflow.selftest.context import DOCS, SCRATCH_TITLE, Context, NotRun, Probe
from gworkflow.selftest.results import (
    Observation,
    check,
    failed,
    info,
)
from gworkflow.types import JSON

SETUP_TEXT = "gworkflow self-test: a paragraph that is not empty."
EOS_TEXT = " Appended with endOfSegmentLocation."
COLLABORATOR_TEXT = "A collaborator typed this between gworkflow's read and its write."
STALE_TEXT = "STALE-REVISION-PROBE"
ATOMIC_TEXT = "ATOMIC-BATCH-PROBE "
EDGE_TEXT = "inserted at the edge\n"
EDGE_END = "gworkflow-selftest-edge-end"
EDGE_START = "gworkflow-selftest-edge-start"
LINK = "https://example.org/gworkflow-selftest"
HEADING_LINK = "https://example.org/gworkflow-selftest/heading"
# A character outside the Basic Multilingual Plane: two UTF-16 code units, so every range
# after it is only right if gworkflow counts indexes as Google does.
EMOJI = "\U0001f3af"


def _block(kind: BlockKind, *spans: Span, level: int = 0) -> Block:
    return Block(kind, tuple(spans), level)


H, P = BlockKind.HEADING, BlockKind.PARAGRAPH
BULLET, NUMBERED, CHECK = BlockKind.BULLET, BlockKind.NUMBERED, BlockKind.CHECKLIST

# One section using every request type an agenda section needs (see the template).
SECTION_BLOCKS: tuple[Block, ...] = (
    _block(H, Span("gworkflow self-test section"), level=1),
    _block(
        P,
        Span(f"Plain {EMOJI} then "),
        Span("bold", bold=True),
        Span(", "),
        Span("italic", italic=True),
        Span(", "),
        Span("struck", strike=True),
        Span(" and "),
        Span("a link", link=LINK),
        Span("."),
    ),
    _block(H, Span("A heading with "), Span("a link", link=HEADING_LINK), level=2),
    _block(H, Span("Checklist"), level=3),
    _block(CHECK, Span("A goal")),
    _block(CHECK, Span("A nested goal"), level=1),
    _block(CHECK),
    _block(H, Span("Bullets"), level=3),
    _block(BULLET, Span(f"Level zero {EMOJI}")),
    _block(BULLET, Span("Level one"), level=1),
    _block(BULLET, Span("Level two"), level=2),
    _block(H, Span("Numbered"), level=3),
    _block(NUMBERED, Span("First")),
    _block(NUMBERED, Span("First, nested"), level=1),
)
TOP_BLOCKS: tuple[Block, ...] = (
    _block(H, Span("gworkflow self-test section at the top"), level=1),
    _block(CHECK, Span("A goal at the top")),
)
STALE_BLOCKS: tuple[Block, ...] = (
    _block(H, Span("gworkflow self-test section after a concurrent edit"), level=1),
    _block(BULLET, Span("Written on the second attempt")),
)


# --- reading the raw document -------------------------------------------------------------


def body_paragraphs(tab: TabContent) -> list[JSON]:
    """The body's structural elements that are paragraphs, in order."""
    return [element for element in tab.content if "paragraph" in element]


def text_of(element: JSON) -> str:
    """A paragraph element's text without its final newline."""
    runs = element.get("paragraph", {}).get("elements", [])
    text = "".join(str(run.get("textRun", {}).get("content", "")) for run in runs)
    return text.removesuffix("\n")


def doc_text(tab: TabContent) -> str:
    return "\n".join(text_of(element) for element in body_paragraphs(tab))


def ranges_named(tab: TabContent, name: str) -> list[tuple[int, int]]:
    """Every range of every named range called `name`, in order."""
    found: list[tuple[int, int]] = []
    for named in tab.named_ranges.get(name, {}).get("namedRanges", []):
        for rng in named.get("ranges", []):
            found.append((int(rng.get("startIndex", 0)), int(rng.get("endIndex", 0))))
    return sorted(found)


def span_of(element: JSON) -> tuple[int, int]:
    return int(element.get("startIndex", 0)), int(element.get("endIndex", 0))


def styled_chars(element: JSON) -> list[tuple[str, JSON]]:
    """Each character of a paragraph (final newline excluded) with its run's text style."""
    chars: list[tuple[str, JSON]] = []
    for run in element.get("paragraph", {}).get("elements", []):
        text_run = run.get("textRun")
        if text_run is None:
            continue
        style = text_run.get("textStyle", {})
        chars += [(ch, style) for ch in str(text_run.get("content", ""))]
    if chars and chars[-1][0] == "\n":
        chars.pop()
    return chars


def span_mismatch(block: Block, element: JSON) -> str | None:
    """How the paragraph's styles differ from the spans written, or None if they match."""
    chars = styled_chars(element)
    offset = 0
    for span in block.spans:
        piece = chars[offset : offset + len(span.text)]
        offset += len(span.text)
        if "".join(ch for ch, _ in piece) != span.text:
            return f"text {''.join(ch for ch, _ in piece)!r} where {span.text!r} was written"
        for _, style in piece:
            url = (style.get("link") or {}).get("url")
            got = (
                bool(style.get("bold")),
                bool(style.get("italic")),
                bool(style.get("strikethrough")),
                url,
            )
            want = (span.bold, span.italic, span.strike, span.link)
            if got != want:
                return f"{span.text!r} has {_describe_style(style)}, not {_describe_span(span)}"
    if offset != len(chars):
        return f"extra text {''.join(ch for ch, _ in chars[offset:])!r}"
    return None


def _describe_style(style: JSON) -> str:
    names = [key for key in ("bold", "italic", "strikethrough") if style.get(key)]
    url = (style.get("link") or {}).get("url")
    if url:
        names.append(f"link {url}")
    return ", ".join(names) or "no style"


def _describe_span(span: Span) -> str:
    names = [n for n, on in (("bold", span.bold), ("italic", span.italic)) if on]
    if span.strike:
        names.append("strikethrough")
    if span.link:
        names.append(f"link {span.link}")
    return ", ".join(names) or "no style"


def classify_edge(
    edge: str, before: tuple[int, int], after: Sequence[tuple[int, int]], length: int
) -> str:
    """How a named range moved when `length` units were inserted exactly at its start
    (`edge` "start": "shift" or "extend") or its end ("end": "exclude" or "extend"); any
    other outcome is "other"."""
    start, end = before
    if len(after) != 1:
        return "other"
    if edge == "start":
        if after[0] == (start + length, end + length):
            return "shift"
        if after[0] == (start, end + length):
            return "extend"
    else:
        if after[0] == (start, end):
            return "exclude"
        if after[0] == (start, end + length):
            return "extend"
    return "other"


_EDGE_WORDS = {
    "shift": "shift: the range moved on, the inserted text stayed outside it",
    "extend": "extend: the inserted text became part of the range",
    "exclude": "exclude: the range kept its end, the inserted text stayed outside it",
}


def _ranges_text(ranges: Sequence[tuple[int, int]]) -> str:
    return ", ".join(f"[{s}, {e})" for s, e in ranges) or "no range (it was removed)"


def _compact(value: object, limit: int = 400) -> str:
    text = json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return text if len(text) <= limit else text[: limit - 1] + "…"


def merged(block: Block) -> Block:
    """`block` with adjacent spans of the same style joined: Google may split a run of text
    where the product's reading sees one style, and that is no difference."""
    spans: list[Span] = []
    for span in block.spans:
        if spans and replace(spans[-1], text="") == replace(span, text=""):
            spans[-1] = replace(spans[-1], text=spans[-1].text + span.text)
        else:
            spans.append(span)
    return replace(block, spans=tuple(spans))


def _blocks_differ(want: Sequence[Block], got: Sequence[Block]) -> str | None:
    want, got = [merged(b) for b in want], [merged(b) for b in got]
    for n, (a, b) in enumerate(zip(want, got, strict=False)):
        if a != b:
            return f"paragraph {n + 1}: wrote {_block_text(a)}, read {_block_text(b)}"
    if len(want) != len(got):
        return f"wrote {len(want)} paragraphs, read {len(got)}"
    return None


def _block_text(block: Block) -> str:
    spans = "".join(
        f"[{s.text}]({s.link})" if s.link else f"*{s.text}*" if s.bold or s.italic else s.text
        for s in block.spans
    )
    return f"{block.kind.value}/{block.level} {spans!r}"


def _error_text(error: ApiError) -> str:
    reason = f" {error.reason}" if error.reason else ""
    return f"{error.status}{reason}: {error.detail!r}"


# --- helpers that write ---------------------------------------------------------------------


def _append_paragraph(ctx: Context, text: str) -> JSON:
    """Add a paragraph at the end of the body (a new one: the text starts with a newline)."""
    return ctx.batch([{"insertText": {"endOfSegmentLocation": {}, "text": "\n" + text}}])


def _marker(ctx: Context, days: int) -> str:
    return marker_name(ctx.scratch.id, ctx.now.date() + dt.timedelta(days=days))


def _section_paragraphs(ctx: Context) -> tuple[TabContent, list[JSON]]:
    """The doc as read right after the section was written, and the section's paragraphs
    (those overlapping its marker's range)."""
    written = ctx.notes.get("section_tab")
    if written is None:
        raise NotRun("not run: the section was not written (see docs.section.write)")
    tab: TabContent = written
    marker = ctx.notes["section_marker"]
    ranges = ranges_named(tab, marker)
    if not ranges:
        raise NotRun(f"not run: the marker {marker} is missing after the write")
    start, end = ranges[0][0], ranges[-1][1]
    inside = [p for p in body_paragraphs(tab) if span_of(p)[0] < end and span_of(p)[1] > start]
    return tab, inside


def _pairs(ctx: Context) -> list[tuple[Block, JSON]]:
    _, inside = _section_paragraphs(ctx)
    if len(inside) != len(SECTION_BLOCKS):
        raise NotRun(
            f"not run: the marker covers {len(inside)} paragraphs, not the "
            f"{len(SECTION_BLOCKS)} written (see docs.request.named_range)"
        )
    return list(zip(SECTION_BLOCKS, inside, strict=True))


# --- the probes -----------------------------------------------------------------------------


def probe_create(ctx: Context) -> Observation:
    request = ctx.documents.create(body={"title": SCRATCH_TITLE})
    answer = ctx.call(request, DOCS, "create the scratch doc")
    doc_id = answer.get("documentId")
    if not doc_id:
        return failed(f"no documentId in the answer: {_compact(answer)}")
    ctx.doc_id = str(doc_id)
    content = ctx.tab().content
    shape = ", ".join(
        f"{'sectionBreak' if 'sectionBreak' in e else 'paragraph' if 'paragraph' in e else '?'}"
        f" {e.get('startIndex', 0)}-{e.get('endIndex')}"
        for e in content
    )
    ok = (
        len(content) >= 2
        and "sectionBreak" in content[0]
        and content[0].get("endIndex") == 1
        and "paragraph" in content[1]
        and content[1].get("startIndex") == 1
    )
    return check(ok, f"documentId {doc_id}; body: {shape}")


def probe_end_of_segment(ctx: Context) -> Observation:
    ctx.batch([{"insertText": {"location": {"index": 1}, "text": SETUP_TEXT}}])
    ctx.batch([{"insertText": {"endOfSegmentLocation": {}, "text": EOS_TEXT}}])
    paragraphs = body_paragraphs(ctx.tab())
    texts = [text_of(p) for p in paragraphs]
    ok = texts == [SETUP_TEXT + EOS_TEXT]
    return check(ok, f"the body's paragraphs read {texts!r}")


def probe_section_write(ctx: Context) -> Observation:
    doc = ctx.read_doc()
    revision = doc.get("revisionId")
    marker = _marker(ctx, 0)
    requests = build_section(SECTION_BLOCKS, select_tab(doc), "end", marker)
    reply = ctx.batch(requests, revision)
    ctx.notes["section_marker"] = marker
    ctx.notes["section_requests"] = requests
    ctx.notes["section_tab"] = ctx.tab()
    replies = reply.get("replies", [])
    last = replies[-1] if replies and isinstance(replies[-1], dict) else {}
    range_id = last.get("createNamedRange", {}).get("namedRangeId")
    written = reply.get("writeControl", {}).get("requiredRevisionId")
    kinds = Counter(next(iter(r)) for r in requests)
    observed = (
        f"{len(replies)} replies to {len(requests)} requests "
        f"({', '.join(f'{k} x{n}' for k, n in kinds.items())}); "
        f"createNamedRange answered namedRangeId {range_id!r}; "
        f"writeControl.requiredRevisionId {'moved' if written and written != revision else written!r}"
    )
    ok = len(replies) == len(requests) and bool(range_id) and bool(written) and written != revision
    return check(ok, observed)


def probe_headings(ctx: Context) -> Observation:
    seen = []
    for block, element in _pairs(ctx):
        style = element["paragraph"].get("paragraphStyle", {}).get("namedStyleType")
        want = f"HEADING_{block.level}" if block.kind == H else "NORMAL_TEXT"
        if style != want:
            return failed(f"{text_of(element)!r} has {style}, not {want}")
        if block.kind == H:
            seen.append(f"{style} {text_of(element)!r}")
    return check(True, "; ".join(seen) + "; every other paragraph NORMAL_TEXT")


def probe_heading_link(ctx: Context) -> Observation:
    for block, element in _pairs(ctx):
        if block.kind == H and any(span.link for span in block.spans):
            style = element["paragraph"].get("paragraphStyle", {}).get("namedStyleType")
            problem = span_mismatch(block, element)
            if problem is not None or style != f"HEADING_{block.level}":
                return failed(f"{style}; {problem or 'spans as written'}")
            return check(True, f"{style} {text_of(element)!r}, 'a link' linked to {HEADING_LINK}")
    raise NotRun("not run: no heading with a link was written")


def probe_text_styles(ctx: Context) -> Observation:
    styled = 0
    for block, element in _pairs(ctx):
        problem = span_mismatch(block, element)
        if problem is not None:
            return failed(f"paragraph {text_of(element)!r}: {problem}")
        styled += sum(bool(s.bold or s.italic or s.strike or s.link) for s in block.spans)
    return check(
        True,
        f"{styled} styled spans exactly where written (UTF-16 indexes past {EMOJI!r}); "
        "no style inherited by the rest",
    )


def _list_check(ctx: Context, kinds: set[BlockKind]) -> tuple[list[str], str | None, JSON]:
    """Checks the list items of `kinds`: (what was seen, the first problem, the list JSON)."""
    tab, _ = _section_paragraphs(ctx)
    read = {p.start: p.block for p in parsed_paragraphs(tab)}
    seen: list[str] = []
    list_ids: dict[BlockKind, set[str]] = {}
    levels_json: JSON = {}
    for block, element in _pairs(ctx):
        if block.kind not in kinds:
            continue
        bullet = element["paragraph"].get("bullet")
        text = text_of(element)
        if not isinstance(bullet, dict):
            return seen, f"{text!r} is not a list item", levels_json
        level = int(bullet.get("nestingLevel", 0))
        list_id = str(bullet.get("listId", ""))
        list_ids.setdefault(block.kind, set()).add(list_id)
        parsed = read.get(int(element.get("startIndex", 0)))
        if level != block.level or text != block.text:
            return (
                seen,
                f"{text!r} at nesting level {level}, written {block.text!r} at {block.level}",
                levels_json,
            )
        if parsed is None or parsed.kind != block.kind:
            got = parsed.kind.value if parsed else "nothing"
            return seen, f"{text!r} reads back as {got}, not {block.kind.value}", levels_json
        props = tab.lists.get(list_id, {}).get("listProperties", {})
        if not levels_json:
            levels_json = {
                "bullet": bullet,
                "nestingLevels[0..1]": props.get("nestingLevels", [])[:2],
            }
        seen.append(f"{text!r} level {level}")
    for kind, ids in list_ids.items():
        if len(ids) != 1:
            return seen, f"the {kind.value} items are in {len(ids)} lists, not one", levels_json
    return seen, None, levels_json


def probe_bullets(ctx: Context) -> Observation:
    seen, problem, _ = _list_check(ctx, {BULLET, NUMBERED})
    if problem is not None:
        return failed(problem)
    return check(True, "; ".join(seen) + "; leading tabs removed; one list per run")


def probe_checklist(ctx: Context) -> Observation:
    seen, problem, levels = _list_check(ctx, {CHECK})
    if problem is not None:
        return failed(f"{problem}; {_compact(levels)}")
    return check(True, f"{'; '.join(seen)}; JSON: {_compact(levels)}")


def probe_named_range(ctx: Context) -> Observation:
    written = ctx.notes.get("section_tab")
    if written is None:
        raise NotRun("not run: the section was not written (see docs.section.write)")
    tab: TabContent = written
    ranges = ranges_named(tab, ctx.notes["section_marker"])
    paragraphs = body_paragraphs(tab)
    first_text = SECTION_BLOCKS[0].text
    starts = [n for n, p in enumerate(paragraphs) if text_of(p) == first_text]
    if not starts:
        return failed("the section's first heading is not in the doc")
    first = starts[0]
    last = first + len(SECTION_BLOCKS) - 1
    if last >= len(paragraphs):
        return failed("the doc holds fewer paragraphs than the section wrote")
    want = (span_of(paragraphs[first])[0], span_of(paragraphs[last])[1])
    request = ctx.notes["section_requests"][-1]["createNamedRange"]["range"]
    sent = (request["startIndex"], request["endIndex"])
    observed = f"the marker covers {_ranges_text(ranges)}; the section spans [{want[0]}, {want[1]})"
    return check(ranges == [want] and sent == want, observed)


def probe_read_back(ctx: Context) -> Observation:
    written = ctx.notes.get("section_tab")
    if written is None:
        raise NotRun("not run: the section was not written (see docs.section.write)")
    marker_date = ctx.now.date()
    sections = [
        s for s in find_sections(written, ctx.scratch.id) if s.marked and s.meeting == marker_date
    ]
    if len(sections) != 1:
        return failed(f"gworkflow found {len(sections)} marked sections for the meeting")
    problem = _blocks_differ(SECTION_BLOCKS, sections[0].blocks)
    if problem is not None:
        return failed(problem)
    return check(True, f"the {len(SECTION_BLOCKS)} paragraphs written, with their styles")


def probe_top(ctx: Context) -> Observation:
    doc = ctx.read_doc()
    marker = _marker(ctx, 1)
    requests = build_section(TOP_BLOCKS, select_tab(doc), "top", marker)
    ctx.batch(requests, doc.get("revisionId"))
    tab = ctx.tab()
    sections = find_sections(tab, ctx.scratch.id)
    if not sections or sections[0].meeting != ctx.now.date() + dt.timedelta(days=1):
        return failed("the new section is not the first section of the doc")
    problem = _blocks_differ(TOP_BLOCKS, sections[0].blocks)
    if problem is not None:
        return failed(problem)
    after = [p for p in body_paragraphs(tab) if span_of(p)[0] >= sections[0].end]
    following = after[0] if after else {}
    style = following.get("paragraph", {}).get("paragraphStyle", {}).get("namedStyleType")
    ok = text_of(following) == SETUP_TEXT + EOS_TEXT and style == "NORMAL_TEXT"
    observed = (
        f"the section starts at index {sections[0].start}; the paragraph after it reads "
        f"{text_of(following)!r} ({style})"
    )
    return check(ok, observed)


def probe_idempotent(ctx: Context) -> Observation:
    marker = ctx.notes.get("section_marker")
    if marker is None:
        raise NotRun("not run: the section was not written (see docs.section.write)")
    doc = RunningDoc(ctx.clients.docs, ctx.clients.drive, sleep=ctx.sleep)
    result = doc.append_section(ctx.require_doc(), None, "end", marker, SECTION_BLOCKS)
    observed = f"written={result.written}, batchUpdates={result.attempts}"
    return check(not result.written and result.attempts == 0, observed)


def probe_stale_copy(ctx: Context) -> Observation:
    copy = ctx.read_doc()
    _append_paragraph(ctx, COLLABORATOR_TEXT)
    marker = _marker(ctx, 2)
    doc = RunningDoc(ctx.clients.docs, ctx.clients.drive, sleep=ctx.sleep)
    result = doc.append_section(ctx.require_doc(), None, "end", marker, STALE_BLOCKS, doc=copy)
    tab = ctx.tab()
    kept = doc_text(tab).count(COLLABORATOR_TEXT)
    marked = [s for s in find_sections(tab, ctx.scratch.id) if s.meeting == marker_date(marker)]
    ok = (
        result.written
        and result.attempts == 2
        and kept == 1
        and len(marked) == 1
        and _blocks_differ(STALE_BLOCKS, marked[0].blocks) is None
    )
    observed = (
        f"written={result.written} after {result.attempts} batchUpdates; the collaborator's "
        f"paragraph is there {kept} time(s); {len(marked)} section(s) for the meeting"
    )
    return check(ok, observed)


def marker_date(marker: str) -> dt.date:
    return dt.date.fromisoformat(marker.rsplit(":", 1)[1])


def probe_stale_revision(ctx: Context) -> Observation:
    before = ctx.read_doc().get("revisionId")
    moved = _append_paragraph(ctx, "An edit that moves the revision on.")
    current = moved.get("writeControl", {}).get("requiredRevisionId")
    answer = ctx.try_batch(
        [{"insertText": {"endOfSegmentLocation": {}, "text": "\n" + STALE_TEXT}}],
        revision=str(before),
    )
    doc = ctx.read_doc()
    applied = STALE_TEXT in doc_text(select_tab(doc))
    if not isinstance(answer, ApiError):
        return failed(f"200: the write with the old revision was accepted (applied: {applied})")
    ctx.notes["stale_error"] = answer
    same = current is None or doc.get("revisionId") == current
    observed = f"{_error_text(answer)}; applied: {applied}; revisionId unchanged since: {same}"
    return check(answer.status == 400 and not applied, observed)


def probe_stale_message(ctx: Context) -> Observation:
    error = ctx.notes.get("stale_error")
    if not isinstance(error, ApiError):
        return info("no error was seen (see docs.stale_revision)")
    return info(f"status {error.status}, reason {error.reason or 'none'}, message {error.detail!r}")


def probe_atomic(ctx: Context) -> Observation:
    end = ctx.tab().end_index
    answer = ctx.try_batch(
        [
            {"insertText": {"location": {"index": 1}, "text": ATOMIC_TEXT}},
            {"insertText": {"location": {"index": end + 1000}, "text": "out of bounds"}},
        ]
    )
    applied = ATOMIC_TEXT.strip() in doc_text(ctx.tab())
    if not isinstance(answer, ApiError):
        return failed(f"200: the batch was accepted (first request applied: {applied})")
    observed = f"{_error_text(answer)}; the valid first request applied: {applied}"
    return check(answer.status == 400 and not applied, observed)


def _edges(ctx: Context) -> TabContent:
    """Four paragraphs at the end, a named range over the first and one over the last."""
    if "edges" not in ctx.notes:
        _append_paragraph(ctx, "edge-a\nedge-b\nedge-c\nedge-d")
        paragraphs = {text_of(p): span_of(p) for p in body_paragraphs(ctx.tab())}
        requests = [
            {"createNamedRange": {"name": name, "range": {"startIndex": s, "endIndex": e}}}
            for name, (s, e) in (
                (EDGE_END, paragraphs["edge-a"]),
                (EDGE_START, paragraphs["edge-d"]),
            )
        ]
        ctx.batch(requests)
        ctx.notes["edges"] = True
    return ctx.tab()


def _edge_probe(ctx: Context, edge: str) -> Observation:
    tab = _edges(ctx)
    name = EDGE_START if edge == "start" else EDGE_END
    before = ranges_named(tab, name)
    if len(before) != 1:
        return failed(f"the named range {name} reads {_ranges_text(before)} before the insert")
    at = before[0][0] if edge == "start" else before[0][1]
    ctx.batch([{"insertText": {"location": {"index": at}, "text": EDGE_TEXT}}])
    after = ranges_named(ctx.tab(), name)
    length = len(EDGE_TEXT.encode("utf-16-le")) // 2
    kind = classify_edge(edge, before[0], after, length)
    words = _EDGE_WORDS.get(kind, "neither: the sandbox has no switch for this")
    return info(
        f"{words} ({_ranges_text(before)} -> {_ranges_text(after)}, {length} units inserted "
        f"at {at})"
    )


def probe_edge_end(ctx: Context) -> Observation:
    return _edge_probe(ctx, "end")


def probe_edge_start(ctx: Context) -> Observation:
    return _edge_probe(ctx, "start")


def probe_noop_revision(ctx: Context) -> Observation:
    doc = ctx.read_doc()
    before = doc.get("revisionId")
    target = [p for p in body_paragraphs(select_tab(doc)) if text_of(p).startswith(SETUP_TEXT)]
    if not target:
        raise NotRun("not run: the first paragraph is missing")
    start, end = span_of(target[0])
    reply = ctx.batch(
        [
            {
                "updateTextStyle": {
                    "range": {"startIndex": start, "endIndex": end - 1},
                    "textStyle": {},
                    "fields": "bold",
                }
            }
        ]
    )
    replied = reply.get("writeControl", {}).get("requiredRevisionId")
    after = ctx.read_doc().get("revisionId")
    kind = "unchanged" if after == before else "bumped"
    return info(
        f"{kind}: documents.get's revisionId {'is the same' if after == before else 'changed'}; "
        f"the reply's requiredRevisionId {'equals' if replied == after else 'differs from'} it"
    )


def probe_stable_revision(ctx: Context) -> Observation:
    first = ctx.read_doc().get("revisionId")
    second = ctx.read_doc().get("revisionId")
    if first == second:
        return info("the same: two reads of an unchanged doc give one revisionId")
    return info(
        "different: two reads of an unchanged doc give two revisionIds (after a refused "
        "write gworkflow then retries until its attempts run out, instead of reporting at once)"
    )


DOCS_PROBES: tuple[Probe, ...] = (
    Probe(
        "docs.create",
        "documents.create gives a documentId; the body starts with a section break (0-1) and "
        "a paragraph at index 1",
        probe_create,
    ),
    Probe(
        "docs.insert.end_of_segment",
        "insertText with endOfSegmentLocation on a doc whose last paragraph is not empty "
        "lands just before the final newline: the text joins that paragraph",
        probe_end_of_segment,
    ),
    Probe(
        "docs.section.write",
        "one batchUpdate of gworkflow's section (requiredRevisionId set) is accepted: one "
        "reply per request, createNamedRange answers a namedRangeId, the revision moves",
        probe_section_write,
    ),
    Probe(
        "docs.request.headings",
        "updateParagraphStyle: HEADING_1..3 where written, NORMAL_TEXT elsewhere",
        probe_headings,
    ),
    Probe(
        "docs.request.heading_link",
        "a link inside a heading: the heading keeps its style, the link covers its text",
        probe_heading_link,
    ),
    Probe(
        "docs.request.text_styles",
        "updateTextStyle: bold, italic, strikethrough and links exactly on their text "
        "(UTF-16 indexes), the reset leaves no inherited style",
        probe_text_styles,
    ),
    Probe(
        "docs.request.bullets",
        "createParagraphBullets (bullets, numbered): nesting level = leading tabs, tabs "
        "removed, one list per run, read back as bullets/numbered",
        probe_bullets,
    ),
    Probe(
        "docs.request.checklist",
        "createParagraphBullets BULLET_CHECKBOX: nesting from tabs; each level has no "
        "glyphSymbol and glyphType GLYPH_TYPE_UNSPECIFIED or none (how gworkflow tells a "
        "checklist)",
        probe_checklist,
    ),
    Probe(
        "docs.request.named_range",
        "createNamedRange: the marker covers exactly the section's paragraphs, computed "
        "with the tabs already removed",
        probe_named_range,
    ),
    Probe(
        "docs.section.read_back",
        "gworkflow's parser finds the marked section and reads back exactly the blocks written",
        probe_read_back,
    ),
    Probe(
        "docs.section.top",
        'position = "top": the section goes in before the first paragraph, which keeps its '
        "text and style",
        probe_top,
    ),
    Probe(
        "docs.append.idempotent",
        "appending a section whose marker is there writes nothing (no batchUpdate)",
        probe_idempotent,
    ),
    Probe(
        "docs.append.after_concurrent_edit",
        "a section built from a copy read before someone typed: the 400 leads to a re-read "
        "and one more attempt; the section is written once, the other text kept",
        probe_stale_copy,
    ),
    Probe(
        "docs.stale_revision",
        "a batchUpdate with an old requiredRevisionId: 400, nothing applied",
        probe_stale_revision,
    ),
    Probe(
        "docs.stale_revision.message",
        "open: the wording of that 400 (gworkflow does not depend on it)",
        probe_stale_message,
    ),
    Probe(
        "docs.batch.atomic",
        "a batch whose second request is invalid: 400, the first request not applied",
        probe_atomic,
    ),
    Probe(
        "docs.named_range.insert_at_end",
        "open: text inserted exactly at a named range's end index: exclude or extend",
        probe_edge_end,
    ),
    Probe(
        "docs.named_range.insert_at_start",
        "open: text inserted exactly at a named range's start index: shift or extend",
        probe_edge_start,
    ),
    Probe(
        "docs.revision.stable",
        "open: two reads of a doc nobody changed give the same revisionId (gworkflow's "
        "re-read after a 400 assumes so)",
        probe_stable_revision,
    ),
    Probe(
        "docs.revision.noop",
        "open: revisionId after a batchUpdate that changes nothing: unchanged or bumped",
        probe_noop_revision,
    ),
)
