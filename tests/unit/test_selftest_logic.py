"""The self-test's judgement, without HTTP: how each open answer is classified, how a
probe's surprise becomes its result, what the report redacts, and how results are shown."""

from __future__ import annotations

import json
from types import SimpleNamespace
from typing import Any
from zoneinfo import ZoneInfo

import httplib2
import pytest

from gworkflow.agenda.blocks import Block, BlockKind, Span
from gworkflow.errors import GoogleError, SignInNeeded
from gworkflow.selftest.calendar_probes import cancelled_body, instance_id_form, meet_status
from gworkflow.selftest.context import NotRun, Probe
from gworkflow.selftest.docs_probes import classify_edge, merged, span_mismatch
from gworkflow.selftest.recorder import Exchange, Recorder, Redactor, redacted_report
from gworkflow.selftest.results import (
    Cleanup,
    Observation,
    ProbeResult,
    SelftestReport,
    check,
    documented_or_info,
    info,
    passed,
)
from gworkflow.selftest.runner import run_probe

NY = ZoneInfo("America/New_York")


# --- classifying what Google did ------------------------------------------------------------


@pytest.mark.parametrize(
    ("edge", "after", "expected"),
    [
        ("start", [(31, 41)], "shift"),  # 10 units inserted at 21, the range [21, 31) moved
        ("start", [(21, 41)], "extend"),
        ("start", [(21, 31)], "other"),
        ("end", [(21, 31)], "exclude"),
        ("end", [(21, 41)], "extend"),
        ("end", [(21, 25), (35, 41)], "other"),  # split in two
        ("end", [], "other"),  # removed
    ],
)
def test_a_named_ranges_move_is_classified(
    edge: str, after: list[tuple[int, int]], expected: str
) -> None:
    assert classify_edge(edge, (21, 31), after, 10) == expected


def instance(master: str, suffix: str, start: str) -> dict[str, Any]:
    when = {"dateTime": start, "timeZone": "America/New_York"}
    return {"id": f"{master}_{suffix}", "originalStartTime": when, "start": when}


def test_todays_instance_ids_are_the_series_id_and_the_utc_start() -> None:
    items = [
        instance("abc123", "20261208T190000Z", "2026-12-08T14:00:00-05:00"),
        instance("abc123", "20270413T180000Z", "2027-04-13T14:00:00-04:00"),  # after DST
    ]
    assert instance_id_form("abc123", items, NY).startswith("<series id>_<UTC original start>")


def test_another_instance_id_form_is_reported_as_such() -> None:
    items = [instance("abc123", "20261208T140000", "2026-12-08T14:00:00-05:00")]
    assert instance_id_form("abc123", items, NY).startswith("another form, e.g. 'abc123_2026")


def test_a_cancelled_instance_is_minimal_or_full() -> None:
    minimal = {
        "kind": "calendar#event",
        "etag": '"1"',
        "id": "x_1",
        "status": "cancelled",
        "recurringEventId": "x",
        "originalStartTime": {"dateTime": "2027-04-13T14:00:00-04:00"},
    }
    assert cancelled_body(minimal).startswith("minimal: ")
    full = {**minimal, "summary": "s", "start": {}, "end": {}}
    assert cancelled_body(full) == "full: also end, start, summary"


def test_the_meet_status_is_read_from_the_create_request() -> None:
    pending = {"conferenceData": {"createRequest": {"status": {"statusCode": "pending"}}}}
    assert meet_status(pending) == "pending"
    assert meet_status({}) == ""


def paragraph(*runs: tuple[str, dict[str, Any]]) -> dict[str, Any]:
    elements = [{"textRun": {"content": text, "textStyle": style}} for text, style in runs]
    return {"paragraph": {"elements": elements}}


