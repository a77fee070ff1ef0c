"""`gworkflow run`'s summary: green when it appended, red when it failed, on a terminal only."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click
from click.testing import CliRunner

from gworkflow.cli import cli
from gworkflow.cli._common import App
from gworkflow.config import EXAMPLE_CONFIG
from gworkflow.sandbox.server import Sandbox

NOW = dt.datetime(2026, 12, 2, 12, 0, tzinfo=dt.UTC)


def test_run_summary_is_coloured_by_outcome(sb: Sandbox, config_file: Path) -> None:
    # A second series whose doc does not exist: it fails, the first one appends.
    broken = (
        EXAMPLE_CONFIG.split("[[series]]", 1)[1]
        .replace('id = "ruth-heather"', 'id = "kim-lee"')
        .replace('doc_id = ""', 'doc_id = "no-such-doc"')
    )
    config_file.write_text(EXAMPLE_CONFIG + "\n[[series]]" + broken)

    def app() -> App:
        return App(api_endpoint=sb.base_url, clock=lambda: NOW)

    assert (
        CliRunner().invoke(cli, ["doc", "create", "--series", "ruth-heather"], obj=app()).exit_code
        == 0
    )

    # `run --all` ends with a table of counts, then the failures (see test_programme.py).
    coloured = CliRunner().invoke(cli, ["run", "--all"], obj=app(), color=True).output
    lines = coloured.splitlines()
    assert lines[0].startswith("\x1b[32m") and click.unstyle(lines[0]).split() == ["appended", "1"]
    failed = next(line for line in lines if click.unstyle(line).startswith("failed"))
    assert failed.startswith("\x1b[31m") and failed.endswith("\x1b[0m")
    # The failure itself follows on stderr, red too.
    failure = next(line for line in lines if click.unstyle(line).startswith("Error: "))
    assert failure.startswith("\x1b[31m") and click.unstyle(failure).startswith("Error: kim-lee: ")

    again = CliRunner().invoke(cli, ["run", "--all"], obj=app(), color=True).output
    assert not again.splitlines()[0].startswith("\x1b[")  # nothing appended: plain
    piped = CliRunner().invoke(cli, ["run", "--all"], obj=app()).output
    assert "\x1b[" not in piped
