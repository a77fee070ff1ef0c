"""`gworkflow status` over a small programme played against the sandbox: two months of
sections, one pair typing, one pair gone quiet, one without a doc, one whose doc is gone."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result
from support.programme import FAST_LIMITS, blank_docs, programme_config, series_id
from support.scenarios import IN_WINDOW

from gworkflow.cli import cli
from gworkflow.cli._common import App
from gworkflow.errors import ExitCode
from gworkflow.sandbox.people import People
from gworkflow.sandbox.server import Sandbox

JANUARY_RUN = dt.datetime(2027, 1, 6, 15, 0, tzinfo=dt.UTC)  # inside the 2027-01-12 window
LOOK = dt.datetime(2027, 1, 20, 15, 0, tzinfo=dt.UTC)


class Programme:
    def __init__(self, sb: Sandbox, config: Path) -> None:
        self.sb = sb
        self.config = config

    def __call__(self, now: dt.datetime, *args: str) -> Result:
        app = App(config_path=self.config, api_endpoint=self.sb.base_url, clock=lambda: now)
        return CliRunner().invoke(cli, list(args), obj=app, catch_exceptions=False)


@pytest.fixture
def programme(sb: Sandbox, isolated_home: Path) -> tuple[Programme, list[str]]:
    """pair-001 types, pair-002 never does, pair-003 has no doc, pair-004's doc is gone."""
    doc_ids = blank_docs(sb, 4)
    doc_ids[2] = ""
    config = isolated_home / "config.toml"
    config.write_text(programme_config(doc_ids, FAST_LIMITS))
    gw = Programme(sb, config)
    assert gw(IN_WINDOW, "run", "--all").exit_code == ExitCode.USAGE  # pair-003: no doc
    ruth = People(sb.base_url, doc_ids[0])
    ruth.type_items(
        "2026-12-08", ["Ruth", "Goals"], ["Submit the IRDL application", "Draft the survey"]
    )
    ruth.type_items("2026-12-08", ["Heather", "Goals"], ["Send the CFP"])
    ruth.mark_done("2026-12-08", ["Ruth", "Goals"], "Draft the survey")
    assert gw(JANUARY_RUN, "run", "--all").exit_code == ExitCode.USAGE
    ruth.type_items("2027-01-12", ["Ruth", "Goals"], ["Finish the survey"])
    sb.docs.delete(doc_ids[3])
    return gw, doc_ids


def rows(result: Result) -> dict[str, Any]:
    return {row["series"]: row for row in json.loads(result.stdout)}


def test_status_all_one_line_per_series(programme: tuple[Programme, list[str]]) -> None:
    gw, _ = programme
    result = gw(LOOK, "status", "--all", "--json")
    assert result.exit_code == ExitCode.FAILED  # pair-004's doc is gone
    found = rows(result)
    assert list(found) == [series_id(i) for i in range(4)]
    active, quiet, no_doc, gone = found.values()
    assert active["next_meeting"] == "2027-02-09T14:00:00-06:00"
    assert active["next_meeting_source"] == "calendar"
    assert active["latest_section"] == "2027-01-12"
    assert active["typed"] == "yes"
    # Goals live until done: the IRDL application and the CFP, carried, and the new survey.
    assert active["open_goals"] == 3
    assert active["done_last_3_months"] == 1  # "Draft the survey", marked done in December
    assert active["quiet"] is False
    assert quiet["latest_section"] == "2027-01-12"
    assert quiet["typed"] == "no" and quiet["quiet"] is True
    assert quiet["open_goals"] == 0 and quiet["done_last_3_months"] == 0
    assert no_doc["has_doc"] is False and no_doc["latest_section"] is None
    assert no_doc["next_meeting"] == "2027-02-09T14:00:00-06:00"  # from the schedule rule
    assert no_doc["next_meeting_source"] == "schedule"
    assert gone["exit_code"] == ExitCode.FAILED
    assert gone["problem"].startswith("could not read Google Doc")


def test_status_reads_each_doc_once_and_each_calendar_once(
    programme: tuple[Programme, list[str]],
) -> None:
    gw, doc_ids = programme
    gw.sb.clear_requests()
    gw(LOOK, "status", "--all")
    log = gw.sb.requests_log()
    for doc_id in (doc_ids[0], doc_ids[1], doc_ids[3]):
        assert sum(1 for r in log if r["method"] == "GET" and r["path"].endswith(doc_id)) == 1
    assert not any(r["method"] != "GET" for r in log)  # status never writes
    instances = [r for r in log if r["path"].endswith("/instances")]
    assert len(instances) == 4  # one per series (pair-003 has no event: one more lookup)


def test_status_text_flags_quiet_pairs_and_failures(programme: tuple[Programme, list[str]]) -> None:
    gw, _ = programme
    result = gw(LOOK, "status", "--all")
    lines = result.stdout.splitlines()
    assert lines[0].split() == [
        "series", "next", "meeting", "latest", "section", "typed", "open", "goals", "done", "3", "mo",
    ]  # fmt: skip
    assert lines[1].split()[:8] == [
        "pair-001", "Tue", "2027-02-09", "14:00", "2027-01-12", "yes", "3", "1",
    ]  # fmt: skip
    assert lines[2].endswith("quiet: nothing typed in the last two sections")
    assert lines[3].endswith("no doc yet (gworkflow doc create)")
    assert "failed: could not read Google Doc" in lines[4]
    assert lines[5] == "4 series, 1 quiet."


def test_status_csv(programme: tuple[Programme, list[str]]) -> None:
    gw, _ = programme
    result = gw(LOOK, "status", "--all", "--csv")
    table = list(csv.DictReader(io.StringIO(result.stdout)))
    assert [row["series"] for row in table] == [series_id(i) for i in range(4)]
    assert table[0]["typed"] == "yes" and table[0]["open_goals"] == "3"
    assert table[1]["quiet"] == "true" and table[0]["quiet"] == "false"
    assert table[2]["latest_section"] == "" and table[3]["problem"].startswith("could not read")


def test_an_edited_prompt_counts_as_typed(sb: Sandbox, isolated_home: Path) -> None:
    doc_id = blank_docs(sb, 1)[0]
    config = isolated_home / "config.toml"
    config.write_text(programme_config([doc_id], FAST_LIMITS))
    gw = Programme(sb, config)
    gw(IN_WINDOW, "run", "--all")
    people = People(sb.base_url, doc_id)
    people.type_items("2026-12-08", ["Ruth", "Goals"], ["Submit the IRDL application"])
    gw(JANUARY_RUN, "run", "--all")
    fresh = rows(gw(JANUARY_RUN, "status", "--series", series_id(0), "--json"))[series_id(0)]
    assert fresh["typed"] == "no"  # the January section is as gworkflow wrote it
    # The goal carried into January, marked done there: a person typed.
    people.mark_done("2027-01-12", ["Ruth", "Goals"], "Submit the IRDL application (since 8 Dec)")
    marked = rows(gw(JANUARY_RUN, "status", "--series", series_id(0), "--json"))[series_id(0)]
    assert marked["typed"] == "yes"
