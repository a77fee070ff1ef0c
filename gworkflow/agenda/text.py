"""Blocks -> readable terminal text, for `agenda preview`, `demo` and `goals`.

Only presentation: no Google JSON, no Jinja. Checklists show as "☐" because the Docs API
cannot tell us whether a box is ticked. Inline formatting shows the Markdown way (**bold**,
*italic*, ~~strike~~), a link as "text <url>", a people chip as "@Name".
"""

from __future__ import annotations

from collections.abc import Iterable

from gworkflow.agenda.blocks import LINE_BREAK, Block, BlockKind, Span

_MARKS = {BlockKind.BULLET: "•", BlockKind.CHECKLIST: "☐", BlockKind.NUMBERED: "{n}."}


def span_text(span: Span) -> str:
    text = span.text
    if span.person:
        text = f"@{text or span.person}"
    if span.link and span.link != span.text:
        text = f"{text} <{span.link}>"
    core = text.strip()
    if core and (span.bold or span.italic):
        mark = ("**" if span.bold else "") + ("*" if span.italic else "")
        lead = text[: len(text) - len(text.lstrip())]
        text = f"{lead}{mark}{core}{mark[::-1]}{text[len(text.rstrip()) :]}"
    if span.strike:
        text = f"~~{text}~~"
    return text


def blocks_to_text(blocks: Iterable[Block]) -> str:
    lines: list[str] = []
    numbers: dict[int, int] = {}
    for block in blocks:
        text = "".join(span_text(span) for span in block.spans).replace(LINE_BREAK, "\n")
        if block.kind is not BlockKind.NUMBERED:
            numbers.clear()
        if block.kind is BlockKind.HEADING:
            if lines and lines[-1]:
                lines.append("")
            lines.append(text if block.level > 1 else text.upper())
            underline = {1: "=", 2: "-"}.get(block.level)
            if underline:
                lines.append(underline * max(len(text), 3))
        elif block.kind is BlockKind.PARAGRAPH:
            lines.append(text)
        else:
            numbers[block.level] = numbers.get(block.level, 0) + 1
            for deeper in [level for level in numbers if level > block.level]:
                del numbers[deeper]
            mark = _MARKS[block.kind].format(n=numbers[block.level])
            lines.append(f"{'    ' * block.level}{mark} {text}".rstrip())
    return "\n".join(lines).strip("\n")
