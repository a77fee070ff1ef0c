"""Failures reach a person: a daily run that fails says so where someone looks (stderr,
which cron mails; the log file, at ERROR with the fix; the state file, which `doctor`
reads), is silent when all is well with --quiet, and `doctor` tells a stopped or failing
job apart from a healthy one.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from support.edge import closed_port
from support.gw import IN_WINDOW, gworkflow, json_of, one_error_line, set_up

from gworkflow.config import EXAMPLE_CONFIG
from gworkflow.errors import ExitCode
from gworkflow.sandbox.server import Sandbox

pytestmark = pytest.mark.usefixtures("config_file")


def second_series(config_file: Path, doc_id: str = "") -> None:
    """Add the series "ana-bo" (a copy of the example) to the config."""
    copy = EXAMPLE_CONFIG.split("[[series]]", 1)[1].replace("ruth-heather", "ana-bo")
    copy = copy.replace('doc_id = ""', f'doc_id = "{doc_id}"')
    config_file.write_text(config_file.read_text() + "\n[[series]]" + copy)


def error_lines(log: Path) -> list[str]:
    return [line for line in log.read_text().splitlines() if " ERROR " in line]


def state(config_file: Path) -> dict[str, dict[str, object]]:
    data = json.loads(config_file.with_name("config.state.json").read_text())
    assert data["version"] == 1
    series: dict[str, dict[str, object]] = data["series"]
    return series


# --- the log file and stderr ---------------------------------------------------------------


def test_a_missing_sign_in_under_cron_is_logged_at_error_with_the_fix(
    config_file: Path, tmp_path: Path
) -> None:
    config_file.write_text(EXAMPLE_CONFIG.replace('doc_id = ""', 'doc_id = "abc"'))
    log = tmp_path / "run.log"
    result = gworkflow("run", "--all", "--quiet", "--log-file", str(log))
    assert result.exit_code == ExitCode.SIGN_IN
    assert result.stdout == ""
    assert one_error_line(result) == "Error: not signed in: run `gworkflow auth login`"
    (logged,) = error_lines(log)
    assert logged.endswith("ERROR gworkflow.run: not signed in: run `gworkflow auth login`")
    # doctor will know the last run failed, and why.
    assert state(config_file)["ruth-heather"]["ok"] is False


def test_an_api_failure_is_logged_at_error_with_the_fix_and_printed_on_stderr(
    sb: Sandbox, config_file: Path, tmp_path: Path
) -> None:
    doc_id = set_up(sb.base_url)
    sb.docs.delete(doc_id)
    log = tmp_path / "run.log"
    result = gworkflow("run", "--log-file", str(log), endpoint=sb.base_url)
    assert result.exit_code == ExitCode.FAILED
    line = one_error_line(result)
    assert line.startswith("Error: ruth-heather: could not read Google Doc")
    assert "`gworkflow doc create`" in line  # the fix
    (logged,) = error_lines(log)
    assert logged.endswith(line.removeprefix("Error: "))


def test_quiet_prints_nothing_when_all_is_well(sb: Sandbox, tmp_path: Path) -> None:
    set_up(sb.base_url)
    log = tmp_path / "run.log"
    result = gworkflow("run", "--all", "--quiet", "--log-file", str(log), endpoint=sb.base_url)
    assert result.exit_code == 0
    assert (result.stdout, result.stderr) == ("", "")
    assert (
        " INFO gworkflow.run: ruth-heather: appended the agenda for 2026-12-08" in log.read_text()
    )
    assert error_lines(log) == []


def test_quiet_prints_only_the_failures(sb: Sandbox, config_file: Path) -> None:
    set_up(sb.base_url)
    second_series(config_file)  # ana-bo has no doc yet
    result = gworkflow("run", "--all", "--quiet", endpoint=sb.base_url)
    assert result.exit_code == ExitCode.USAGE
    assert result.stdout == ""
    assert one_error_line(result).startswith("Error: ana-bo: series 'ana-bo' has no running doc")


# --- one series' failure never stops the others nor the summary ----------------------------


@pytest.mark.parametrize("text", ["", "   \n\n\t \n"], ids=["empty", "whitespace"])
def test_an_empty_template_is_a_template_error_naming_the_file(
    sb: Sandbox, config_file: Path, text: str
) -> None:
    template = config_file.parent / "empty.md.j2"
    template.write_text(text)
    set_up(sb.base_url)
    config_file.write_text(
        config_file.read_text().replace('# template = "agenda.md.j2"', 'template = "empty.md.j2"')
    )
    preview = gworkflow("agenda", "preview", endpoint=sb.base_url)
    assert preview.exit_code == ExitCode.USAGE
    line = one_error_line(preview)
    assert line.startswith(f"Error: template {template}: renders nothing"), line


def test_a_template_error_in_one_series_does_not_stop_the_others_or_the_summary(
    sb: Sandbox, config_file: Path
) -> None:
    template = config_file.parent / "empty.md.j2"
    template.write_text(" \n")
    doc_id = set_up(sb.base_url)
    text = config_file.read_text()
    broken = text.replace('# template = "agenda.md.j2"', 'template = "empty.md.j2"')
    config_file.write_text(broken)
    second_series(config_file, doc_id)  # ana-bo writes into the same doc, default template
    result = gworkflow("run", "--all", "--json", endpoint=sb.base_url)
    assert result.exit_code == ExitCode.USAGE
    rows = {row["series"]: row for row in json_of(result)}
    assert rows["ruth-heather"]["action"] == "failed"
    assert f"template {template}: renders nothing" in rows["ruth-heather"]["message"]
    assert rows["ana-bo"]["action"] == "appended"


def test_an_unexpected_failure_in_one_series_does_not_stop_the_others(
    sb: Sandbox, config_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from gworkflow import programme, runner

    doc_id = set_up(sb.base_url)
    second_series(config_file, doc_id)
    real = runner.run_series

    def buggy(series: object, *args: object, **kwargs: object) -> object:
        if getattr(series, "id", "") == "ruth-heather":
            raise KeyError("startIndex")  # a bug, not a user's mistake
        return real(series, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(runner, "run_series", buggy)
    monkeypatch.setattr(programme, "run_series", buggy)  # where `run --all` calls it
    result = gworkflow("run", "--all", "--json", endpoint=sb.base_url)
    assert result.exit_code == ExitCode.FAILED
    assert "Traceback" not in result.output
    rows = {row["series"]: row for row in json_of(result)}
    assert (
        "gworkflow failed unexpectedly (KeyError: 'startIndex')" in rows["ruth-heather"]["message"]
    )
    assert rows["ana-bo"]["action"] == "appended"


# --- cron print ----------------------------------------------------------------------------


def test_cron_print_keeps_the_output_for_cron_to_mail(isolated_home: Path) -> None:
    result = gworkflow("cron", "print", "--mailto", "ruth@example.edu")
    assert result.exit_code == 0
    lines = result.stdout.strip().splitlines()
    assert "MAILTO=ruth@example.edu" in lines
    line = lines[-1]
    assert line.endswith(" --quiet")  # silent unless something failed
    assert ">/dev/null" not in line and "2>&1" not in line
    assert f"--log-file {isolated_home.resolve() / 'run.log'}" in line


def test_cron_print_names_a_mailto_by_default() -> None:
    result = gworkflow("cron", "print")
    assert any(line.startswith("MAILTO=") and len(line) > 7 for line in result.stdout.splitlines())


@pytest.mark.parametrize("where", ["environment", "config"])
def test_cron_print_refuses_a_sandbox_endpoint_unless_asked(
    config_file: Path, monkeypatch: pytest.MonkeyPatch, where: str
) -> None:
    endpoint = "http://127.0.0.1:8765"
    if where == "environment":
        monkeypatch.setenv("GWORKFLOW_API_ENDPOINT", endpoint)
    else:
        config_file.write_text(f'api_endpoint = "{endpoint}"\n' + config_file.read_text())
    refused = gworkflow("cron", "print")
    assert refused.exit_code == ExitCode.USAGE
    assert "a sandbox on this machine" in refused.output and "--allow-sandbox" in refused.output
    assert "* * *" not in refused.stdout
    allowed = gworkflow("cron", "print", "--allow-sandbox")
    assert allowed.exit_code == 0 and "* * *" in allowed.stdout


# --- the state file and doctor -------------------------------------------------------------


def test_run_records_each_series_outcome_atomically_next_to_the_config(
    sb: Sandbox, config_file: Path
) -> None:
    set_up(sb.base_url)
    second_series(config_file)
    gworkflow("run", "--all", endpoint=sb.base_url)
    recorded = state(config_file)
    assert recorded["ruth-heather"]["ok"] is True
    assert recorded["ruth-heather"]["action"] == "appended"
    assert recorded["ruth-heather"]["last_run"] == IN_WINDOW.isoformat()
    assert recorded["ana-bo"]["ok"] is False and recorded["ana-bo"]["last_success"] is None
    # Replaced atomically: no temporary file is left beside it.
    assert sorted(p.name for p in config_file.parent.glob(".*.tmp")) == []
    # A later failure keeps the time of the last success.
    later = IN_WINDOW + dt.timedelta(days=1)
    sb.faults.add("GET", "*/instances", status=400)
    gworkflow("run", "--series", "ruth-heather", endpoint=sb.base_url, now=later)
    again = state(config_file)["ruth-heather"]
    assert again["ok"] is False and again["last_success"] == IN_WINDOW.isoformat()


def doctor_line(result: object, name: str) -> str:
    lines = [line for line in result.stdout.splitlines() if f"] {name}:" in line]  # type: ignore[attr-defined]
    assert len(lines) == 1, result.stdout  # type: ignore[attr-defined]
    return lines[0]


def test_doctor_reports_the_last_successful_run(sb: Sandbox) -> None:
    set_up(sb.base_url)
    assert gworkflow("run", endpoint=sb.base_url).exit_code == 0
    two_days_later = IN_WINDOW + dt.timedelta(days=2, hours=1)
    result = gworkflow("doctor", endpoint=sb.base_url, now=two_days_later)
    assert result.exit_code == 0, result.output
    assert doctor_line(result, "ruth-heather: last run") == (
        "[ok  ] ruth-heather: last run: last successful run: 2 days ago (appended)"
    )


def test_doctor_fails_when_no_run_happened_in_three_days(sb: Sandbox) -> None:
    set_up(sb.base_url)
    assert gworkflow("run", endpoint=sb.base_url).exit_code == 0
    result = gworkflow("doctor", endpoint=sb.base_url, now=IN_WINDOW + dt.timedelta(days=4))
    assert result.exit_code == ExitCode.FAILED
    assert "last successful run: 4 days ago" in doctor_line(result, "ruth-heather: last run")
    assert "fix: schedule the daily job (`gworkflow cron print`)" in result.stdout


def test_doctor_fails_when_no_run_was_ever_recorded(sb: Sandbox) -> None:
    set_up(sb.base_url)
    result = gworkflow("doctor", endpoint=sb.base_url)
    assert result.exit_code == ExitCode.FAILED
    assert "no run recorded yet" in doctor_line(result, "ruth-heather: last run")


def test_doctor_fails_when_the_last_run_failed_and_says_why(sb: Sandbox) -> None:
    doc_id = set_up(sb.base_url)
    assert gworkflow("run", endpoint=sb.base_url).exit_code == 0
    sb.docs.delete(doc_id)
    tomorrow = IN_WINDOW + dt.timedelta(days=1)
    assert gworkflow("run", endpoint=sb.base_url, now=tomorrow).exit_code == ExitCode.FAILED
    result = gworkflow("doctor", endpoint=sb.base_url, now=tomorrow)
    assert result.exit_code == ExitCode.FAILED
    line = doctor_line(result, "ruth-heather: last run")
    assert "the last run (just now" in line and "failed: ruth-heather: could not read" in line


def test_doctor_without_network_is_quiet_says_each_fix_once_and_v_shows_details(
    config_file: Path,
) -> None:
    config_file.write_text(EXAMPLE_CONFIG.replace('doc_id = ""', 'doc_id = "doc1"'))
    second_series(config_file, "doc2")
    nowhere = f"http://127.0.0.1:{closed_port()}"
    result = gworkflow("doctor", endpoint=nowhere)
    assert result.exit_code == ExitCode.FAILED
    assert "WARNING" not in result.output and "Traceback" not in result.output
    assert result.stdout.count("fix: Google did not answer as expected") == 1
    assert result.stdout.count("Connection refused") == 1
    assert "not checked: the same failure as above" in result.stdout
    detailed = gworkflow("doctor", endpoint=nowhere, verbose=1)
    assert detailed.stdout.count("Connection refused") >= 4  # every check's own words
    assert "not checked" not in detailed.stdout


def test_doctor_exits_3_when_the_problem_is_sign_in(config_file: Path) -> None:
    config_file.write_text(EXAMPLE_CONFIG.replace('doc_id = ""', 'doc_id = "doc1"'))
    result = gworkflow("doctor")
    assert result.exit_code == ExitCode.SIGN_IN, result.output
    assert "[FAIL] sign-in: not signed in: run `gworkflow auth login`" in result.stdout
    assert "WARNING" not in result.output


def test_the_readme_says_how_failures_reach_a_person() -> None:
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text()
    running = readme.split("### Running it daily", 1)[1].split("### Scopes", 1)[0]
    assert "OnFailure=" in running and "MAILTO=" in running
    cron_lines = [line for line in running.splitlines() if line.startswith("17 7 * * * ")]
    assert cron_lines and all(
        line.endswith(" --quiet") and ">/dev/null" not in line for line in cron_lines
    )


def test_info_lines_go_to_the_log_file_not_to_cron_mail(tmp_path: Path) -> None:
    # A renewed token or a retry is logged at INFO: into the file, never onto stderr.
    import io
    import logging

    from gworkflow.cli.run_cmd import _run_log

    root = logging.getLogger()
    stream = io.StringIO()
    stderr_handler = logging.StreamHandler(stream)  # what `gworkflow`'s logging set-up adds
    root.addHandler(stderr_handler)
    old = root.level
    root.setLevel(logging.WARNING)
    log = tmp_path / "run.log"
    try:
        with _run_log(log, verbose=0):
            logging.getLogger("gworkflow.google.credentials").info("renewed the access token")
        logging.getLogger("gworkflow.google.credentials").info("after the run")
    finally:
        root.removeHandler(stderr_handler)
        root.setLevel(old)
    assert stream.getvalue() == ""
    assert "INFO gworkflow.google.credentials: renewed the access token" in log.read_text()
    assert "after the run" not in log.read_text()
