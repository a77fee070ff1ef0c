"""Against the sandbox, through the CLI: a moved meeting's section, the link to the previous
meeting, lead_days by calendar day, the note `doc create` writes, and `goals` as text.

Everything is checked on the raw `documents.get` JSON with the small readers below (by
marker, heading style, headingId and link), never with gworkflow's own parser.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from gworkflow.cli import cli
from gworkflow.cli._common import App
from gworkflow.sandbox.people import People
from gworkflow.sandbox.server import Sandbox

JSON = dict[str, Any]
NOTE = "gworkflow:how-this-doc-works"


class Gworkflow:
    """`gworkflow ...` against the sandbox at a chosen moment."""

    def __init__(self, sb: Sandbox) -> None:
        self.sb = sb

    def __call__(self, *args: str, now: str = "2026-11-27T15:00Z") -> Result:
        moment = dt.datetime.fromisoformat(now)
        app = App(api_endpoint=self.sb.base_url, clock=lambda: moment)
        return CliRunner().invoke(cli, list(args), obj=app, catch_exceptions=False)

    def json(self, *args: str, now: str = "2026-11-27T15:00Z") -> Any:
        result = self(*args, "--json", now=now)
        assert result.exit_code == 0, result.output
        return json.loads(result.stdout)

    def run(self, now: str) -> JSON:
        """`gworkflow run --now NOW`: this series' outcome."""
        (outcome,) = self.json("run", "--now", now)
        return dict(outcome)


@pytest.fixture
def gw(sb: Sandbox, config_file: Path) -> Gworkflow:
    return Gworkflow(sb)


# --- reading the raw JSON ---------------------------------------------------------------


def body(doc: JSON) -> list[JSON]:
    content: list[JSON] = doc["tabs"][0]["documentTab"]["body"]["content"]
    return [element for element in content if "paragraph" in element]


def text(element: JSON) -> str:
    runs = element["paragraph"]["elements"]
    return "".join(r.get("textRun", {}).get("content", "") for r in runs).removesuffix("\n")


def style(element: JSON) -> str:
    return str(element["paragraph"].get("paragraphStyle", {}).get("namedStyleType"))


def heading_id(element: JSON) -> str | None:
    found = element["paragraph"].get("paragraphStyle", {}).get("headingId")
    return str(found) if found else None


def linked_heading(element: JSON, words: str) -> str | None:
    """The heading id the run reading `words` links to (either form of a Docs heading
    link: `heading.id`, or the legacy `headingId`), or None."""
    for part in element["paragraph"]["elements"]:
        run = part.get("textRun", {})
        if run.get("content", "").rstrip("\n") == words:
            link = run.get("textStyle", {}).get("link", {})
            found = link.get("headingId") or link.get("heading", {}).get("id")
            return str(found) if found else None
    raise AssertionError(f"no run {words!r} in {text(element)!r}")


def marked(doc: JSON, name: str) -> list[JSON]:
    """The paragraphs inside the named range `name`, up to where another range starts."""
    ranges = doc["tabs"][0]["documentTab"].get("namedRanges", {})
    (entry,) = ranges[name]["namedRanges"]
    start = min(r["startIndex"] for r in entry["ranges"])
    end = max(r["endIndex"] for r in entry["ranges"])
    for other, value in ranges.items():
        for named in value["namedRanges"]:
            begins = min(r["startIndex"] for r in named["ranges"])
            if other != name and start < begins < end:
                end = begins
    return [p for p in body(doc) if start <= p["startIndex"] < end]


def named_range_count(doc: JSON, name: str) -> int:
    entry = doc["tabs"][0]["documentTab"].get("namedRanges", {}).get(name)
    return len(entry["namedRanges"]) if entry else 0


def doc_calls(sb: Sandbox, doc_id: str) -> list[str]:
    return [
        "batchUpdate" if e["path"].endswith(":batchUpdate") else e["method"]
        for e in sb.requests_log()
        if f"/documents/{doc_id}" in e["path"]
    ]


def doc_id_in_config(gw: Gworkflow) -> str:
    return str(gw.json("config", "check")["series"][0]["doc_id"])


# --- a moved meeting ----------------------------------------------------------------------


