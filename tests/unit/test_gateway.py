"""The gateway: every way a Google API request can fail becomes one gworkflow error, with one
line that says what happened and what to do, and the documented exit code.

The requests here are small fakes that raise what google-api-python-client, google-auth,
httplib2 and the socket layer raise; no HTTP is involved.
"""

from __future__ import annotations

import http.client
import json
from types import SimpleNamespace
from typing import Any

import httplib2
import pytest
from google.auth.exceptions import RefreshError, TransportError
from googleapiclient.errors import HttpError

from gworkflow.deadline import Deadline
from gworkflow.errors import (
    ConfigError,
    ExitCode,
    GoogleUnavailable,
    GworkflowError,
    NotFound,
    SignInNeeded,
    UnexpectedAnswer,
)
from gworkflow.google.gateway import (
    TESTING_TRAP,
    ApiError,
    ApiNotFound,
    ApiUnavailable,
    Call,
    describe_refresh_error,
    execute,
)

CALL = Call(
    "Google Calendar",
    "look for the series' event",
    gone="check calendar_id in the config",
    denied="ask the calendar's owner for access",
)
HEAD = "could not look for the series' event: Google Calendar answered"
OAUTH_CREDENTIALS = SimpleNamespace(token_uri="https://oauth2.googleapis.com/token")


class FakeRequest:
    """An HttpRequest that answers `answer` or raises `failure`, remembering num_retries."""

    def __init__(
        self, failure: BaseException | None = None, answer: Any = None, credentials: Any = None
    ) -> None:
        self.failure = failure
        self.answer = answer
        self.retries: list[int] = []
        # HttpRequest.http is the AuthorizedHttp the client was built with.
        self.http = SimpleNamespace(credentials=credentials or OAUTH_CREDENTIALS)

    def execute(self, num_retries: int = 0) -> Any:
        self.retries.append(num_retries)
        if self.failure is not None:
            raise self.failure
        return self.answer


def http_error(status: int, body: Any = None, phrase: str = "") -> HttpError:
    resp = httplib2.Response({"status": str(status)})
    resp.reason = phrase
    content = json.dumps(body).encode() if isinstance(body, dict) else (body or b"")
    return HttpError(resp, content, uri="https://www.googleapis.com/calendar/v3/x")


def v3(status: int, message: str, reason: str, domain: str = "global") -> HttpError:
    """Calendar/Drive's error shape."""
    errors = [{"domain": domain, "reason": reason, "message": message}]
    return http_error(status, {"error": {"errors": errors, "code": status, "message": message}})


def docs(status: int, message: str, name: str, reason: str | None = None) -> HttpError:
    """Docs' error shape (google.rpc.Status), with an ErrorInfo reason when given."""
    error: dict[str, Any] = {"code": status, "message": message, "status": name}
    if reason:
        error["details"] = [{"@type": "type.googleapis.com/google.rpc.ErrorInfo", "reason": reason}]
    return http_error(status, {"error": error})


# Retries back off without sleeping in these tests.
NO_WAIT = Deadline(None, sleep=lambda _seconds: None)


def failing(failure: BaseException, credentials: Any = None) -> GworkflowError:
    with pytest.raises(GworkflowError) as caught:
        execute(FakeRequest(failure, credentials=credentials), CALL, deadline=NO_WAIT)
    assert "\n" not in caught.value.message
    return caught.value


# --- Google answered an error status -------------------------------------------------------

