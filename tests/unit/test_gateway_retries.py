"""The gateway's retries and its checks of what answered: what is retried (and how often,
within the deadline), what fails at once, and an answer that is not Google's.

Requests are fakes that play a list of outcomes; no HTTP is involved, and backoff sleeps
are recorded, not slept.
"""

from __future__ import annotations

import http.client
import json
import socket
from types import SimpleNamespace
from typing import Any

import httplib2
import pytest
from googleapiclient.errors import HttpError

from gworkflow.deadline import Deadline
from gworkflow.errors import DeadlinePassed, ExitCode, GoogleUnavailable, UnexpectedAnswer
from gworkflow.google import answers
from gworkflow.google.gateway import (
    NUM_RETRIES,
    ApiError,
    ApiUnavailable,
    Call,
    CheckedTokenTransport,
    UnreadableTokenAnswer,
    execute,
)

CALL = Call("Google Docs", "read Google Doc d1", expect=answers.document)
URI = "https://docs.googleapis.com/v1/documents/d1"


class Played:
    """An HttpRequest answering each execute() with the next outcome (an exception is
    raised); `headers` are handed to response callbacks, as googleapiclient does."""

    def __init__(self, *outcomes: Any, headers: dict[str, str] | None = None) -> None:
        self.outcomes = list(outcomes)
        self.sends: list[int] = []
        self.uri = URI
        self.http = SimpleNamespace(credentials=None)
        self._callbacks: list[Any] = []
        self._headers = headers or {"content-type": "application/json"}

    def add_response_callback(self, callback: Any) -> None:
        self._callbacks.append(callback)

    def execute(self, num_retries: int = 0) -> Any:
        self.sends.append(num_retries)
        outcome = self.outcomes.pop(0) if len(self.outcomes) > 1 else self.outcomes[0]
        if isinstance(outcome, BaseException):
            raise outcome
        for callback in self._callbacks:
            callback(self._headers)
        return outcome


class Sleeps:
    def __init__(self) -> None:
        self.slept: list[float] = []

    def __call__(self, seconds: float) -> None:
        self.slept.append(seconds)


def status(code: int, body: bytes = b"") -> HttpError:
    resp = httplib2.Response({"status": str(code)})
    resp.reason = http.client.responses.get(code, "")
    return HttpError(resp, body, uri=URI)


DOC = {"documentId": "d1", "body": {"content": []}}
UNAVAILABLE = status(503, json.dumps({"error": {"code": 503, "message": "down"}}).encode())


def test_a_transient_failure_is_retried_num_retries_times_then_worded(monkeypatch: Any) -> None:
    monkeypatch.setattr("random.random", lambda: 0.5)
    sleeps = Sleeps()
    request = Played(UNAVAILABLE)
    with pytest.raises(ApiUnavailable) as caught:
        execute(request, CALL, deadline=Deadline(None, sleep=sleeps))
    assert len(request.sends) == 1 + NUM_RETRIES and set(request.sends) == {0}
    assert caught.value.sends == 1 + NUM_RETRIES
    assert sleeps.slept == [1.0, 2.0, 4.0, 8.0]  # googleapiclient's backoff


def test_a_failure_that_passes_is_not_seen() -> None:
    request = Played(UNAVAILABLE, TimeoutError("timed out"), DOC)
    assert execute(request, CALL, deadline=Deadline(None, sleep=Sleeps())) == DOC
    assert len(request.sends) == 3


@pytest.mark.parametrize(
    "failure",
    [
        pytest.param(ConnectionRefusedError(111, "Connection refused"), id="refused"),
        pytest.param(socket.gaierror(-2, "Name or service not known"), id="dns-gaierror"),
        pytest.param(httplib2.ServerNotFoundError("Unable to find the server at x"), id="dns"),
        pytest.param(http.client.BadStatusLine("garbage"), id="not-http"),
    ],
)
def test_what_a_second_try_would_not_change_fails_at_once(failure: BaseException) -> None:
    sleeps = Sleeps()
    request = Played(failure)
    with pytest.raises(GoogleUnavailable) as caught:
        execute(request, CALL, deadline=Deadline(None, sleep=sleeps))
    assert len(request.sends) == 1 and sleeps.slept == []
    assert caught.value.exit_code == ExitCode.FAILED and "\n" not in caught.value.message


