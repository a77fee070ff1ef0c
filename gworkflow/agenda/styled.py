"""Text with inline formatting that can be edited like a string: regex out a done marker or
an annotation, collapse whitespace, and get spans back with every other character's bold,
italic, strike, link and chip intact.

Carrying a goal forward removes what gworkflow or the person added around it ("✅ ",
"(since 8 Dec)") but must bring back the goal as typed, link and bold included; editing a
plain string would lose them. Nothing here knows goals or the doc.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from gworkflow.agenda.blocks import LINE_BREAK, Span

_Style = tuple[bool, bool, bool, str | None, str | None]


def _style(span: Span) -> _Style:
    return (span.bold, span.italic, span.strike, span.link, span.person)


@dataclass(frozen=True)
class StyledText:
    """A string and, for each of its characters, the style it has."""

    text: str
    styles: tuple[_Style, ...]

    @classmethod
    def of(cls, spans: Sequence[Span]) -> StyledText:
        text = "".join(span.text for span in spans)
        styles = tuple(_style(span) for span in spans for _ in span.text)
        return cls(text, styles)

    def spans(self) -> tuple[Span, ...]:
        """Runs of equal style, as spans."""
        out: list[Span] = []
        start = 0
        for i in range(1, len(self.text) + 1):
            if i == len(self.text) or self.styles[i] != self.styles[start]:
                bold, italic, strike, link, person = self.styles[start]
                out.append(Span(self.text[start:i], bold, italic, strike, link, person))
                start = i
        return tuple(out)

    def sub(self, pattern: re.Pattern[str], count: int = 0) -> tuple[StyledText, bool]:
        """Delete the matches of `pattern` (at most `count`, 0: all); and whether any matched."""
        cuts = [m.span() for m in pattern.finditer(self.text)][: count or None]
        cuts = [(a, b) for a, b in cuts if b > a]
        if not cuts:
            return self, False
        keep = [True] * len(self.text)
        for a, b in cuts:
            for i in range(a, b):
                keep[i] = False
        text = "".join(c for c, k in zip(self.text, keep, strict=True) if k)
        styles = tuple(s for s, k in zip(self.styles, keep, strict=True) if k)
        return StyledText(text, styles), True

    def clean(self) -> StyledText:
        """One line: line breaks become spaces, runs of white space one space, ends stripped.

        A collapsed run keeps its first character's style.
        """
        chars: list[str] = []
        styles: list[_Style] = []
        for char, style in zip(self.text.replace(LINE_BREAK, " "), self.styles, strict=True):
            if char.isspace():
                if chars and chars[-1] == " ":
                    continue
                char = " "
            chars.append(char)
            styles.append(style)
        text = "".join(chars)
        start = len(text) - len(text.lstrip())
        end = len(text.rstrip())
        return StyledText(text[start:end], tuple(styles[start:end]))

    def strip(self) -> StyledText:
        text = self.text
        start = len(text) - len(text.lstrip())
        end = len(text.rstrip())
        return StyledText(text[start:end], self.styles[start:end])

    def all_struck(self) -> bool:
        """Every visible character is struck through (and there is one)."""
        visible = [s for c, s in zip(self.text, self.styles, strict=True) if not c.isspace()]
        return bool(visible) and all(style[2] for style in visible)

    def without_strike(self) -> StyledText:
        return StyledText(
            self.text, tuple((b, i, False, link, p) for b, i, _, link, p in self.styles)
        )
