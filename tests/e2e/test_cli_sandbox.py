"""The commands a librarian runs, end to end against the sandbox through the real client."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result
from support import witness
from support.behaviors import DOCS_EDGES, READING_MEETINGS, sweep, sweep_together

from gworkflow.cli import cli
from gworkflow.cli._common import App
from gworkflow.config import EXAMPLE_CONFIG
from gworkflow.errors import ExitCode
from gworkflow.google.clients import build_clients
from gworkflow.sandbox.people import People
from gworkflow.sandbox.server import Sandbox

NOW = dt.datetime(2026, 11, 27, 15, 0, tzinfo=dt.UTC)


class Gworkflow:
    """Runs `gworkflow ...` against the sandbox at a chosen moment."""

    def __init__(self, sb: Sandbox, config: Path) -> None:
        self.sb = sb
        self.config = config
        self.now = NOW

    def __call__(self, *args: str) -> Result:
        app = App(api_endpoint=self.sb.base_url, clock=lambda: self.now)
        return CliRunner().invoke(cli, list(args), obj=app, catch_exceptions=False)

    def json(self, *args: str) -> Any:
        result = self(*args, "--json")
        assert result.exit_code == 0, result.output
        return json.loads(result.stdout)

    def doc_id(self) -> str:
        return str(self.json("config", "check")["series"][0]["doc_id"])


@pytest.fixture
def gw(sb: Sandbox, config_file: Path) -> Gworkflow:
    return Gworkflow(sb, config_file)


def test_doc_create_shares_and_records_the_id_keeping_comments(gw: Gworkflow) -> None:
    result = gw("doc", "create")
    assert result.exit_code == 0, result.output
    doc_id = gw.doc_id()
    # Against a sandbox, the link is the sandbox's own view of the doc (not Google's).
    assert doc_id and f"{gw.sb.base_url}/view/documents/{doc_id}" in result.output
    assert gw.config.read_text() == EXAMPLE_CONFIG.replace('doc_id = ""', f'doc_id = "{doc_id}"')
    shared = {p["emailAddress"] for p in gw.sb.drive.permissions[doc_id]}
    assert shared == {"ruth@example.edu", "heather@example.org"}
    again = gw("doc", "create")
    assert again.exit_code == ExitCode.USAGE and "already has doc_id" in again.output


def test_doc_create_does_not_share_with_the_signed_in_account(gw: Gworkflow) -> None:
    # The sandbox's signed-in account is you@example.com: here that is Ruth.
    gw.config.write_text(EXAMPLE_CONFIG.replace("ruth@example.edu", "you@example.com"))
    result = gw("doc", "create", "--json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["shared_with"] == ["heather@example.org"]
    assert [n["emailAddress"] for n in gw.sb.drive.notifications] == ["heather@example.org"]


def test_doc_create_dry_run_creates_nothing(gw: Gworkflow) -> None:
    result = gw("doc", "create", "--dry-run")
    assert result.exit_code == 0 and "Would create the doc" in result.output
    assert gw.sb.docs.summaries() == [] and gw.doc_id() == ""


def test_doc_create_no_share(gw: Gworkflow) -> None:
    assert gw("doc", "create", "--no-share").exit_code == 0
    assert gw.sb.drive.notifications == []


@sweep(*READING_MEETINGS)
def test_event_create_is_idempotent_and_schedule_follows_the_calendar(gw: Gworkflow) -> None:
    assert gw("doc", "create").exit_code == 0
    dry = gw("event", "create", "--dry-run")
    assert dry.exit_code == 0 and "Would create" in dry.output
    assert gw.sb.calendar.summaries() == []
    first = gw("event", "create")
    assert first.exit_code == 0 and "Created the event" in first.output
    second = gw("event", "create")
    assert second.exit_code == 0 and "already exists" in second.output
    assert len(gw.sb.calendar.summaries()) == 1
    event = gw.json("event", "show")["event"]
    assert event["location"] == "https://zoom.us/j/85512345678?pwd=abc"
    assert gw.doc_id() in event["description"]

    dry_skip = gw("event", "skip", "2027-01-12", "--dry-run")
    assert dry_skip.exit_code == 0 and "Would cancel (dry run)" in dry_skip.output
    assert gw.json("schedule", "--count", "2")[1]["status"] == "confirmed"
    dry_delete = gw("event", "delete", "--dry-run")
    assert dry_delete.exit_code == 0 and "Would delete (dry run)" in dry_delete.output
    assert len(gw.sb.calendar.summaries()) == 1
    assert gw("event", "skip", "2027-01-12").exit_code == 0
    dry_move = gw.json("event", "move", "2027-02-09", "--to", "2027-02-10T15:00", "--dry-run")
    assert dry_move["event"]["start"]["dateTime"] == "2027-02-10T15:00:00-06:00"
    assert gw.json("schedule", "--count", "3")[2]["status"] == "confirmed"
    assert gw("event", "move", "2027-02-09", "--to", "2027-02-10T15:00").exit_code == 0
    meetings = gw.json("schedule", "--count", "4")
    assert [(m["start"], m["status"]) for m in meetings] == [
        ("2026-12-08T14:00:00-06:00", "confirmed"),
        ("2027-01-12T14:00:00-06:00", "cancelled"),
        ("2027-02-10T15:00:00-06:00", "moved"),
        ("2027-03-09T14:00:00-06:00", "confirmed"),
    ]
    assert meetings[0]["local"] == {
        "Ruth": "2026-12-08T15:00:00-05:00",
        "Heather": "2026-12-08T14:00:00-06:00",
    }
    offline = gw.json("schedule", "--count", "2", "--offline")
    assert offline[1]["status"] == "confirmed"  # the rule alone knows nothing of the skip


# At the end every insertion is strictly inside the last section's range: the edges are not
# expected to matter, so both move at once (the top variant below sweeps them one by one).
@sweep_together(*DOCS_EDGES)
def test_three_months_carry_goals_forward_and_reruns_change_nothing(gw: Gworkflow) -> None:
    assert gw("doc", "create").exit_code == 0
    doc_id = gw.doc_id()
    people = People(gw.sb.base_url, doc_id)
    meetings = [dt.date(2026, 12, 8), dt.date(2027, 1, 12), dt.date(2027, 2, 9)]
    goals = {0: "Submit the IRDL application", 1: "Pilot the survey"}
    for month, meeting in enumerate(meetings):
        gw.now = dt.datetime.combine(meeting, dt.time(12), dt.UTC) - dt.timedelta(days=3)
        run = gw("run", "--json")
        assert run.exit_code == 0, run.output
        assert json.loads(run.stdout)[0]["action"] == "appended"
        before = gw.sb.docs.get(doc_id, True)
        rerun = gw.json("run")
        assert rerun[0]["action"] == "exists"
        again = gw("agenda", "append")
        assert again.exit_code == 0 and "already in the doc; nothing changed" in again.output
        assert gw.sb.docs.get(doc_id, True) == before
        if month in goals:
            people.type_items(meeting, ("Ruth", "Goals"), [goals[month]])
        if month == 1:
            # Before February's meeting Ruth types a check mark in front of her goal.
            people.mark_done(meeting, ("Ruth", "Goals"), goals[1])

    # Read from the doc's JSON directly: one marked, dated section a month, each carrying
    # the goals typed under the previous one as its Achievements.
    doc = gw.sb.docs.get(doc_id, True)
    assert witness.marked_days(doc, "ruth-heather") == meetings
    assert [witness.heading_count(doc, f"({m})") for m in meetings] == [1, 1, 1]
    assert witness.text_under(doc, "2026-12-08", ("Ruth", "Goals")) == [goals[0]]
    # January: the prompt says what was planned; December's unfinished goal is offered again
    # under Goals with the day it was set, and Ruth typed (and then ticked off) a new one.
    assert witness.text_under(doc, "2027-01-12", ("Ruth", "Achievements")) == [
        "Planned on 8 December: 1 goal. Mark it ✅ under Goals when done.",
        "",
    ]
    assert witness.text_under(doc, "2027-01-12", ("Ruth", "Goals")) == [
        f"{goals[0]} (since 8 Dec)",
        "✅ Pilot the survey",
    ]
    # February: the done goal is an achievement, once, shown done; the open one lives on.
    assert witness.text_under(doc, "2027-02-09", ("Ruth", "Achievements")) == [
        "Planned on 12 January: 2 goals, 1 done. Mark the rest ✅ under Goals when done.",
        "✅ Pilot the survey",
        "",
    ]
    assert witness.text_under(doc, "2027-02-09", ("Ruth", "Goals")) == [
        f"{goals[0]} (since 8 Dec)",
        "",
    ]
    assert witness.text_under(doc, "2027-02-09", ("Heather", "Achievements")) == [""]

    carried = gw.json("goals")
    assert carried["meeting"] == "2027-02-09"
    # February's section carried January's goal; what is latest now is February's.
    text = gw.json("doc", "show")["text"]
    assert text.count("(2026-12-08)") == 1 and text.count("(2027-02-09)") == 1
    january = text.split("(2027-01-12)")[1].split("(2027-02-09)")[0]
    february = text.split("(2027-02-09)")[1]
    # An unfinished goal is offered again under Goals, with the day it was set.
    assert "• Submit the IRDL application (since 8 Dec)" in january.split("\nGoals\n")[1]
    assert "• Submit the IRDL application (since 8 Dec)" in february.split("\nGoals\n")[1]
    # A goal marked done comes back once, as an achievement shown done.
    assert "• ✅ Pilot the survey" in february.split("\nGoals\n")[0]
    assert "Pilot the survey" not in february.split("\nGoals\n")[1]
    assert carried["participants"][0]["name"] == "Ruth"


@sweep(*DOCS_EDGES)
def test_three_months_at_the_top_put_the_newest_first_and_carry_goals(gw: Gworkflow) -> None:
    assert gw("doc", "create").exit_code == 0
    gw.config.write_text(gw.config.read_text().replace('# position = "end"', 'position = "top"'))
    doc_id = gw.doc_id()
    people = People(gw.sb.base_url, doc_id)
    meetings = [dt.date(2026, 12, 8), dt.date(2027, 1, 12), dt.date(2027, 2, 9)]
    goals = {0: "Submit the IRDL application", 1: "Pilot the survey"}
    for month, meeting in enumerate(meetings):
        gw.now = dt.datetime.combine(meeting, dt.time(12), dt.UTC) - dt.timedelta(days=3)
        assert gw.json("run")[0]["action"] == "appended"
        before = gw.sb.docs.get(doc_id, True)
        assert gw.json("run")[0]["action"] == "exists"
        assert gw.sb.docs.get(doc_id, True) == before
        if month in goals:
            people.type_items(meeting, ("Ruth", "Goals"), [goals[month]])

    # Newest first, one marked and dated section a month, each carrying the goals typed
    # under the one before it (which sits below it in the doc).
    doc = gw.sb.docs.get(doc_id, True)
    assert witness.marked_days(doc, "ruth-heather") == meetings[::-1]
    assert [witness.heading_count(doc, f"({m})") for m in meetings] == [1, 1, 1]
    assert witness.text_under(doc, "2026-12-08", ("Ruth", "Goals")) == [goals[0]]
    # Each section offers the open goals of the one below it again, with the day they were set.
    assert witness.text_under(doc, "2027-01-12", ("Ruth", "Goals")) == [
        f"{goals[0]} (since 8 Dec)",
        goals[1],
    ]
    assert witness.text_under(doc, "2027-02-09", ("Ruth", "Achievements")) == [
        "Planned on 12 January: 2 goals. Mark each ✅ under Goals when done.",
        "",
    ]
    assert witness.text_under(doc, "2027-02-09", ("Ruth", "Goals")) == [
        f"{goals[0]} (since 8 Dec)",
        f"{goals[1]} (since 12 Jan)",
        "",
    ]
    headings = [p.text for p in witness.paragraphs(doc) if p.style == "HEADING_1"]
    assert [h[-12:] for h in headings] == ["(2027-02-09)", "(2027-01-12)", "(2026-12-08)"]
    carried = gw.json("goals")
    assert carried["meeting"] == "2027-02-09"
    # An older section still reads as itself: January's was built from December's goals
    # only, whatever the sections written above it since.
    january = gw("agenda", "preview", "--meeting", "2027-01-12")
    assert january.exit_code == 0, january.output
    ruth = january.output.split("Ruth")[1].split("Heather")[0]
    assert goals[0] in ruth and goals[1] not in ruth


def _as_invited_heather(gw: Gworkflow) -> None:
    """Ruth (a sandbox user) makes the doc and the event; then Heather, invited, runs
    gworkflow with the same config on her own account (her calendar holds her copy)."""
    for email in ("ruth@example.edu", "heather@example.org"):
        gw.sb.calendar.add_user(email)
    gw.sb.act_as("ruth@example.edu")
    assert gw("doc", "create").exit_code == 0
    assert gw("event", "create").exit_code == 0
    gw.sb.act_as("heather@example.org")


def test_an_invited_participant_can_run_and_read_the_schedule(gw: Gworkflow) -> None:
    _as_invited_heather(gw)
    meetings = gw.json("schedule", "--count", "2")
    assert [m["start"] for m in meetings] == [
        "2026-12-08T14:00:00-06:00",
        "2027-01-12T14:00:00-06:00",
    ]
    gw.now = dt.datetime(2026, 12, 3, 15, 0, tzinfo=dt.UTC)
    assert gw.json("run")[0]["action"] == "appended"
    assert len(gw.sb.calendar.summaries()) == 1  # still Ruth's one series


def test_an_invited_participant_never_creates_a_second_series(gw: Gworkflow) -> None:
    _as_invited_heather(gw)
    result = gw("event", "create")
    assert result.exit_code == 0, result.output
    assert len(gw.sb.calendar.summaries()) == 1
    assert "ruth@example.edu" in result.output  # says who organizes it


def test_preview_writes_nothing_and_shows_the_prompts(gw: Gworkflow) -> None:
    assert gw("doc", "create").exit_code == 0
    gw.sb.clear_requests()
    result = gw("agenda", "preview", "--meeting", "2027-01-12")
    assert result.exit_code == 0, result.output
    assert "TUESDAY 12 JANUARY 2027 (2027-01-12)" in result.output
    assert "Achievements" in result.output and "Upcoming Conferences" in result.output
    assert all(r["method"] == "GET" for r in gw.sb.requests_log())
    bad = gw("agenda", "preview", "--meeting", "2027-01-13")
    assert (
        bad.exit_code == ExitCode.FAILED
        and "no meeting of 'ruth-heather' on 2027-01-13" in bad.output
    )


def test_append_dry_run_and_json(gw: Gworkflow) -> None:
    assert gw("doc", "create").exit_code == 0
    dry = gw.json("agenda", "append", "--dry-run")
    assert dry["dry_run"] is True and dry["written"] is False and dry["meeting"] == "2026-12-08"
    assert "(2026-12-08)" in dry["text"]
    assert "2026-12-08" not in gw.json("doc", "show")["text"]
    written = gw.json("agenda", "append")
    assert written["written"] is True and written["marker"] == "gworkflow:ruth-heather:2026-12-08"


def test_goals_reads_a_saved_doc_offline(gw: Gworkflow, tmp_path: Path) -> None:
    assert gw("doc", "create").exit_code == 0
    assert gw("agenda", "append").exit_code == 0
    People(gw.sb.base_url, gw.doc_id()).type_items(
        dt.date(2026, 12, 8), ("Heather", "Goals"), ["Send the CFP"]
    )
    typed = gw.sb.docs.get(gw.doc_id(), True)
    assert witness.text_under(typed, "2026-12-08", ("Heather", "Goals")) == ["Send the CFP"]
    saved = tmp_path / "doc.json"
    saved.write_text(json.dumps(gw.sb.docs.get(gw.doc_id(), True)))
    gw.sb.clear_requests()
    carried = gw.json("goals", "--doc-json", str(saved))
    assert gw.sb.requests_log() == []
    assert carried["meeting"] == "2026-12-08"
    heather = carried["participants"][1]
    assert heather["name"] == "Heather"
    assert heather["goals"] == [
        {"text": "Send the CFP", "level": 0, "done": False, "since": "2026-12-08", "carried": 0}
    ]
    broken = tmp_path / "broken.json"
    broken.write_text("{")
    result = gw("goals", "--doc-json", str(broken))
    assert (
        result.exit_code == ExitCode.USAGE and "not a documents.get JSON response" in result.output
    )


def test_a_deleted_doc_is_one_line_and_exit_1(gw: Gworkflow) -> None:
    assert gw("doc", "create").exit_code == 0
    gw.sb.docs.delete(gw.doc_id())
    result = gw("agenda", "append")
    assert result.exit_code == ExitCode.FAILED
    assert len(result.output.strip().splitlines()) == 1
    assert "gworkflow doc create" in result.output


def test_a_template_error_names_the_file_and_line(gw: Gworkflow) -> None:
    template = gw.config.parent / "mine.md.j2"
    template.write_text("# {{ meeting.key }}\n\n{{ meeting.room }}\n")
    gw.config.write_text(
        EXAMPLE_CONFIG.replace('# template = "agenda.md.j2"', 'template = "mine.md.j2"')
    )
    result = gw("agenda", "preview")
    assert result.exit_code == ExitCode.USAGE
    assert result.output.strip().splitlines() == [
        f"Error: template {template}, line 3: 'dict object' has no attribute 'room'"
    ]


def test_run_without_sign_in_exits_3_without_prompting(config_file: Path) -> None:
    config_file.write_text(EXAMPLE_CONFIG.replace('doc_id = ""', 'doc_id = "abc"'))
    result = CliRunner().invoke(cli, ["run"], input="")
    assert result.exit_code == ExitCode.SIGN_IN
    assert result.output.strip().splitlines() == [
        "Error: not signed in: run `gworkflow auth login`"
    ]


def test_run_all_reports_each_series_and_the_worst_exit_code(gw: Gworkflow) -> None:
    assert gw("doc", "create").exit_code == 0
    second = EXAMPLE_CONFIG.split("[[series]]", 1)[1].replace("ruth-heather", "ana-bo")
    gw.config.write_text(gw.config.read_text() + "\n[[series]]" + second)
    result = gw("run", "--all", "--json")
    assert result.exit_code == ExitCode.USAGE  # ana-bo has no doc yet
    rows = {row["series"]: row for row in json.loads(result.stdout)}
    assert rows["ruth-heather"]["action"] == "not-yet"
    assert (
        rows["ana-bo"]["action"] == "failed" and "gworkflow doc create" in rows["ana-bo"]["message"]
    )


def test_doctor_passes_on_a_healthy_setup_and_names_the_fix_otherwise(gw: Gworkflow) -> None:
    assert gw("doc", "create").exit_code == 0
    missing_event = gw("doctor")
    assert missing_event.exit_code == ExitCode.FAILED
    assert "fix: run `gworkflow event create`" in missing_event.output
    assert gw("event", "create").exit_code == 0
    assert gw("run").exit_code == 0  # the daily job has run: doctor reads its outcome
    healthy = gw.json("doctor")
    assert healthy["ok"] is True, healthy
    names = [check["name"] for check in healthy["checks"]]
    assert names == [
        "config",
        "ruth-heather: template",
        "sign-in",
        "ruth-heather: running doc",
        "ruth-heather: calendar event",
        "ruth-heather: participants",
        "ruth-heather: last run",
    ]


def test_cron_print_uses_absolute_paths(gw: Gworkflow, isolated_home: Path) -> None:
    result = gw("cron", "print", "--at", "06:05")
    line = result.output.strip().splitlines()[-1]
    assert line.startswith("5 6 * * * ")
    assert f"GWORKFLOW_HOME={isolated_home.resolve()}" in line
    assert " run --all --log-file " in line
    command = line.split()[6]
    assert Path(command).is_absolute()


def test_demo_plays_three_months() -> None:
    result = CliRunner().invoke(cli, ["demo", "--json"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    body = json.loads(result.stdout)
    actions = [run["action"] for run in body["runs"]]
    assert actions == ["appended", "exists"] * 3
    assert body["runs"][0]["event_created"] is False  # the demo created it up front
    # The note at the top, then three sections of two people each.
    assert body["doc_text"].startswith("How this doc works\n")
    assert body["doc_text"].count("\nAchievements\n") == 6
    assert "✅ Submit the IRDL application" in body["doc_text"]


def test_zoom_create_writes_the_new_meeting_into_the_config(
    gw: Gworkflow, monkeypatch: pytest.MonkeyPatch
) -> None:
    dry = gw("zoom", "create", "--dry-run")
    assert (
        dry.exit_code == 0
        and '"monthly_week": 2' in dry.output
        and '"monthly_week_day": 3' in dry.output
    )
    missing = gw("zoom", "create")
    assert missing.exit_code == ExitCode.USAGE and "ZOOM_ACCOUNT_ID" in missing.output
    monkeypatch.setenv("ZOOM_ACCOUNT_ID", "acct")
    monkeypatch.setenv("ZOOM_CLIENT_ID", "client")
    monkeypatch.setenv("ZOOM_CLIENT_SECRET", "s3cret-value")
    monkeypatch.setenv("ZOOM_OAUTH_BASE", gw.sb.base_url + "/zoom")
    monkeypatch.setenv("ZOOM_API_BASE", gw.sb.base_url + "/zoom/v2")
    result = gw("zoom", "create")
    assert result.exit_code == 0, result.output
    assert "s3cret-value" not in result.output
    conference = gw.json("config", "check")["series"][0]
    assert conference["conference"] == "zoom"
    text = gw.config.read_text()
    assert 'join_url = "https://zoom.us/j/' in text and "85512345678" not in text
    assert "# zoom | meet | none" in text  # the user's comments survive


@sweep("named_range_insert_at_start")
def test_tab_and_top_position_put_the_newest_section_first_in_that_tab(gw: Gworkflow) -> None:
    assert gw("doc", "create").exit_code == 0
    doc_id = gw.doc_id()
    docs = build_clients(None, gw.sb.base_url).docs
    docs.documents().batchUpdate(
        documentId=doc_id,
        body={"requests": [{"addDocumentTab": {"tabProperties": {"title": "2026"}}}]},
    ).execute()
    text = gw.config.read_text().replace('# tab = "2026"', 'tab = "2026"')
    gw.config.write_text(text.replace('# position = "end"', 'position = "top"'))
    created = gw.sb.docs.get(doc_id, True)["tabs"][0]["documentTab"]["body"]["content"]
    for meeting in (dt.date(2026, 12, 8), dt.date(2027, 1, 12)):
        gw.now = dt.datetime.combine(meeting, dt.time(12), dt.UTC) - dt.timedelta(days=2)
        assert gw.json("run")[0]["action"] == "appended"
    doc = gw.sb.docs.get(doc_id, True)
    first_tab, year_tab = (tab["documentTab"]["body"]["content"] for tab in doc["tabs"])
    assert first_tab == created  # as `doc create` left it (its note on top): untouched
    headings = [
        "".join(e["textRun"]["content"] for e in p["paragraph"]["elements"])
        for p in year_tab
        if p.get("paragraph", {}).get("paragraphStyle", {}).get("namedStyleType") == "HEADING_1"
    ]
    assert [h.rstrip("\n")[-12:] for h in headings] == ["(2027-01-12)", "(2026-12-08)"]
    # Carry-forward still picks the latest by date, not by position.
    assert gw.json("goals")["meeting"] == "2027-01-12"