def test_retries_stop_at_the_deadline_and_say_so(monkeypatch: Any) -> None:
    monkeypatch.setattr("random.random", lambda: 1.0)
    request = Played(UNAVAILABLE)
    with pytest.raises(DeadlinePassed) as caught:
        execute(request, CALL, deadline=Deadline(3, sleep=Sleeps()))
    assert len(request.sends) == 2  # the first backoff (2 s) fits in 3 s, the next (4 s) not
    assert caught.value.message.endswith(
        "gave up at the run's 3-second deadline: allow more with --deadline (or `deadline` "
        "in the config)"
    )


def test_a_timeout_after_the_deadline_says_no_answer_within_it() -> None:
    deadline = Deadline(0.0, sleep=Sleeps())
    with pytest.raises(DeadlinePassed) as caught:
        execute(Played(TimeoutError("timed out")), CALL, deadline=deadline)
    assert caught.value.message == (
        "could not read Google Doc d1: no answer from Google Docs within the run's 0-second "
        "deadline: check the network, or allow more with --deadline (or `deadline` in the "
        "config)"
    )


def test_a_conflict_after_a_retry_says_an_earlier_send_may_have_landed() -> None:
    conflict = status(409, json.dumps({"error": {"code": 409, "message": "exists"}}).encode())
    with pytest.raises(ApiError) as caught:
        execute(Played(UNAVAILABLE, conflict), CALL, deadline=Deadline(None, sleep=Sleeps()))
    assert caught.value.status == 409 and caught.value.sends == 2


def test_an_html_page_with_a_4xx_is_not_googles_and_with_a_5xx_is_retried() -> None:
    page = b"<!DOCTYPE html><html><body>Log in to the Wi-Fi</body></html>"
    with pytest.raises(UnexpectedAnswer) as caught:
        execute(Played(status(407, page)), CALL, deadline=Deadline(None, sleep=Sleeps()))
    assert caught.value.message == (
        "could not read Google Doc d1: the server at docs.googleapis.com answered 407 with an "
        "HTML page, not Google's API: a captive portal or proxy? Open any web page to sign in "
        "to the network, or check the endpoint"
    )
    request = Played(status(502, page), DOC)
    assert execute(request, CALL, deadline=Deadline(None, sleep=Sleeps())) == DOC


@pytest.mark.parametrize(
    ("answer", "headers", "words"),
    [
        ("<html><body>Welcome</body></html>", {}, "answered with an HTML page, not Google's API"),
        ("Welcome", {"content-type": "text/html"}, "answered with an HTML page"),
        ("OK", {}, "answered with text that is not JSON ('OK')"),
        ("", {}, "answered with an empty answer"),
        (None, {}, "(the document is null, not an object)"),
        ([], {}, "(the document is a list, not an object)"),
        ({"body": "x"}, {}, "(body is a string, not an object)"),
    ],
)
def test_a_200_that_is_not_googles_answer_is_one_line(
    answer: Any, headers: dict[str, str], words: str
) -> None:
    with pytest.raises(UnexpectedAnswer) as caught:
        execute(Played(answer, headers=headers), CALL)
    assert caught.value.message.startswith("could not read Google Doc d1: the server at ")
    assert words in caught.value.message


# --- the token endpoint ----------------------------------------------------------------------


def token_answer(code: int, body: str, content_type: str = "application/json") -> Any:
    response = SimpleNamespace(
        status=code, data=body.encode(), headers={"content-type": content_type}
    )
    return CheckedTokenTransport(lambda **_kwargs: response)


@pytest.mark.parametrize(
    ("code", "body", "words"),
    [
        (200, "<!DOCTYPE html><html></html>", "answered 200 with an HTML page"),
        (200, "null", "answered 200 with JSON that is not an object (null)"),
        (200, "[]", "answered 200 with JSON that is not an object (a list)"),
        (200, "{}", "answered 200 with JSON without an access token"),
        (401, "<html>Proxy login</html>", "answered 401 with an HTML page"),
    ],
)
def test_a_token_answer_google_auth_cannot_read_is_refused_first(
    code: int, body: str, words: str
) -> None:
    with pytest.raises(UnreadableTokenAnswer) as caught:
        token_answer(code, body)(url="https://oauth2.googleapis.com/token", method="POST")
    assert caught.value.message == (
        f"could not renew the Google sign-in: the server at oauth2.googleapis.com {words}, not "
        "Google's token endpoint: a captive portal or proxy? Open any web page to sign in to "
        "the network"
    )


@pytest.mark.parametrize(
    ("code", "body"),
    [(200, '{"access_token": "ya29.x", "expires_in": 3599}'), (400, '{"error": "invalid_grant"}')],
)
def test_a_token_answer_google_auth_reads_is_passed_on(code: int, body: str) -> None:
    response = token_answer(code, body)(url="https://oauth2.googleapis.com/token", method="POST")
    assert response.status == code
