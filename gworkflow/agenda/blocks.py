"""The block model: what a template renders to and what a doc section parses back to.

One model serves both directions, so writing (blocks -> Docs requests) and reading
(Docs JSON -> blocks) are inverses and are tested as such. Nothing here knows Google's
JSON or Jinja; it is plain typed data.
"""

from __future__ import annotations

import datetime as dt
import enum
import re
from dataclasses import dataclass
from typing import Literal


@dataclass(frozen=True)
class Span:
    """A run of text with inline formatting."""

    text: str
    bold: bool = False
    italic: bool = False
    strike: bool = False
    link: str | None = None
    # A people chip: the person's e-mail. Its `text` is what a reader sees (name or e-mail).
    person: str | None = None


# A line break inside a paragraph (shift+enter in the browser): Docs keeps U+000B in the
# paragraph's text, and so does a Span.
LINE_BREAK = "\u000b"
# Docs lists have nesting levels 0-8.
MAX_NESTING = 8


class BlockKind(enum.Enum):
    HEADING = "heading"
    PARAGRAPH = "paragraph"
    BULLET = "bullet"
    NUMBERED = "numbered"
    CHECKLIST = "checklist"


LIST_KINDS = frozenset({BlockKind.BULLET, BlockKind.NUMBERED, BlockKind.CHECKLIST})


@dataclass(frozen=True)
class Block:
    """One paragraph of a section.

    `level` is the heading level (1-6) for a HEADING and the nesting level (0-8) for a list
    item; it is 0 for a plain paragraph.
    """

    kind: BlockKind
    spans: tuple[Span, ...] = ()
    level: int = 0

    @property
    def text(self) -> str:
        return "".join(span.text for span in self.spans)


@dataclass(frozen=True)
class CarriedGoal:
    """A goal of the previous section: still open (offered again) or done (an achievement)."""

    text: str
    level: int = 0
    # Marked done: a leading or trailing check mark, "[x]", "done:" or strikethrough. The
    # Docs API does not expose a ticked checkbox, so only what is typed counts.
    done: bool = False
    # The goal as typed, with its bold, italic, links and chips; () when it is plain `text`.
    spans: tuple[Span, ...] = ()
    # The meeting of the section where the goal was first set, and how many sections it
    # has been carried through since (0: set in the section it was read from).
    since: dt.date | None = None
    carried: int = 0

    @property
    def rich(self) -> tuple[Span, ...]:
        """The goal's spans, plain text being one unstyled span."""
        return self.spans or ((Span(self.text),) if self.text else ())


@dataclass(frozen=True)
class CarriedConference:
    """An "Upcoming Conferences" entry that is not known to be past."""

    text: str
    date: dt.date | None = None
    spans: tuple[Span, ...] = ()

    @property
    def rich(self) -> tuple[Span, ...]:
        return self.spans or ((Span(self.text),) if self.text else ())


Decision = Literal["yes", "no"]


@dataclass(frozen=True)
class CarriedInvitation:
    """An item under "Invitations to weigh": open until someone types "yes:" or "no:"."""

    text: str
    decision: Decision | None = None
    spans: tuple[Span, ...] = ()

    @property
    def rich(self) -> tuple[Span, ...]:
        return self.spans or ((Span(self.text),) if self.text else ())


@dataclass(frozen=True)
class ParticipantCarry:
    """What one participant's part of the latest section carries forward."""

    name: str
    goals: tuple[CarriedGoal, ...] = ()
    conferences: tuple[CarriedConference, ...] = ()
    # The items listed under the section's Achievements heading (not carried: reported).
    achievements: tuple[str, ...] = ()
    invitations: tuple[CarriedInvitation, ...] = ()


def plain_spans(spans: tuple[Span, ...], text: str) -> tuple[Span, ...]:
    """() when `spans` say nothing more than `text` does (one unstyled span), else `spans`."""
    if not spans or (len(spans) == 1 and spans[0] == Span(text)):
        return ()
    return spans


# Named ranges mark "this section was written by gworkflow for meeting X". Google shows
# named ranges to collaborators and moves them with the text, so the marker survives
# people renaming or restyling the section's headings.
MARKER_PREFIX = "gworkflow"
_MARKER_RE = re.compile(r"^gworkflow:(?P<series>[^:]+):(?P<date>\d{4}-\d{2}-\d{2})$")


def marker_name(series_id: str, meeting: dt.date) -> str:
    return f"{MARKER_PREFIX}:{series_id}:{meeting.isoformat()}"


def parse_marker(name: str) -> tuple[str, dt.date] | None:
    """(series id, meeting date) for one of our marker names, else None."""
    match = _MARKER_RE.match(name)
    if not match:
        return None
    try:
        return match["series"], dt.date.fromisoformat(match["date"])
    except ValueError:
        return None
