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

    coloured = CliRunner().invoke(cli, ["run", "--all"], obj=app(), color=True).output
    lines = coloured.splitlines()
    assert lines[0].startswith("\x1b[32m") and "appended the agenda for 2026-12-08" in lines[0]
    assert lines[1].startswith("\x1b[31m") and lines[1].endswith("\x1b[0m")
    assert click.unstyle(lines[1]).startswith("kim-lee: ")

    again = CliRunner().invoke(cli, ["run", "--all"], obj=app(), color=True).output
    assert not again.splitlines()[0].startswith("\x1b[")  # "already in the doc": plain
    piped = CliRunner().invoke(cli, ["run", "--all"], obj=app()).output
    assert "\x1b[" not in piped
