"""`gworkflow selftest` against the sandbox: every probe passes (or informs), the JSON and
the report have their documented shape, the report gives away no token, e-mail address or
name, and the scratch doc and event are removed unless --keep.

The sandbox plays Google by default; where Google's answer is open it has behaviour
switches (`POST /_sandbox/behaviors`), and the self-test must then report what the sandbox
plays, and still not fail. Those tests are skipped on a sandbox without the switches.
"""

from __future__ import annotations

import datetime as dt
import json
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result
from google.oauth2.credentials import Credentials

from gworkflow.cli import cli
from gworkflow.cli._common import App
from gworkflow.config import EXAMPLE_CONFIG, parse_config
from gworkflow.google.clients import build_clients
from gworkflow.google.scopes import SCOPES
from gworkflow.sandbox.server import Sandbox
from gworkflow.selftest.context import SCRATCH_TITLE
from gworkflow.selftest.recorder import Recorder, redacted_report
from gworkflow.selftest.runner import PROBES, run_selftest

NOW = dt.datetime(2026, 11, 27, 15, 0, tzinfo=dt.UTC)
# The probes the issue asks for, by the name each has in the table.
REQUIRED = {
    "docs.section.write",
    "docs.request.headings",
    "docs.request.heading_link",
    "docs.request.text_styles",
    "docs.request.bullets",
    "docs.request.checklist",
    "docs.request.named_range",
    "docs.insert.end_of_segment",
    "docs.stale_revision",
    "docs.batch.atomic",
    "docs.named_range.insert_at_start",
    "docs.named_range.insert_at_end",
    "docs.revision.noop",
    "calendar.instances.dst",
    "calendar.instances.time_min",
    "calendar.instance.move",
    "calendar.instance.cancel",
    "calendar.lookup.private_property",
    "calendar.insert.duplicate_id",
    "calendar.conference.meet",
}
# Probes whose answer is open, or documented but not relied on: pass or info, never fail.
MAY_INFORM = {p.name for p in PROBES if p.expected.startswith("open:")} | {
    "calendar.instances.time_min"
}


def selftest(sb: Sandbox, *args: str) -> Result:
    app = App(api_endpoint=sb.base_url, clock=lambda: NOW)
    return CliRunner().invoke(cli, ["selftest", *args], obj=app, catch_exceptions=False)


def scratch_events(sb: Sandbox) -> list[dict[str, Any]]:
    state = sb.to_state()["calendar"]["calendars"]
    return [
        record["event"]
        for events in state.values()
        for record in events.values()
        if record["event"].get("summary") == SCRATCH_TITLE
    ]


def scratch_docs(sb: Sandbox) -> list[str]:
    return [d["documentId"] for d in sb.docs.summaries() if d["title"] == SCRATCH_TITLE]


def assert_no_failure(probes: list[dict[str, str]]) -> None:
    for probe in probes:
        allowed = {"pass", "info"} if probe["name"] in MAY_INFORM else {"pass"}
        assert probe["result"] in allowed, probe


def test_every_probe_passes_against_the_sandbox_and_the_scratch_objects_are_removed(
    sb: Sandbox, config_file: Path
) -> None:
    result = selftest(sb, "--json")
    assert result.exit_code == 0, result.output
    out = json.loads(result.stdout)
    assert out["endpoint"] == sb.base_url
    probes = out["probes"]
    assert [p["name"] for p in probes] == [p.name for p in PROBES]
    assert {p["name"] for p in probes} >= REQUIRED
    for probe in probes:
        assert set(probe) == {"name", "expected", "observed", "result"}
        assert probe["expected"] and probe["observed"]
    assert_no_failure(probes)
    # The event is deleted (Google keeps a deleted event as "cancelled"), nobody was told.
    events = scratch_events(sb)
    assert len(events) == 1 and events[0]["status"] == "cancelled"
    assert not events[0].get("attendees")
    assert all(i["sendUpdates"] == "none" for i in sb.calendar.invitations)
    # The doc goes to Drive's trash with files.update(trashed=true).
    [doc_id] = scratch_docs(sb)
    patches = [
        e["status"]
        for e in sb.requests_log()
        if e["method"] == "PATCH" and e["path"] == f"/drive/v3/files/{doc_id}"
    ]
    [doc_cleanup] = [c for c in out["cleanup"] if c["what"].startswith("scratch doc")]
    assert len(patches) == 1
    if patches[0] == 501:
        # This sandbox does not emulate files.update: the doc left behind is named, with
        # what to do.
        assert not doc_cleanup["done"] and "delete it by hand" in doc_cleanup["detail"]
    else:
        assert patches[0] == 200 and doc_cleanup["done"]