HTTP_CASES = [
    pytest.param(
        v3(400, "Missing time zone definition for start time.", "badRequest"),
        ApiError,
        ExitCode.FAILED,
        f"{HEAD} 400 badRequest (Missing time zone definition for start time.)",
        id="400-v3",
    ),
    pytest.param(
        docs(
            400, "Invalid requests[0].insertText: Index 9 must be less than 5.", "INVALID_ARGUMENT"
        ),
        ApiError,
        ExitCode.FAILED,
        f"{HEAD} 400 INVALID_ARGUMENT (Invalid requests[0].insertText: Index 9 must be less "
        "than 5.)",
        id="400-docs",
    ),
    pytest.param(
        v3(401, "Invalid Credentials", "authError"),
        SignInNeeded,
        ExitCode.SIGN_IN,
        f"{HEAD} 401 authError (Invalid Credentials): Google no longer accepts the saved "
        "sign-in; run `gworkflow auth login`",
        id="401",
    ),
    pytest.param(
        v3(403, "Request had insufficient authentication scopes.", "insufficientPermissions"),
        SignInNeeded,
        ExitCode.SIGN_IN,
        f"{HEAD} 403 insufficientPermissions (Request had insufficient authentication scopes.): "
        "the sign-in lacks a permission gworkflow needs; run `gworkflow auth login` and allow "
        "every item on Google's consent page",
        id="403-insufficientPermissions",
    ),
    pytest.param(
        docs(
            403,
            "Request had insufficient authentication scopes.",
            "PERMISSION_DENIED",
            "ACCESS_TOKEN_SCOPE_INSUFFICIENT",
        ),
        SignInNeeded,
        ExitCode.SIGN_IN,
        f"{HEAD} 403 ACCESS_TOKEN_SCOPE_INSUFFICIENT (Request had insufficient authentication "
        "scopes.): the sign-in lacks a permission gworkflow needs; run `gworkflow auth login` "
        "and allow every item on Google's consent page",
        id="403-docs-scope",
    ),
    pytest.param(
        v3(403, "Forbidden", "forbidden"),
        ApiNotFound,
        ExitCode.FAILED,
        f"{HEAD} 403 forbidden (Forbidden): no access; ask the calendar's owner for access",
        id="403-forbidden",
    ),
    pytest.param(
        v3(403, "You need to have writer access to this calendar.", "requiredAccessLevel"),
        ApiNotFound,
        ExitCode.FAILED,
        f"{HEAD} 403 requiredAccessLevel (You need to have writer access to this calendar.): "
        "no access; ask the calendar's owner for access",
        id="403-requiredAccessLevel",
    ),
    pytest.param(
        docs(403, "The caller does not have permission", "PERMISSION_DENIED"),
        ApiNotFound,
        ExitCode.FAILED,
        f"{HEAD} 403 PERMISSION_DENIED (The caller does not have permission): no access; "
        "ask the calendar's owner for access",
        id="403-docs-denied",
    ),
    pytest.param(
        v3(403, "Rate Limit Exceeded", "rateLimitExceeded", "usageLimits"),
        ApiUnavailable,
        ExitCode.FAILED,
        f"{HEAD} 403 rateLimitExceeded (Rate Limit Exceeded), even after retries: try again in "
        "a few minutes",
        id="403-rateLimitExceeded",
    ),
    pytest.param(
        v3(403, "User Rate Limit Exceeded", "userRateLimitExceeded", "usageLimits"),
        ApiUnavailable,
        ExitCode.FAILED,
        f"{HEAD} 403 userRateLimitExceeded (User Rate Limit Exceeded), even after retries: try "
        "again in a few minutes",
        id="403-userRateLimitExceeded",
    ),
    pytest.param(
        v3(404, "Not Found", "notFound"),
        ApiNotFound,
        ExitCode.FAILED,
        f"{HEAD} 404 notFound (Not Found): check calendar_id in the config",
        id="404",
    ),
    pytest.param(
        v3(409, "The requested identifier already exists.", "duplicate"),
        ApiError,
        ExitCode.FAILED,
        f"{HEAD} 409 duplicate (The requested identifier already exists.)",
        id="409",
    ),
    pytest.param(
        v3(410, "Resource has been deleted", "deleted"),
        ApiNotFound,
        ExitCode.FAILED,
        f"{HEAD} 410 deleted (Resource has been deleted): check calendar_id in the config",
        id="410",
    ),
    pytest.param(
        docs(429, "Quota exceeded for quota metric 'Write requests'.", "RESOURCE_EXHAUSTED"),
        ApiUnavailable,
        ExitCode.FAILED,
        f"{HEAD} 429 RESOURCE_EXHAUSTED (Quota exceeded for quota metric 'Write requests'.), "
        "even after retries: try again in a few minutes",
        id="429",
    ),
    pytest.param(
        v3(500, "Backend Error", "backendError"),
        ApiUnavailable,
        ExitCode.FAILED,
        f"{HEAD} 500 backendError (Backend Error), even after retries: try again in a few minutes",
        id="500",
    ),
    pytest.param(
        http_error(502, b"<html><body>Bad Gateway</body></html>", phrase="Bad Gateway"),
        ApiUnavailable,
        ExitCode.FAILED,
        f"{HEAD} 502 (Bad Gateway), even after retries: try again in a few minutes",
        id="502-html-body",
    ),
    pytest.param(
        docs(503, "The service is currently unavailable.", "UNAVAILABLE"),
        ApiUnavailable,
        ExitCode.FAILED,
        f"{HEAD} 503 UNAVAILABLE (The service is currently unavailable.), even after retries: "
        "try again in a few minutes",
        id="503",
    ),
]


