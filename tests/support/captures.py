"""The real documents.get responses captured from Google (see fixtures/google-docs/README.md)."""

from __future__ import annotations

from pathlib import Path

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "google-docs"
FIXTURE_FILES = sorted(FIXTURES.glob("*.json"))
assert len(FIXTURE_FILES) == 7, f"the captured Google fixtures are missing from {FIXTURES}"
