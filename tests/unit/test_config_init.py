"""`config init` (the interview on a terminal, the example without one), `config edit`, and
`config check`'s warnings about the example's placeholders."""

from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from gworkflow.cli import cli
from gworkflow.cli._common import App
from gworkflow.cli.config_cmd import zone_completer
from gworkflow.config import EXAMPLE_CONFIG, SAMPLE_JOIN_URL, load_config
from gworkflow.errors import ExitCode

NOW = dt.datetime(2026, 11, 20, 15, 0, tzinfo=dt.UTC)

# What a person types, one answer a line (the comments say which question).
ANSWERS = [
    "Ruth & Heather check-in",  # title
    "Ruth",  # participant 1
    "ruth@uni",  # e-mail: not an address, asked again
    "ruth@uni.edu",
    "New York",  # time zone: "did you mean 'America/New_York'?"
    "",  # yes (the default)
    "Heather",
    "heather@college.org",
    "America/Chicago",
    "",  # no third participant
    "2nd Tusday 14:00",  # schedule: a typo, asked again with the error
    "2nd Tuesday 14:00",
    "",  # the time is in Ruth's zone (the default)
    "",  # 60m
    "https://zoom.us/j/5551234567",
    "y",  # write it
]


def terminal_app() -> App:
    return App(clock=lambda: NOW, terminal=lambda: True)


def interview(answers: list[str], *args: str) -> Result:
    return CliRunner().invoke(
        cli, ["config", "init", *args], input="\n".join(answers) + "\n", obj=terminal_app()
    )


def test_the_interview_writes_a_config_that_check_accepts(isolated_home: Path) -> None:
    result = interview(ANSWERS)
    assert result.exit_code == 0, result.output

    config = load_config(isolated_home / "config.toml")
    series = config.select(None)
    assert series.id == "ruth-heather" and series.title == "Ruth & Heather check-in"
    assert [(p.name, p.email, p.timezone.key) for p in series.participants] == [
        ("Ruth", "ruth@uni.edu", "America/New_York"),
        ("Heather", "heather@college.org", "America/Chicago"),
    ]
    assert series.schedule.text == "2nd Tuesday 14:00"
    assert series.timezone.key == "America/New_York"
    assert series.conference.kind == "zoom"
    assert series.conference.join_url == "https://zoom.us/j/5551234567"
    assert (isolated_home / "config.toml").stat().st_mode & 0o777 == 0o600
    check = CliRunner().invoke(cli, ["config", "check"])
    assert check.exit_code == 0 and "warning" not in check.output


def test_the_interview_re_asks_with_the_error_and_suggests_zones(isolated_home: Path) -> None:
    out = interview(ANSWERS).output
    assert "Error: 'ruth@uni' is not an e-mail address" in out
    assert "Did you mean 'America/New_York'? [Y/n]" in out
    assert "Error: '2nd Tusday 14:00': 'tusday' is not a day of the week; use e.g." in out


def test_the_interview_previews_three_meetings_in_every_zone(isolated_home: Path) -> None:
    out = interview(ANSWERS).output
    preview = out[out.index("Next meetings of ruth-heather") : out.index("Write ")]
    assert preview.count("America/New_York\n") == 3
    assert "  Tue 2026-12-08 14:00 America/New_York" in preview
    assert "      Ruth: Tue 14:00 EST (America/New_York)" in preview
    assert "      Heather: Tue 13:00 CST (America/Chicago)" in preview
    assert "2027-02-09" in preview and "2027-03-09" not in preview
    # The preview comes before the question, and the file after the answer.
    assert out.index("Next meetings") < out.index(f"Write {isolated_home / 'config.toml'}?")


def test_saying_no_writes_nothing(isolated_home: Path) -> None:
    result = interview([*ANSWERS[:-1], "n"])
    assert result.exit_code == 0
    assert "Nothing written." in result.output
    assert not (isolated_home / "config.toml").exists()


def test_a_declined_suggestion_asks_again(isolated_home: Path) -> None:
    answers = [*ANSWERS]
    i = answers.index("America/Chicago")
    answers[i : i + 1] = ["America/Chicgo", "n", "Mars/Olympus", "America/Chicago"]
    result = interview(answers)
    assert result.exit_code == 0, result.output
    assert "Did you mean 'America/Chicago'? [Y/n]: n" in result.output
    assert "Error: 'Mars/Olympus' is not a known time zone" in result.output
    tz = load_config(isolated_home / "config.toml").select(None).participants[1].timezone
    assert tz.key == "America/Chicago"


def test_a_group_of_three_and_google_meet(isolated_home: Path) -> None:
    answers = [*ANSWERS]
    i = answers.index("")  # after the zone suggestion
    j = answers.index("", i + 1)  # "no third participant"
    answers[j : j + 1] = ["Kim", "kim@uni.edu", "Europe/Berlin", ""]
    answers[answers.index("https://zoom.us/j/5551234567")] = "meet"
    result = interview(answers)
    assert result.exit_code == 0, result.output
    series = load_config(isolated_home / "config.toml").select(None)
    assert series.id == "ruth-heather-kim"
    assert [p.name for p in series.participants] == ["Ruth", "Heather", "Kim"]
    assert series.conference.kind == "meet"
    assert "      Kim: Tue 20:00 CET (Europe/Berlin)" in result.output


def test_an_existing_config_is_never_replaced_without_force(config_file: Path) -> None:
    result = interview(ANSWERS)
    assert result.exit_code == ExitCode.USAGE and "already exists" in result.output
    assert "Title" not in result.output  # refused before asking anything
    assert config_file.read_text() == EXAMPLE_CONFIG
    assert interview(ANSWERS, "--force").exit_code == 0
    assert "Ruth & Heather" in config_file.read_text()


