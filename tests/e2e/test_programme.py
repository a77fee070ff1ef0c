"""A programme of many series against the sandbox: `run --all`, `doc create --all`,
`event create --all` — paced, concurrent, one failure never stopping the others."""

from __future__ import annotations

import io
import json
import re
import sys
import urllib.request
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from support import witness
from support.programme import FAST_LIMITS, blank_docs, programme_config, series_id
from support.scenarios import BEFORE_WINDOW, IN_WINDOW, MEETING

from gworkflow.cli import cli
from gworkflow.cli._common import App
from gworkflow.cli._programme import progress_bar
from gworkflow.errors import ExitCode
from gworkflow.google.clients import build_clients
from gworkflow.programme import Progress
from gworkflow.sandbox.server import Sandbox


class Gworkflow:
    def __init__(self, sb: Sandbox, config: Path) -> None:
        self.sb = sb
        self.config = config
        self.now = IN_WINDOW

    def __call__(self, *args: str) -> Result:
        app = App(config_path=self.config, api_endpoint=self.sb.base_url, clock=lambda: self.now)
        return CliRunner().invoke(cli, list(args), obj=app, catch_exceptions=False)


@pytest.fixture
def gw(sb: Sandbox, isolated_home: Path) -> Gworkflow:
    return Gworkflow(sb, isolated_home / "config.toml")


def ten_series(gw: Gworkflow) -> list[str]:
    """Ten series with docs; pair-003 has no doc yet and pair-007's doc was deleted."""
    doc_ids = blank_docs(gw.sb, 10)
    gone = doc_ids[6]
    doc_ids[2] = ""
    gw.config.write_text(programme_config(doc_ids, FAST_LIMITS))
    gw.sb.docs.delete(gone)
    return doc_ids


def table(output: str) -> dict[str, int]:
    """The summary table at the top of the output: label -> count."""
    rows: dict[str, int] = {}
    for line in output.splitlines():
        match = re.fullmatch(r"(\S.*?)\s{2,}(\d+)", line)
        if match is None:
            break
        rows[match[1]] = int(match[2])
    return rows


def events(gw: Gworkflow) -> list[dict[str, object]]:
    """The recurring events (masters) on the primary calendar, as Calendar lists them."""
    calendar = build_clients(None, gw.sb.base_url).calendar
    items = calendar.events().list(calendarId="primary").execute().get("items", [])
    return [item for item in items if not item.get("recurringEventId")]


def sections(gw: Gworkflow, doc_id: str) -> int:
    return witness.marker_count(gw.sb.docs.get(doc_id, True), series_id_of(gw, doc_id), MEETING)


def series_id_of(gw: Gworkflow, doc_id: str) -> str:
    for line_no, line in enumerate(gw.config.read_text().splitlines()):
        if line == f'doc_id = "{doc_id}"':
            before = gw.config.read_text().splitlines()[:line_no]
            return next(x for x in reversed(before) if x.startswith("id = ")).split('"')[1]
    raise AssertionError(doc_id)


def test_run_all_appends_everywhere_but_the_failures_and_exits_with_the_worst(
    gw: Gworkflow,
) -> None:
    doc_ids = ten_series(gw)
    result = gw("run", "--all")
    # pair-003 is a config problem (2), pair-007 a Google failure (1): the worst is 2.
    assert result.exit_code == ExitCode.USAGE, result.output
    lines = result.stdout.splitlines()
    assert table(result.stdout) == {
        "appended": 8,
        "already there": 0,
        "not yet due": 0,
        "failed": 2,
    }
    # Every series with a doc got its event, the one whose doc is gone too (its run failed
    # after creating it, so the summary's count, from the successful runs, says 8).
    assert "Created 8 calendar event(s)." in lines
    assert len(events(gw)) == 9
    # The failures follow the table, one line each, on stderr (where cron's mail and a
    # person at a terminal see them).
    failures = [line for line in result.stderr.splitlines() if line.startswith("Error: ")]
    assert len(failures) == 2
    assert failures[0].startswith("Error: pair-003: ") and "gworkflow doc create" in failures[0]
    assert failures[1].startswith("Error: pair-007: could not read Google Doc")
    for index, doc_id in enumerate(doc_ids):
        if index not in (2, 6):
            assert sections(gw, doc_id) == 1, series_id(index)
    assert "left" not in result.stderr  # no progress bar: not a terminal


def test_a_second_run_finds_every_section_already_there(gw: Gworkflow) -> None:
    doc_ids = ten_series(gw)
    assert gw("run", "--all").exit_code == ExitCode.USAGE
    again = gw("run", "--all", "--json")
    rows = json.loads(again.stdout)
    assert [row["series"] for row in rows] == [series_id(i) for i in range(10)]  # config order
    actions = [row["action"] for row in rows]
    assert actions.count("exists") == 8 and actions.count("failed") == 2
    assert not any(row["event_created"] for row in rows)
    assert again.exit_code == ExitCode.USAGE
    for index, doc_id in enumerate(doc_ids):
        if index not in (2, 6):
            assert sections(gw, doc_id) == 1


def test_before_the_window_nothing_is_due(gw: Gworkflow) -> None:
    gw.config.write_text(programme_config(blank_docs(gw.sb, 4), FAST_LIMITS))
    gw.now = BEFORE_WINDOW
    result = gw("run", "--all")
    assert result.exit_code == 0, result.output
    assert table(result.stdout) == {
        "appended": 0,
        "already there": 0,
        "not yet due": 4,
        "failed": 0,
    }
    assert "Error: " not in result.stderr