def test_a_moved_meeting_s_section_and_the_previous_meeting_links(gw: Gworkflow) -> None:
    sb = gw.sb
    assert gw("doc", "create", "--no-share").exit_code == 0
    doc_id = doc_id_in_config(gw)
    assert gw("event", "create", "--no-invites").exit_code == 0

    def doc() -> JSON:
        return sb.docs.get(doc_id, True)

    # December and January as scheduled (07:17 Chicago is 13:17 UTC in winter).
    assert gw.run("2026-12-01T13:17Z")["action"] == "appended"
    assert gw.run("2027-01-05T13:17Z")["action"] == "appended"
    (jan_heading, *_) = marked(doc(), "gworkflow:ruth-heather:2027-01-12")
    assert text(jan_heading) == "Peer mentoring check-in — Tuesday 12 January 2027 (2027-01-12)"

    # February's meeting moves from Tuesday 9 to Thursday 11 February, same time.
    moved = gw("event", "move", "2027-02-09", "--to", "2027-02-11T14:00", "--no-invites")
    assert moved.exit_code == 0, moved.output
    # Its agenda is due lead_days (7) before the day it now takes place: 4 February.
    early = gw.run("2027-02-03T13:17Z")
    assert early["action"] == "not-yet"
    assert (
        early["message"]
        == "ruth-heather: next meeting 2027-02-09: will add its agenda on 2027-02-04"
    )
    sb.clear_requests()
    written = gw.run("2027-02-04T13:17Z")
    assert (written["action"], written["meeting"]) == ("appended", "2027-02-09")
    assert doc_calls(sb, doc_id) == ["GET", "batchUpdate"]

    february = marked(doc(), "gworkflow:ruth-heather:2027-02-09")
    heading, moved_line, when = february[:3]
    # The heading shows the day it takes place; the scheduled day only on the next line.
    assert (style(heading), text(heading)) == (
        "HEADING_1",
        "Peer mentoring check-in — Thursday 11 February 2027 (2027-02-11)",
    )
    assert (style(moved_line), text(moved_line)) == (
        "NORMAL_TEXT",
        "(moved from Tuesday 9 February)",
    )
    assert text(when) == "Thursday 11 February, 14:00 Chicago · 15:00 New York"
    (previous,) = [p for p in february if text(p).startswith("Previous meeting")]
    assert text(previous) == "Previous meeting: Tuesday 12 January 2027"
    assert heading_id(jan_heading) is not None
    assert linked_heading(previous, "Tuesday 12 January 2027") == heading_id(jan_heading)

    # A later run, and a second move, never write the meeting's section twice.
    assert gw.run("2027-02-05T13:17Z")["action"] == "exists"
    again = gw("event", "move", "2027-02-09", "--to", "2027-02-10T09:00", "--no-invites")
    assert again.exit_code == 0, again.output
    assert gw.run("2027-02-06T13:17Z")["action"] == "exists"

    # Ruth sets a goal at the moved meeting.
    People(sb.base_url, doc_id).type_items("2027-02-11", ("Ruth", "Goals"), ["Draft the survey"])
    assert gw.run("2027-03-02T13:17Z")["action"] == "appended"
    march = marked(doc(), "gworkflow:ruth-heather:2027-03-09")
    (previous,) = [p for p in march if text(p).startswith("Previous meeting")]
    # It names the day the February meeting took place, and links to that section.
    assert text(previous) == "Previous meeting: Thursday 11 February 2027"
    assert linked_heading(previous, "Thursday 11 February 2027") == heading_id(heading)
    texts = [text(p) for p in march]
    assert "Draft the survey (since 11 Feb)" in texts
    assert "Planned on 11 February: 1 goal. Mark it ✅ under Goals when done." in texts
    assert not any("moved" in t for t in texts)


# --- lead_days by calendar day -----------------------------------------------------------


def test_the_daily_0717_run_adds_a_1400_meeting_s_section_lead_days_before(
    gw: Gworkflow,
) -> None:
    assert gw("doc", "create", "--no-share").exit_code == 0
    doc_id = doc_id_in_config(gw)
    assert gw("event", "create", "--no-invites").exit_code == 0
    # Tuesday 8 December, 14:00 Chicago; lead_days = 7; cron at 07:17 Chicago.
    day_before = gw.run("2026-11-30T13:17Z")
    assert day_before["action"] == "not-yet"
    assert day_before["message"] == (
        "ruth-heather: next meeting 2026-12-08: will add its agenda on 2026-12-01"
    )
    assert gw.run("2026-12-01T13:17Z")["action"] == "appended"
    assert named_range_count(gw.sb.docs.get(doc_id, True), "gworkflow:ruth-heather:2026-12-08") == 1
    # `schedule` says the same day for each meeting.
    meetings = gw.json("schedule", "--count", "2", now="2026-11-27T15:00Z")
    assert [m["agenda_on"] for m in meetings] == ["2026-12-01", "2027-01-05"]
    shown = gw("schedule", "--count", "2", now="2026-11-27T15:00Z").output
    assert "      agenda added: Tue 2026-12-01" in shown
    assert "      agenda added: Tue 2027-01-05" in shown


