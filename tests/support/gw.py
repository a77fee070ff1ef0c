"""Running `gworkflow ...` in-process for the end-to-end tests, the way cron or a person
would, with a chosen Google endpoint (the sandbox, or the misbehaving `support.edge` in
front of it) and a chosen moment.

`Result.stdout` and `Result.stderr` are kept apart (click's CliRunner), because where a
line goes is part of what these tests check: cron mails stdout and stderr, scripts read
stdout.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from click.testing import CliRunner, Result

from gworkflow.cli import cli
from gworkflow.cli._common import App

# Inside the agenda window of the example series' 2026-12-08 meeting (lead_days = 7).
IN_WINDOW = dt.datetime(2026, 12, 2, 15, 0, tzinfo=dt.UTC)
MEETING = dt.date(2026, 12, 8)


def gworkflow(
    *args: str,
    endpoint: str = "",
    now: dt.datetime = IN_WINDOW,
    input: str | None = None,
    verbose: int = 0,
) -> Result:
    """`gworkflow ARGS` against `endpoint` (none: Google, i.e. the saved sign-in), at `now`."""
    app = App(api_endpoint=endpoint, clock=lambda: now, verbose=verbose)
    return CliRunner().invoke(cli, list(args), obj=app, input=input, catch_exceptions=False)


def json_of(result: Result) -> Any:
    return json.loads(result.stdout)


def one_error_line(result: Result) -> str:
    """The one line a failing command printed on stderr (and no traceback anywhere)."""
    assert "Traceback" not in result.output, result.output
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, result.stderr
    return lines[0]


def set_up(endpoint: str) -> str:
    """The example series' running doc (shared with the participants) and event (no
    invitations), made through the CLI; returns the doc id."""
    created = gworkflow("doc", "create", "--json", endpoint=endpoint)
    assert created.exit_code == 0, created.output
    made = gworkflow("event", "create", "--no-invites", endpoint=endpoint, now=IN_WINDOW)
    assert made.exit_code == 0, made.output
    return str(json_of(created)["doc_id"])
