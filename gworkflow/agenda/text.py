"""Blocks -> readable terminal text, for `agenda preview`, `demo` and `doc show`; and what a
section carries forward, as text, for `goals`.

Only presentation: no Google JSON, no Jinja. Checklists show as "☐" because the Docs API
cannot tell us whether a box is ticked. Inline formatting shows the Markdown way (**bold**,
*italic*, ~~strike~~), a link as "text <url>", a people chip as "@Name"; a link to a heading
of the doc shows as its text alone (a terminal cannot follow it).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence

from gworkflow.agenda.blocks import LINE_BREAK, Block, BlockKind, ParticipantCarry, Span
from gworkflow.agenda.carry import since_label
from gworkflow.agenda.weigh import read_cost

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


def carry_text(
    meeting: dt.date, carries: Sequence[ParticipantCarry], topics: Sequence[str] = ()
) -> str:
    """What the latest section (for `meeting`) holds per participant, as the next section
    will carry it: open goals as bullets with the day each was set, then the goals marked
    done and what is listed under Achievements, the conferences still ahead and, with the
    "invitations" topic on, the invitations."""
    lines = [f"Latest section: {meeting.isoformat()}"]
    for carry in carries:
        lines.append(f"\n{carry.name}")
        open_goals = [g for g in carry.goals if not g.done]
        lines.append("  Goals (offered again):" if open_goals else "  Goals: none open")
        for goal in open_goals:
            since = f" (since {since_label(goal.since, meeting)})" if goal.since else ""
            lines.append(f"  {'    ' * goal.level}• {goal.text}{since}")
        done = [g.text for g in carry.goals if g.done]
        if done or carry.achievements:
            lines.append("  Achievements:")
            lines += [f"  ✅ {text}" for text in done]
            lines += [f"  • {text}" for text in carry.achievements]
        if carry.conferences:
            lines.append("  Upcoming conferences:")
            lines += [f"  • {c.text}" for c in carry.conferences]
        if "invitations" in topics and carry.invitations:
            lines.append("  Invitations to weigh:")
            for invitation in carry.invitations:
                if invitation.decision:
                    lines.append(f"  • {invitation.decision}: {invitation.text}")
                    continue
                cost = read_cost(invitation.text)
                note = f" — a yes costs {cost.label}" if cost else ""
                lines.append(f"  • {invitation.text}{note}")
    return "\n".join(lines)
