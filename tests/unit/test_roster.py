"""`gworkflow series import`: a roster CSV into the config, every bad row reported."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from gworkflow.cli import cli
from gworkflow.cli._common import App
from gworkflow.config import EXAMPLE_CONFIG, load_config
from gworkflow.errors import ExitCode
from gworkflow.roster import RosterError, apply_import, plan_import

ROOT = Path(__file__).resolve().parents[2]
HEADER = "id,title,schedule,timezone,participants,conference,lead_days,template\n"
RUTH_HEATHER = (
    "ruth-heather,Peer mentoring check-in,2nd Tuesday 14:00,America/Chicago,"
    "Ruth <ruth@example.edu> @America/New_York; Heather <heather@example.org> @America/Chicago,"
    "https://zoom.us/j/85512345678?pwd=abc,7,\n"
)
ANA_BO = "ana-bo,Ana and Bo,last Friday 10:30,Europe/Berlin,Ana <ana@example.de>; Bo <bo@example.se> @Europe/Stockholm,meet,,\n"


def imported(config: Path, roster: str) -> list[str]:
    plan = plan_import(roster, "roster.csv", config)
    apply_import(plan, config)
    return [change.summary() for change in plan.changes]


def problems(config: Path, roster: str) -> list[str]:
    with pytest.raises(RosterError) as caught:
        plan_import(roster, "roster.csv", config)
    return [str(problem) for problem in caught.value.problems]


def test_the_example_roster_makes_a_valid_config(tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    roster = (ROOT / "examples" / "roster.csv").read_text(encoding="utf-8")
    summaries = imported(config, roster)
    assert summaries == [
        "ruth-heather: added (row 2)",
        "ana-bo: added (row 3)",
        "circle-3: added (row 4)",
    ]
    loaded = load_config(config)
    ruth, ana, circle = loaded.series
    assert [p.timezone.key for p in ruth.participants] == ["America/New_York", "America/Chicago"]
    assert ruth.conference.kind == "zoom" and ruth.lead_days == 7
    assert ana.conference.kind == "meet" and ana.lead_days == 7  # empty cell: the default
    assert ana.participants[0].timezone.key == "Europe/Berlin"  # no @Zone: the series' zone
    assert circle.conference.kind == "none" and circle.lead_days == 10
    assert [p.name for p in circle.participants] == ["Kim", "Lee", "Sam"]


def test_importing_the_same_roster_again_changes_nothing(tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    imported(config, HEADER + RUTH_HEATHER + ANA_BO)
    before = config.read_bytes()
    plan = plan_import(HEADER + RUTH_HEATHER + ANA_BO, "roster.csv", config)
    assert not plan.changed
    assert [c.summary() for c in plan.changes] == ["ruth-heather: no changes", "ana-bo: no changes"]
    apply_import(plan, config)
    assert config.read_bytes() == before


def test_a_changed_row_updates_its_series_key_by_key_and_keeps_the_rest(tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    config.write_text(EXAMPLE_CONFIG.replace('doc_id = ""', 'doc_id = "1abc"'))
    assert imported(config, HEADER + RUTH_HEATHER) == ["ruth-heather: no changes"]
    changed = (
        "ruth-heather,Peer mentoring check-in,3rd Tuesday 14:00,America/Chicago,"
        "Ruth <ruth@example.edu> @America/New_York; Heather <heather@example.org> @Europe/Berlin;"
        " Ana <ana@example.de> @Europe/Berlin,meet,,\n"
    )
    assert imported(config, HEADER + changed) == [
        "ruth-heather: schedule: '2nd Tuesday 14:00' -> '3rd Tuesday 14:00'; "
        "conference: 'https://zoom.us/j/85512345678?pwd=abc' -> 'meet'; "
        "participants: added Ana <ana@example.de>, Heather's timezone 'America/Chicago' -> "
        "'Europe/Berlin'"
    ]
    text = config.read_text()
    # Comments beside the values stay; keys the roster has no column for stay.
    assert 'schedule = "3rd Tuesday 14:00"      # or "last Friday 10:30"' in text
    assert 'id = "ruth-heather"                 # stable slug' in text
    assert 'doc_id = "1abc"' in text and 'duration = "60m"' in text
    assert "lead_days = 7" in text  # the empty cell means the default, which it spells out
    assert "meeting_id" not in text  # it belonged to the old Zoom link
    series = load_config(config).series[0]
    assert series.conference.kind == "meet" and series.doc_id == "1abc"
    assert [p.name for p in series.participants] == ["Ruth", "Heather", "Ana"]
    assert imported(config, HEADER + changed) == ["ruth-heather: no changes"]


def test_the_same_zoom_link_keeps_what_zoom_create_wrote(tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    config.write_text(EXAMPLE_CONFIG)
    imported(config, HEADER + RUTH_HEATHER.replace("2nd Tuesday", "3rd Tuesday"))
    assert load_config(config).series[0].conference.passcode == "314159"


def test_a_column_left_out_leaves_its_key_alone(tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    (tmp_path / "mine.md.j2").write_text("# {{ meeting.key }}\n")
    imported(config, HEADER + RUTH_HEATHER.replace(",7,\n", ",5,mine.md.j2\n"))
    short = "id,schedule,timezone,participants\nruth-heather,2nd Tuesday 14:00,America/Chicago,Ruth <ruth@example.edu> @America/New_York; Heather <heather@example.org> @America/Chicago\n"
    assert imported(config, short) == ["ruth-heather: no changes"]
    series = load_config(config).series[0]
    assert series.lead_days == 5 and series.template == tmp_path / "mine.md.j2"


def test_new_series_are_added_after_the_existing_ones(tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    config.write_text(EXAMPLE_CONFIG)
    assert imported(config, HEADER + ANA_BO) == ["ana-bo: added (row 2)"]
    text = config.read_text()
    assert text.startswith(EXAMPLE_CONFIG.rstrip("\n"))
    assert [s.id for s in load_config(config).series] == ["ruth-heather", "ana-bo"]


BAD_ROWS = [
    # (row text, the problem reported for it)
    (
        "Ruth_Heather,,2nd Tuesday 14:00,America/Chicago,Ruth <r@example.edu>,,,",
        "row 2, column id: 'Ruth_Heather' must be a slug: lowercase letters, digits and '-' (e.g. 'ruth-heather')",
    ),
    (
        "empty-schedule,,,America/Chicago,Ruth <r@example.edu>,,,",
        "row 3, column schedule: is empty; e.g. '2nd Tuesday 14:00'",
    ),
    (
        "bad-schedule,,31st 09:00,America/Chicago,Ruth <r@example.edu>,,,",
        "row 4, column schedule: '31st 09:00': some months have no 31st",
    ),
    (
        "bad-zone,,2nd Tuesday 14:00,America/Chicgo,Ruth <r@example.edu>,,,",
        "row 5, column timezone: 'America/Chicgo' is not a known time zone (did you mean 'America/Chicago'?)",
    ),
    (
        "bad-person,,2nd Tuesday 14:00,UTC,Ruth r@example.edu,,,",
        "row 6, column participants: participant 1 'Ruth r@example.edu': write it as 'Name <email> @Zone'",
    ),
    (
        "bad-email,,2nd Tuesday 14:00,UTC,Ruth <r@example.edu>; Heather <heather@example>,,,",
        "row 7, column participants: participant 2 (Heather): 'heather@example' is not an e-mail address",
    ),
    (
        "bad-person-zone,,2nd Tuesday 14:00,UTC,Ruth <r@example.edu> @Europe/Berln,,,",
        "row 8, column participants: participant 1 (Ruth): 'Europe/Berln' is not a known time zone (did you mean 'Europe/Berlin'?)",
    ),
    (
        "twice,,2nd Tuesday 14:00,UTC,Ruth <r@example.edu>; ruth <r2@example.edu>,,,",
        "row 9, column participants: participant 2 (ruth): 'ruth' is listed twice",
    ),
    (
        "bad-lead,,2nd Tuesday 14:00,UTC,Ruth <r@example.edu>,,a week,",
        "row 10, column lead_days: 'a week' is not a whole number of days (0 to 60)",
    ),
    (
        "far-lead,,2nd Tuesday 14:00,UTC,Ruth <r@example.edu>,,99,",
        "row 11, column lead_days: 99 must be between 0 and 60",
    ),
    (
        "bad-link,,2nd Tuesday 14:00,UTC,Ruth <r@example.edu>,zoom.us/j/1,,",
        "row 12, column conference: 'zoom.us/j/1' must be a Zoom link (https://…zoom.us/j/…), 'meet'",
    ),
    (
        "no-template,,2nd Tuesday 14:00,UTC,Ruth <r@example.edu>,,,nope.md.j2",
        "row 13, column template: 'nope.md.j2': no such file",
    ),
    (
        "bad-person,,2nd Tuesday 14:00,UTC,Ruth <r@example.edu>,,,",
        "row 14, column id: 'bad-person' is also on row 6: each series once",
    ),
    (
        "too-many,,2nd Tuesday 14:00,UTC,Ruth <r@example.edu>,,,,extra",
        "row 15, column -: has 9 cells but the header names 8 columns: quote a cell that holds a comma",
    ),
]


def test_every_bad_row_is_reported_with_its_column_and_fix_and_nothing_is_written(
    tmp_path: Path,
) -> None:
    config = tmp_path / "config.toml"
    config.write_text(EXAMPLE_CONFIG)
    roster = HEADER + "".join(row + "\n" for row, _ in BAD_ROWS) + ANA_BO
    found = problems(config, roster)
    assert len(found) == len(BAD_ROWS)  # ana-bo, the good row, has none
    for (_, expected), problem in zip(BAD_ROWS, found, strict=True):
        assert problem.startswith(expected), problem
    assert config.read_text() == EXAMPLE_CONFIG


def test_a_row_with_several_problems_reports_each(tmp_path: Path) -> None:
    found = problems(
        tmp_path / "config.toml", HEADER + "x,,2nd Tuesday 14:00,UTC,Ruth,ftp://x,soon,\n"
    )
    assert [p.split(":")[0] for p in found] == [
        "row 2, column lead_days",
        "row 2, column conference",
        "row 2, column participants",
    ]


def test_header_problems_are_row_1(tmp_path: Path) -> None:
    found = problems(tmp_path / "config.toml", "id,shedule,timezone\nx,y,UTC\n")
    assert found == [
        "row 1, column shedule: unknown column (did you mean 'schedule'?); columns: id, "
        "schedule, timezone, participants, title, conference, lead_days, template",
        "row 1, column schedule: is missing: add a column of that name",
        "row 1, column participants: is missing: add a column of that name",
    ]


def test_an_id_of_the_config_is_updated_not_duplicated(tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    config.write_text(EXAMPLE_CONFIG)
    imported(config, HEADER + RUTH_HEATHER + RUTH_HEATHER.replace("ruth-heather", "ruth-heather-2"))
    assert [s.id for s in load_config(config).series] == ["ruth-heather", "ruth-heather-2"]


# --- the command ---------------------------------------------------------------------------------


def invoke(config: Path, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, list(args), obj=App(config_path=config))
    return result.exit_code, result.output


def test_series_import_dry_run_writes_nothing(tmp_path: Path) -> None:
    config, roster = tmp_path / "config.toml", tmp_path / "roster.csv"
    roster.write_text(HEADER + RUTH_HEATHER + ANA_BO)
    code, output = invoke(config, "series", "import", str(roster), "--dry-run")
    assert code == 0, output
    assert output.splitlines() == [
        "ruth-heather: added (row 2)",
        "ana-bo: added (row 3)",
        f"Would write {config}: 2 added, 0 updated, 0 unchanged (dry run; nothing written).",
    ]
    assert not config.exists()
    assert invoke(config, "series", "import", str(roster))[0] == 0
    code, output = invoke(config, "series", "import", str(roster))
    assert output.strip() == f"No changes: {config} already matches roster.csv (2 series)."


def test_series_import_reports_bad_rows_as_json_and_exits_2(tmp_path: Path) -> None:
    config, roster = tmp_path / "config.toml", tmp_path / "roster.csv"
    roster.write_text(HEADER + BAD_ROWS[3][0] + "\n" + ANA_BO)
    result = CliRunner().invoke(
        cli, ["series", "import", str(roster), "--json"], obj=App(config_path=config)
    )
    assert result.exit_code == ExitCode.USAGE
    body = json.loads(result.stdout)
    assert body["error"]["problems"] == [
        {
            "row": 2,
            "column": "timezone",
            "problem": "'America/Chicgo' is not a known time zone (did you mean 'America/Chicago'?)",
        }
    ]
    text = CliRunner().invoke(cli, ["series", "import", str(roster)], obj=App(config_path=config))
    assert text.exit_code == ExitCode.USAGE
    assert text.output.splitlines() == [
        "Error: roster.csv: 1 bad row, nothing was imported:",
        "  row 2, column timezone: 'America/Chicgo' is not a known time zone (did you mean 'America/Chicago'?)",
    ]


def test_an_empty_cell_puts_the_default_back(tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    imported(config, HEADER + RUTH_HEATHER.replace(",7,\n", ",5,\n"))
    assert imported(config, HEADER + RUTH_HEATHER.replace(",7,\n", ",,\n")) == [
        "ruth-heather: lead_days: 5 -> (default 7)"
    ]
    assert "lead_days" not in config.read_text()
    assert load_config(config).series[0].lead_days == 7
