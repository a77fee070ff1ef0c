"""Fault scenarios for the daily run, played against the sandbox.

Each scenario sets up a series with a running doc that people already wrote in, injects a
fault (or a deletion), runs `run_series` once inside the agenda window, and reports what a
user would check: how the run ended, how many sections the doc holds for the meeting, and
whether any text that was there before is gone. Faults of the transport itself (bytes that
are not HTTP, an HTML captive portal, a body cut short, silence, a refused connection) come
from `support.edge.Edge`, a proxy in front of the sandbox; those runs have a short deadline. Used by the tests (which assert on every
row) and by `benchmarks/fault_table.py` (which prints the table for the issue note).

It drives the product (config, runner, Google clients), so it lives with the tests, not in
the sandbox; what it measures it reads with the witnesses (support.witness), never with
the product's parser.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from gworkflow.config import EXAMPLE_CONFIG, Series, parse_config
from gworkflow.errors import GworkflowError
from gworkflow.sandbox.errors import ApiError
from support import witness
from support.edge import CAPTIVE_PORTAL, Edge, closed_port

# Inside the agenda window of the 2nd-Tuesday meeting of 2026-12-08 (lead_days = 7).
IN_WINDOW = dt.datetime(2026, 12, 2, 15, 0, tzinfo=dt.UTC)
BEFORE_WINDOW = dt.datetime(2026, 11, 20, 15, 0, tzinfo=dt.UTC)
MEETING = dt.date(2026, 12, 8)
PEOPLE_TEXT = "Notes Ruth typed before gworkflow ran 🙂"


@dataclass(frozen=True)
class Scenario:
    name: str
    # Called with the sandbox, the series and the doc id, after setup and before the run.
    inject: Callable[[Any, Series, str], None]
    expect: str  # the RunOutcome action, or "failed"
    # Rules for the proxy in front of the sandbox (`Edge.add` arguments): when given, the
    # run goes through it, with `deadline` seconds in all.
    edge: tuple[dict[str, Any], ...] = ()
    deadline: float | None = None
    refused: bool = False  # the run's endpoint is a port nobody listens on


@dataclass(frozen=True)
class ScenarioResult:
    name: str
    outcome: str
    message: str
    sections: int  # named ranges marking the meeting's section
    headings: int  # Heading 1 paragraphs carrying the meeting's date
    content_lost: bool
    api_calls: int  # requests gworkflow sent (through the proxy: every one it saw)
    seconds: float = 0.0


def series_for(doc_id: str) -> Series:
    """The README's example series, with `doc_id` as its running doc."""
    text = EXAMPLE_CONFIG.replace('doc_id = ""', f'doc_id = "{doc_id}"')
    return parse_config(text, Path("config.toml")).select(None)


def set_up_pair(clients: Any, typed: str = "", with_event: bool = True) -> tuple[str, Series]:
    """A running doc (holding `typed`, as if a person wrote it) for the example series,
    and, with `with_event`, its calendar event (created before the agenda window)."""
    from gworkflow.google.calendar import SeriesEvent

    doc_id = str(
        clients.docs.documents().create(body={"title": "Running agenda"}).execute()["documentId"]
    )
    if typed:
        clients.docs.documents().batchUpdate(
            documentId=doc_id,
            body={"requests": [{"insertText": {"endOfSegmentLocation": {}, "text": typed}}]},
        ).execute()
    series = series_for(doc_id)
    if with_event:
        SeriesEvent(clients.calendar, series).create(
            series.doc_url, BEFORE_WINDOW, send_invites=False
        )
    return doc_id, series


def _no_fault(_sb: Any, _series: Series, _doc_id: str) -> None:
    """Nothing goes wrong."""


def _fault(method: str, path: str, **kwargs: Any) -> Callable[[Any, Series, str], None]:
    def inject(sb: Any, _series: Series, _doc_id: str) -> None:
        sb.faults.add(method, path, **kwargs)

    return inject


def _delete_doc(sb: Any, _series: Series, doc_id: str) -> None:
    sb.docs.delete(doc_id)


def _delete_event(sb: Any, series: Series, _doc_id: str) -> None:
    from gworkflow.google.calendar import SeriesEvent
    from gworkflow.google.clients import build_clients

    SeriesEvent(build_clients(None, sb.base_url).calendar, series).delete(send_invites=False)


BATCH = "*:batchUpdate"
SCENARIOS = (
    Scenario("no fault", _no_fault, "appended"),
    Scenario("429 on the write, once", _fault("POST", BATCH, status=429), "appended"),
    Scenario(
        "503 on the read, twice", _fault("GET", "/v1/documents/*", status=503, count=2), "appended"
    ),
    Scenario("500 on the calendar, once", _fault("GET", "*/instances", status=500), "appended"),
    Scenario(
        "403 rateLimitExceeded on the calendar",
        _fault("GET", "*/instances", status=403, reason="rateLimitExceeded"),
        "appended",
    ),
    Scenario(
        "2 s latency on the write",
        _fault("POST", BATCH, latency_ms=2000, mode="latency"),
        "appended",
    ),
    Scenario(
        "write applied, answer lost (503)",
        _fault("POST", BATCH, mode="apply_then_fail"),
        "appended",
    ),
    Scenario(
        "collaborator edits just before the write",
        _fault("POST", BATCH, mode="concurrent_edit"),
        "appended",
    ),
    Scenario(
        "collaborator edits before every write",
        _fault("POST", BATCH, mode="concurrent_edit", count=10),
        "failed",
    ),
    Scenario("the doc was deleted", _delete_doc, "failed"),
    Scenario("the event was deleted", _delete_event, "appended"),
)

