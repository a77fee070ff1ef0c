"""The transport edge: whatever answers in Google's place, `gworkflow run` and `doctor` end
with one line that says what answered, and a documented exit code; never a traceback, never
a success that did not happen.

`support.edge.Edge` stands between gworkflow and the sandbox and answers what a broken
network answers: bytes that are not HTTP, TLS on an http:// address, a body cut short,
an HTML captive portal, `null`, `[]`, JSON of the wrong shape, a 401 page, silence. Every
test keeps under a couple of seconds with a short `--deadline`.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from support import witness
from support.edge import CAPTIVE_PORTAL, Edge
from support.gw import IN_WINDOW, MEETING, gworkflow, json_of, one_error_line, set_up

from gworkflow.cli import cli
from gworkflow.errors import ExitCode
from gworkflow.sandbox.server import Sandbox

DOC_GET = "/v1/documents/*"
BATCH = "/v1/documents/*:batchUpdate"
INSTANCES = "/calendar/v3/calendars/*/events/*/instances"
EVENTS = "/calendar/v3/calendars/*/events"
ALWAYS = 100  # every request matching the rule, for the whole test

pytestmark = pytest.mark.usefixtures("config_file")


@pytest.fixture
def edge(sb: Sandbox, config_file: object) -> Iterator[Edge]:
    with Edge(sb.base_url) as proxy:
        yield proxy


def sections(sb: Sandbox, doc_id: str) -> int:
    return witness.marker_count(sb.docs.get(doc_id, True), "ruth-heather", MEETING)


def run_through(edge: Edge, *extra: str) -> object:
    return gworkflow("run", "--deadline", "3s", *extra, endpoint=edge.url)


# --- what answered, in one line ------------------------------------------------------------

ANSWERS = [
    pytest.param(
        dict(behaviour="garbage", path=INSTANCES),
        "answered with something that is not HTTP",
        id="garbage-status-line",
    ),
    pytest.param(
        dict(behaviour="tls", path=INSTANCES),
        "answered with TLS (https) to a plain http:// request: use https://",
        id="tls-bytes-over-http",
    ),
    pytest.param(
        dict(behaviour="truncate", method="GET", path=DOC_GET),
        "the answer from the server at 127.0.0.1",
        id="truncated-body",
    ),
    pytest.param(
        dict(behaviour="close", path=INSTANCES),
        "check the network and try again",
        id="closed-without-answer",
    ),
    pytest.param(
        dict(
            behaviour="answer",
            method="GET",
            path=DOC_GET,
            body=CAPTIVE_PORTAL,
            content_type="text/html",
        ),
        "answered with an HTML page, not Google's API: a captive portal or proxy?",
        id="200-html-captive-portal",
    ),
    pytest.param(
        dict(behaviour="answer", method="GET", path=DOC_GET, body="OK", content_type="text/plain"),
        "answered with text that is not JSON ('OK')",
        id="200-not-json",
    ),
    pytest.param(
        dict(behaviour="answer", method="GET", path=DOC_GET, body="null"),
        "JSON that is not Google Docs' answer (the document is null, not an object)",
        id="200-null",
    ),
    pytest.param(
        dict(behaviour="answer", method="GET", path=DOC_GET, body="[]"),
        "JSON that is not Google Docs' answer (the document is a list, not an object)",
        id="200-empty-list",
    ),
    pytest.param(
        dict(behaviour="answer", method="GET", path=DOC_GET, body='{"body": "x"}'),
        "(body is a string, not an object)",
        id="200-body-x",
    ),
    pytest.param(
        dict(behaviour="answer", method="GET", path=DOC_GET, body='{"tabs": "x"}'),
        "(tabs is a string, not a list)",
        id="200-tabs-x",
    ),
    pytest.param(
        dict(behaviour="answer", path=INSTANCES, body="{}"),
        "JSON that is not Google Calendar's answer (the answer has no items",
        id="200-empty-object-for-a-list",
    ),
    pytest.param(
        dict(
            behaviour="answer",
            path=INSTANCES,
            status=401,
            body=CAPTIVE_PORTAL,
            content_type="text/html",
        ),
        "answered 401 with an HTML page, not Google's API",
        id="401-html",
    ),
]


@pytest.mark.parametrize(("rule", "words"), ANSWERS)
def test_run_says_in_one_line_what_answered(
    sb: Sandbox, edge: Edge, rule: dict[str, object], words: str
) -> None:
    doc_id = set_up(sb.base_url)
    edge.add(count=ALWAYS, **rule)  # type: ignore[arg-type]
    started = time.monotonic()
    result = run_through(edge)
    assert result.exit_code == ExitCode.FAILED, result.output
    line = one_error_line(result)
    assert line.startswith("Error: ruth-heather: could not "), line
    assert words in line, line
    assert result.stdout == ""
    assert time.monotonic() - started < 5
    # Nothing was written on the strength of an answer that was not Google's.
    assert sections(sb, doc_id) == 0


@pytest.mark.parametrize(("rule", "words"), ANSWERS[:6])
def test_doctor_says_in_one_line_per_check_what_answered(
    sb: Sandbox, edge: Edge, rule: dict[str, object], words: str, config_file: Path
) -> None:
    set_up(sb.base_url)
    config_file.write_text('deadline = "2s"\n' + config_file.read_text())
    edge.add(count=ALWAYS, **{**rule, "path": "*"})  # type: ignore[arg-type]
    result = gworkflow("doctor", endpoint=edge.url, verbose=1)
    assert result.exit_code == ExitCode.FAILED, result.output
    assert "Traceback" not in result.output
    failed = [line for line in result.stdout.splitlines() if line.startswith("[FAIL]")]
    assert failed and all("could not" in line or "last run" in line for line in failed)
    assert any(words.split(":")[0] in line for line in failed), result.stdout


def test_a_write_answered_with_a_page_cut_short_lands_once(sb: Sandbox, edge: Edge) -> None:
    # The write reaches Google, its answer is cut short: the run reads the doc again, finds
    # the section and says it appended it, once.
    doc_id = set_up(sb.base_url)
    edge.add("truncate", method="POST", path=BATCH)
    result = run_through(edge, "--json")
    assert result.exit_code == 0, result.output
    assert json_of(result)[0]["action"] == "appended"
    assert sections(sb, doc_id) == 1


# --- never report success that did not happen ----------------------------------------------


@pytest.mark.parametrize(
    "body",
    [pytest.param("{}", id="empty-object"), pytest.param("<html>OK</html>", id="not-json")],
)
def test_an_event_insert_answered_200_without_an_event_is_not_an_event_created(
    sb: Sandbox, edge: Edge, body: str
) -> None:
    created = gworkflow("doc", "create", "--no-share", endpoint=sb.base_url)
    assert created.exit_code == 0
    edge.add("answer", method="POST", path=EVENTS, body=body, count=ALWAYS)
    for _day in range(2):  # the same every day: never "created" while none exists
        result = run_through(edge, "--json")
        assert result.exit_code == ExitCode.FAILED, result.output
        (row,) = json_of(result)
        assert row["action"] == "failed" and row["event_created"] is False
        assert "created the calendar event" not in result.output
        assert "could not create the series' event" in row["message"]
    assert sb.calendar.summaries() == []


def test_a_write_answered_200_with_an_empty_object_is_not_reported_appended(
    sb: Sandbox, edge: Edge
) -> None:
    doc_id = set_up(sb.base_url)
    edge.add("answer", method="POST", path=BATCH, body="{}", count=ALWAYS)
    result = gworkflow("run", "--deadline", "2s", "--json", endpoint=edge.url)
    assert result.exit_code == ExitCode.FAILED, result.output
    (row,) = json_of(result)
    assert row["action"] == "failed"
    assert sections(sb, doc_id) == 0


# --- a deadline; refused and unresolvable fail fast ----------------------------------------


@pytest.mark.parametrize(
    "path", [pytest.param("*", id="whole-endpoint"), pytest.param(DOC_GET, id="docs-get")]
)
def test_a_server_that_never_answers_is_given_up_at_the_deadline(
    sb: Sandbox, edge: Edge, path: str
) -> None:
    set_up(sb.base_url)
    edge.add("hang", path=path, method="GET", count=ALWAYS)
    started = time.monotonic()
    result = gworkflow("run", "--deadline", "1s", endpoint=edge.url)
    elapsed = time.monotonic() - started
    assert result.exit_code == ExitCode.FAILED, result.output
    line = one_error_line(result)
    assert "1-second deadline" in line and "--deadline" in line, line
    assert elapsed < 2.5, elapsed


def test_a_write_that_never_answers_is_given_up_at_the_deadline(sb: Sandbox, edge: Edge) -> None:
    doc_id = set_up(sb.base_url)
    edge.add("hang", method="POST", path=BATCH, count=ALWAYS)
    started = time.monotonic()
    result = gworkflow("run", "--deadline", "1s", endpoint=edge.url)
    assert time.monotonic() - started < 2.5
    assert result.exit_code == ExitCode.FAILED
    assert "1-second deadline" in one_error_line(result)
    assert sections(sb, doc_id) == 0


def test_the_config_sets_the_deadline(sb: Sandbox, edge: Edge, config_file: Path) -> None:
    set_up(sb.base_url)
    config_file.write_text('deadline = "1s"\n' + config_file.read_text())
    edge.add("hang", path="*", count=ALWAYS)
    started = time.monotonic()
    result = gworkflow("run", endpoint=edge.url)
    assert result.exit_code == ExitCode.FAILED
    assert "1-second deadline" in one_error_line(result)
    assert time.monotonic() - started < 2.5


def test_retries_of_a_failing_google_fit_inside_the_deadline(sb: Sandbox) -> None:
    set_up(sb.base_url)
    sb.faults.add("GET", "*/instances", status=503, count=ALWAYS)
    started = time.monotonic()
    result = gworkflow("run", "--deadline", "2s", endpoint=sb.base_url)
    assert time.monotonic() - started < 3
    assert result.exit_code == ExitCode.FAILED
    line = one_error_line(result)
    assert "answered 503" in line and "gave up at the run's 2-second deadline" in line, line


@pytest.mark.parametrize(
    ("endpoint", "words"),
    [
        pytest.param("refused", "Connection refused", id="connection-refused"),
        pytest.param(
            "http://gworkflow-sandbox.invalid:8765", "gworkflow-sandbox.invalid", id="dns"
        ),
    ],
)
def test_refused_or_unresolvable_fails_fast_without_retries(
    config_file: Path, endpoint: str, words: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from support.edge import closed_port

    if endpoint == "refused":
        endpoint = f"http://127.0.0.1:{closed_port()}"
    sleeps: list[float] = []
    monkeypatch.setattr("time.sleep", sleeps.append)  # a retry would back off first
    config_file.write_text(config_file.read_text().replace('doc_id = ""', 'doc_id = "doc1"'))
    started = time.monotonic()
    result = gworkflow("run", endpoint=endpoint)
    assert time.monotonic() - started < 1
    assert result.exit_code == ExitCode.FAILED
    line = one_error_line(result)
    assert "cannot reach Google Calendar" in line or words in line, line
    assert sleeps == []


def test_waiting_for_another_runs_lock_fits_inside_the_deadline(sb: Sandbox) -> None:
    from filelock import FileLock

    from gworkflow.paths import lock_path

    set_up(sb.base_url)
    with FileLock(str(lock_path("ruth-heather"))):
        started = time.monotonic()
        result = gworkflow("run", "--deadline", "1s", endpoint=sb.base_url)
        assert time.monotonic() - started < 2.5
    assert result.exit_code == ExitCode.FAILED
    assert "another gworkflow run holds" in one_error_line(result)


# --- the token endpoint --------------------------------------------------------------------

TOKEN_ANSWERS = [
    pytest.param(200, CAPTIVE_PORTAL, "text/html", "answered 200 with an HTML page", id="200-html"),
    pytest.param(
        200,
        "null",
        "application/json",
        "answered 200 with JSON that is not an object (null)",
        id="200-null",
    ),
    pytest.param(
        200,
        "{}",
        "application/json",
        "answered 200 with JSON without an access token",
        id="200-empty-object",
    ),
    pytest.param(401, CAPTIVE_PORTAL, "text/html", "answered 401 with an HTML page", id="401-html"),
]


def expired_sign_in(sb: Sandbox, token_uri: str) -> Path:
    """A saved sign-in whose access token has expired: the next call renews it at
    `token_uri` first."""
    from gworkflow.google.scopes import SCOPES
    from gworkflow.paths import token_path

    info = {
        "token": None,
        "refresh_token": sb.oauth.mint(),
        "token_uri": token_uri,
        "client_id": "client-123.apps.googleusercontent.com",
        "client_secret": "GOCSPX-secret-value",
        "scopes": list(SCOPES),
    }
    path = token_path()
    path.write_text(json.dumps(info))
    path.chmod(0o600)
    return path


@pytest.mark.parametrize(("status", "body", "content_type", "words"), TOKEN_ANSWERS)
def test_a_token_endpoint_that_is_not_googles_is_one_line_at_start(
    sb: Sandbox,
    edge: Edge,
    config_file: Path,
    status: int,
    body: str,
    content_type: str,
    words: str,
) -> None:
    # cron's run: the saved sign-in is renewed before any API call.
    config_file.write_text(config_file.read_text().replace('doc_id = ""', 'doc_id = "doc1"'))
    expired_sign_in(sb, edge.url + "/token")
    edge.add(
        "answer", path="/token", status=status, body=body, content_type=content_type, count=ALWAYS
    )
    result = gworkflow("run", "--all", "--deadline", "3s")
    assert result.exit_code == ExitCode.FAILED, result.output
    line = one_error_line(result)
    assert "could not renew the Google sign-in: the server at 127.0.0.1" in line, line
    assert words in line and "not Google's token endpoint: a captive portal or proxy?" in line


@pytest.mark.parametrize(("status", "body", "content_type", "words"), TOKEN_ANSWERS)
def test_a_token_endpoint_that_is_not_googles_is_one_line_inside_a_call(
    sb: Sandbox,
    edge: Edge,
    config_file: Path,
    status: int,
    body: str,
    content_type: str,
    words: str,
) -> None:
    # The access token expires during a run: the API call renews it on its own.
    from gworkflow.cli._common import App
    from gworkflow.google.clients import build_clients
    from gworkflow.google.token_file import credentials_from_info, read_token_info

    doc_id = set_up(sb.base_url)
    credentials = credentials_from_info(read_token_info(expired_sign_in(sb, edge.url + "/token")))
    clients = build_clients(credentials, sb.base_url)
    edge.add(
        "answer", path="/token", status=status, body=body, content_type=content_type, count=ALWAYS
    )
    app = App(clock=lambda: IN_WINDOW, _clients=clients)
    result = CliRunner().invoke(cli, ["doc", "show"], obj=app)
    assert result.exit_code == ExitCode.FAILED, result.output
    line = one_error_line(result)
    assert "could not renew the Google sign-in" in line and words in line, line
    assert sections(sb, doc_id) == 0
