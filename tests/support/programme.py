"""A programme of many series for the tests and the quota-floor benchmark.

`programme_config(doc_ids, ...)` writes the TOML of one series per doc ("pair-001", ...),
each a pair meeting on the 2nd Tuesday at 14:00 Chicago time (the README's example pair,
so the dates of `support.scenarios` apply: IN_WINDOW is inside the agenda window of the
2026-12-08 meeting). `blank_docs(sb, n)` makes the running docs directly in the sandbox's
store, so that setting a programme up costs no API calls (and no quota).
"""

from __future__ import annotations

from typing import Any

PEOPLE = (
    ("Ruth", "America/New_York"),
    ("Heather", "America/Chicago"),
)


def series_id(index: int) -> str:
    return f"pair-{index + 1:03d}"


def series_toml(index: int, doc_id: str) -> str:
    sid = series_id(index)
    people = "".join(
        f"""
[[series.participants]]
name = "{name}"
email = "{name.lower()}.{sid}@example.edu"
timezone = "{zone}"
"""
        for name, zone in PEOPLE
    )
    return f"""
[[series]]
id = "{sid}"
title = "Peer mentoring check-in {sid}"
timezone = "America/Chicago"
schedule = "2nd Tuesday 14:00"
lead_days = 7
doc_id = "{doc_id}"

[series.conference]
kind = "zoom"
join_url = "https://zoom.us/j/85512345678?pwd=abc"
{people}"""


def programme_config(doc_ids: list[str], limits: dict[str, int] | None = None) -> str:
    """The config text: an optional [limits] table, then one series per doc id ("" for a
    series without a doc yet)."""
    head = "# A mentoring programme\n"
    if limits:
        head += "\n[limits]\n" + "".join(f"{key} = {value}\n" for key, value in limits.items())
    return head + "".join(series_toml(i, doc_id) for i, doc_id in enumerate(doc_ids))


def blank_docs(sb: Any, count: int) -> list[str]:
    """`count` empty running docs, made in the sandbox's store (no API call)."""
    return [
        str(sb.docs.create({"title": f"Running agenda {series_id(i)}"})["documentId"])
        for i in range(count)
    ]


# Fast enough for tests: a hundred times Google's per-user quotas.
FAST_LIMITS = {
    "docs_read_per_minute": 30_000,
    "docs_write_per_minute": 6_000,
    "calendar_per_minute": 60_000,
    "drive_per_minute": 100_000,
    "workers": 4,
}
