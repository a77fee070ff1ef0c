"""Runs that race, and people who type while a run writes: each run says what it did, and
nothing typed meanwhile is lost from the carry.

The races here are between runs that do not share a lock file (two machines, or two
GWORKFLOW_HOMEs): the doc's revision guard and marker, and Calendar's derived event id,
keep them to one section and one event; these tests check that each run's line tells the
truth about who wrote it.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable
from pathlib import Path

from support import witness
from support.scenarios import IN_WINDOW, MEETING, set_up_pair

from gworkflow.google.clients import build_clients
from gworkflow.google.docs import RunningDoc
from gworkflow.runner import RunOutcome, run_series
from gworkflow.sandbox.people import People
from gworkflow.sandbox.server import Sandbox
from gworkflow.types import JSON

JAN_12 = dt.date(2027, 1, 12)


def race(sb: Sandbox, series: object, tmp_path: Path, runs: int = 2) -> list[RunOutcome]:
    """`runs` daily runs at the same moment, each with its own clients and lock file."""
    outcomes: list[RunOutcome] = []

    def one_run(n: int) -> None:
        own = build_clients(None, sb.base_url)  # httplib2 connections are not thread-safe
        outcomes.append(
            run_series(
                series,  # type: ignore[arg-type]
                own.running_doc(),
                own.series_event(series),  # type: ignore[arg-type]
                IN_WINDOW,
                tmp_path / f"machine-{n}.lock",
            )
        )

    threads = [threading.Thread(target=one_run, args=(n,)) for n in range(runs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes


def test_the_run_that_lost_the_race_says_another_run_wrote_it(sb: Sandbox, tmp_path: Path) -> None:
    clients = build_clients(None, sb.base_url)
    doc_id, series = set_up_pair(clients)
    # Both runs read the doc before either write lands.
    sb.faults.add("POST", "*:batchUpdate", latency_ms=400, mode="latency", count=2)
    outcomes = race(sb, series, tmp_path)
    lines = sorted(outcome.summary() for outcome in outcomes)
    assert lines == [
        "ruth-heather: appended the agenda for 2026-12-08",
        "ruth-heather: the agenda for 2026-12-08 is already there: another run wrote it",
    ]
    assert witness.marker_count(sb.docs.get(doc_id, True), "ruth-heather", MEETING) == 1


def test_only_the_run_that_created_the_event_says_so(sb: Sandbox, tmp_path: Path) -> None:
    clients = build_clients(None, sb.base_url)
    _, series = set_up_pair(clients, with_event=False)
    # Both runs find no event before either insert lands.
    sb.faults.add(
        "POST", "/calendar/v3/calendars/*/events", latency_ms=400, mode="latency", count=2
    )
    outcomes = race(sb, series, tmp_path)
    assert sorted(outcome.event_created for outcome in outcomes) == [False, True]
    assert sum("created the calendar event" in o.summary() for o in outcomes) == 1
    assert len(sb.calendar.summaries()) == 1


class TypedMeanwhile(RunningDoc):
    """The running doc, where `type_now` runs right after the first read: a person typing
    between gworkflow's read and its write."""

    def __init__(self, inner: RunningDoc, type_now: Callable[[], None]) -> None:
        super().__init__(inner._docs, inner._drive)
        self._type_now: Callable[[], None] | None = type_now

    def fetch(self, doc_id: str) -> JSON:
        doc = super().fetch(doc_id)
        if self._type_now is not None:
            self._type_now()
            self._type_now = None
        return doc


def test_a_goal_typed_into_the_previous_section_between_read_and_write_is_carried(
    sb: Sandbox, tmp_path: Path
) -> None:
    clients = build_clients(None, sb.base_url)
    doc_id, series = set_up_pair(clients)
    lock = tmp_path / "lock"
    first = run_series(series, clients.running_doc(), clients.series_event(series), IN_WINDOW, lock)
    assert first.action == "appended"
    people = People(sb.base_url, doc_id)
    people.type_items(MEETING, ("Ruth", "Goals"), ["Submit the IRDL application"])

    def heather_types() -> None:
        people.type_items(MEETING, ("Heather", "Goals"), ["Send the CFP"])

    january_window = dt.datetime(2027, 1, 7, 15, 0, tzinfo=dt.UTC)
    doc = TypedMeanwhile(clients.running_doc(), heather_types)
    outcome = run_series(series, doc, clients.series_event(series), january_window, lock)
    assert outcome.action == "appended"
    written = sb.docs.get(doc_id, True)
    # Open goals come back under Goals with the day they were set.
    assert witness.text_under(written, "2027-01-12", ("Ruth", "Goals")) == [
        "Submit the IRDL application (since 8 Dec)",
        "",
    ]
    # Typed after gworkflow's first read, and still carried.
    assert witness.text_under(written, "2027-01-12", ("Heather", "Goals")) == [
        "Send the CFP (since 8 Dec)",
        "",
    ]
    assert witness.marker_count(written, "ruth-heather", JAN_12) == 1