def test_without_a_terminal_init_writes_the_example(isolated_home: Path) -> None:
    result = CliRunner().invoke(
        cli, ["config", "init"], input="\n".join(ANSWERS), obj=App(terminal=lambda: False)
    )
    assert result.exit_code == 0
    assert (isolated_home / "config.toml").read_text() == EXAMPLE_CONFIG
    assert "Title" not in result.output


def test_tab_completes_zone_names() -> None:
    complete = zone_completer(["America/Chicago", "America/Chihuahua", "Europe/Berlin"])
    assert [complete("america/chi", i) for i in range(3)] == [
        "America/Chicago",
        "America/Chihuahua",
        None,
    ]
    assert complete("Eu", 0) == "Europe/Berlin"


# --- config check: placeholders ------------------------------------------------------------


def test_check_warns_about_the_examples_placeholders(config_file: Path) -> None:
    result = CliRunner().invoke(cli, ["config", "check"])
    assert result.exit_code == 0
    warning = [line for line in result.output.splitlines() if line.startswith("warning:")]
    assert warning == [
        "warning: series 'ruth-heather': ruth@example.edu, heather@example.org, the sample "
        f"Zoom link {SAMPLE_JOIN_URL} are placeholders from the example; put in the real "
        "ones (`gworkflow config edit`)"
    ]
    body = json.loads(CliRunner().invoke(cli, ["config", "check", "--json"]).stdout)
    assert len(body["warnings"]) == 1 and "ruth@example.edu" in body["warnings"][0]
    assert body["series"][0]["reminders"] == ["30 minutes popup", "1 day email"]


# --- config edit -----------------------------------------------------------------------------


@pytest.fixture
def editor(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fake $EDITOR: each time it is opened it writes the next text of `edits.json` into
    the file, as a person typing and saving would; `opened` counts the openings."""
    script = tmp_path / "editor.py"
    script.write_text(
        "import json, pathlib, sys\n"
        "queue = pathlib.Path(sys.argv[0]).with_name('edits.json')\n"
        "edits = json.loads(queue.read_text())\n"
        "pathlib.Path(sys.argv[1]).write_text(edits.pop(0))\n"
        "queue.write_text(json.dumps(edits))\n"
        "opened = pathlib.Path(sys.argv[0]).with_name('opened')\n"
        "opened.write_text(str(int(opened.read_text() or 0) + 1) if opened.exists() else '1')\n"
    )
    monkeypatch.delenv("VISUAL", raising=False)
    monkeypatch.setenv("EDITOR", f"{sys.executable} {script}")
    return tmp_path


def queue_edits(editor: Path, *texts: str) -> None:
    (editor / "edits.json").write_text(json.dumps(list(texts)))


def times_opened(editor: Path) -> int:
    return int((editor / "opened").read_text())


GOOD = EXAMPLE_CONFIG.replace('title = "Peer mentoring check-in"', 'title = "Our check-in"')
BAD = EXAMPLE_CONFIG.replace('duration = "60m"', 'duration = "60 parsecs"')


def test_edit_checks_the_file_on_save(config_file: Path, editor: Path) -> None:
    queue_edits(editor, GOOD)
    result = CliRunner().invoke(cli, ["config", "edit"])
    assert result.exit_code == 0, result.output
    assert config_file.read_text() == GOOD
    assert f"{config_file}: OK, 1 series" in result.output
    assert "  ruth-heather: Our check-in" in result.output


def test_edit_with_a_mistake_offers_to_reopen_and_keeps_the_edit(
    config_file: Path, editor: Path
) -> None:
    queue_edits(editor, BAD, GOOD)
    result = CliRunner().invoke(
        cli, ["config", "edit"], input="y\n", obj=App(terminal=lambda: True)
    )
    assert result.exit_code == 0, result.output
    assert "error: " in result.output and "series[0].duration: '60 parsecs'" in result.output
    assert "Open the file again to fix it? [Y/n]: y" in result.output
    assert times_opened(editor) == 2
    assert config_file.read_text() == GOOD


def test_edit_declined_keeps_the_mistaken_edit_and_exits_2(config_file: Path, editor: Path) -> None:
    queue_edits(editor, BAD)
    result = CliRunner().invoke(
        cli, ["config", "edit"], input="n\n", obj=App(terminal=lambda: True)
    )
    assert result.exit_code == ExitCode.USAGE
    assert config_file.read_text() == BAD  # the edit is not lost
    assert result.output.strip().splitlines()[-1] == (
        f"Error: {config_file} keeps your edit, with the mistake above; "
        "`gworkflow config edit` to fix it"
    )


def test_edit_without_a_terminal_reports_the_mistake_in_one_line(
    config_file: Path, editor: Path
) -> None:
    queue_edits(editor, BAD)
    result = CliRunner().invoke(cli, ["config", "edit"], obj=App(terminal=lambda: False))
    assert result.exit_code == ExitCode.USAGE
    assert result.output.strip().splitlines() == [
        f"Error: {config_file}: series[0].duration: '60 parsecs' must be between 5m and 12h, "
        "written like '60m' or '1h30m'"
    ]
    assert times_opened(editor) == 1 and config_file.read_text() == BAD


def test_edit_without_a_config_says_how_to_make_one(isolated_home: Path) -> None:
    result = CliRunner().invoke(cli, ["config", "edit"])
    assert result.exit_code == ExitCode.USAGE
    assert "gworkflow config init" in result.output