# --- the note at the top of a new doc ----------------------------------------------------


def note_count(doc: JSON) -> int:
    return sum(1 for p in body(doc) if text(p) == "How this doc works")


def test_doc_create_writes_the_note_once_at_the_top_of_each_new_doc(
    gw: Gworkflow, config_file: Path
) -> None:
    sb = gw.sb
    created = gw.json("doc", "create", "--no-share")
    first = created["doc_id"]
    doc = sb.docs.get(first, True)
    paras = body(doc)
    assert (style(paras[0]), text(paras[0])) == ("HEADING_2", "How this doc works")
    assert "strike it through" in text(paras[2]) and "ticked box" in text(paras[2])
    assert note_count(doc) == 1 and named_range_count(doc, NOTE) == 1
    # One write after the create: never a second one.
    writes = [e for e in sb.requests_log() if e["path"].endswith(":batchUpdate")]
    assert len(writes) == 1
    # Sections go below it, and it stays as it was.
    note = [text(p) for p in marked(doc, NOTE)]
    assert gw.run("2026-12-01T13:17Z")["action"] == "appended"
    after = sb.docs.get(first, True)
    assert [text(p) for p in marked(after, NOTE)] == note
    assert note_count(after) == 1 and named_range_count(after, NOTE) == 1
    headings = [text(p) for p in body(after) if style(p) == "HEADING_1"]
    assert headings == ["Peer mentoring check-in — Tuesday 8 December 2026 (2026-12-08)"]
    assert body(after)[0]["startIndex"] == 1 and text(body(after)[0]) == "How this doc works"

    # `doc create` again (doc_id emptied) makes a second doc, not a second note.
    config_file.write_text(config_file.read_text().replace(f'doc_id = "{first}"', 'doc_id = ""'))
    second = gw.json("doc", "create", "--no-share")["doc_id"]
    assert second != first
    assert note_count(sb.docs.get(first, True)) == 1
    assert note_count(sb.docs.get(second, True)) == 1
    assert named_range_count(sb.docs.get(second, True), NOTE) == 1


def test_with_position_top_the_newest_section_sits_right_below_the_note(
    gw: Gworkflow, config_file: Path
) -> None:
    config_file.write_text(
        config_file.read_text().replace('# position = "end"', 'position = "top"')
    )
    doc_id = gw.json("doc", "create", "--no-share")["doc_id"]
    assert gw.run("2026-12-01T13:17Z")["action"] == "appended"
    assert gw.run("2027-01-05T13:17Z")["action"] == "appended"
    doc = gw.sb.docs.get(doc_id, True)
    order = [text(p) for p in body(doc) if style(p) in ("HEADING_1", "HEADING_2")]
    assert order[:2] == [
        "How this doc works",
        "Peer mentoring check-in — Tuesday 12 January 2027 (2027-01-12)",
    ]
    assert [t for t in order if "check-in" in t] == [
        "Peer mentoring check-in — Tuesday 12 January 2027 (2027-01-12)",
        "Peer mentoring check-in — Tuesday 8 December 2026 (2026-12-08)",
    ]
    assert note_count(doc) == 1


# --- goals as text ------------------------------------------------------------------------


def test_goals_shows_open_goals_as_bullets_with_their_day_and_done_ones_as_achievements(
    gw: Gworkflow,
) -> None:
    assert gw("doc", "create", "--no-share").exit_code == 0
    doc_id = doc_id_in_config(gw)
    assert gw.run("2026-12-01T13:17Z")["action"] == "appended"
    people = People(gw.sb.base_url, doc_id)
    people.type_items(
        "2026-12-08", ("Ruth", "Goals"), ["Submit the IRDL application", "Draft the survey"]
    )
    people.mark_done("2026-12-08", ("Ruth", "Goals"), "Submit the IRDL application")
    shown = gw("goals", now="2026-12-20T15:00Z")
    assert shown.exit_code == 0, shown.output
    ruth = shown.output.split("\nRuth\n")[1].split("\nHeather\n")[0]
    assert ruth.splitlines() == [
        "  Goals (offered again):",
        "  • Draft the survey (since 8 Dec)",
        "  Achievements:",
        "  ✅ Submit the IRDL application",
    ]
    assert "☐" not in shown.output
    assert "Heather\n  Goals: none open" in shown.output
