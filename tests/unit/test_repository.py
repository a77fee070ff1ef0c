"""The repository stands on its own: every Google fact the code cites is in its own notes,
and nothing points at files outside it."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
NOTES = ROOT / "docs" / "google-api-notes.md"
SOURCES = sorted(
    [
        *ROOT.glob("gworkflow/**/*.py"),
        *ROOT.glob("tests/**/*.py"),
        *ROOT.glob("benchmarks/*.py"),
        *ROOT.glob("templates/*.j2"),
        ROOT / "README.md",
        ROOT / "pyproject.toml",
    ]
)
SOURCES = [path for path in SOURCES if path != Path(__file__).resolve()]
# A citation: `docs/google-api-notes.md, "Heading"` (or *Heading*), possibly several joined
# by "and"/","; comment markers between lines are folded away first.
_CITATION = re.compile(
    r"google-api-notes\.md[,;:]?\s*((?:[\"*][^\"*]+[\"*](?:\s*(?:,|and|;)\s*)?)+)"
)
_QUOTED = re.compile(r"[\"*]([^\"*]+)[\"*]")


def _headings() -> set[str]:
    return {
        line.lstrip("#").strip()
        for line in NOTES.read_text(encoding="utf-8").splitlines()
        if line.startswith(("## ", "### "))
    }


def _citations() -> list[tuple[str, str]]:
    found = []
    for path in SOURCES:
        text = re.sub(r"\n\s*(?:#|//|\*)?\s*", " ", path.read_text(encoding="utf-8"))
        for match in _CITATION.finditer(text):
            for name in _QUOTED.findall(match.group(1)):
                found.append((str(path.relative_to(ROOT)), " ".join(name.split())))
    return found


def test_the_code_cites_the_notes() -> None:
    # If this finds nothing the pattern broke, and the next test would pass vacuously.
    assert len(_citations()) >= 10


@pytest.mark.parametrize(("where", "heading"), _citations())
def test_every_cited_note_exists(where: str, heading: str) -> None:
    assert heading in _headings(), f"{where} cites a section the notes do not have: {heading!r}"


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: str(p.relative_to(ROOT)))
def test_nothing_points_outside_the_repository(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    for outside in ("shared/", "DESIGN.md", "STYLE.md"):
        assert outside not in text, (
            f"{path.relative_to(ROOT)} refers to {outside}, outside the repo"
        )