def test_styles_match_the_spans_written_only_character_for_character() -> None:
    block = Block(BlockKind.PARAGRAPH, (Span("a "), Span("bold", bold=True), Span(" end")))
    good = paragraph(("a ", {}), ("bold", {"bold": True}), (" end\n", {}))
    assert span_mismatch(block, good) is None
    # The bold range one character short: Google counted indexes differently.
    short = paragraph(("a ", {}), ("bol", {"bold": True}), ("d end\n", {}))
    assert span_mismatch(block, short) == "'bold' has no style, not bold"
    # Text inherited a link from the text before it.
    linked = paragraph(
        ("a ", {"link": {"url": "https://x.org"}}), ("bold", {"bold": True}), (" end\n", {})
    )
    assert "link https://x.org" in str(span_mismatch(block, linked))


def test_runs_of_one_style_split_by_google_are_no_difference() -> None:
    split = Block(
        BlockKind.PARAGRAPH,
        (Span("Pla"), Span("in "), Span("b", bold=True), Span("old", bold=True)),
    )
    assert merged(split) == Block(BlockKind.PARAGRAPH, (Span("Plain "), Span("bold", bold=True)))


# --- a probe's surprise becomes its result ----------------------------------------------------


def context() -> Any:
    return SimpleNamespace(recorder=Recorder())


def run(body: Any) -> ProbeResult:
    return run_probe(context(), Probe("p", "what gworkflow expects", body))


def test_a_probes_observation_is_its_result() -> None:
    result = run(lambda _ctx: info("observed: the range extended"))
    assert (result.name, result.expected, result.result) == ("p", "what gworkflow expects", "info")
    assert result.observed == "observed: the range extended"


@pytest.mark.parametrize(
    ("raised", "observed"),
    [
        (NotRun("not run: the scratch doc could not be created"), "not run: the scratch doc"),
        (GoogleError("could not read the scratch doc: Google Docs answered 500"), "answered 500"),
        (KeyError("documentId"), "unexpected answer (KeyError: 'documentId')"),
    ],
)
def test_whatever_a_probe_raises_is_a_fail_saying_what(raised: Exception, observed: str) -> None:
    def probe(_ctx: Any) -> Observation:
        raise raised

    result = run(probe)
    assert result.result == "fail" and observed in result.observed


def test_a_lost_sign_in_stops_the_run() -> None:
    def probe(_ctx: Any) -> Observation:
        raise SignInNeeded("run `gworkflow auth login`")

    with pytest.raises(SignInNeeded):
        run(probe)


def test_documented_behaviour_gworkflow_does_not_rely_on_is_never_a_fail() -> None:
    assert documented_or_info(True, "x").result == "pass"
    assert documented_or_info(False, "x").result == "info"
    assert check(False, "x").result == "fail"


# --- the report -----------------------------------------------------------------------------


def exchange(**overrides: Any) -> Exchange:
    values: dict[str, Any] = {
        "probe": "calendar.insert",
        "method": "POST",
        "uri": "https://www.googleapis.com/calendar/v3/calendars/ruth%40example.edu/events"
        "?sendUpdates=none&access_token=ya29.abc",
        "request_headers": {"authorization": "Bearer ya29.a0AfH6-secret", "accept": "*/*"},
        "request_body": {"summary": "s", "attendees": [{"email": "ruth@example.edu"}]},
        "status": 200,
        "response_headers": {"set-cookie": "NID=1"},
        "response_body": {
            "organizer": {"email": "Ruth@Example.edu", "displayName": "Ruth Smith"},
            "htmlLink": "https://www.google.com/calendar/event?eid=ZXZlbnQgcnV0aEBleGFtcGxlLmVkdQ",
            "refresh_token": "1//0g-secret",
            "nextPageToken": "page-2",
            "note": "token ya29.inline-secret in text",
        },
        "seconds": 0.1,
    }
    values.update(overrides)
    return Exchange(**values)


