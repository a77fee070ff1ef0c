"""The daily job against the sandbox: idempotent, cheap, and safe under Google's failures."""

from __future__ import annotations

import datetime as dt
import threading
from pathlib import Path

import pytest
from support import witness
from support.behaviors import READING_MEETINGS, STALE, cases, sweep
from support.scenarios import (
    ALL_SCENARIOS,
    BEFORE_WINDOW,
    IN_WINDOW,
    MEETING,
    SCENARIOS,
    Scenario,
    play,
    set_up_pair,
)

from gworkflow.google.calendar import SeriesEvent
from gworkflow.google.clients import GoogleClients, build_clients
from gworkflow.runner import run_series
from gworkflow.sandbox.server import Sandbox


@pytest.fixture
def clients(sb: Sandbox) -> GoogleClients:
    return build_clients(None, sb.base_url)


def sections(
    sb: Sandbox,
    doc_id: str,
    series_id: str = "ruth-heather",
    moved_to: dict[dt.date, dt.date] | None = None,
) -> list[dt.date]:
    """The meeting of each section in the doc (by its marker), checked against the dated
    Heading 1 each section starts with: the day the meeting takes place (`moved_to` maps a
    moved meeting's scheduled date to its new day)."""
    doc = sb.docs.get(doc_id, True)
    days = witness.marked_days(doc, series_id)
    for day in set(days):
        held = (moved_to or {}).get(day, day)
        assert witness.heading_count(doc, f"({held.isoformat()})") == days.count(day)
    return days


def api_calls(sb: Sandbox) -> list[tuple[str, str]]:
    return [(r["method"], r["path"].rsplit("/", 1)[-1]) for r in sb.requests_log()]


@pytest.mark.parametrize("scenario", ALL_SCENARIOS, ids=lambda s: s.name)
def test_faults_never_duplicate_or_lose_anything(
    sb: Sandbox, scenario: Scenario, tmp_path: Path
) -> None:
    result = play(sb, scenario, tmp_path)
    assert result.outcome == scenario.expect, result.message
    assert not result.content_lost
    if scenario.expect == "failed":
        assert (result.sections, result.headings) == (0, 0)
        assert "\n" not in result.message
    else:
        assert (result.sections, result.headings) == (1, 1)
    if scenario.deadline is not None:
        # A run ends by its deadline (a refused connection at once, without retries).
        assert result.seconds < min(scenario.deadline, 5) + 1.5, result.seconds


@pytest.mark.parametrize(
    ("scenario", "behaviors"),
    [
        *[
            pytest.param(scenario, case.values[0], id=f"{scenario.name}-{case.id}")
            for scenario in SCENARIOS
            if "collaborator" in scenario.name
            for case in cases(*STALE)
        ],
        *[
            pytest.param(scenario, case.values[0], id=f"{scenario.name}-{case.id}")
            for scenario in SCENARIOS
            if scenario.name == "the event was deleted"
            for case in cases("cancelled_instance_body")
        ],
    ],
)
def test_scenarios_that_meet_unsettled_answers_hold_under_each(
    sb: Sandbox, scenario: Scenario, tmp_path: Path
) -> None:
    # The fault scenarios whose path crosses an answer public evidence leaves open: a stale
    # revision (its message's wording), a deleted series (its cancelled instances' fields).
    test_faults_never_duplicate_or_lose_anything(sb, scenario, tmp_path)


def test_a_deleted_doc_says_what_to_do(sb: Sandbox, tmp_path: Path) -> None:
    result = play(sb, next(s for s in SCENARIOS if s.name == "the doc was deleted"), tmp_path)
    assert "doc" in result.message and (
        "deleted" in result.message or "not found" in result.message.lower()
    )


def test_nothing_to_do_costs_at_most_two_calls(
    sb: Sandbox, clients: GoogleClients, tmp_path: Path
) -> None:
    _, series = set_up_pair(clients, with_event=False)
    lock = tmp_path / "lock"
    first = run_series(
        series, clients.running_doc(), clients.series_event(series), BEFORE_WINDOW, lock
    )
    assert first.event_created and first.action == "not-yet"

    sb.clear_requests()
    assert (
        run_series(
            series, clients.running_doc(), clients.series_event(series), BEFORE_WINDOW, lock
        ).action
        == "not-yet"
    )
    not_yet_calls = api_calls(sb)
    assert len(not_yet_calls) <= 2, not_yet_calls

    assert (
        run_series(
            series, clients.running_doc(), clients.series_event(series), IN_WINDOW, lock
        ).action
        == "appended"
    )
    sb.clear_requests()
    again = run_series(
        series,
        clients.running_doc(),
        clients.series_event(series),
        IN_WINDOW + dt.timedelta(days=1),
        lock,
    )
    assert again.action == "exists"
    exists_calls = api_calls(sb)
    assert len(exists_calls) <= 2, exists_calls


