"""The list definitions createParagraphBullets makes, one per `bulletPreset`.

Lives here: the nine nesting levels of each preset in docs.v1.json's enum, shaped like the
captured lists in tests/support/fixtures/google-docs/ (unordered levels carry `glyphSymbol` and
`glyphFormat "%N"` and no `glyphType`; numbered levels carry `glyphType` and e.g. "%0.";
levels indent 18/36 pt more per level; a checklist level is `GLYPH_TYPE_UNSPECIFIED` with
no symbol). Does not live here: applying bullets to paragraphs (docs_requests.py).
"""

from __future__ import annotations

from typing import Any

JSON = dict[str, Any]

LEVELS = 9

# Glyph cycles per level as the Docs editor shows them for each preset (the API reference
# for BulletGlyphPreset names them: DISC_CIRCLE_SQUARE = ●, ○, ■ and so on).
_SYMBOLS = {
    "BULLET_DISC_CIRCLE_SQUARE": ("\u25cf", "\u25cb", "\u25a0"),
    "BULLET_DIAMONDX_ARROW3D_SQUARE": ("\u2756", "\u27a2", "\u25a0"),
    "BULLET_ARROW_DIAMOND_DISC": ("\u2794", "\u25c6", "\u25cf"),
    "BULLET_STAR_CIRCLE_SQUARE": ("\u2605", "\u25cb", "\u25a0"),
    "BULLET_ARROW3D_CIRCLE_SQUARE": ("\u27a2", "\u25cb", "\u25a0"),
    "BULLET_LEFTTRIANGLE_DIAMOND_DISC": ("\u25c4", "\u25c6", "\u25cf"),
    "BULLET_DIAMONDX_HOLLOWDIAMOND_SQUARE": ("\u2756", "\u25c7", "\u25a0"),
    "BULLET_DIAMOND_CIRCLE_SQUARE": ("\u25c6", "\u25cb", "\u25a0"),
}

# (glyphType cycle, format suffix, nested numbering like "%0.%1.")
_NUMBERED = {
    "NUMBERED_DECIMAL_ALPHA_ROMAN": (("DECIMAL", "ALPHA", "ROMAN"), ".", False),
    "NUMBERED_DECIMAL_ALPHA_ROMAN_PARENS": (("DECIMAL", "ALPHA", "ROMAN"), ")", False),
    "NUMBERED_DECIMAL_NESTED": (("DECIMAL",), ".", True),
    "NUMBERED_UPPERALPHA_ALPHA_ROMAN": (("UPPER_ALPHA", "ALPHA", "ROMAN"), ".", False),
    "NUMBERED_UPPERROMAN_UPPERALPHA_DECIMAL": (
        ("UPPER_ROMAN", "UPPER_ALPHA", "DECIMAL"),
        ".",
        False,
    ),
    "NUMBERED_ZERODECIMAL_ALPHA_ROMAN": (("ZERO_DECIMAL", "ALPHA", "ROMAN"), ".", False),
}

PRESETS = frozenset(_SYMBOLS) | frozenset(_NUMBERED) | {"BULLET_CHECKBOX"}


def indent(level: int) -> tuple[JSON, JSON]:
    """(indentFirstLine, indentStart) of a nesting level, as in the fixtures: 18/36 pt + 36/level."""
    return (
        {"magnitude": 18 + 36 * level, "unit": "PT"},
        {"magnitude": 36 + 36 * level, "unit": "PT"},
    )


def nesting_levels(preset: str) -> list[JSON]:
    """The nine NestingLevel objects of a new list made with `preset`."""
    levels: list[JSON] = []
    for level in range(LEVELS):
        first, start = indent(level)
        entry: JSON = {"bulletAlignment": "START"}
        if preset in _SYMBOLS:
            symbols = _SYMBOLS[preset]
            entry["glyphSymbol"] = symbols[level % len(symbols)]
            entry["glyphFormat"] = f"%{level}"
        elif preset == "BULLET_CHECKBOX":
            # A checklist level reads back with no symbol and an unspecified glyph type.
            entry["glyphType"] = "GLYPH_TYPE_UNSPECIFIED"
            entry["glyphFormat"] = f"%{level}"
        else:
            types, suffix, nested = _NUMBERED[preset]
            glyph = types[level % len(types)]
            entry["glyphType"] = glyph
            if nested:
                entry["glyphFormat"] = "".join(f"%{n}{suffix}" for n in range(level + 1))
            else:
                entry["glyphFormat"] = f"%{level}{suffix}"
            if glyph in ("ROMAN", "UPPER_ROMAN"):
                entry["bulletAlignment"] = "END"  # as in the captured numbered lists
        entry["indentFirstLine"] = first
        entry["indentStart"] = start
        entry["textStyle"] = {"underline": False}
        entry["startNumber"] = 1
        levels.append(entry)
    return levels