def test_the_report_redacts_tokens_addresses_and_names() -> None:
    summary = {"endpoint": "google", "probes": [{"observed": "calendar ruth@example.edu"}]}
    report = redacted_report(summary, [exchange()], {"gworkflow": "0.1.0"})
    text = json.dumps(report)
    for secret in ("ya29", "Bearer", "1//0g", "@example", "%40example", "Ruth Smith", "NID=1"):
        assert secret not in text, secret
    entry = report["exchanges"][0]
    assert entry["request"]["headers"]["authorization"] == "[redacted]"
    assert entry["request"]["headers"]["accept"] == "*/*"
    # One address, one placeholder, wherever and however it is written.
    assert report["probes"][0]["observed"] == "calendar <email-1>"
    assert "calendars/<email-1>/events" in entry["request"]["uri"]
    assert entry["request"]["body"]["attendees"] == [{"email": "<email-1>"}]
    assert entry["response"]["body"]["organizer"] == {"email": "<email-1>", "displayName": "<name>"}
    assert "eid=[redacted]" in entry["response"]["body"]["htmlLink"]
    assert entry["response"]["body"]["refresh_token"] == "[redacted]"
    # A page token is not a credential: kept, so the report shows the paging.
    assert entry["response"]["body"]["nextPageToken"] == "page-2"


def test_the_recorder_passes_each_request_through_and_keeps_it() -> None:
    class Inner:
        credentials = "creds"

        def request(
            self, uri: str, method: str = "GET", body: Any = None, headers: Any = None, **_: Any
        ) -> Any:
            return httplib2.Response({"status": "404"}), b'{"error": {"code": 404}}'

    recorder = Recorder(probe="docs.create")
    http = recorder.wrap(Inner())
    assert http.credentials == "creds"  # what the gateway reads from a request's http
    _resp, content = http.request("https://x/v1/documents", "POST", body='{"title": "t"}')
    assert content == b'{"error": {"code": 404}}'
    [seen] = recorder.exchanges
    assert (seen.probe, seen.method, seen.status) == ("docs.create", "POST", 404)
    assert seen.request_body == {"title": "t"} and seen.response_body == {"error": {"code": 404}}


def test_redaction_numbers_addresses_in_order_of_appearance() -> None:
    redactor = Redactor()
    assert redactor.text("a@x.org, b@y.org, A@X.org") == "<email-1>, <email-2>, <email-1>"


# --- showing the results --------------------------------------------------------------------


def report(*results: str) -> SelftestReport:
    probes = tuple(
        ProbeResult(f"probe.{n}", "expected thing", "observed thing", r)  # type: ignore[arg-type]
        for n, r in enumerate(results)
    )
    cleanup = (Cleanup("scratch doc 1abc", False, "delete it by hand"),)
    return SelftestReport("http://127.0.0.1:8765", probes, cleanup)


def test_one_fail_makes_the_run_fail_and_info_does_not() -> None:
    assert report("pass", "info").ok
    assert not report("pass", "fail", "info").ok
    assert report("pass", "fail", "info").counts() == {"pass": 1, "fail": 1, "info": 1}


def test_the_table_shows_each_probe_with_expected_and_observed() -> None:
    text = report("pass", "info").as_text()
    lines = text.splitlines()
    assert lines[0] == "gworkflow self-test against the endpoint http://127.0.0.1:8765"
    assert any(
        line.startswith("probe.0") and "pass" in line and "expected: expected thing" in line
        for line in lines
    )
    assert "observed: observed thing" in text
    assert "2 probes: 1 pass, 0 fail, 1 info" in text
    assert "clean-up: scratch doc 1abc: NOT removed (delete it by hand)" in text


def test_the_json_has_the_documented_shape() -> None:
    out = report("pass").as_json()
    assert out["endpoint"] == "http://127.0.0.1:8765"
    assert out["probes"] == [
        {
            "name": "probe.0",
            "expected": "expected thing",
            "observed": "observed thing",
            "result": "pass",
        }
    ]
    assert out["cleanup"] == [
        {"what": "scratch doc 1abc", "done": False, "detail": "delete it by hand"}
    ]


def test_passed_is_a_pass() -> None:
    assert passed("x") == Observation("x", "pass")