def test_run_all_dry_run_writes_nothing(gw: Gworkflow) -> None:
    doc_ids = blank_docs(gw.sb, 3)
    gw.config.write_text(programme_config(doc_ids, FAST_LIMITS))
    result = gw("run", "--all", "--dry-run")
    assert result.exit_code == 0, result.output
    assert table(result.stdout)["would append (dry run)"] == 3
    assert all(sections(gw, doc_id) == 0 for doc_id in doc_ids)
    assert events(gw) == []


def test_doc_create_all_creates_the_missing_docs_and_keeps_the_config_comments(
    gw: Gworkflow,
) -> None:
    existing = blank_docs(gw.sb, 1)[0]
    gw.config.write_text(programme_config([existing, "", "", ""], FAST_LIMITS))
    result = gw("doc", "create", "--all")
    assert result.exit_code == 0, result.output
    assert table(result.stdout) == {"created": 3, "already there": 1, "failed": 0}
    text = gw.config.read_text()
    assert text.startswith("# A mentoring programme\n")
    doc_ids = [line.split('"')[1] for line in text.splitlines() if line.startswith("doc_id")]
    assert doc_ids[0] == existing and all(doc_ids) and len(set(doc_ids)) == 4
    for doc_id in doc_ids[1:]:
        shared = {p["emailAddress"] for p in gw.sb.drive.permissions[doc_id]}
        assert len(shared) == 2
    again = gw("doc", "create", "--all", "--json")
    assert [row["action"] for row in json.loads(again.stdout)] == ["exists"] * 4


def test_event_create_all_creates_each_event_once(gw: Gworkflow) -> None:
    gw.config.write_text(programme_config(blank_docs(gw.sb, 5), FAST_LIMITS))
    first = gw("event", "create", "--all", "--no-invites")
    assert first.exit_code == 0, first.output
    assert table(first.stdout) == {"created": 5, "already there": 0, "failed": 0}
    second = gw("event", "create", "--all")
    assert table(second.stdout) == {"created": 0, "already there": 5, "failed": 0}
    assert len(events(gw)) == 5


def test_all_and_series_together_are_a_usage_error(gw: Gworkflow) -> None:
    gw.config.write_text(programme_config(blank_docs(gw.sb, 2), FAST_LIMITS))
    for command in (("doc", "create"), ("event", "create")):
        result = gw(*command, "--all", "--series", "pair-001")
        assert result.exit_code == ExitCode.USAGE
        assert "not both" in result.output


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_the_progress_bar_shows_done_left_and_the_time_left(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    terminal = Terminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    with progress_bar(10, "run", enabled=True) as report:
        report(Progress(3, 10, 125.0))
    shown = terminal.getvalue()
    assert "3/10" in shown and "7 left, about 2m 05s" in shown


def test_no_progress_bar_when_not_enabled(monkeypatch: pytest.MonkeyPatch) -> None:
    terminal = Terminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    with progress_bar(10, "run", enabled=False) as report:
        report(Progress(3, 10, 125.0))
    assert terminal.getvalue() == ""


def quotas(gw: Gworkflow, settings: dict[str, object]) -> dict[str, object]:
    """POST /_sandbox/quotas (the sandbox's per-user quotas), returning the settings."""
    request = urllib.request.Request(
        gw.sb.base_url + "/_sandbox/quotas",
        data=json.dumps(settings).encode(),
        method="POST",
        headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=30) as answer:
        body: dict[str, object] = json.loads(answer.read())
    return body


def refused(gw: Gworkflow) -> int:
    with urllib.request.urlopen(gw.sb.base_url + "/_sandbox/quotas", timeout=30) as answer:
        counts = json.loads(answer.read())["refused"]
    return sum(int(n) for n in counts.values())


# Two Docs writes a second; the paced config stays under it (with room for the jitter of a
# loaded test machine: the sandbox measures arrival times), the unpaced one is far above it.
TIGHT = {"window_seconds": 1, "docs_write": 2, "docs_read": 100, "calendar": 1000}
MATCHING = {**FAST_LIMITS, "docs_write_per_minute": 100}
UNPACED = {**FAST_LIMITS, "docs_write_per_minute": 1_000_000}


def test_paced_run_all_gets_no_rate_limit_answers(gw: Gworkflow) -> None:
    doc_ids = blank_docs(gw.sb, 6)
    gw.config.write_text(programme_config(doc_ids, MATCHING))
    quotas(gw, TIGHT)
    result = gw("run", "--all")
    assert result.exit_code == 0, result.output
    assert refused(gw) == 0
    assert "slow down" not in result.stdout
    assert all(sections(gw, doc_id) == 1 for doc_id in doc_ids)


def test_unpaced_rate_limit_answers_are_retried_and_counted(gw: Gworkflow) -> None:
    doc_ids = blank_docs(gw.sb, 6)
    gw.config.write_text(programme_config(doc_ids, UNPACED))
    quotas(gw, TIGHT)
    result = gw("run", "--all")
    assert result.exit_code == 0, result.output
    count = refused(gw)
    assert count > 0  # the sandbox refused some writes ...
    # ... and the summary counts every rate-limit answer the run received.
    assert f"Google asked to slow down {count} time(s)" in result.stdout
    assert all(sections(gw, doc_id) == 1 for doc_id in doc_ids)  # retried, written once
