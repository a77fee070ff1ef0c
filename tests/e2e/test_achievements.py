"""`gworkflow achievements` against the sandbox: a year of the running doc, read back out.

The year: a section typed by hand before the tool was used (December 2025, its own
headings), then the twelve sections of 2026 written by `agenda append` as cron would, with
people typing between meetings: achievements (with links), goals marked done (✅, done:,
struck through, ✔), a goal dropped by deleting it, a goal carried for months, an
invitation declined, an Achievements heading renamed and a meeting heading renamed. The
report is checked item by item in every format, the command reads the doc with exactly one
documents.get, and `--to-doc` is read back through the API as raw JSON.

Typing and reading back use the raw JSON only (support/doc_model_helpers.py and
support/witness.py), never gworkflow's own parser.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result
from support import witness
from support.doc_model_helpers import Para, Typist, find, part, section
from support.docbuilder import DocBuilder, run

from gworkflow.cli import cli
from gworkflow.cli._common import App
from gworkflow.config import EXAMPLE_CONFIG
from gworkflow.errors import ExitCode
from gworkflow.google.clients import build_clients
from gworkflow.sandbox.server import Sandbox

DAYS = {
    name: dt.date(2026, month, day)
    for name, month, day in (
        ("jan", 1, 13),
        ("feb", 2, 10),
        ("mar", 3, 10),
        ("apr", 4, 14),
        ("may", 5, 12),
        ("jun", 6, 9),
        ("jul", 7, 14),
        ("aug", 8, 11),
        ("sep", 9, 8),
        ("oct", 10, 13),
        ("nov", 11, 10),
        ("dec", 12, 8),
    )
}
DEC9 = dt.date(2025, 12, 9)
ACRL = "https://example.org/acrl-poster"
CRL = "https://crl.acrl.org/article/42"
OER = "https://example.org/oer-workshop"
SAID_NO = "Said no to Library board, weekly 30m for a semester"
README = Path(__file__).resolve().parents[2] / "README.md"


def readme_example(after: str, language: str, nth: int = 0) -> str:
    """The `nth` ```language block of the README after the line `after`."""
    text = README.read_text(encoding="utf-8")
    blocks = re.findall(rf"```{language}\n(.*?)\n```", text[text.index(after) :], re.S)
    return str(blocks[nth])


def keys_match(documented: Any, real: Any, where: str = "") -> None:
    """The README's JSON example has the real output's keys (`"...": "..."`: at least)."""
    if isinstance(documented, dict):
        assert isinstance(real, dict), where
        keys = set(documented) - {"..."}
        assert keys <= set(real) if "..." in documented else keys == set(real), where
        for key in keys:
            keys_match(documented[key], real[key], f"{where}.{key}")
    elif isinstance(documented, list) and documented and real:
        keys_match(documented[0], real[0], f"{where}[0]")


def hand_typed_december() -> dict[str, Any]:
    """The doc as the pair kept it by hand before gworkflow: their own headings."""
    builder = DocBuilder("Ruth & Heather — peer mentoring")
    builder.rows(
        [
            ("HEADING_1", "Check-in, December 9, 2025"),
            ("HEADING_2", "Ruth"),
            ("HEADING_3", "Wins"),
            ("NORMAL_TEXT", "Finished the LibGuide redesign", "bullet"),
            ("HEADING_3", "Goals"),
            ("NORMAL_TEXT", "Submit the IRDL application", "bullet"),
            ("NORMAL_TEXT", "Draft the assessment survey", "bullet"),
            ("HEADING_2", "Heather"),
            ("HEADING_3", "Achievements"),
            ("NORMAL_TEXT", [run("Gave the "), run("OER workshop", link=OER)], "bullet"),
            ("HEADING_3", "Goals"),
            ("NORMAL_TEXT", "Finish the OER grant report", "bullet"),
        ]
    )
    return builder.build(tabs=True)


class Year:
    """The pair's running doc in the sandbox, and `gworkflow ...` against it."""

    def __init__(self, sb: Sandbox, config: Path, doc_id: str) -> None:
        self.sb = sb
        self.config = config
        self.doc_id = doc_id
        self.you = Typist(build_clients(None, sb.base_url).docs, doc_id)

    def __call__(self, *args: str, now: dt.datetime | None = None) -> Result:
        when = now or dt.datetime(2027, 1, 5, 15, tzinfo=dt.UTC)
        app = App(config_path=self.config, api_endpoint=self.sb.base_url, clock=lambda: when)
        return CliRunner().invoke(cli, list(args), obj=app, catch_exceptions=False)

    def doc(self) -> dict[str, Any]:
        return self.sb.docs.get(self.doc_id, True)

    def under(self, month: str, person: str, heading: str) -> list[Para]:
        marker = f"gworkflow:ruth-heather:{DAYS[month].isoformat()}"
        return part(section(self.doc(), marker), person, heading)

    def append(self, month: str) -> None:
        written = DAYS[month] - dt.timedelta(days=7)
        now = dt.datetime.combine(written, dt.time(12), dt.UTC)
        result = self("agenda", "append", "--meeting", DAYS[month].isoformat(), now=now)
        assert result.exit_code == 0, result.output

    def type(self, month: str, person: str, heading: str, *lines: str) -> None:
        self.you.items(self.under(month, person, heading)[-1], lines)

    def mark(self, month: str, person: str, goal: str, mark: str) -> None:
        self.you.insert(find(self.under(month, person, "Goals"), goal).start, mark)

    def link(self, month: str, person: str, heading: str, item: str, words: str, url: str) -> None:
        para = find(self.under(month, person, heading), item)
        self.you.style(para, words, {"link": {"url": url}}, "link")

    def rename(self, para: Para, text: str) -> None:
        """A person retypes a heading: its old text deleted, the new one typed."""
        self.you._send(
            {"deleteContentRange": {"range": {"startIndex": para.start, "endIndex": para.end - 1}}},
            {"insertText": {"location": {"index": para.start}, "text": text}},
        )


def play_the_year(sb: Sandbox, config: Path) -> Year:
    doc_id = sb.docs.seed(hand_typed_december())
    config.write_text(
        EXAMPLE_CONFIG.replace('doc_id = ""', f'doc_id = "{doc_id}"').replace(
            '# topics = ["invitations"]', 'topics = ["invitations"]'
        )
    )
    year = Year(sb, config, doc_id)
    year.append("jan")
    year.mark("jan", "Ruth", "Submit the IRDL", "✅ ")
    year.type("jan", "Ruth", "Achievements", "Presented the ACRL poster")
    year.link("jan", "Ruth", "Achievements", "Presented", "ACRL poster", ACRL)
    year.type("jan", "Ruth", "Goals", "Read Demystifying the Library")
    year.you.strike(find(year.under("jan", "Heather", "Goals"), "Finish the OER"))
    year.type("jan", "Heather", "Achievements", "Won the travel grant")

    year.append("feb")
    year.mark("feb", "Ruth", "Draft the assessment survey", "done: ")
    year.type("feb", "Ruth", "Achievements", "Chaired the search committee")
    year.type("feb", "Heather", "Goals", "Plan the spring workshop series")
    year.type(
        "feb", "Heather", "Invitations to weigh", "no: Library board, weekly 30m for a semester"
    )

    year.append("mar")
    year.you.delete(find(year.under("mar", "Ruth", "Goals"), "Read Demystifying"))
    marker = f"gworkflow:ruth-heather:{DAYS['mar'].isoformat()}"
    mar = section(year.doc(), marker)
    ruth = next(i for i, p in enumerate(mar) if p.text == "Ruth")
    year.rename(next(p for p in mar[ruth:] if p.text == "Achievements"), "Wins this month")
    year.type("mar", "Ruth", "Wins this month", "Keynote at the state library association")

    year.append("apr")
    apr = section(year.doc(), f"gworkflow:ruth-heather:{DAYS['apr'].isoformat()}")
    year.rename(apr[0], "Peer mentoring check-in — the month of the article")
    year.type("apr", "Ruth", "Achievements", "Article accepted in College & Research Libraries")
    year.link("apr", "Ruth", "Achievements", "Article", "College & Research Libraries", CRL)

    for month in ("may", "jun", "jul"):
        year.append(month)
    year.type("jul", "Ruth", "Goals", "Write the book proposal")
    year.append("aug")
    year.mark("aug", "Heather", "Plan the spring workshop series", "✔ ")
    for month in ("sep", "oct", "nov", "dec"):
        year.append(month)
    year.type("oct", "Heather", "Achievements", "Elected chair of the OER committee")
    return year


@pytest.fixture(scope="module")
def year_state(sandbox_server: Sandbox, tmp_path_factory: pytest.TempPathFactory) -> Any:
    """The year, played once for the module; each test starts from a copy of it."""
    sandbox_server.reset()
    config = tmp_path_factory.mktemp("year") / "config.toml"
    year = play_the_year(sandbox_server, config)
    return sandbox_server.to_state(), config.read_text(), year.doc_id


@pytest.fixture
def year(sb: Sandbox, year_state: Any, tmp_path: Path) -> Year:
    state, config_text, doc_id = year_state
    sb.load_state(state)
    config = tmp_path / "config.toml"
    config.write_text(config_text)
    return Year(sb, config, doc_id)


def row(month: str, person: str, text: str, source: str, link: str | None = None) -> Any:
    day = DAYS.get(month, DEC9)  # "dec9": the hand-typed section
    return {
        "person": person,
        "meeting": day.isoformat(),
        "text": text,
        "link": link,
        "source": source,
    }


EVERYONE_2026 = [
    row("jan", "Ruth", "Presented the ACRL poster", "typed", ACRL),
    row("jan", "Ruth", "Submit the IRDL application", "goal"),
    row("jan", "Heather", "Won the travel grant", "typed"),
    row("jan", "Heather", "Finish the OER grant report", "goal"),
    row("feb", "Ruth", "Chaired the search committee", "typed"),
    row("feb", "Ruth", "Draft the assessment survey", "goal"),
    row("feb", "Heather", SAID_NO, "typed"),
    row("mar", "Ruth", "Keynote at the state library association", "typed"),
    row("apr", "Ruth", "Article accepted in College & Research Libraries", "typed", CRL),
    row("aug", "Heather", "Plan the spring workshop series", "goal"),
    row("oct", "Heather", "Elected chair of the OER committee", "typed"),
]


def test_json_item_by_item_with_one_documents_get(year: Year) -> None:
    year.sb.clear_requests()
    result = year("achievements", "--year", "2026", "--format", "json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == EVERYONE_2026
    # One read of the running doc, and nothing else.
    assert [(e["method"], e["path"]) for e in year.sb.requests_log()] == [
        ("GET", f"/v1/documents/{year.doc_id}")
    ]
    assert json.loads(year("achievements", "--year", "2026", "--json").stdout) == EVERYONE_2026


def test_the_hand_typed_section_counts_too(year: Year) -> None:
    result = year("achievements", "--since", "2025-12-01", "--until", "2026-01-31", "--json")
    assert json.loads(result.stdout) == [
        row("dec9", "Ruth", "Finished the LibGuide redesign", "typed"),
        row("dec9", "Heather", "Gave the OER workshop", "typed", OER),
        *EVERYONE_2026[:4],
    ]


def test_text_grouped_by_month(year: Year) -> None:
    result = year("achievements", "--year", "2026")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [
        "Peer mentoring check-in — achievements 2026",
        "11 achievements at 6 meetings (7 typed, 4 goals done)",
        "",
        "January 2026",
        f"  13 Jan  Ruth     Presented the ACRL poster <{ACRL}>",
        "  13 Jan  Ruth     ✅ Submit the IRDL application",
        "  13 Jan  Heather  Won the travel grant",
        "  13 Jan  Heather  ✅ Finish the OER grant report",
        "",
        "February 2026",
        "  10 Feb  Ruth     Chaired the search committee",
        "  10 Feb  Ruth     ✅ Draft the assessment survey",
        f"  10 Feb  Heather  {SAID_NO}",
        "",
        "March 2026",
        "  10 Mar  Ruth     Keynote at the state library association",
        "",
        "April 2026",
        f"  14 Apr  Ruth     Article accepted in College & Research Libraries <{CRL}>",
        "",
        "August 2026",
        "  11 Aug  Heather  ✅ Plan the spring workshop series",
        "",
        "October 2026",
        "  13 Oct  Heather  Elected chair of the OER committee",
    ]


def test_markdown_for_one_person_with_goal_history(year: Year) -> None:
    result = year(
        "achievements", "--person", "ruth", "--year", "2026", "--format", "markdown", "--goals"
    )
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [
        "# Ruth — achievements 2026",
        "",
        "## January 2026",
        "",
        f"- Presented the [ACRL poster](<{ACRL}>)",
        "- ✅ Submit the IRDL application",
        "",
        "## February 2026",
        "",
        "- Chaired the search committee",
        "- ✅ Draft the assessment survey",
        "",
        "## March 2026",
        "",
        "- Keynote at the state library association",
        "",
        "## April 2026",
        "",
        # "\&" is Markdown for a literal "&" (never the start of an entity).
        f"- Article accepted in [College \\& Research Libraries](<{CRL}>)",
        "",
        "## Goal history",
        "",
        "| Goal | Set | Carried | Outcome |",
        "| --- | --- | --- | --- |",
        "| Submit the IRDL application | 9 Dec 2025 | 1 meeting | done 13 Jan 2026 |",
        "| Draft the assessment survey | 9 Dec 2025 | 2 meetings | done 10 Feb 2026 |",
        "| Read Demystifying the Library | 13 Jan 2026 | 1 meeting | dropped 10 Mar 2026 |",
        "",
        "## Still open",
        "",
        "Carried 3 meetings or more and not done: a fair question for the next meeting.",
        "",
        "- Write the book proposal — set 14 Jul 2026, carried 5 meetings, still open",
    ]
    # The README shows this very output.
    assert result.stdout.rstrip("\n") == readme_example("## Your year in achievements", "markdown")


def test_csv_item_by_item(year: Year) -> None:
    result = year("achievements", "--year", "2026", "--format", "csv")
    assert result.exit_code == 0, result.output
    rows = list(csv.reader(io.StringIO(result.stdout)))
    assert rows[0] == ["person", "meeting", "text", "link", "source"]
    assert rows[1:] == [
        [r["person"], r["meeting"], r["text"], r["link"] or "", r["source"]] for r in EVERYONE_2026
    ]


def test_goal_history_as_json(year: Year) -> None:
    result = year("achievements", "--year", "2026", "--goals", "--json")
    body = json.loads(result.stdout)
    assert body["achievements"] == EVERYONE_2026
    assert [
        (g["person"], g["text"], g["set"], g["carried"], g["outcome"], g["closed"], g["still_open"])
        for g in body["goals"]
    ] == [
        ("Ruth", "Submit the IRDL application", "2025-12-09", 1, "done", "2026-01-13", False),
        ("Ruth", "Draft the assessment survey", "2025-12-09", 2, "done", "2026-02-10", False),
        ("Heather", "Finish the OER grant report", "2025-12-09", 1, "done", "2026-01-13", False),
        ("Ruth", "Read Demystifying the Library", "2026-01-13", 1, "dropped", "2026-03-10", False),
        (
            "Heather",
            "Plan the spring workshop series",
            "2026-02-10",
            6,
            "done",
            "2026-08-11",
            False,
        ),
        ("Ruth", "Write the book proposal", "2026-07-14", 5, "open", None, True),
    ]
    keys_match(json.loads(readme_example("### `achievements`", "json", 1)), body)


def test_to_doc_read_back_through_the_api(year: Year) -> None:
    running_before = year.doc()
    year.sb.clear_requests()
    result = year("achievements", "--to-doc", "--person", "Ruth", "--year", "2026")
    assert result.exit_code == 0, result.output
    found = re.search(r"https://docs\.google\.com/document/d/([\w-]+)/edit", result.stdout)
    assert found, result.stdout
    new_id = found.group(1)
    assert result.stdout.splitlines() == [
        f"Created “Ruth — achievements 2026”: {found.group(0)}",
        "Shared with ruth@example.edu (can edit) and nobody else.",
    ]
    calls = [(e["method"], e["path"]) for e in year.sb.requests_log()]
    assert calls == [
        ("GET", f"/v1/documents/{year.doc_id}"),
        ("POST", "/v1/documents"),
        ("POST", f"/v1/documents/{new_id}:batchUpdate"),
        ("GET", "/drive/v3/about"),
        ("POST", f"/drive/v3/files/{new_id}/permissions"),
    ]

    clients = build_clients(None, year.sb.base_url)
    doc = clients.docs.documents().get(documentId=new_id, includeTabsContent=True).execute()
    assert doc["title"] == "Ruth — achievements 2026"
    paras = witness.paragraphs(doc)
    shown = [(p.style, p.list_level is not None, p.text) for p in paras]
    running_url = f"https://docs.google.com/document/d/{year.doc_id}/edit"
    assert shown == [
        ("HEADING_1", False, "Ruth — achievements 2026"),
        (
            "NORMAL_TEXT",
            False,
            "Recorded at the check-ins, in the running agenda doc: 6 achievements at 4 "
            "meetings (4 typed, 2 goals done).",
        ),
        ("HEADING_2", False, "January 2026"),
        ("NORMAL_TEXT", True, "Presented the ACRL poster"),
        ("NORMAL_TEXT", True, "✅ Submit the IRDL application"),
        ("HEADING_2", False, "February 2026"),
        ("NORMAL_TEXT", True, "Chaired the search committee"),
        ("NORMAL_TEXT", True, "✅ Draft the assessment survey"),
        ("HEADING_2", False, "March 2026"),
        ("NORMAL_TEXT", True, "Keynote at the state library association"),
        ("HEADING_2", False, "April 2026"),
        ("NORMAL_TEXT", True, "Article accepted in College & Research Libraries"),
        ("HEADING_2", False, "Goal history"),
        (
            "NORMAL_TEXT",
            True,
            "Submit the IRDL application — set 9 Dec 2025, carried 1 meeting, done 13 Jan 2026",
        ),
        (
            "NORMAL_TEXT",
            True,
            "Draft the assessment survey — set 9 Dec 2025, carried 2 meetings, done 10 Feb 2026",
        ),
        (
            "NORMAL_TEXT",
            True,
            "Read Demystifying the Library — set 13 Jan 2026, carried 1 meeting, dropped 10 Mar "
            "2026",
        ),
        ("HEADING_2", False, "Still open"),
        (
            "NORMAL_TEXT",
            False,
            "Carried 3 meetings or more and not done: a fair question for the next meeting.",
        ),
        (
            "NORMAL_TEXT",
            True,
            "Write the book proposal — set 14 Jul 2026, carried 5 meetings, still open",
        ),
        ("NORMAL_TEXT", False, ""),
    ]

    def links(para: witness.Para) -> list[tuple[str, str]]:
        return [(text, style["link"]["url"]) for text, style in para.runs if style.get("link")]

    assert links(paras[1]) == [("running agenda doc", running_url)]
    assert links(paras[3]) == [("ACRL poster", ACRL)]
    assert links(paras[11]) == [("College & Research Libraries", CRL)]
    assert all(not links(p) for i, p in enumerate(paras) if i not in (1, 3, 11))

    # Shared with Ruth alone (Google e-mails her the link); Heather has no access.
    listed = clients.drive.permissions().list(fileId=new_id, fields="*").execute()
    assert sorted((p["role"], p["emailAddress"]) for p in listed["permissions"]) == [
        ("owner", "you@example.com"),
        ("writer", "ruth@example.edu"),
    ]
    assert [n["emailAddress"] for n in year.sb.drive.notifications if n["fileId"] == new_id] == [
        "ruth@example.edu"
    ]
    # The running doc did not change.
    assert year.doc() == running_before


def test_to_doc_defaults_to_this_year_and_needs_one_person(year: Year) -> None:
    nothing = year(
        "achievements",
        "--to-doc",
        "--person",
        "Heather",
        now=dt.datetime(2030, 3, 1, tzinfo=dt.UTC),
    )
    assert nothing.exit_code == 0
    assert nothing.stdout.strip() == (
        "no achievements recorded for Heather between 2030-01-01 and 2030-12-31: no doc created"
    )
    both = year("achievements", "--to-doc")
    assert both.exit_code == ExitCode.USAGE
    assert (
        "--to-doc writes one person's achievements: add --person (Ruth or Heather)" in both.output
    )


def test_unknown_person_empty_range_and_lost_access(year: Year) -> None:
    wrong = year("achievements", "--person", "Ruht")
    assert wrong.exit_code == ExitCode.USAGE
    assert wrong.output.strip() == (
        "Error: no participant named 'Ruht' in series ruth-heather (did you mean 'Ruth'?)"
    )
    empty = year("achievements", "--year", "2031")
    assert empty.exit_code == 0
    assert empty.stdout.strip() == "no achievements recorded between 2031-01-01 and 2031-12-31"
    empty_json = year("achievements", "--year", "2031", "--json")
    assert (empty_json.exit_code, json.loads(empty_json.stdout)) == (0, [])

    year.sb.faults.add("GET", "/v1/documents/*", status=403)
    lost = year("achievements")
    assert lost.exit_code == ExitCode.FAILED
    assert len(lost.output.strip().splitlines()) == 1
    assert year.doc_id in lost.output and "share it with you" in lost.output
    year.sb.faults.add("GET", "/v1/documents/*", status=403)
    lost_json = year("achievements", "--format", "json")
    assert json.loads(lost_json.stdout)["error"]["exit_code"] == ExitCode.FAILED


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--year", "2026", "--until", "2026-06-30"], "use --until or --year, not both"),
        (
            ["--since", "2026-07-01", "--until", "2026-06-30"],
            "the period starts (2026-07-01) after it ends (2026-06-30)",
        ),
        (["--format", "csv", "--goals"], "--goals has no CSV form"),
        (["--format", "csv", "--json"], "use --json or --format csv, not both"),
        (["--to-doc", "--person", "Ruth", "--json"], "--to-doc writes a Google Doc"),
    ],
)
def test_usage_errors(year: Year, args: list[str], message: str) -> None:
    result = year("achievements", *args)
    assert result.exit_code == ExitCode.USAGE
    assert message in result.output


def test_offline_from_a_saved_response(year: Year, tmp_path: Path) -> None:
    saved = tmp_path / "doc.json"
    saved.write_text(json.dumps(year.doc()))
    year.sb.clear_requests()
    result = year("achievements", "--doc-json", str(saved), "--year", "2026", "--json")
    assert json.loads(result.stdout) == EVERYONE_2026
    assert year.sb.requests_log() == []
