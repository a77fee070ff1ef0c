"""`gworkflow selftest`: run the probes against the endpoint in use and print the table."""

from __future__ import annotations

from pathlib import Path

import click

from gworkflow.cli._common import App, emit, json_option, pass_app, progress, series_option


@click.command("selftest")
@series_option
@click.option(
    "--keep",
    is_flag=True,
    help="Leave the scratch doc and event in place (to look at them); say where they are.",
)
@click.option(
    "--report",
    "report_file",
    metavar="FILE",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Also write every request and answer as JSON to FILE, with tokens, e-mail "
    "addresses and names redacted, to attach to a bug report.",
)
@json_option
@pass_app
def selftest(
    app: App, series_id: str | None, keep: bool, report_file: Path | None, as_json: bool
) -> None:
    """Check that Google answers the requests gworkflow sends as gworkflow expects.

    Runs against the endpoint in use: Google when signed in, the sandbox when
    GWORKFLOW_API_ENDPOINT is set. Creates a scratch doc ("gworkflow self-test — safe to
    delete") and a scratch recurring event on the series' calendar (no attendees, nobody
    notified), runs each probe, then deletes the event and moves the doc to Drive's trash
    (unless --keep). Each probe is pass, fail, or info: an open question about Google
    that the observed answer settles. Exits 1 when a probe fails.
    """
    import datetime as dt
    import json
    import platform
    from importlib.metadata import version

    from gworkflow import __version__
    from gworkflow.cli._common import build_app_clients
    from gworkflow.errors import ExitCode
    from gworkflow.selftest.recorder import Recorder, redacted_report
    from gworkflow.selftest.results import GOOGLE
    from gworkflow.selftest.runner import PROBES, run_selftest

    series = app.series(series_id)
    endpoint = app.endpoint() or GOOGLE
    recorder = Recorder()
    clients = build_app_clients(app, wrap_http=recorder.wrap)
    where = "Google" if endpoint == GOOGLE else endpoint
    progress(f"running {len(PROBES)} probes against {where} (calendar {series.calendar_id!r})")
    started = app.clock()
    report = run_selftest(clients, series, started, endpoint, recorder, keep=keep)
    emit(report, as_json)
    if report_file is not None:
        meta = {
            "gworkflow": __version__,
            "google-api-python-client": version("google-api-python-client"),
            "python": platform.python_version(),
            "started": started.astimezone(dt.UTC).isoformat(),
        }
        full = redacted_report(report.as_json(), recorder.exchanges, meta)
        report_file.write_text(json.dumps(full, indent=2, ensure_ascii=False) + "\n", "utf-8")
        progress(f"report written to {report_file} ({len(recorder.exchanges)} requests)")
    if not report.ok:
        click.get_current_context().exit(ExitCode.FAILED)