DOC_GET = "/v1/documents/*"
ALWAYS = 100
# The transport edge: what answers in Google's place.
EDGE_SCENARIOS = (
    Scenario(
        "bytes that are not HTTP on the calendar",
        _no_fault,
        "failed",
        edge=({"behaviour": "garbage", "path": "*/instances", "count": ALWAYS},),
        deadline=3,
    ),
    Scenario(
        "TLS bytes over http on the doc read",
        _no_fault,
        "failed",
        edge=({"behaviour": "tls", "method": "GET", "path": DOC_GET, "count": ALWAYS},),
        deadline=3,
    ),
    Scenario(
        "200 HTML captive portal on the doc read",
        _no_fault,
        "failed",
        edge=(
            {
                "behaviour": "answer",
                "method": "GET",
                "path": DOC_GET,
                "body": CAPTIVE_PORTAL,
                "content_type": "text/html",
                "count": ALWAYS,
            },
        ),
        deadline=3,
    ),
    Scenario(
        "200 null on the doc read",
        _no_fault,
        "failed",
        edge=(
            {
                "behaviour": "answer",
                "method": "GET",
                "path": DOC_GET,
                "body": "null",
                "count": ALWAYS,
            },
        ),
        deadline=3,
    ),
    Scenario(
        '200 {"body": "x"} on the doc read',
        _no_fault,
        "failed",
        edge=(
            {
                "behaviour": "answer",
                "method": "GET",
                "path": DOC_GET,
                "body": '{"body": "x"}',
                "count": ALWAYS,
            },
        ),
        deadline=3,
    ),
    Scenario(
        "401 HTML page on the calendar",
        _no_fault,
        "failed",
        edge=(
            {
                "behaviour": "answer",
                "path": "*/instances",
                "status": 401,
                "body": CAPTIVE_PORTAL,
                "content_type": "text/html",
                "count": ALWAYS,
            },
        ),
        deadline=3,
    ),
    Scenario(
        "body cut short on the doc read, once",
        _no_fault,
        "appended",
        edge=({"behaviour": "truncate", "method": "GET", "path": DOC_GET},),
        deadline=5,
    ),
    Scenario(
        "write landed, its answer cut short",
        _no_fault,
        "appended",
        edge=({"behaviour": "truncate", "method": "POST", "path": "*:batchUpdate"},),
        deadline=5,
    ),
    Scenario(
        "200 {} on every write (nothing landed)",
        _no_fault,
        "failed",
        edge=(
            {
                "behaviour": "answer",
                "method": "POST",
                "path": "*:batchUpdate",
                "body": "{}",
                "count": ALWAYS,
            },
        ),
        deadline=2,
    ),
    Scenario(
        "event deleted, 200 {} on its insert",
        _delete_event,
        "failed",
        edge=(
            {
                "behaviour": "answer",
                "method": "POST",
                "path": "/calendar/v3/calendars/*/events",
                "body": "{}",
                "count": ALWAYS,
            },
        ),
        deadline=3,
    ),
    Scenario(
        "the server never answers (1 s deadline)",
        _no_fault,
        "failed",
        edge=({"behaviour": "hang", "count": ALWAYS},),
        deadline=1,
    ),
    Scenario(
        "the write never answers (1 s deadline)",
        _no_fault,
        "failed",
        edge=({"behaviour": "hang", "method": "POST", "path": "*:batchUpdate", "count": ALWAYS},),
        deadline=1,
    ),
    Scenario("connection refused", _no_fault, "failed", refused=True, deadline=120),
)
ALL_SCENARIOS = SCENARIOS + EDGE_SCENARIOS


def play(sb: Any, scenario: Scenario, workdir: Path) -> ScenarioResult:
    """Reset the sandbox (keeping its behaviour switches), set up the pair's doc and event,
    inject, run once, measure."""
    from gworkflow.deadline import Deadline
    from gworkflow.google.clients import build_clients
    from gworkflow.runner import run_series

    settings = sb.behaviors.to_json()  # the behaviour switches the test chose survive
    sb.reset()
    sb.set_behaviors(**settings)
    clients = build_clients(None, sb.base_url)
    doc_id, series = set_up_pair(clients, typed=PEOPLE_TEXT)
    before = witness.all_text(sb.docs.get(doc_id, True))
    scenario.inject(sb, series, doc_id)
    sb.clear_requests()
    with Edge(sb.base_url) as edge:
        for rule in scenario.edge:
            edge.add(**rule)
        endpoint = sb.base_url
        if scenario.edge:
            endpoint = edge.url
        elif scenario.refused:
            endpoint = f"http://127.0.0.1:{closed_port()}"
        deadline = Deadline(scenario.deadline)
        clients = build_clients(None, endpoint, deadline=deadline)
        started = time.monotonic()
        try:
            outcome = run_series(
                series,
                clients.running_doc(),
                clients.series_event(series),
                IN_WINDOW,
                workdir / f"{series.id}.lock",
            )
            action, message = outcome.action, outcome.summary()
        except GworkflowError as exc:
            action, message = "failed", exc.message
        seconds = time.monotonic() - started
        calls = len(edge.seen) if scenario.edge else len(sb.requests_log())
    sb.faults.clear()
    try:
        doc = sb.docs.get(doc_id, True)
    except ApiError:  # the doc-deleted scenario: nothing left to count
        return ScenarioResult(scenario.name, action, message, 0, 0, False, calls, seconds)
    sections = witness.marker_count(doc, series.id, MEETING)
    headings = witness.heading_count(doc, f"({MEETING.isoformat()})")
    lost = not witness.is_subsequence(before, witness.all_text(doc))
    return ScenarioResult(scenario.name, action, message, sections, headings, lost, calls, seconds)