@pytest.mark.parametrize(("failure", "kind", "exit_code", "message"), HTTP_CASES)
def test_an_error_answer_is_one_line_by_status_and_reason(
    failure: HttpError, kind: type[GworkflowError], exit_code: ExitCode, message: str
) -> None:
    error = failing(failure)
    assert type(error) is kind
    assert error.exit_code == exit_code
    assert error.message == message


def test_the_typed_error_carries_status_reason_and_googles_message() -> None:
    error = failing(v3(409, "The requested identifier already exists.", "duplicate"))
    assert isinstance(error, ApiError)
    assert (error.status, error.reason, error.detail) == (
        409,
        "duplicate",
        "The requested identifier already exists.",
    )


def test_gone_and_out_of_reach_are_not_found_and_transient_ones_unavailable() -> None:
    # What callers rely on: Calendar reads a missing event as NotFound, Docs treats any
    # GoogleUnavailable as "the write may have landed", the doctor says "check the network".
    assert isinstance(failing(v3(404, "Not Found", "notFound")), NotFound)
    assert isinstance(failing(v3(403, "Forbidden", "forbidden")), NotFound)
    assert isinstance(failing(v3(503, "Backend Error", "backendError")), GoogleUnavailable)
    assert not isinstance(failing(v3(409, "Exists", "duplicate")), GoogleUnavailable)
    assert not isinstance(failing(v3(400, "Bad", "badRequest")), NotFound)


def test_the_same_cause_has_the_same_words_in_docs_and_calendar_shapes() -> None:
    calendar_404 = failing(v3(404, "Not Found", "notFound")).message
    docs_404 = failing(docs(404, "Not Found", "NOT_FOUND")).message
    assert calendar_404.replace("notFound", "NOT_FOUND") == docs_404


# --- the sign-in could not be renewed inside a call ------------------------------------------


def refresh_error(error: str, description: str, retryable: bool = False) -> RefreshError:
    """What google-auth raises when the token endpoint refuses a refresh."""
    data = {"error": error, "error_description": description}
    return RefreshError(f"{error}: {description}", data, retryable=retryable)


def test_an_expired_or_revoked_sign_in_names_the_testing_trap() -> None:
    error = failing(refresh_error("invalid_grant", "Token has been expired or revoked."))
    assert type(error) is SignInNeeded and error.exit_code == ExitCode.SIGN_IN
    assert error.message == (
        "Google refused the saved sign-in, it has expired or was revoked (invalid_grant: Token "
        f"has been expired or revoked); {TESTING_TRAP}; then run `gworkflow auth login`"
    )
    assert "7 days" in error.message and "In production" in error.message


def test_a_refresh_failing_in_a_call_reads_like_auths_own_refresh() -> None:
    refused = refresh_error("invalid_grant", "Token has been expired or revoked.")
    assert failing(refused).message == describe_refresh_error(refused).message


def test_a_deleted_oauth_client_says_to_download_a_current_one() -> None:
    error = failing(refresh_error("deleted_client", "The OAuth client was deleted."))
    assert type(error) is SignInNeeded
    assert error.message == (
        "Google no longer accepts the OAuth client of the saved sign-in (deleted_client: The "
        "OAuth client was deleted): download a current 'Desktop app' client, then run "
        "`gworkflow auth login`"
    )


