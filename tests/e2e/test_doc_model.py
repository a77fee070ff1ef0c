"""Four months of the agenda model against the sandbox, end to end.

People type goals, mark some done each supported way (✅, ✔, [x], done:, strikethrough),
drop one by deleting it, leave one unfinished for three months, note conferences (one dated
between the day a section is written and the meeting), a goal with a link and bold text,
and an invitation they end up declining. Month by month the new section must show:
unfinished goals offered again with the day they were set; done goals once, as
achievements, and never again as goals; the dropped goal gone; conferences judged against
the meeting day; links and bold intact. Each append is one documents.get and one
batchUpdate, and nothing a person typed changes.

Typing and checking use the raw JSON only (support/doc_model_helpers.py), never
gworkflow's own parser.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result
from support.doc_model_helpers import Para, Run, Typist, find, paragraphs, part, section

from gworkflow.cli import cli
from gworkflow.cli._common import App
from gworkflow.config import EXAMPLE_CONFIG
from gworkflow.google.clients import build_clients
from gworkflow.sandbox.server import Sandbox

DEC8, JAN12, FEB9, MAR9 = "2026-12-08", "2027-01-12", "2027-02-09", "2027-03-09"
LINK = "https://example.org/demystifying"
READ = "Read Demystifying the Library before spring"
TIMES = "\u00d7"


class Gworkflow:
    """`gworkflow ...` against the sandbox, on the day a section is written."""

    def __init__(self, sb: Sandbox, config: Path) -> None:
        self.sb = sb
        self.config = config

    def __call__(self, *args: str, now: dt.datetime) -> Result:
        app = App(config_path=self.config, api_endpoint=self.sb.base_url, clock=lambda: now)
        return CliRunner().invoke(cli, list(args), obj=app, catch_exceptions=False)


@pytest.fixture
def gw(sb: Sandbox, tmp_path: Path) -> Gworkflow:
    config = tmp_path / "config.toml"
    config.write_text(
        EXAMPLE_CONFIG.replace('# topics = ["invitations"]', 'topics = ["invitations"]')
    )
    return Gworkflow(sb, config)


def written_on(meeting: str) -> dt.datetime:
    """lead_days (7) before the meeting: the day `run` would write its section."""
    return dt.datetime.fromisoformat(f"{meeting}T12:00:00+00:00") - dt.timedelta(days=7)


def typed_state(doc: dict[str, Any]) -> list[tuple[str, bool, tuple[Run, ...]]]:
    """What people see of every paragraph: style, bullet and styled text."""
    return [(p.style, p.bulleted, p.runs) for p in paragraphs(doc)]


def texts(paras: list[Para]) -> list[str]:
    return [p.text for p in paras]


def test_four_months_of_the_agenda_model(gw: Gworkflow) -> None:
    sb = gw.sb
    created = gw("doc", "create", "--json", now=written_on(DEC8))
    assert created.exit_code == 0, created.output
    doc_id = json.loads(created.stdout)["doc_id"]
    you = Typist(build_clients(None, sb.base_url).docs, doc_id)

    def doc() -> dict[str, Any]:
        return sb.docs.get(doc_id, True)

    def append(meeting: str) -> list[Para]:
        """Write the section for `meeting` as cron would, and return it."""
        before = typed_state(doc())
        sb.clear_requests()
        result = gw("agenda", "append", "--meeting", meeting, now=written_on(meeting))
        assert result.exit_code == 0, result.output
        calls = [
            ("batchUpdate" if e["path"].endswith(":batchUpdate") else e["method"])
            for e in sb.requests_log()
            if f"/documents/{doc_id}" in e["path"]
        ]
        assert calls == ["GET", "batchUpdate"]
        after = typed_state(doc())
        assert after[: len(before)] == before  # nothing anyone typed changed
        return section(doc(), f"gworkflow:ruth-heather:{meeting}")

    def goals(meeting: str, person: str) -> list[Para]:
        return part(section(doc(), f"gworkflow:ruth-heather:{meeting}"), person, "Goals")

    def under(meeting: str, person: str, heading: str) -> list[Para]:
        return part(section(doc(), f"gworkflow:ruth-heather:{meeting}"), person, heading)

    # --- December: the first section; everyone types --------------------------------------
    dec = append(DEC8)
    assert texts(part(dec, "Ruth", "Goals")) == [""]
    assert texts(part(dec, "Ruth", "Achievements")) == [""]  # no prompt: nothing was planned
    you.items(
        goals(DEC8, "Ruth")[-1],
        [
            "Submit the IRDL application",
            "Draft the assessment survey",
            READ,
            "Renew ALA membership",
        ],
    )
    read = find(goals(DEC8, "Ruth"), READ)
    you.style(read, "Demystifying the Library", {"link": {"url": LINK}}, "link")
    you.style(find(goals(DEC8, "Ruth"), READ), "before spring", {"bold": True}, "bold")
    you.items(
        under(DEC8, "Ruth", "Upcoming Conferences")[-1], ["ACRL 2027, Minneapolis, 2027-04-07"]
    )
    you.items(
        goals(DEC8, "Heather")[-1],
        [
            "Finish the OER grant report",
            "Plan the spring workshop series",
            "Recruit two co-presenters",
            "Book the room",
        ],
    )
    you.items(
        under(DEC8, "Heather", "Invitations to weigh")[-1],
        ["ALA review panel, monthly 1h for 6 months"],
    )
    # Before January: done by ✅, by strikethrough and by [x]; one goal dropped by deleting it.
    you.insert(find(goals(DEC8, "Ruth"), "Submit the IRDL").start, "✅ ")
    you.strike(find(goals(DEC8, "Heather"), "Finish the OER"))
    you.insert(find(goals(DEC8, "Heather"), "Plan the spring").start, "[x] ")
    you.delete(find(goals(DEC8, "Ruth"), "Renew ALA membership"))

    # --- January ------------------------------------------------------------------------------
    jan = append(JAN12)
    assert texts(part(jan, "Ruth", "Achievements")) == [
        "Planned on 8 December: 3 goals, 1 done. Mark the rest ✅ under Goals when done.",
        "✅ Submit the IRDL application",
        "",
    ]
    assert texts(part(jan, "Ruth", "Goals")) == [
        "Draft the assessment survey (since 8 Dec)",
        f"{READ} (since 8 Dec)",
        "",
    ]
    assert find(part(jan, "Ruth", "Goals"), READ).runs == (
        Run("Read "),
        Run("Demystifying the Library", link=LINK),
        Run(" "),
        Run("before spring", bold=True),
        Run(" (since 8 Dec)"),
    )
    assert texts(part(jan, "Heather", "Achievements")) == [
        "Planned on 8 December: 4 goals, 2 done. Mark the rest ✅ under Goals when done.",
        "✅ Finish the OER grant report",  # struck through in December: shown done, not struck
        "✅ Plan the spring workshop series",
        "",
    ]
    assert not any(run.strike for p in part(jan, "Heather", "Achievements") for run in p.runs)
    assert texts(part(jan, "Heather", "Goals")) == [
        "Recruit two co-presenters (since 8 Dec)",
        "Book the room (since 8 Dec)",
        "",
    ]
    assert texts(part(jan, "Heather", "Invitations to weigh")) == [
        "Type yes: or no: in front of one once you decide.",
        f"ALA review panel, monthly 1h for 6 months — a yes costs ≈ 6 meetings {TIMES} "
        "(1 h + 1 h prep) = 12 h",
        "",
    ]
    assert "Renew ALA membership" not in str(texts(jan))  # dropped
    # Goals are plain bullets: a box people could tick unseen would be a trap.
    assert all(p.bulleted for p in part(jan, "Ruth", "Goals"))
    # January: new goals, conferences (one between March's write day and meeting), a "no:".
    you.items(goals(JAN12, "Ruth")[-1], ["Write up the pilot results"])
    you.items(
        under(JAN12, "Ruth", "Upcoming Conferences")[-1],
        ["Code4Lib 2027, Columbus, 2027-03-05", "Spring workshop day, 2027-03-09"],
    )
    you.items(goals(JAN12, "Heather")[-1], ["Send the workshop CFP"])
    you.insert(find(under(JAN12, "Heather", "Invitations to weigh"), "ALA review").start, "no: ")
    # Before February: done by "done:" and by a trailing ✔; one more goal dropped.
    you.insert(find(goals(JAN12, "Ruth"), READ).start, "done: ")
    recruit = find(goals(JAN12, "Heather"), "Recruit two")
    you.insert(recruit.end - 1, " ✔")
    you.delete(find(goals(JAN12, "Heather"), "Book the room"))

    # --- February -----------------------------------------------------------------------------
    feb = append(FEB9)
    assert texts(part(feb, "Ruth", "Achievements"))[1:] == [f"✅ {READ}", ""]
    assert find(part(feb, "Ruth", "Achievements"), f"✅ {READ}").runs == (
        Run("✅ Read "),
        Run("Demystifying the Library", link=LINK),
        Run(" "),
        Run("before spring", bold=True),
    )
    assert texts(part(feb, "Ruth", "Goals")) == [
        "Draft the assessment survey (since 8 Dec)",
        "Write up the pilot results (since 12 Jan)",
        "",
    ]
    assert texts(part(feb, "Heather", "Achievements"))[1:] == [
        "✅ Recruit two co-presenters",
        "Said no to ALA review panel, monthly 1h for 6 months: 12 h kept for writing",
        "",
    ]
    assert texts(part(feb, "Heather", "Goals")) == ["Send the workshop CFP (since 12 Jan)", ""]
    assert texts(part(feb, "Heather", "Invitations to weigh")) == [""]
    assert texts(part(feb, "Ruth", "Upcoming Conferences")) == [
        "ACRL 2027, Minneapolis, 2027-04-07",
        "Code4Lib 2027, Columbus, 2027-03-05",
        "Spring workshop day, 2027-03-09",
    ]
    # Before March: done by a leading ✔.
    you.insert(find(goals(FEB9, "Ruth"), "Write up the pilot").start, "✔ ")

    # --- March --------------------------------------------------------------------------------
    mar = append(MAR9)
    assert texts(part(mar, "Ruth", "Achievements")) == [
        "Planned on 9 February: 2 goals, 1 done. Mark the rest ✅ under Goals when done.",
        "✅ Write up the pilot results",
        "",
    ]
    # Unfinished for three months: still offered, still dated from December.
    assert texts(part(mar, "Ruth", "Goals")) == ["Draft the assessment survey (since 8 Dec)", ""]
    # Code4Lib (5 March) is after the day this section was written (2 March) but before the
    # meeting: not upcoming. The one on the meeting day is.
    assert texts(part(mar, "Ruth", "Upcoming Conferences")) == [
        "ACRL 2027, Minneapolis, 2027-04-07",
        "Spring workshop day, 2027-03-09",
    ]
    assert texts(part(mar, "Heather", "Achievements")) == [
        "Planned on 9 February: 1 goal. Mark it ✅ under Goals when done.",
        "",
    ]  # the "Said no" came back once
    assert texts(part(mar, "Heather", "Goals")) == ["Send the workshop CFP (since 12 Jan)", ""]

    # Done goals appear once, as achievements, and never again as goals.
    sections = {day: section(doc(), f"gworkflow:ruth-heather:{day}") for day in (JAN12, FEB9, MAR9)}
    for goal, achieved_in in [
        ("Submit the IRDL application", JAN12),
        ("Finish the OER grant report", JAN12),
        ("Plan the spring workshop series", JAN12),
        (READ, FEB9),
        ("Recruit two co-presenters", FEB9),
        ("Write up the pilot results", MAR9),
    ]:
        for day, paras in sections.items():
            achieved = [t for t in texts(paras) if t == f"✅ {goal}"]
            assert len(achieved) == (1 if day == achieved_in else 0), (goal, day)
            if day >= achieved_in:
                assert not any(t.startswith(goal) for t in texts(paras)), (goal, day)

    # What `goals --json` says now.
    result = gw("goals", "--json", now=written_on(MAR9))
    assert result.exit_code == 0, result.output
    ruth, heather = json.loads(result.stdout)["participants"]
    assert ruth["goals"] == [
        {
            "text": "Draft the assessment survey",
            "level": 0,
            "done": False,
            "since": DEC8,
            "carried": 3,
        }
    ]
    assert ruth["achievements"] == [{"text": "Write up the pilot results", "from": "achievements"}]
    assert heather["goals"] == [
        {"text": "Send the workshop CFP", "level": 0, "done": False, "since": JAN12, "carried": 2}
    ]
    assert heather["invitations"] == []