def test_an_append_is_one_get_and_one_batch_update(
    sb: Sandbox, clients: GoogleClients, tmp_path: Path
) -> None:
    _, series = set_up_pair(clients)
    sb.clear_requests()
    assert (
        run_series(
            series,
            clients.running_doc(),
            clients.series_event(series),
            IN_WINDOW,
            tmp_path / "lock",
        ).action
        == "appended"
    )
    docs_calls = [c for c in sb.requests_log() if "/v1/documents" in c["path"]]
    assert [(c["method"], c["path"].endswith(":batchUpdate")) for c in docs_calls] == [
        ("GET", False),
        ("POST", True),
    ]


def test_two_runs_at_the_same_moment_write_one_section(
    sb: Sandbox, clients: GoogleClients, tmp_path: Path
) -> None:
    doc_id, series = set_up_pair(clients)
    sb.faults.add("POST", "*:batchUpdate", latency_ms=300, mode="latency", count=2)
    actions: list[str] = []

    def one_run() -> None:
        own = build_clients(None, sb.base_url)  # httplib2 connections are not thread-safe
        actions.append(
            run_series(
                series, own.running_doc(), own.series_event(series), IN_WINDOW, tmp_path / "lock"
            ).action
        )

    threads = [threading.Thread(target=one_run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(actions) == ["appended", "exists"]
    assert sections(sb, doc_id) == [MEETING]


def test_dry_run_writes_nothing(sb: Sandbox, clients: GoogleClients, tmp_path: Path) -> None:
    doc_id, series = set_up_pair(clients, with_event=False)
    sb.clear_requests()
    outcome = run_series(
        series,
        clients.running_doc(),
        clients.series_event(series),
        IN_WINDOW,
        tmp_path / "lock",
        dry_run=True,
    )
    assert outcome.action == "would-append" and not outcome.event_created
    assert sections(sb, doc_id) == []
    assert SeriesEvent(clients.calendar, series).find() is None
    assert all(r["method"] == "GET" for r in sb.requests_log())


@sweep(*READING_MEETINGS)
def test_a_cancelled_meeting_gets_no_agenda_and_the_next_one_does(
    sb: Sandbox, clients: GoogleClients, tmp_path: Path
) -> None:
    doc_id, series = set_up_pair(clients)
    event = SeriesEvent(clients.calendar, series)
    event.skip(MEETING, send_invites=False)
    outcome = run_series(
        series, clients.running_doc(), clients.series_event(series), IN_WINDOW, tmp_path / "lock"
    )
    assert outcome.action == "not-yet"
    assert outcome.meeting is not None and outcome.meeting.key == dt.date(2027, 1, 12)
    assert sections(sb, doc_id) == []


@sweep("instances_time_min")
def test_a_moved_meeting_keeps_its_section_name(
    sb: Sandbox, clients: GoogleClients, tmp_path: Path
) -> None:
    doc_id, series = set_up_pair(clients)
    event = SeriesEvent(clients.calendar, series)
    moved_to = dt.datetime(2026, 12, 10, 9, 0, tzinfo=series.timezone)
    event.move(MEETING, moved_to, send_invites=False)
    # Moved two days later, its agenda window opens two days later too.
    assert (
        run_series(
            series,
            clients.running_doc(),
            clients.series_event(series),
            IN_WINDOW,
            tmp_path / "lock",
        ).action
        == "not-yet"
    )
    outcome = run_series(
        series,
        clients.running_doc(),
        clients.series_event(series),
        IN_WINDOW + dt.timedelta(days=2),
        tmp_path / "lock",
    )
    assert outcome.action == "appended"
    assert outcome.meeting is not None and outcome.meeting.start == moved_to
    # Marked by its scheduled date, so a later move never makes a second section; headed by
    # the day it takes place.
    assert sections(sb, doc_id, moved_to={MEETING: moved_to.date()}) == [MEETING]