def test_a_token_endpoint_outage_is_transient() -> None:
    error = failing(refresh_error("internal_failure", "Backend Error", retryable=True))
    assert type(error) is GoogleUnavailable and error.exit_code == ExitCode.FAILED
    assert error.message == (
        "Google's token endpoint failed (internal_failure: Backend Error); try again later"
    )


def test_a_service_account_refused_is_a_config_problem() -> None:
    from google.oauth2 import service_account

    # The gateway tells the account kind from the credentials the client was built with.
    robot = service_account.Credentials.__new__(service_account.Credentials)
    error = failing(
        refresh_error("unauthorized_client", "Client is unauthorized to retrieve access tokens"),
        credentials=robot,
    )
    assert type(error) is ConfigError and error.exit_code == ExitCode.USAGE
    assert error.message.startswith(
        "Google refused the service account (unauthorized_client: Client is unauthorized to "
        "retrieve access tokens): check the key file, and for [auth] subject that the "
        "Workspace admin granted domain-wide delegation for https://www.googleapis.com/auth/"
    )


def test_an_unreachable_token_endpoint_names_its_host() -> None:
    cause = httplib2.ServerNotFoundError("Unable to find the server at oauth2.googleapis.com")
    error = failing(TransportError(cause))
    assert type(error) is GoogleUnavailable and error.exit_code == ExitCode.FAILED
    assert error.message == (
        "could not reach oauth2.googleapis.com to renew the Google sign-in "
        "(ServerNotFoundError); check the network and try again"
    )


# --- the network failed --------------------------------------------------------------------

NETWORK_CASES = [
    pytest.param(
        httplib2.ServerNotFoundError("Unable to find the server at www.googleapis.com"),
        "Unable to find the server at www.googleapis.com",
        id="dns",
    ),
    pytest.param(TimeoutError("timed out"), "timed out", id="TimeoutError"),
    # socket.timeout is TimeoutError; without text the cause is named by its class.
    pytest.param(TimeoutError(), "TimeoutError", id="timeout-without-text"),
    pytest.param(
        ConnectionRefusedError(111, "Connection refused"),
        "[Errno 111] Connection refused",
        id="refused",
    ),
    pytest.param(ConnectionResetError(104, "Connection reset by peer"), None, id="reset"),
    pytest.param(
        http.client.RemoteDisconnected("Remote end closed connection without response"),
        "Remote end closed connection without response",
        id="RemoteDisconnected",
    ),
    pytest.param(
        httplib2.RedirectLimit("Redirected more times than redirection_limit allows.", None, b""),
        None,
        id="httplib2",
    ),
]


@pytest.mark.parametrize(("failure", "cause"), NETWORK_CASES)
def test_the_network_failing_says_check_the_network(
    failure: BaseException, cause: str | None
) -> None:
    error = failing(failure)
    assert type(error) is GoogleUnavailable and error.exit_code == ExitCode.FAILED
    assert error.message.startswith(
        "could not look for the series' event: cannot reach Google Calendar ("
    )
    assert error.message.endswith("): check the network and try again")
    if cause is not None:
        assert f"({cause})" in error.message


def test_an_answer_that_is_not_json_is_one_line_saying_what_answered() -> None:
    garbled = json.JSONDecodeError("Expecting value", "<html>", 0)
    error = failing(garbled)
    assert type(error) is UnexpectedAnswer and error.exit_code == ExitCode.FAILED
    assert error.message == (
        "could not look for the series' event: the server answered with an HTML page, not "
        "Google's API: a captive portal or proxy? Open any web page to sign in to the "
        "network, or check the endpoint"
    )


# --- the happy path ------------------------------------------------------------------------


def test_the_answer_is_returned_and_the_client_itself_never_retries() -> None:
    # The gateway retries (within the run's deadline); googleapiclient is asked for none.
    request = FakeRequest(answer={"items": []})
    assert execute(request, CALL) == {"items": []}
    assert request.retries == [0]


def test_an_empty_answer_is_an_empty_object() -> None:
    # events.delete answers 204 with no body; googleapiclient hands back "".
    assert execute(FakeRequest(answer=""), CALL) == {}
