"""How long reading the running doc back takes as it grows.

Builds a running doc in Google's `documents.get` JSON shape (the test suite's docbuilder):
one section a month, each as the default template renders it and people fill it in - a
dated H1, times and links, then per participant (two) an H2, "Achievements" with last
month's goals, nested "Goals" checklist items with people chips and done hints, and
"Upcoming Conferences" bullets: about 15 paragraphs per participant. Sections are marked
by our named ranges, like the ones gworkflow writes; `--unmarked` builds hand-typed ones.

Then times `carry_forward` (parse every paragraph, find the sections, pick the latest,
read its goals) on 12, 60, 120 (ten years) and 240 sections, median of `--runs` runs.
The JSON decoding of the response is not timed: the API client does it either way; its
size is shown for scale.

    /work/venv/bin/python benchmarks/parse_doc.py [--runs 20] [--unmarked]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import statistics
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from support.docbuilder import DocBuilder, person, run

from gworkflow.agenda.blocks import marker_name
from gworkflow.agenda.carry import carry_forward
from gworkflow.agenda.docjson import select_tab

SERIES = "ruth-heather"
NAMES = ("Ruth", "Heather")
SIZES = (12, 60, 120, 240)
TARGET_MS = 100.0


def meeting_days(count: int) -> list[dt.date]:
    """The second Tuesday of `count` consecutive months, from January 2017."""
    days = []
    for n in range(count):
        year, month = 2017 + n // 12, n % 12 + 1
        first = dt.date(year, month, 1)
        days.append(first + dt.timedelta(days=(1 - first.weekday()) % 7 + 7))
    return days


def section_rows(day: dt.date) -> list[tuple[Any, ...]]:
    rows: list[tuple[Any, ...]] = [
        ("HEADING_1", f"Peer mentoring check-in — {day:%A %-d %B %Y} ({day.isoformat()})"),
        ("NORMAL_TEXT", "14:00 America/Chicago · 20:00 Europe/London"),
        (
            "NORMAL_TEXT",
            [
                run("Zoom: "),
                run("https://zoom.us/j/123456789", link="https://zoom.us/j/123456789"),
            ],
        ),
    ]
    for name in NAMES:
        email = f"{name.lower()}@example.edu"
        rows += [
            ("HEADING_2", name),
            ("HEADING_3", "Achievements"),
            ("NORMAL_TEXT", "Submit the IRDL application", "checklist"),
            ("NORMAL_TEXT", "✅ Draft the statement", "checklist", 1),
            ("NORMAL_TEXT", "Got the research-leave approval 🎉", "checklist"),
            ("HEADING_3", "Goals"),
            ("NORMAL_TEXT", "Finish the survey instrument for the IRB", "checklist"),
            ("NORMAL_TEXT", "Pilot with five students", "checklist", 1),
            (
                "NORMAL_TEXT",
                [run("Ask "), person(email, name), run(" for feedback on chapter 2")],
                "checklist",
                1,
            ),
            ("NORMAL_TEXT", [run("Renew ALA membership", strike=True)], "checklist"),
            ("NORMAL_TEXT", "Write the LOEX proposal", "checklist"),
            ("NORMAL_TEXT", "", "checklist"),
            ("HEADING_3", "Upcoming Conferences"),
            ("NORMAL_TEXT", f"ALA Midwinter, {day.year + 1}-01-24", "bullet"),
            ("NORMAL_TEXT", f"ACRL, April 9-12, {day.year + 1}", "bullet"),
            ("NORMAL_TEXT", "Notes: talked about tenure files and the new catalog."),
        ]
    return rows


def build(count: int, marked: bool) -> dict[str, Any]:
    builder = DocBuilder()
    builder.add("TITLE", "Ruth & Heather — peer mentoring")
    for day in meeting_days(count):
        start, end = builder.rows(section_rows(day))
        if marked:
            builder.mark(marker_name(SERIES, day), start, end)
    return builder.build(tabs=True)


def median_ms(doc: dict[str, Any], runs: int, meeting: dt.date) -> tuple[float, int]:
    timings = []
    goals = 0
    for _ in range(runs):
        began = time.perf_counter()
        tab = select_tab(doc)
        _, carries = carry_forward(tab, SERIES, NAMES, meeting, meeting)
        timings.append((time.perf_counter() - began) * 1000)
        goals = sum(len(c.goals) for c in carries)
    return statistics.median(timings), goals


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--unmarked", action="store_true", help="hand-typed sections")
    args = parser.parse_args()

    print(f"carry_forward, median of {args.runs} runs, {'unmarked' if args.unmarked else 'marked'}")
    print(f"{'sections':>8} {'paragraphs':>10} {'JSON MB':>8} {'median ms':>10} {'goals':>6}")
    result = 0
    for count in SIZES:
        doc = build(count, marked=not args.unmarked)
        content = doc["tabs"][0]["documentTab"]["body"]["content"]
        size_mb = len(json.dumps(doc, ensure_ascii=False).encode()) / 1e6
        next_meeting = meeting_days(count + 1)[-1]
        ms, goals = median_ms(doc, args.runs, next_meeting)
        print(f"{count:>8} {len(content) - 1:>10} {size_mb:>8.2f} {ms:>10.1f} {goals:>6}")
        if count == 120 and ms > TARGET_MS:
            result = 1
    print(f"target: under {TARGET_MS:.0f} ms at 120 sections")
    return result


if __name__ == "__main__":
    raise SystemExit(main())
