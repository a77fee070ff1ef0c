"""The doctor's pure rules: the last run from the state file, the participants compared
with the doc's sharing and the event's attendees, a doc in the trash, the exit code, and
each fix said once (fakes; no HTTP)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from gworkflow.config import EXAMPLE_CONFIG, Series, parse_config
from gworkflow.doctor import (
    Check,
    DoctorReport,
    check_doc,
    check_last_run,
    participant_differences,
)
from gworkflow.errors import ExitCode
from gworkflow.state import SeriesState

NOW = dt.datetime(2026, 12, 10, 8, 0, tzinfo=dt.UTC)
RUTH, HEATHER = "ruth@example.edu", "heather@example.org"


def series() -> Series:
    text = EXAMPLE_CONFIG.replace('doc_id = ""', 'doc_id = "doc1"')
    return parse_config(text, Path("config.toml")).select(None)


def last(days_ago: float, ok: bool = True, success_days_ago: float | None = None) -> SeriesState:
    moment = NOW - dt.timedelta(days=days_ago)
    success = NOW - dt.timedelta(days=success_days_ago) if success_days_ago is not None else None
    return SeriesState(moment, ok, "not-yet" if ok else "failed", "ruth-heather: boom", success)


def test_the_last_run_rules() -> None:
    s, path = series(), Path("config.state.json")
    fresh = check_last_run(s, {"ruth-heather": last(2, success_days_ago=2)}, path, NOW)
    assert fresh.ok and fresh.detail == "last successful run: 2 days ago (not-yet)"
    stale = check_last_run(s, {"ruth-heather": last(4, success_days_ago=4)}, path, NOW)
    assert not stale.ok and stale.detail.startswith("last successful run: 4 days ago")
    failed = check_last_run(s, {"ruth-heather": last(0.5, ok=False, success_days_ago=1)}, path, NOW)
    assert not failed.ok and "the last run (12 hours ago" in failed.detail
    assert failed.detail.endswith("failed: ruth-heather: boom")
    never = check_last_run(s, {}, path, NOW)
    assert not never.ok and never.detail == "no run recorded yet (in config.state.json)"


def test_participants_compared_with_sharing_and_attendees() -> None:
    s = series()
    same = participant_differences(
        s, frozenset({RUTH, HEATHER}), [{"email": RUTH}, {"email": HEATHER}]
    )
    assert same == ([], [])
    problems, notes = participant_differences(
        s,
        frozenset({RUTH, "boss@example.edu"}),
        [{"email": RUTH}, {"email": "old@example.com"}, {"email": "you@example.com", "self": True}],
        me="you@example.com",
    )
    assert problems == [
        f"the doc is not shared (as writer) with {HEATHER}",
        f"the event does not invite {HEATHER}",
        "the event invites old@example.com, who is not in the config",
    ]
    assert notes == ["the doc is also shared with boss@example.edu"]
    # Drive does not show the sharing (drive.file) and there is no event: nothing to say.
    assert participant_differences(s, None, None) == ([], [])
    # The signed-in account owns the doc: as a participant, it has access.
    assert participant_differences(s, frozenset({HEATHER}), None, me=RUTH) == ([], [])


@dataclass
class FakeRunning:
    in_trash: bool | None

    def fetch(self, doc_id: str) -> dict[str, Any]:
        return {"title": "Running agenda", "body": {"content": []}}

    def trashed(self, doc_id: str) -> bool | None:
        return self.in_trash

    def can_edit(self, doc_id: str) -> bool | None:
        return True


@dataclass
class FakeClients:
    running: FakeRunning

    def running_doc(self) -> FakeRunning:
        return self.running


def test_the_doctor_says_when_the_running_doc_is_in_the_trash() -> None:
    trashed = check_doc(series(), FakeClients(FakeRunning(True)))  # type: ignore[arg-type]
    assert not trashed.ok
    assert trashed.detail.startswith("'Running agenda' is in the Google Drive trash")
    assert "restore it from the Drive trash" in trashed.fix
    unknown = check_doc(series(), FakeClients(FakeRunning(None)))  # type: ignore[arg-type]
    assert unknown.ok


def test_the_report_exits_3_for_sign_in_and_says_each_fix_once() -> None:
    network = "check the network"
    report = DoctorReport(
        [
            Check("config", True, "ok"),
            Check("a: running doc", False, "cannot reach Google Docs", network, 1, True),
            Check("a: calendar event", False, "cannot reach Google Calendar", network, 1, True),
            Check("b: running doc", False, "gone", "check doc_id", 1),
        ]
    )
    assert report.exit_code == ExitCode.FAILED
    text = report.as_text()
    assert text.count(f"fix: {network}") == 1 and "fix: check doc_id" in text
    assert "[FAIL] a: calendar event: not checked: the same failure as above" in text
    report.verbose = True
    assert "cannot reach Google Calendar" in report.as_text()
    report.checks.append(Check("sign-in", False, "not signed in", "sign in", ExitCode.SIGN_IN))
    assert report.exit_code == ExitCode.SIGN_IN
