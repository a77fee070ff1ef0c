"""Grapheme cluster boundaries, as far as the standard library can tell them.

Google moves an insertion index that falls inside a grapheme cluster to just after the
cluster (developers.google.com/docs/api/concepts/rules-behavior: "The API may implicitly
adjust the location to prevent insertions within Unicode grapheme clusters. When this
happens, the text is inserted immediately after the grapheme cluster."; see
docs/google-api-notes.md, "Surrogate pairs and grapheme clusters"). This module finds the
clusters with the rules of Unicode's UAX #29 that matter for text people type: surrogate
pairs (one code point), combining marks, zero-width joiner sequences of pictographs (emoji
families), variation selectors, skin-tone modifiers, regional-indicator pairs (flags), tag
sequences (subdivision flags), keycaps, spacing marks and Hangul jamo.

Not exact: `unicodedata` has no Extended_Pictographic property, so pictographs are
recognised by their blocks (`_pictographic`), and Prepend characters (rare, in a few South
Asian scripts) are not joined. The sandbox takes no third-party dependency for this: the
product only ever inserts at paragraph boundaries.
"""

from __future__ import annotations

import unicodedata

_ZWJ = 0x200D
_ZWNJ = 0x200C
_CR, _LF = 0x0D, 0x0A
# Hangul syllable arithmetic (Unicode chapter 3.12).
_S_BASE, _S_COUNT, _T_COUNT = 0xAC00, 11172, 28

# Blocks that hold (almost only) Extended_Pictographic characters, plus the scattered ones
# emoji sequences start with (copyright, registered, trade mark, information, arrows,
# watch, circled M, squares, wavy dash, part alternation mark, circled ideographs).
_PICTOGRAPHIC_RANGES = (
    (0x00A9, 0x00A9),
    (0x00AE, 0x00AE),
    (0x203C, 0x203C),
    (0x2049, 0x2049),
    (0x2122, 0x2122),
    (0x2139, 0x2139),
    (0x2194, 0x21AA),
    (0x231A, 0x23FF),
    (0x24C2, 0x24C2),
    (0x25AA, 0x25FE),
    (0x2600, 0x27BF),
    (0x2934, 0x2935),
    (0x2B05, 0x2B55),
    (0x3030, 0x3030),
    (0x303D, 0x303D),
    (0x3297, 0x3297),
    (0x3299, 0x3299),
    (0x1F000, 0x1F0FF),
    (0x1F10D, 0x1F1AD),
    (0x1F200, 0x1F2FF),
    (0x1F300, 0x1F3FA),  # 1F3FB-1F3FF are the skin-tone modifiers (Extend)
    (0x1F400, 0x1FAFF),
    (0x1FC00, 0x1FFFD),
)


def _pictographic(cp: int) -> bool:
    return any(low <= cp <= high for low, high in _PICTOGRAPHIC_RANGES)


def _regional_indicator(cp: int) -> bool:
    return 0x1F1E6 <= cp <= 0x1F1FF


def _extend(cp: int) -> bool:
    """Grapheme_Cluster_Break=Extend (or ZWJ): joins the character before it."""
    if cp in (_ZWJ, _ZWNJ):
        return True
    if 0x1F3FB <= cp <= 0x1F3FF or 0xE0020 <= cp <= 0xE007F or cp in (0xFF9E, 0xFF9F):
        return True  # skin-tone modifiers, tag characters, halfwidth sound marks
    return unicodedata.category(chr(cp)) in ("Mn", "Me")  # variation selectors are Mn


def _spacing_mark(cp: int) -> bool:
    return unicodedata.category(chr(cp)) == "Mc"


def _control(cp: int) -> bool:
    if cp in (_ZWJ, _ZWNJ) or 0xE0020 <= cp <= 0xE007F:
        return False
    return unicodedata.category(chr(cp)) in ("Cc", "Zl", "Zp", "Cf")


def _hangul(cp: int) -> str:
    """The Hangul_Syllable_Type: L, V, T, LV, LVT, or "" for anything else."""
    if 0x1100 <= cp <= 0x115F or 0xA960 <= cp <= 0xA97C:
        return "L"
    if 0x1160 <= cp <= 0x11A7 or 0xD7B0 <= cp <= 0xD7C6:
        return "V"
    if 0x11A8 <= cp <= 0x11FF or 0xD7CB <= cp <= 0xD7FB:
        return "T"
    if _S_BASE <= cp < _S_BASE + _S_COUNT:
        return "LV" if (cp - _S_BASE) % _T_COUNT == 0 else "LVT"
    return ""


def _joins(text: str, i: int, ri_run: int) -> bool:
    """Whether there is no cluster boundary between text[i - 1] and text[i]."""
    before, after = ord(text[i - 1]), ord(text[i])
    if before == _CR and after == _LF:
        return True  # GB3
    if _control(before) or _control(after) or before in (_CR, _LF) or after in (_CR, _LF):
        return False  # GB4, GB5
    left, right = _hangul(before), _hangul(after)
    if left == "L" and right in ("L", "V", "LV", "LVT"):
        return True  # GB6
    if left in ("LV", "V") and right in ("V", "T"):
        return True  # GB7
    if left in ("LVT", "T") and right == "T":
        return True  # GB8
    if _extend(after) or _spacing_mark(after):
        return True  # GB9, GB9a
    if before == _ZWJ and _pictographic(after):
        # GB11: a pictograph, any Extend characters, ZWJ, then a pictograph.
        k = i - 2
        while k >= 0 and _extend(ord(text[k])) and ord(text[k]) != _ZWJ:
            k -= 1
        return k >= 0 and _pictographic(ord(text[k]))
    if _regional_indicator(before) and _regional_indicator(after):
        return ri_run % 2 == 1  # GB12, GB13: flags are pairs
    return False  # GB999


def cluster_starts(text: str) -> list[int]:
    """The str indexes where a grapheme cluster starts (0 first, when text is not empty)."""
    starts: list[int] = []
    ri_run = 0  # regional indicators in a row ending just before the current character
    for i, ch in enumerate(text):
        if i == 0 or not _joins(text, i, ri_run):
            starts.append(i)
        ri_run = ri_run + 1 if _regional_indicator(ord(ch)) else 0
    return starts


def snap_after_cluster(text: str, offset: int) -> int:
    """`offset` (in UTF-16 code units) moved to the end of the cluster it falls inside;
    unchanged at a boundary. Inside a surrogate pair counts as inside its cluster."""
    units = 0
    boundaries = [*cluster_starts(text), len(text)]
    previous = 0
    for start in boundaries[1:]:
        length = sum(2 if ord(ch) > 0xFFFF else 1 for ch in text[previous:start])
        if units < offset < units + length:
            return units + length
        units += length
        previous = start
    return offset