def test_the_table_and_the_report_for_a_bug_report(
    sb: Sandbox, config_file: Path, tmp_path: Path
) -> None:
    report_file = tmp_path / "selftest.json"
    result = selftest(sb, "--report", str(report_file))
    assert result.exit_code == 0, result.output
    assert "probe" in result.stdout and "expected / observed" in result.stdout
    assert f"{len(PROBES)} probes: " in result.stdout and " 0 fail" in result.stdout
    assert "docs.stale_revision" in result.stdout
    assert "report written to" in result.stderr

    text = report_file.read_text(encoding="utf-8")
    report = json.loads(text)
    assert report["endpoint"] == sb.base_url and report["gworkflow"]
    assert [p["name"] for p in report["probes"]] == [p.name for p in PROBES]
    exchanges = report["exchanges"]
    assert len(exchanges) > len(PROBES)
    first = exchanges[0]
    assert set(first) == {"probe", "request", "response", "seconds"}
    assert set(first["request"]) == {"method", "uri", "headers", "body"}
    assert set(first["response"]) == {"status", "headers", "body"}
    assert {e["probe"] for e in exchanges} >= {"docs.create", "calendar.insert", "cleanup"}
    # The sandbox's account is you@example.com / sandbox-user@example.com: it appears in
    # events' organizer and creator, and must not in the report.
    assert "@example" not in text and "Bearer" not in text
    assert "<email-1>" in text


def test_keep_leaves_the_doc_and_the_event_and_says_where(sb: Sandbox, config_file: Path) -> None:
    result = selftest(sb, "--keep", "--json")
    assert result.exit_code == 0, result.output
    out = json.loads(result.stdout)
    assert out["cleanup"] == []
    [doc_id] = scratch_docs(sb)
    events = scratch_events(sb)
    assert [e["status"] for e in events] == ["confirmed"]
    assert any(doc_id in kept for kept in out["kept"])
    assert any(events[0]["id"] in kept for kept in out["kept"])
    assert not [e for e in sb.requests_log() if e["path"].startswith("/drive/v3/files/")]


def test_a_signed_in_run_reports_no_token(sb: Sandbox) -> None:
    refresh_token = sb.oauth.mint()
    credentials = Credentials(  # type: ignore[no-untyped-call]
        token=None,
        refresh_token=refresh_token,
        token_uri=sb.base_url + "/token",
        client_id="client-123.apps.googleusercontent.com",
        client_secret="GOCSPX-secret-value",
        scopes=list(SCOPES),
    )
    recorder = Recorder()
    clients = build_clients(credentials, sb.base_url, wrap_http=recorder.wrap)
    series = parse_config(EXAMPLE_CONFIG, Path("config.toml")).series[0]
    report = run_selftest(clients, series, NOW, sb.base_url, recorder, sleep=lambda _s: None)
    assert report.ok
    access_tokens = list(sb.oauth.access_tokens)
    assert access_tokens  # the clients did sign in
    text = json.dumps(redacted_report(report.as_json(), recorder.exchanges, {}))
    for secret in [*access_tokens, refresh_token, "GOCSPX-secret-value", "Bearer"]:
        assert secret not in text


# --- the sandbox playing each plausible Google --------------------------------------------

# Each run sets several switches at once (they act on different probes): every non-default
# value is played once, and the defaults once.
SWITCH_RUNS = [
    {},
    {
        "named_range_insert_at_start": "extend",
        "named_range_insert_at_end": "extend",
        "stale_revision_message": "generic",
        "instances_time_min": "exclusive",
        "conference_create": "pending",
        "cancelled_instance_body": "minimal",
        "revision_after_noop": "unchanged",
    },
    {"stale_revision_message": "alternate"},
]
# Which probe reports each switch, and how its observation starts for each value.
REPORTED_BY = {
    "named_range_insert_at_start": "docs.named_range.insert_at_start",
    "named_range_insert_at_end": "docs.named_range.insert_at_end",
    "instances_time_min": "calendar.instances.time_min",
    "conference_create": "calendar.conference.meet",
    "cancelled_instance_body": "calendar.instance.cancelled_fields",
    "revision_after_noop": "docs.revision.noop",
}


@pytest.fixture
def own_sandbox() -> Iterator[Sandbox]:
    with Sandbox() as sandbox:
        yield sandbox


def set_behaviors(sandbox: Sandbox, settings: dict[str, str]) -> dict[str, str]:
    """Set switches through the admin route; the settings in force. Skips the test on a
    sandbox without switches."""
    request = urllib.request.Request(
        sandbox.base_url + "/_sandbox/behaviors",
        data=json.dumps(settings).encode(),
        headers={"Content-Type": "application/json"},
        method="POST",
    )
    try:
        with urllib.request.urlopen(request) as answer:
            body = json.loads(answer.read() or b"{}")
    except urllib.error.HTTPError as error:
        if error.code == 404:
            pytest.skip("this sandbox has no behaviour switches")
        raise
    current = body.get("behaviors", body) if isinstance(body, dict) else {}
    return {str(k): str(v) for k, v in current.items()}


@pytest.mark.parametrize("settings", SWITCH_RUNS, ids=lambda s: ",".join(s.values()) or "defaults")
def test_the_selftest_reports_what_the_sandbox_plays_and_never_fails(
    own_sandbox: Sandbox, settings: dict[str, str]
) -> None:
    in_force = set_behaviors(own_sandbox, settings)
    series = parse_config(EXAMPLE_CONFIG, Path("config.toml")).series[0]
    clients = build_clients(None, own_sandbox.base_url)
    report = run_selftest(clients, series, NOW, own_sandbox.base_url, sleep=lambda _s: None)
    probes = [p.as_json() for p in report.probes]
    assert_no_failure(probes)
    observed = {p["name"]: p["observed"] for p in probes}
    for switch, probe in REPORTED_BY.items():
        value = in_force.get(switch)
        if value is not None:
            assert observed[probe].startswith(value), (switch, value, observed[probe])
